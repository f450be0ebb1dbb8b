package io.ecsbluegreen.sim;

import io.ecsbluegreen.sim.protocol.CredentialScope;
import io.ecsbluegreen.sim.protocol.RpcV2Cbor;
import io.ecsbluegreen.sim.protocol.ServiceHandler;
import io.ecsbluegreen.sim.protocol.SimRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the service a request is for. One port serves every service, as an endpoint override points
 * every SDK client at the same URL, so the service has to be read from the request itself:
 * <ol>
 *   <li>the SigV4 credential scope ({@code Credential=AKID/date/region/SERVICE/aws4_request}) of the
 *       {@code Authorization} header or of a presigned URL: what every signed SDK or CLI call carries;
 *   <li>the service name in the path of Smithy RPC v2 CBOR requests
 *       ({@code /service/GraniteServiceVersion20100801/operation/...} with {@code smithy-protocol: rpc-v2-cbor});
 *   <li>the {@code X-Amz-Target} prefix of JSON RPC services;
 *   <li>the Query protocol's {@code Action} parameter;
 *   <li>otherwise S3, whose unsigned REST requests (anonymous reads) carry none of the above.
 * </ol>
 */
final class ServiceRouter {

    private static final String FALLBACK_SERVICE = "s3";

    private final Map<String, ServiceHandler> bySigningName = new LinkedHashMap<>();

    ServiceRouter(List<ServiceHandler> handlers) {
        for (ServiceHandler handler : handlers) {
            if (bySigningName.put(handler.signingName(), handler) != null) {
                throw new IllegalArgumentException("two handlers for service " + handler.signingName());
            }
        }
    }

    /**
     * The handler for {@code request}, or empty when the request names a service the simulator does
     * not implement.
     */
    Optional<ServiceHandler> route(SimRequest request) {
        Optional<CredentialScope> scope = request.scope();
        if (scope.isPresent()) {
            return Optional.ofNullable(bySigningName.get(scope.get().service()));
        }
        Optional<RpcV2Cbor.Target> rpcTarget = RpcV2Cbor.target(request);
        if (rpcTarget.isPresent()) {
            String service = rpcTarget.get().service();
            return bySigningName.values().stream()
                    .filter(h -> h.rpcV2ServiceNames().contains(service))
                    .findFirst();
        }
        String target = request.header("X-Amz-Target");
        if (target != null) {
            return bySigningName.values().stream()
                    .filter(h -> h.targetPrefixes().stream().anyMatch(target::startsWith))
                    .findFirst();
        }
        String action = request.param("Action");
        if (action != null) {
            Optional<ServiceHandler> byAction = bySigningName.values().stream()
                    .filter(h -> h.queryActions().contains(action))
                    .findFirst();
            if (byAction.isPresent()) {
                return byAction;
            }
        }
        return Optional.ofNullable(bySigningName.get(FALLBACK_SERVICE));
    }

    /** What the request asked for, for the error message when no handler serves it. */
    static String describe(SimRequest request) {
        return request.scope().map(s -> "service '" + s.service() + "'")
                .or(() -> RpcV2Cbor.target(request).map(t -> "service '" + t.service() + "'"))
                .or(() -> Optional.ofNullable(request.header("X-Amz-Target")).map(t -> "target '" + t + "'"))
                .orElse("this request");
    }
}

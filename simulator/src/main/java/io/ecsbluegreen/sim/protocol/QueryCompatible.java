package io.ecsbluegreen.sim.protocol;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The protocols of a service that AWS moved from the Query protocol to JSON 1.0 and Smithy RPC v2 CBOR
 * while keeping Query ({@code awsQueryCompatible}: CloudWatch). Its operations read every request's
 * input in the Query form and build their output once as a {@link Struct}; this class decodes the input
 * and renders the output and errors in the protocol each request speaks. Error codes are the Query ones
 * in all three.
 */
public final class QueryCompatible {

    private enum Wire { QUERY, JSON_1_0, RPC_V2_CBOR }

    private final String serviceName;
    private final String shapeNamespace;
    private final String xmlNamespace;
    private final Map<String, String> errorShapes;

    /**
     * @param serviceName the Smithy service shape's name, which RPC v2 CBOR paths name and JSON 1.0
     *     targets start with ({@code GraniteServiceVersion20100801})
     * @param shapeNamespace the model's namespace, for error shape ids ({@code com.amazonaws.cloudwatch})
     * @param xmlNamespace the namespace of Query answers
     * @param errorShapes the model's error shape names by Query error code, where they differ
     *     ({@code InvalidParameterValue} → {@code InvalidParameterValueException}); other codes name
     *     their shape
     */
    public QueryCompatible(String serviceName, String shapeNamespace, String xmlNamespace, Map<String, String> errorShapes) {
        this.serviceName = serviceName;
        this.shapeNamespace = shapeNamespace;
        this.xmlNamespace = xmlNamespace;
        this.errorShapes = Map.copyOf(errorShapes);
    }

    /** The Smithy service name, for {@link ServiceHandler#rpcV2ServiceNames()}. */
    public String serviceName() {
        return serviceName;
    }

    /** The JSON 1.0 target prefix, for {@link ServiceHandler#targetPrefixes()}. */
    public String targetPrefix() {
        return serviceName + ".";
    }

    private Wire wire(SimRequest request) {
        if (RpcV2Cbor.speaks(request)) {
            return Wire.RPC_V2_CBOR;
        }
        return AwsJson10.operation(request, serviceName).isPresent() ? Wire.JSON_1_0 : Wire.QUERY;
    }

    /** The operation a JSON 1.0 or RPC v2 CBOR request names; empty for Query, where {@code Action} does. */
    public Optional<String> operation(SimRequest request) {
        return RpcV2Cbor.target(request).map(RpcV2Cbor.Target::operation)
                .or(() -> AwsJson10.operation(request, serviceName));
    }

    /**
     * The input of a JSON 1.0 or RPC v2 CBOR request in the Query form ({@code Dimensions.member.1.Name}),
     * see {@link Documents#queryParams}; empty for a Query request.
     *
     * @param body the request body, already inflated when it came compressed
     */
    public Optional<Map<String, List<String>>> input(SimRequest request, byte[] body) {
        return switch (wire(request)) {
            case RPC_V2_CBOR -> Optional.of(Documents.queryParams(RpcV2Cbor.decode(body)));
            case JSON_1_0 -> Optional.of(Documents.queryParams(AwsJson10.decode(body)));
            case QUERY -> Optional.empty();
        };
    }

    /** The 200 answer with an operation's output, null for an operation without one. */
    public SimResponse response(SimRequest request, String action, Struct output) {
        return switch (wire(request)) {
            case RPC_V2_CBOR -> RpcV2Cbor.response(output);
            case JSON_1_0 -> AwsJson10.response(output);
            case QUERY -> QueryXml.response(action, xmlNamespace, output, request.requestId());
        };
    }

    /**
     * An error answer. In JSON 1.0 and RPC v2 CBOR, {@code __type} names the model's error shape and
     * {@code x-amzn-query-error} the Query code, which clients report as the error code.
     */
    public SimResponse error(SimRequest request, AwsErrorException error) {
        String shapeId = shapeNamespace + "#" + errorShapes.getOrDefault(error.code(), error.code());
        return switch (wire(request)) {
            case RPC_V2_CBOR -> RpcV2Cbor.error(error, shapeId, true);
            case JSON_1_0 -> AwsJson10.error(error, shapeId, true);
            case QUERY -> Protocol.QUERY.renderError(error, request.requestId(), xmlNamespace);
        };
    }
}

package io.ecsbluegreen.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The token check once more, after the REST layer resolved the request to a resource method (a
 * post-matching filter runs only then), so the decision rests on the route that will actually run rather
 * than on the path as sent: whatever spelling reached a method that changes things, it ran with the
 * token. The {@link RequestGate} in front already refuses such requests; this guard keeps the promise if a
 * spelling ever slips past it.
 */
public class ResolvedRouteGuard {
    private static final Set<String> READS = Set.of("GET", "HEAD");

    private final RequestGate gate;

    public ResolvedRouteGuard(RequestGate gate) {
        this.gate = gate;
    }

    @ServerRequestFilter
    public Optional<Response> check(ContainerRequestContext request) {
        boolean read = READS.contains(request.getMethod());
        if ((read && gate.openReads()) || gate.tokenMatches(request.getHeaderString(HttpHeaders.AUTHORIZATION))) {
            return Optional.empty();
        }
        return Optional.of(Response.status(Response.Status.UNAUTHORIZED).type(MediaType.APPLICATION_JSON_TYPE)
                .header("WWW-Authenticate", "Bearer realm=\"bluegreen\"")
                .entity(Map.of("message", RequestGate.TOKEN_NEEDED)).build());
    }
}

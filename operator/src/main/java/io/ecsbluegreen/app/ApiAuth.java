package io.ecsbluegreen.app;

import io.ecsbluegreen.api.RequestGate;
import io.ecsbluegreen.api.ApiToken;
import io.ecsbluegreen.config.OperatorConfig;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.jboss.logging.Logger;

/**
 * Puts the {@link RequestGate} in front of every HTTP route (API, metrics, health, the dashboard's files):
 * a refused request is answered here with its status and a JSON reason, and reaches no handler. Every
 * answer, refused or not, carries {@code X-Content-Type-Options: nosniff}. The token is never logged.
 */
@ApplicationScoped
public class ApiAuth {
    private static final Logger LOG = Logger.getLogger(ApiAuth.class);

    @Produces
    @Singleton
    RequestGate gate(OperatorConfig config) {
        ApiToken token;
        try {
            token = ApiToken.resolve(config.api().token(), config.api().tokenFile(), ApiToken.DEFAULT_FILE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up the API token: " + e.getMessage(), e);
        }
        LOG.infof("mutating API requests need the bearer token from %s%s; served hosts: IP addresses and %s", token.origin(),
                config.api().openReads() ? "" : "; so do reads (bluegreen.api.open-reads=false)",
                String.join(", ", config.api().allowedHosts()));
        return new RequestGate(token, config.api().openReads(), config.api().allowedHosts());
    }

    void register(@Observes Filters filters, RequestGate gate) {
        filters.register(rc -> check(rc, gate), 100);
    }

    static void check(RoutingContext rc, RequestGate gate) {
        rc.response().putHeader("X-Content-Type-Options", "nosniff");
        var request = rc.request();
        RequestGate.Verdict verdict = gate.decide(new RequestGate.Request(request.method().name(), request.uri(),
                host(request), request.getHeader("Origin"), request.getHeader("Sec-Fetch-Site"),
                request.getHeader("Authorization"), request.isSSL()));
        if (verdict instanceof RequestGate.Verdict.Refuse refuse) {
            refuse(rc, refuse);
        } else {
            rc.next();
        }
    }

    static void refuse(RoutingContext rc, RequestGate.Verdict.Refuse refuse) {
        var response = rc.response().setStatusCode(refuse.status()).putHeader("Content-Type", "application/json");
        if (refuse.status() == 401) response.putHeader("WWW-Authenticate", "Bearer realm=\"bluegreen\"");
        response.end(new JsonObject().put("message", refuse.message()).encode());
    }

    /**
     * The authority the client addressed: the Host header on HTTP/1.1, the {@code :authority} pseudo-header
     * on HTTP/2 (which carries no Host header; the JDK's HTTP client upgrades to it).
     */
    private static String host(HttpServerRequest request) {
        String host = request.getHeader("Host");
        if (host != null || request.version() != HttpVersion.HTTP_2) return host;
        var authority = request.authority();
        return authority == null ? null : authority.toString();
    }
}

package io.ecsbluegreen.api;

import io.ecsbluegreen.config.OperatorConfig;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Guards the HTTP API with the bearer token: every mutating request under {@code /api/} needs it, and
 * so do reads (API, metrics, the dashboard's data) when {@code bluegreen.api.open-reads} is false. Health
 * checks stay open for load balancers, and so do the dashboard's own files ({@link #PAGE}: markup, script and
 * style, no data), so that a browser can load the page that asks for the token. A refused request gets 401 and a JSON reason; the token is never logged.
 */
@ApplicationScoped
public class ApiAuth {
    private static final Logger LOG = Logger.getLogger(ApiAuth.class);

    /** The dashboard's files under src/main/resources/META-INF/resources: static, and without any data. */
    static final Set<String> PAGE = Set.of("/", "/index.html", "/app.js", "/app.css");

    void register(@Observes Filters filters, OperatorConfig config) {
        ApiToken token;
        try {
            token = ApiToken.resolve(config.api().token(), config.api().tokenFile(), ApiToken.DEFAULT_FILE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up the API token: " + e.getMessage(), e);
        }
        LOG.infof("mutating API requests need the bearer token from %s%s", token.origin(),
                config.api().openReads() ? "" : "; so do reads (bluegreen.api.open-reads=false)");
        boolean openReads = config.api().openReads();
        filters.register(rc -> check(rc, token, openReads), 100);
    }

    static void check(RoutingContext rc, ApiToken token, boolean openReads) {
        String path = rc.normalizedPath();
        HttpMethod method = rc.request().method();
        boolean read = method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS;
        boolean guarded = path.startsWith("/q/health") || read && PAGE.contains(path) ? false
                : read ? !openReads
                : path.startsWith("/api/");
        if (!guarded || token.matches(rc.request().getHeader("Authorization"))) {
            rc.next();
            return;
        }
        rc.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer realm=\"bluegreen\"")
                .putHeader("Content-Type", "application/json")
                .end("{\"message\":\"this request needs the operator's API token: Authorization: Bearer TOKEN "
                        + "(bluegreen.api.token, or the file .bluegreen/api-token it writes; the CLI reads --token, "
                        + "BLUEGREEN_API_TOKEN or that file)\"}");
    }
}

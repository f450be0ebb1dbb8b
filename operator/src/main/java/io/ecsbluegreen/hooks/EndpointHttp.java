package io.ecsbluegreen.hooks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Sends the requests of http hooks and HTTP probes: to the endpoint of an HTTPS listener through
 * {@link ListenerHttps} (SNI and certificate verification for the application's host, the connection to
 * the load balancer), to any other URL through the JDK client, with the listener rule's {@code Host}.
 * Both trust what the JDK client trusts (the JVM's default and the configured CA bundle).
 */
public final class EndpointHttp {

    /** Used when the JDK client has no connect timeout of its own. */
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** An answer: its status, and its body (null when discarded). */
    public record Answer(int status, String body) {}

    private final HttpClient http;
    private final ListenerHttps listeners;

    public EndpointHttp(HttpClient http) {
        this(http, Clock.systemUTC());
    }

    /** @param clock decides when a request to an HTTPS listener has run out of time ({@link ListenerHttps}) */
    public EndpointHttp(HttpClient http, Clock clock) {
        this.http = http;
        this.listeners = new ListenerHttps(http.sslContext(), http.connectTimeout().orElse(DEFAULT_CONNECT_TIMEOUT), clock);
    }

    /**
     * One request, answered within {@code timeout}; redirects are not followed.
     *
     * @param headers the caller's own; a {@code Host} among them replaces the target's
     * @param body null for none
     * @param readBody whether the body is wanted; when not, it is discarded
     * @throws IllegalArgumentException when a header is refused (the JDK client refuses {@code Host} unless
     *     the JVM allows it: {@link HookRunner#RESTRICTED_HEADERS})
     */
    public Answer send(EndpointResolver.Request target, String method, Map<String, String> headers, String body,
                       Duration timeout, boolean readBody) throws IOException, InterruptedException {
        if (target.serverName() != null) {
            ListenerHttps.Response answer = listeners.send(URI.create(target.url()), target.serverName(), method, headers, body, timeout);
            return new Answer(answer.status(), readBody ? answer.body() : null);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.url())).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        if (target.host() != null && headers.keySet().stream().noneMatch("host"::equalsIgnoreCase)) request.header("Host", target.host());
        if (!readBody) return new Answer(http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode(), null);
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(answer.statusCode(), answer.body());
    }
}

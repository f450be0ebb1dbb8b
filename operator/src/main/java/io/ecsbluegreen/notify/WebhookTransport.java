package io.ecsbluegreen.notify;

import io.ecsbluegreen.config.OperatorConfig.WebhookFormat;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * POSTs a notification to a URL: 2xx is delivered; 5xx, 429, a timeout or a connection failure is worth
 * another attempt (honouring {@code Retry-After} in seconds); any other answer (4xx, 3xx: redirects are
 * not followed) is refused for good. Neither the URL's path nor header values appear in what it reports.
 */
public final class WebhookTransport implements Transport {

    /** Sent as {@code User-Agent}. */
    static final String USER_AGENT = "ecs-bluegreen-operator";
    /** The most of a refusing answer's body kept for the log. */
    static final int MAX_DETAIL = 200;

    private final URI url;
    private final WebhookFormat format;
    private final Map<String, String> headers;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param headers extra headers (checked by {@link #checkHeaders}); values are secrets
     */
    public WebhookTransport(URI url, WebhookFormat format, Map<String, String> headers, Duration timeout) {
        this.url = url;
        this.format = format;
        this.headers = Map.copyOf(headers);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .build();
    }

    /**
     * Refuses headers the JDK client will not send (Host, Content-Length, Connection, ...) or values with
     * line breaks, naming the header but never its value.
     *
     * @throws IllegalArgumentException naming the first bad header
     */
    public static void checkHeaders(Map<String, String> headers) {
        HttpRequest.Builder probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1/"));
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getValue().indexOf('\r') >= 0 || h.getValue().indexOf('\n') >= 0) {
                throw new IllegalArgumentException("header " + h.getKey() + ": the value has a line break");
            }
            try {
                probe.header(h.getKey(), "x");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("header " + h.getKey() + " cannot be set: " + e.getMessage());
            }
        }
    }

    @Override
    public String target() {
        return url.getScheme() + "://" + url.getAuthority();
    }

    @Override
    public Attempt send(Notification n) throws InterruptedException {
        String body = format == WebhookFormat.SLACK ? Payloads.slack(n) : Payloads.json(n);
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", USER_AGENT)
                .header("X-Bluegreen-Event", n.event().type().name())
                .header("X-Bluegreen-Event-Id", n.id())
                .POST(HttpRequest.BodyPublishers.ofByteArray(Payloads.bytes(body)));
        headers.forEach(request::header);
        CompletableFuture<HttpResponse<String>> future = http.sendAsync(request.build(), info -> new Head(MAX_DETAIL));
        HttpResponse<String> response;
        try {
            // the request timeout covers the answer's head; this bounds the body as well
            response = future.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return Attempt.retry("no answer within " + Receiver.readable(timeout));
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            return failure(e.getCause());
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) return Attempt.delivered();
        String detail = "HTTP " + status + detail(response.body());
        if (status == 429 || status >= 500) {
            return Attempt.retry(detail, retryAfter(response.headers().firstValue("Retry-After").orElse(null)));
        }
        return Attempt.rejected(detail);
    }

    private Attempt failure(Throwable cause) {
        if (cause instanceof HttpTimeoutException) return Attempt.retry("no answer within " + Receiver.readable(timeout));
        if (cause instanceof ConnectException) return Attempt.retry("cannot connect: " + describe(cause));
        if (cause instanceof IOException) return Attempt.retry("I/O error: " + describe(cause));
        return Attempt.retry(describe(cause));
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : " " + Payloads.oneLine(m));
    }

    private static String detail(String body) {
        if (body == null || body.isBlank()) return "";
        return ": " + Payloads.oneLine(body);
    }

    /** {@code Retry-After} in seconds; an HTTP date or garbage counts as not said. */
    static Duration retryAfter(String value) {
        if (value == null) return null;
        try {
            long seconds = Long.parseLong(value.trim());
            return seconds < 0 ? null : Duration.ofSeconds(Math.min(seconds, 86_400));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Keeps the first bytes of a body, as text, and discards the rest. */
    private static final class Head implements HttpResponse.BodySubscriber<String> {
        private final int max;
        private final byte[] kept;
        private int length;
        private final CompletableFuture<String> result = new CompletableFuture<>();

        Head(int max) {
            this.max = max;
            this.kept = new byte[max];
        }

        @Override
        public CompletionStage<String> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer b : buffers) {
                int n = Math.min(b.remaining(), max - length);
                b.get(kept, length, n);
                length += n;
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.complete(new String(kept, 0, length, StandardCharsets.UTF_8));
        }
    }
}

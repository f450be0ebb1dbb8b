package io.ecsbluegreen.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Plain HTTP requests to a simulator, for wire details an SDK client hides. */
public final class RawHttp {

    /** An {@code Authorization} header whose credential scope names {@code service}; never verified. */
    public static String authorization(String service) {
        return "AWS4-HMAC-SHA256 Credential=AKIDRAW/20250101/us-east-1/" + service
                + "/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000";
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI endpoint;

    public RawHttp(AwsSimulator sim) {
        this.endpoint = sim.endpoint();
    }

    public HttpResponse<String> get(String pathAndQuery) {
        return send("GET", pathAndQuery, Map.of(), new byte[0]);
    }

    public HttpResponse<String> post(String pathAndQuery) {
        return send("POST", pathAndQuery, Map.of(), new byte[0]);
    }

    /** A Query-protocol call: form body, optionally signed for {@code service}. */
    public HttpResponse<String> query(String service, String form) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        if (service != null) {
            headers.put("Authorization", authorization(service));
        }
        return send("POST", "/", headers, form.getBytes());
    }

    public HttpResponse<String> send(String method, String pathAndQuery, Map<String, String> headers, byte[] body) {
        return exchange(method, pathAndQuery, headers, body, HttpResponse.BodyHandlers.ofString());
    }

    /** A request whose answer is binary (CBOR). */
    public HttpResponse<byte[]> sendForBytes(String method, String pathAndQuery, Map<String, String> headers, byte[] body) {
        return exchange(method, pathAndQuery, headers, body, HttpResponse.BodyHandlers.ofByteArray());
    }

    private <T> HttpResponse<T> exchange(String method, String pathAndQuery, Map<String, String> headers, byte[] body,
            HttpResponse.BodyHandler<T> handler) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(pathAndQuery))
                .timeout(Duration.ofSeconds(10))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        try {
            return client.send(request.build(), handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

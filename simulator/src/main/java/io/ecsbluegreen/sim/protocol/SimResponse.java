package io.ecsbluegreen.sim.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An HTTP response a handler returns: status, headers and body. The dispatcher adds the request-id
 * headers of the service's protocol and takes care of HEAD and bodiless statuses.
 *
 * @param status the HTTP status
 * @param headers response headers; {@code Content-Length} is computed from the body unless set (HEAD)
 * @param body the body, empty for none; callers must not modify it
 */
public record SimResponse(int status, Map<String, String> headers, byte[] body) {

    private static final byte[] EMPTY = new byte[0];

    public SimResponse {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        body = body == null ? EMPTY : body;
    }

    /** A response without body. */
    public static SimResponse empty(int status) {
        return new SimResponse(status, Map.of(), EMPTY);
    }

    /** An XML document with {@code Content-Type: application/xml} (S3) or {@code text/xml} (Query). */
    public static SimResponse xml(int status, String contentType, String document) {
        return new SimResponse(status, Map.of("Content-Type", contentType), document.getBytes(StandardCharsets.UTF_8));
    }

    /** A JSON document with the given content type ({@code application/x-amz-json-1.1}, ...). */
    public static SimResponse json(int status, String contentType, String document) {
        return new SimResponse(status, Map.of("Content-Type", contentType), document.getBytes(StandardCharsets.UTF_8));
    }

    /** A copy with one more header, replacing any header of the same name (case-insensitively). */
    public SimResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>();
        headers.forEach((n, v) -> {
            if (!n.equalsIgnoreCase(name)) {
                copy.put(n, v);
            }
        });
        copy.put(name, value);
        return new SimResponse(status, copy, body);
    }

    /** The header's value, matched case-insensitively, or null. */
    public String header(String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }
}

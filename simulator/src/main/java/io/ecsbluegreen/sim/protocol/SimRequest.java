package io.ecsbluegreen.sim.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One HTTP request as a service handler sees it: method, raw and decoded path, query parameters,
 * headers (case-insensitive), the whole body, and the SigV4 credential scope when the request is signed.
 *
 * <p>Bodies are read fully before dispatch: AWS control-plane payloads and the test objects the
 * simulator stores are small, and a byte array keeps handlers simple.
 */
public final class SimRequest {

    private final String requestId;
    private final String method;
    private final String rawPath;
    private final String rawQuery;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final Map<String, List<String>> queryParams;
    private final CredentialScope scope;
    private Map<String, List<String>> formParams;

    /**
     * @param requestId the id the simulator reports in response headers and error bodies
     * @param method the HTTP method, upper case
     * @param rawPath the path as sent, still percent-encoded
     * @param rawQuery the query string as sent, without {@code ?}; null or empty when absent
     * @param headers the request headers; names are matched case-insensitively
     * @param body the request body, empty when none
     */
    public SimRequest(String requestId, String method, String rawPath, String rawQuery,
            Map<String, List<String>> headers, byte[] body) {
        this.requestId = requestId;
        this.method = method.toUpperCase(Locale.ROOT);
        this.rawPath = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        this.rawQuery = rawQuery == null ? "" : rawQuery;
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        this.headers = Collections.unmodifiableMap(copy);
        this.body = body;
        this.queryParams = Collections.unmodifiableMap(Encoding.parseForm(this.rawQuery));
        this.scope = CredentialScope.fromAuthorization(header("Authorization"))
                .or(() -> CredentialScope.fromQueryCredential(queryParam("X-Amz-Credential")))
                .orElse(null);
    }

    public String requestId() {
        return requestId;
    }

    public String method() {
        return method;
    }

    /** The path as sent, percent-encoded; never empty. */
    public String rawPath() {
        return rawPath;
    }

    /** The path with percent-escapes decoded ({@code +} stays a plus sign). */
    public String path() {
        return Encoding.decodePath(rawPath);
    }

    /** The query string without {@code ?}; empty when absent. */
    public String rawQuery() {
        return rawQuery;
    }

    /** Every query parameter with its decoded values, in request order. */
    public Map<String, List<String>> queryParams() {
        return queryParams;
    }

    /** The first value of a query parameter, or null. A parameter without value yields {@code ""}. */
    public String queryParam(String name) {
        List<String> values = queryParams.get(name);
        return values == null ? null : values.get(0);
    }

    public boolean hasQueryParam(String name) {
        return queryParams.containsKey(name);
    }

    /** All headers; the map's keys compare case-insensitively. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The first value of a header, or null. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The raw body; callers must not modify it. */
    public byte[] body() {
        return body;
    }

    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The SigV4 credential scope, when the request is signed (header or presigned query). */
    public Optional<CredentialScope> scope() {
        return Optional.ofNullable(scope);
    }

    /** The access key id the request was signed with, or null for an unsigned request. */
    public String accessKeyId() {
        return scope == null ? null : scope.accessKeyId();
    }

    /**
     * A Query-protocol parameter ({@code Action}, {@code RoleArn}, {@code Members.member.1}): taken from
     * a form-encoded body when there is one, otherwise from the query string, as AWS accepts both.
     */
    public String param(String name) {
        List<String> values = params().get(name);
        return values == null ? null : values.get(0);
    }

    /** Every Query-protocol parameter: the form body's, then the query string's for names not in the body. */
    public synchronized Map<String, List<String>> params() {
        if (formParams == null) {
            Map<String, List<String>> merged = new TreeMap<>(queryParams);
            String contentType = header("Content-Type");
            if (contentType != null
                    && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
                merged.putAll(Encoding.parseForm(bodyAsString()));
            }
            formParams = Collections.unmodifiableMap(merged);
        }
        return formParams;
    }
}

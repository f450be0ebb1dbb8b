package io.ecsbluegreen.analysis;

import io.ecsbluegreen.observed.Measurement;
import io.ecsbluegreen.plan.AnalysisTarget;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecsbluegreen.observed.Measurement.Verdict;
import io.ecsbluegreen.model.AnalysisCheck;
import io.ecsbluegreen.model.AnalysisSpec;
import io.ecsbluegreen.model.PrometheusCheck;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code prometheus} checks: an instant query, {@code GET {address}/api/v1/query?query=...}, with
 * {@code {{service}}} and {@code {{revision}}} replaced, evaluated at Prometheus's current time. The
 * answer decides:
 *
 * <ul>
 *   <li>{@code "status": "error"} (or any answer that is not Prometheus's JSON): ERROR, with Prometheus's
 *       {@code errorType} and {@code error} (or the HTTP status and the start of the body);</li>
 *   <li>{@code resultType: vector} with one sample: its value; no sample: NO_DATA; several samples:
 *       ERROR naming the count (aggregate the query, e.g. with {@code sum} or {@code max}, to one series);</li>
 *   <li>{@code resultType: scalar}: its value;</li>
 *   <li>any other result type ({@code matrix}, {@code string}): ERROR;</li>
 *   <li>a value of {@code NaN} (as {@code 0/0} gives when there are no requests): NO_DATA;
 *       {@code +Inf} and {@code -Inf} are compared as they are.</li>
 * </ul>
 */
public final class PrometheusMeasurer implements Measurer {

    /** Time an answer may take when none is given. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final int BODY_EXCERPT = 200;

    private final HttpClient http;
    private final Duration timeout;
    private final ObjectMapper json = new ObjectMapper();

    /** A measurer whose queries may take {@link #DEFAULT_TIMEOUT}. */
    public PrometheusMeasurer(HttpClient http) {
        this(http, DEFAULT_TIMEOUT);
    }

    /** @param timeout time the query may take, connection included */
    public PrometheusMeasurer(HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    @Override
    public Measurement measure(AnalysisCheck check, AnalysisSpec spec, AnalysisTarget target, Instant startedAt) {
        PrometheusCheck p = check.prometheus();
        Threshold threshold = Checks.threshold(check);
        if (p == null || p.query() == null) return error(check, startedAt, threshold, "the check has no prometheus.query");
        String query = query(p.query(), target);
        String address = p.address() != null ? p.address() : spec == null ? null : spec.prometheusAddress();
        if (address == null || address.isBlank()) {
            return error(check, startedAt, threshold, "no Prometheus address: set prometheus.address or analysis.prometheusAddress");
        }
        String url = address.replaceAll("/+$", "") + "/api/v1/query?query="
                + URLEncoder.encode(query, StandardCharsets.UTF_8).replace("+", "%20"); // a literal + is %2B already
        HttpResponse<String> response;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).header("Accept", "application/json")
                    .GET().build();
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException | IllegalArgumentException e) {
            return error(check, startedAt, threshold, Checks.describe(e) + " querying " + address + " for " + query);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error(check, startedAt, threshold, "interrupted querying " + address);
        }
        return answer(check, startedAt, threshold, query, response.statusCode(), response.body());
    }

    /** The query with {@code {{service}}} and {@code {{revision}}} replaced. */
    static String query(String template, AnalysisTarget target) {
        return template.replace("{{service}}", nullToEmpty(target.service())).replace("{{revision}}", nullToEmpty(target.revision()));
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private Measurement answer(AnalysisCheck check, Instant at, Threshold threshold, String query, int status, String body) {
        JsonNode root;
        try {
            root = json.readTree(body == null ? "" : body);
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject() || !root.hasNonNull("status")) {
            return error(check, at, threshold, "HTTP " + status + " from Prometheus, not its JSON answer: " + excerpt(body));
        }
        if (!"success".equals(root.get("status").asText())) {
            String type = root.path("errorType").asText("");
            return error(check, at, threshold, "Prometheus " + (type.isEmpty() ? "error" : type) + " (HTTP " + status + "): "
                    + root.path("error").asText("no message") + "; query: " + query);
        }
        JsonNode data = root.path("data");
        String type = data.path("resultType").asText("");
        JsonNode result = data.path("result");
        JsonNode sample;
        if (type.equals("vector")) {
            if (!result.isArray()) return error(check, at, threshold, "Prometheus answered a vector without a result list");
            if (result.isEmpty()) return measurement(check, at, null, threshold, "no series; query: " + query);
            if (result.size() > 1) {
                return error(check, at, threshold, "the query returned " + result.size() + " series, not one (aggregate it, "
                        + "e.g. with sum or max); query: " + query);
            }
            sample = result.get(0).path("value");
        } else if (type.equals("scalar")) {
            sample = result;
        } else {
            return error(check, at, threshold, "the query returned a " + (type.isEmpty() ? "result of no type" : type)
                    + ", not a vector or scalar; query: " + query);
        }
        if (!sample.isArray() || sample.size() != 2) {
            return error(check, at, threshold, "Prometheus answered a sample that is not [time, value]: " + excerpt(sample.toString()));
        }
        Double value = value(sample.get(1).asText());
        if (value == null) {
            return error(check, at, threshold, "Prometheus answered a value that is not a number: " + excerpt(sample.get(1).toString()));
        }
        if (value.isNaN()) return measurement(check, at, null, threshold, "NaN; query: " + query);
        return measurement(check, at, value, threshold, Threshold.display(value) + "; query: " + query);
    }

    /** A sample value as Prometheus writes it ({@code 0.5}, {@code NaN}, {@code +Inf}, {@code -Inf}); null if none. */
    static Double value(String text) {
        if (text == null) return null;
        switch (text) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
            case "Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    return null;
                }
        }
    }

    private static String excerpt(String body) {
        if (body == null || body.isBlank()) return "(empty)";
        String flat = body.replaceAll("\\s+", " ").trim();
        return flat.length() <= BODY_EXCERPT ? flat : flat.substring(0, BODY_EXCERPT) + "…";
    }

    private static Measurement measurement(AnalysisCheck check, Instant at, Double value, Threshold threshold, String detail) {
        return new Measurement(check.name(), Checks.PROMETHEUS, at, value, threshold.text(), threshold.verdict(value),
                Checks.detail(detail));
    }

    private static Measurement error(AnalysisCheck check, Instant at, Threshold threshold, String detail) {
        return new Measurement(check.name(), Checks.PROMETHEUS, at, null, threshold.text(), Verdict.ERROR, Checks.detail(detail));
    }
}

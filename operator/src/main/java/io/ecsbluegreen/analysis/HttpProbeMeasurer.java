package io.ecsbluegreen.analysis;

import io.ecsbluegreen.observed.Measurement;
import io.ecsbluegreen.plan.AnalysisTarget;
import io.ecsbluegreen.observed.Measurement.Verdict;
import io.ecsbluegreen.hooks.EndpointHttp;
import io.ecsbluegreen.hooks.EndpointResolver;
import io.ecsbluegreen.hooks.HookRunner;
import io.ecsbluegreen.model.AnalysisCheck;
import io.ecsbluegreen.model.AnalysisSpec;
import io.ecsbluegreen.model.HttpProbeCheck;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import javax.net.ssl.SSLException;

/**
 * {@code httpProbe} checks: {@code requests} GETs, one after the other, each with the check's
 * {@code timeout}; the value is the share answered with an expected status (any 2xx when
 * {@code expectStatus} is empty), which passes when at least {@code successRate}.
 *
 * <p>{@code {testEndpoint}} and {@code {productionEndpoint}} are replaced by the listener's base URL; for
 * a listener rule matching a host header, or a listener with a {@code serverName}, that {@code Host} is
 * sent (the JVM must allow it: {@code -Djdk.httpclient.allowRestrictedHeaders=host}); to an HTTPS
 * listener, TLS sends that host as SNI and verifies the certificate against it (see
 * {@link io.ecsbluegreen.hooks.ListenerHttps}), and a certificate that fails is a failed request whose
 * reason says why. A measurement lasts at most the check's
 * interval: requests not sent by then are left out of the rate, and the detail says how many.
 */
public final class HttpProbeMeasurer implements Measurer {

    static final double DEFAULT_SUCCESS_RATE = 0.99;
    static final int DEFAULT_REQUESTS = 10;
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final EndpointHttp http;
    private final EndpointResolver endpoints;

    public HttpProbeMeasurer(HttpClient http, EndpointResolver endpoints) {
        this.http = new EndpointHttp(http);
        this.endpoints = endpoints;
    }

    @Override
    public Measurement measure(AnalysisCheck check, AnalysisSpec spec, AnalysisTarget target, Instant startedAt) {
        HttpProbeCheck p = check.httpProbe();
        Threshold threshold = Checks.threshold(check);
        if (p == null || p.url() == null) return error(check, startedAt, threshold, "the check has no httpProbe.url");
        int requests = p.requests() == null ? DEFAULT_REQUESTS : Math.max(1, p.requests());
        Duration timeout = p.timeout() == null ? DEFAULT_TIMEOUT : p.timeout();
        Duration budget = Checks.interval(check, spec);
        EndpointResolver.Request expanded;
        try {
            expanded = endpoints.expand(p.url(), target.testArn(), target.productionArn(), target.serverNames());
        } catch (IllegalArgumentException e) {
            return error(check, startedAt, threshold, e.getMessage());
        } catch (RuntimeException e) {
            return error(check, startedAt, threshold, "cannot resolve " + p.url() + ": " + Checks.describe(e));
        }
        String url = expanded.url();
        String host = expanded.host();
        try {
            URI.create(url);
        } catch (IllegalArgumentException e) {
            return error(check, startedAt, threshold, "cannot resolve " + p.url() + ": " + Checks.describe(e));
        }
        List<Integer> expected = p.expectStatus() == null ? List.of() : p.expectStatus();
        long deadline = System.nanoTime() + budget.toNanos();
        int sent = 0;
        int succeeded = 0;
        Map<String, Integer> failures = new LinkedHashMap<>();
        for (int i = 0; i < requests; i++) {
            if (i > 0 && System.nanoTime() - deadline >= 0) break;
            sent++;
            try {
                int status = http.send(expanded, "GET", Map.of(), null, timeout, false).status();
                if (expected.isEmpty() ? status / 100 == 2 : expected.contains(status)) {
                    succeeded++;
                } else {
                    failures.merge("HTTP " + status, 1, Integer::sum);
                }
            } catch (HttpTimeoutException e) {
                failures.merge("no answer within " + Checks.duration(timeout), 1, Integer::sum);
            } catch (SSLException e) {
                // an untrusted certificate, or one for another name: the reason is the fix
                failures.merge(e.getClass().getSimpleName() + ": " + e.getMessage(), 1, Integer::sum);
            } catch (IOException e) {
                failures.merge(e.getClass().getSimpleName(), 1, Integer::sum);
            } catch (IllegalArgumentException e) {
                // the JDK's client refuses a Host header unless the JVM allows it (Main does)
                return error(check, startedAt, threshold, "cannot send the request to " + url + ": " + e.getMessage()
                        + " (start the JVM with -D" + HookRunner.RESTRICTED_HEADERS + "=host)");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return error(check, startedAt, threshold, "interrupted after " + sent + " request(s) to " + url);
            }
        }
        double rate = succeeded / (double) sent;
        StringBuilder detail = new StringBuilder().append(succeeded).append(" of ").append(sent).append(" GET ").append(url);
        if (host != null) detail.append(" (Host ").append(host).append(')');
        detail.append(" answered ").append(expected.isEmpty() ? "2xx" : expected.toString());
        if (!failures.isEmpty()) {
            StringJoiner others = new StringJoiner(", ", "; ", "");
            failures.forEach((reason, count) -> others.add(reason + " ×" + count));
            detail.append(others);
        }
        if (sent < requests) {
            detail.append("; ").append(requests - sent).append(" not sent within the ").append(Checks.duration(budget)).append(" interval");
        }
        return new Measurement(check.name(), Checks.HTTP_PROBE, startedAt, rate, threshold.text(), threshold.verdict(rate),
                Checks.detail(detail.toString()));
    }

    private static Measurement error(AnalysisCheck check, Instant at, Threshold threshold, String detail) {
        return new Measurement(check.name(), Checks.HTTP_PROBE, at, null, threshold.text(), Verdict.ERROR, Checks.detail(detail));
    }
}

package io.ecsbluegreen.analysis;

import io.ecsbluegreen.observed.Measurement;
import io.ecsbluegreen.plan.AnalysisTarget;
import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.analysis.LocalHttpServer.Answer;
import io.ecsbluegreen.observed.Measurement.Verdict;
import io.ecsbluegreen.hooks.EndpointResolver;
import io.ecsbluegreen.model.AnalysisCheck;
import io.ecsbluegreen.model.AnalysisSpec;
import io.ecsbluegreen.model.HttpProbeCheck;
import io.ecsbluegreen.model.NoDataPolicy;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP probe against a real local server. */
class HttpProbeMeasurerTest {

    private static final Instant AT = Instant.parse("2025-06-01T12:00:00Z");
    private static final String PRODUCTION = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/demo/5f2b3c4d5e6f7a8b/1a2b3c4d5e6f7081/00000000000000c1";
    private static final String TEST = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/demo/5f2b3c4d5e6f7a8b/9a8b7c6d5e4f3021";

    private LocalHttpServer server;
    private final AtomicInteger served = new AtomicInteger();
    private HttpProbeMeasurer probe;

    @BeforeEach
    void start() throws IOException {
        server = new LocalHttpServer(r -> Answer.of(200, "ok"));
        // the production rule matches orders.example.com; the test listener has no host condition
        EndpointResolver endpoints = arn -> arn.equals(PRODUCTION) ? new EndpointResolver.Endpoint(server.url(), "orders.example.com")
                : new EndpointResolver.Endpoint(server.url(), null);
        probe = new HttpProbeMeasurer(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build(), endpoints);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static AnalysisCheck check(String url, List<Integer> expect, Double successRate, int requests, Duration timeout) {
        return new AnalysisCheck("probe", null, 1, NoDataPolicy.FAIL, null, null,
                new HttpProbeCheck(url, expect, successRate, requests, timeout));
    }

    private Measurement measure(AnalysisCheck check, String testArn) {
        AnalysisTarget target = new AnalysisTarget("orders", "rev-1", "us-east-1", "ts", "tg", PRODUCTION, testArn);
        return probe.measure(check, new AnalysisSpec(Duration.ofMinutes(1), null, List.of(check)), target, AT);
    }

    @Test
    void everyRequestAnswered2xxIsASuccessRateOfOne() {
        Measurement m = measure(check("{testEndpoint}/health", List.of(), 0.99, 10, Duration.ofSeconds(5)), TEST);

        assertThat(m.verdict()).isEqualTo(Verdict.PASSED);
        assertThat(m.value()).isEqualTo(1.0);
        assertThat(m.threshold()).isEqualTo(">= 0.99");
        assertThat(m.kind()).isEqualTo("httpProbe");
        assertThat(m.at()).isEqualTo(AT);
        assertThat(m.detail()).isEqualTo("10 of 10 GET " + server.url() + "/health answered 2xx");
        assertThat(server.requests()).hasSize(10).allSatisfy(r -> assertThat(r.path()).isEqualTo("/health"));
    }

    @Test
    void theSuccessRateIsTheShareOfExpectedAnswersAndFailsBelowTheThreshold() {
        server.answer(r -> Answer.of(served.incrementAndGet() % 4 == 0 ? 500 : 200, "x"));

        Measurement strict = measure(check("{productionEndpoint}/", List.of(), 0.99, 8, Duration.ofSeconds(5)), null);
        Measurement lenient = measure(check("{productionEndpoint}/", List.of(), 0.7, 8, Duration.ofSeconds(5)), null);

        assertThat(strict.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(strict.value()).isEqualTo(0.75);
        assertThat(strict.detail()).endsWith("answered 2xx; HTTP 500 ×2");
        assertThat(lenient.verdict()).isEqualTo(Verdict.PASSED);
        assertThat(lenient.value()).isEqualTo(0.75);
    }

    @Test
    void expectedStatusesReplaceAny2xx() {
        server.answer(r -> Answer.of(r.path().equals("/gone") ? 404 : 200, "x"));

        Measurement m = measure(check(server.url() + "/gone", List.of(404), 1.0, 3, Duration.ofSeconds(5)), null);
        Measurement ok = measure(check(server.url() + "/here", List.of(404), 1.0, 3, Duration.ofSeconds(5)), null);

        assertThat(m.verdict()).isEqualTo(Verdict.PASSED);
        assertThat(m.detail()).contains("answered [404]");
        assertThat(ok.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(ok.value()).isEqualTo(0.0);
        assertThat(ok.detail()).endsWith("HTTP 200 ×3");
    }

    @Test
    void aListenerRulesHostIsSentWithEveryRequest() {
        Measurement m = measure(check("{productionEndpoint}/orders", List.of(), 0.99, 3, Duration.ofSeconds(5)), TEST);

        assertThat(m.verdict()).isEqualTo(Verdict.PASSED);
        assertThat(m.detail()).contains("(Host orders.example.com)");
        assertThat(server.requests()).hasSize(3).allSatisfy(r -> assertThat(r.host()).isEqualTo("orders.example.com"));
    }

    @Test
    void aRequestWithoutAnAnswerWithinTheTimeoutFails() {
        server.answer(r -> new Answer(200, "late", 1_000));

        Measurement m = measure(check(server.url() + "/slow", List.of(), 0.5, 2, Duration.ofMillis(150)), null);

        // the answers (200s) come 1 s late: failed requests naming the timeout show the probe did not wait
        // for them, without a stopwatch that a loaded machine would break
        assertThat(m.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(m.value()).isEqualTo(0.0);
        assertThat(m.detail()).endsWith("no answer within 150 ms ×2");
    }

    @Test
    void aMeasurementStopsSendingWhenTheIntervalRunsOut() {
        server.answer(r -> new Answer(200, "slowish", 150));
        AnalysisCheck check = new AnalysisCheck("probe", Duration.ofMillis(400), 1, NoDataPolicy.FAIL, null, null,
                new HttpProbeCheck(server.url() + "/", List.of(), 0.99, 50, Duration.ofSeconds(5)));

        Measurement m = probe.measure(check, new AnalysisSpec(null, null, List.of(check)),
                new AnalysisTarget("orders", "rev-1", "us-east-1", "ts", "tg", PRODUCTION, null), AT);

        // 50 requests of 150 ms each would take 7.5 s: the detail says the rest were not sent
        assertThat(m.verdict()).isEqualTo(Verdict.PASSED);
        assertThat(server.requests().size()).isBetween(1, 10);
        assertThat(m.detail()).contains("not sent within the 400 ms interval");
    }

    @Test
    void anUnreachableEndpointFailsEveryRequest() throws IOException {
        String nowhere = "http://127.0.0.1:" + LocalHttpServer.closedPort();

        Measurement m = measure(check(nowhere + "/", List.of(), 0.99, 2, Duration.ofSeconds(2)), null);

        assertThat(m.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(m.value()).isEqualTo(0.0);
        assertThat(m.detail()).endsWith("ConnectException ×2");
    }

    @Test
    void theTestEndpointWithoutATestListenerIsAnError() {
        Measurement m = measure(check("{testEndpoint}/health", List.of(), 0.99, 2, Duration.ofSeconds(2)), null);

        assertThat(m.verdict()).isEqualTo(Verdict.ERROR);
        assertThat(m.value()).isNull();
        assertThat(m.detail()).isEqualTo("{testEndpoint} used but the service has no test listener");
        assertThat(server.requests()).isEmpty();
    }
}

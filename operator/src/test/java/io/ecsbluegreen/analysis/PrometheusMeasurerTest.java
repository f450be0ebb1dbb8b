package io.ecsbluegreen.analysis;

import io.ecsbluegreen.observed.Measurement;
import io.ecsbluegreen.plan.AnalysisTarget;
import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.analysis.LocalHttpServer.Answer;
import io.ecsbluegreen.observed.Measurement.Verdict;
import io.ecsbluegreen.model.AnalysisCheck;
import io.ecsbluegreen.model.AnalysisSpec;
import io.ecsbluegreen.model.NoDataPolicy;
import io.ecsbluegreen.model.PrometheusCheck;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Prometheus measurer against a real local server answering as Prometheus's /api/v1/query does. */
class PrometheusMeasurerTest {

    private static final Instant AT = Instant.parse("2025-06-01T12:00:00Z");
    private static final AnalysisTarget TARGET = new AnalysisTarget("orders", "rev-7", "us-east-1", "ts", "tg", "rule", null);
    private static final String QUERY = "sum(rate(http_requests_total{service=\"{{service}}\",revision=\"{{revision}}\",code=~\"5..\"}[1m]))"
            + " / sum(rate(http_requests_total{service=\"{{service}}\"}[1m]))";

    private LocalHttpServer prometheus;
    private final PrometheusMeasurer measurer = new PrometheusMeasurer(
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build(), Duration.ofSeconds(5));

    @BeforeEach
    void start() throws IOException {
        prometheus = new LocalHttpServer(r -> Answer.of(200, vector("0.002")));
    }

    @AfterEach
    void stop() {
        prometheus.close();
    }

    private static String vector(String... values) {
        StringBuilder result = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) result.append(',');
            result.append("{\"metric\":{\"pod\":\"p").append(i).append("\"},\"value\":[1748779200.123,\"").append(values[i]).append("\"]}");
        }
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + result + "]}}";
    }

    private static AnalysisCheck check(Double min, Double max, String address) {
        return new AnalysisCheck("errors", null, 1, NoDataPolicy.FAIL, null, new PrometheusCheck(QUERY, max, min, address), null);
    }

    private Measurement measure(AnalysisCheck check) {
        return measurer.measure(check, new AnalysisSpec(Duration.ofMinutes(1), prometheus.url(), List.of(check)), TARGET, AT);
    }

    @Test
    void aVectorWithOneSampleIsItsValueComparedWithTheThreshold() {
        Measurement passed = measure(check(null, 0.01, null));
        Measurement failed = measure(check(0.005, 1.0, null));

        assertThat(passed.verdict()).isEqualTo(Verdict.PASSED);
        assertThat(passed.value()).isEqualTo(0.002);
        assertThat(passed.threshold()).isEqualTo("<= 0.01");
        assertThat(passed.kind()).isEqualTo("prometheus");
        assertThat(passed.at()).isEqualTo(AT);
        assertThat(failed.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(failed.threshold()).isEqualTo("0.005..1");
        assertThat(failed.detail()).startsWith("0.002; query: sum(rate(http_requests_total{service=\"orders\"");
    }

    @Test
    void theQueryIsSentUrlEncodedWithServiceAndRevisionReplaced() {
        measure(check(null, 0.01, null));

        LocalHttpServer.Request request = prometheus.requests().get(0);
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo("/api/v1/query");
        assertThat(request.query()).isEqualTo("query=" + QUERY.replace("{{service}}", "orders").replace("{{revision}}", "rev-7"));
        assertThat(request.rawQuery()).doesNotContain("{", "\"", " ").contains("%7Bservice%3D%22orders%22");
    }

    @Test
    void theChecksOwnAddressWinsOverTheSpecsAndATrailingSlashIsDropped() throws IOException {
        try (LocalHttpServer other = new LocalHttpServer(r -> Answer.of(200, vector("5")))) {
            Measurement m = measure(check(null, 1.0, other.url() + "/"));

            assertThat(m.value()).isEqualTo(5.0);
            assertThat(other.requests()).extracting(LocalHttpServer.Request::path).containsExactly("/api/v1/query");
            assertThat(prometheus.requests()).isEmpty();
        }
    }

    @Test
    void aScalarResultIsItsValue() {
        prometheus.answer(r -> Answer.of(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1748779200,\"150\"]}}"));

        Measurement m = measure(check(100.0, null, null));

        assertThat(m.verdict()).isEqualTo(Verdict.PASSED);
        assertThat(m.value()).isEqualTo(150.0);
        assertThat(m.threshold()).isEqualTo(">= 100");
    }

    @Test
    void anEmptyVectorAndANaNAreNoData() {
        prometheus.answer(r -> Answer.of(200, vector()));
        Measurement empty = measure(check(null, 0.01, null));
        prometheus.answer(r -> Answer.of(200, vector("NaN")));
        Measurement nan = measure(check(null, 0.01, null));

        assertThat(empty.verdict()).isEqualTo(Verdict.NO_DATA);
        assertThat(empty.value()).isNull();
        assertThat(empty.detail()).startsWith("no series; query: ");
        assertThat(nan.verdict()).isEqualTo(Verdict.NO_DATA);
        assertThat(nan.detail()).startsWith("NaN; query: ");
    }

    @Test
    void infinityIsComparedAsItIs() {
        prometheus.answer(r -> Answer.of(200, vector("+Inf")));

        Measurement m = measure(check(null, 0.01, null));

        assertThat(m.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(m.value()).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void severalSeriesAreAnErrorNamingTheCount() {
        prometheus.answer(r -> Answer.of(200, vector("0.1", "0.2", "0.3")));

        Measurement m = measure(check(null, 0.01, null));

        assertThat(m.verdict()).isEqualTo(Verdict.ERROR);
        assertThat(m.value()).isNull();
        assertThat(m.detail()).startsWith("the query returned 3 series, not one");
    }

    @Test
    void aMatrixIsAnError() {
        prometheus.answer(r -> Answer.of(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}"));

        assertThat(measure(check(null, 0.01, null)).detail()).startsWith("the query returned a matrix, not a vector or scalar");
    }

    @Test
    void aPrometheusErrorIsAnErrorWithPrometheussMessage() {
        prometheus.answer(r -> Answer.of(400, "{\"status\":\"error\",\"errorType\":\"bad_data\","
                + "\"error\":\"invalid parameter \\\"query\\\": 1:5: parse error: unexpected \\\"}\\\"\"}"));

        Measurement m = measure(check(null, 0.01, null));

        assertThat(m.verdict()).isEqualTo(Verdict.ERROR);
        assertThat(m.detail()).startsWith("Prometheus bad_data (HTTP 400): invalid parameter \"query\": 1:5: parse error");
        assertThat(m.threshold()).isEqualTo("<= 0.01");
    }

    @Test
    void anAnswerThatIsNotPrometheussJsonIsAnErrorWithItsStatus() {
        prometheus.answer(r -> Answer.of(502, "<html>Bad Gateway</html>"));

        Measurement m = measure(check(null, 0.01, null));

        assertThat(m.verdict()).isEqualTo(Verdict.ERROR);
        assertThat(m.detail()).isEqualTo("HTTP 502 from Prometheus, not its JSON answer: <html>Bad Gateway</html>");
    }

    @Test
    void anUnreachablePrometheusIsAnError() throws IOException {
        String nowhere = "http://127.0.0.1:" + LocalHttpServer.closedPort();

        Measurement m = measure(check(null, 0.01, nowhere));

        assertThat(m.verdict()).isEqualTo(Verdict.ERROR);
        assertThat(m.detail()).startsWith("ConnectException").contains("querying " + nowhere);
    }

    @Test
    void aSlowPrometheusIsAnErrorAfterTheTimeout() {
        PrometheusMeasurer impatient = new PrometheusMeasurer(HttpClient.newHttpClient(), Duration.ofMillis(200));
        prometheus.answer(r -> new Answer(200, vector("0.1"), 2_000));
        AnalysisCheck check = check(null, 0.01, null);

        Measurement m = impatient.measure(check, new AnalysisSpec(null, prometheus.url(), List.of(check)), TARGET, AT);

        // the answer (a passing value) comes 2 s late: an error naming the timeout shows the call did not
        // wait for it, without a stopwatch that a loaded machine would break
        assertThat(m.verdict()).isEqualTo(Verdict.ERROR);
        assertThat(m.detail()).startsWith("HttpTimeoutException");
    }

    @Test
    void withoutAnAddressTheCheckIsAnError() {
        AnalysisCheck check = check(null, 0.01, null);

        Measurement m = measurer.measure(check, new AnalysisSpec(null, null, List.of(check)), TARGET, AT);

        assertThat(m.verdict()).isEqualTo(Verdict.ERROR);
        assertThat(m.detail()).startsWith("no Prometheus address");
    }
}

package io.ecsbluegreen.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecsbluegreen.act.SdkEndpoints;
import io.ecsbluegreen.analysis.Measurement.Verdict;
import io.ecsbluegreen.model.AnalysisCheck;
import io.ecsbluegreen.model.AnalysisSpec;
import io.ecsbluegreen.model.NoDataPolicy;
import io.ecsbluegreen.model.TargetGroupMetric;
import io.ecsbluegreen.model.TargetGroupMetricCheck;
import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.SimulatorConfig;
import io.ecsbluegreen.sim.seed.SeedApplier;
import io.ecsbluegreen.sim.seed.SeedLoader;
import io.ecsbluegreen.sim.spi.ImageBehaviour;
import io.ecsbluegreen.sim.spi.SimTask;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;

/**
 * Defect 12 (analysis windows) on the code before the fix (e849a3c), on the strict simulator: the old-API
 * version of main's {@code MeasurersOnSimulatorTest} cases for the window (same seed, same instants, same
 * traffic through the demo ALB's production rule to green, read back with GetMetricData over HTTP).
 *
 * <p>The old measurer cannot be told when the step began ({@code AnalysisTarget} has no step start; the
 * old {@code AnalysisRunner} measures a check at once on the pass that starts the step, then every
 * interval). So the step's start is where the old runner (or the direct call) measures, and the assertions
 * are on what CloudWatch data the measurement counted: the fixed measurer counts only whole minutes inside
 * the step that are a metric delay (1 min) old, and gives no verdict (PENDING, never counted) before one
 * exists. Each test here states the fixed behaviour, so each is expected to FAIL on the old code.
 */
class AnalysisWindowsBeforeFixTest {

    private static final Instant START = Instant.parse("2025-06-01T12:00:20Z");
    private static final String ARN = "arn:aws:elasticloadbalancing:us-east-1:000000000000:";
    private static final String GREEN = ARN + "targetgroup/orders-green/0c00000000000002";
    private static final String PRODUCTION_RULE = ARN + "listener-rule/app/demo/5f2b3c4d5e6f7a8b/1a2b3c4d5e6f7081/00000000000000c1";
    private static final String TEST_RULE = ARN + "listener-rule/app/demo/5f2b3c4d5e6f7a8b/9a8b7c6d5e4f3021/00000000000000c2";
    private static final AnalysisTarget TARGET = new AnalysisTarget("orders", "rev-1", "us-east-1",
            "arn:aws:ecs:us-east-1:000000000000:task-set/demo/orders/ecs-svc/2222", GREEN, PRODUCTION_RULE, TEST_RULE);
    private static final ClientOverrideConfiguration NO_RETRIES = ClientOverrideConfiguration.builder()
            .retryStrategy(AwsRetryStrategy.doNotRetry()).build();

    private AwsSimulator sim;
    private ElasticLoadBalancingV2Client elb;
    private CloudWatchClient cloudWatch;
    private TargetGroupMetricMeasurer measurer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeEach
    void start() throws IOException {
        sim = AwsSimulator.start(SimulatorConfig.defaults().withClockStart(START));
        SeedApplier.apply(SeedLoader.load("seed", Files.readAllBytes(Path.of("examples/simulator/seed.yaml"))).seed(), sim);
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"));
        elb = ElasticLoadBalancingV2Client.builder().endpointOverride(sim.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).overrideConfiguration(NO_RETRIES).build();
        cloudWatch = CloudWatchClient.builder().endpointOverride(sim.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).overrideConfiguration(NO_RETRIES).build();
        measurer = new TargetGroupMetricMeasurer(new SdkMetricsPort(region -> cloudWatch));
        // both orders rules forward to green, as after a full shift
        for (String rule : List.of(PRODUCTION_RULE, TEST_RULE)) {
            elb.modifyRule(b -> b.ruleArn(rule).actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(GREEN)));
        }
    }

    @AfterEach
    void stop() {
        elb.close();
        cloudWatch.close();
        sim.close();
    }

    /** Green tasks behaving so, healthy after ALB's first checks (the clock then reads 12:02:50). */
    private void green(ImageBehaviour behaviour) {
        for (int i = 1; i <= 2; i++) {
            sim.elb().register(GREEN, new SimTask("arn:aws:ecs:us-east-1:000000000000:task/demo/green" + i, "ecs-svc/2222",
                    "10.0.2.1" + i, "ghcr.io/ecsbluegreen/orders:2.0.0", Map.of(), sim.clock().instant(), behaviour), 8080);
        }
        sim.clock().advance(Duration.ofSeconds(150));
    }

    /** Sends {@code count} requests to the production listener with the rule's Host; returns how many answered 500. */
    private int traffic(int count) throws IOException, InterruptedException {
        String base = new SdkEndpoints(elb).baseUrl(PRODUCTION_RULE);
        int errors = 0;
        for (int i = 0; i < count; i++) {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(base + "/orders"))
                    .header("Host", "orders.example.com").timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(response.headers().firstValue("X-Sim-Target-Group")).hasValue("orders-green");
            if (response.statusCode() == 500) errors++;
        }
        return errors;
    }

    private static AnalysisCheck errorRate(Duration interval, NoDataPolicy noData) {
        return new AnalysisCheck("tg-errorrate", interval, 1, noData,
                new TargetGroupMetricCheck(TargetGroupMetric.ERROR_RATE, 0.01, null), null, null);
    }

    /** The old measurer's call: the measurement's start is all it knows of time. */
    private Measurement errorRateAt(Instant at, Duration interval) {
        AnalysisCheck check = errorRate(interval, NoDataPolicy.FAIL);
        return measurer.measure(check, new AnalysisSpec(Duration.ofMinutes(1), null, List.of(check)), TARGET, at);
    }

    /** Main: {@code theWindowIsTheLatestIntervalOfWholeMinutesInsideTheStepThatAreAMetricDelayOld} (its step-free part). */
    @Test
    void theWindowIsTheLatestIntervalOfWholeMinutesThatAreAMetricDelayOld() {
        Instant now = Instant.parse("2025-06-01T12:05:20Z");

        assertThat(TargetGroupMetricMeasurer.Window.of(Duration.ofMinutes(1), now))
                .as("a 1m window measured at 12:05:20 is the whole minute 12:03-12:04 (a minute old), not the current partial one")
                .isEqualTo(new TargetGroupMetricMeasurer.Window(Instant.parse("2025-06-01T12:03:00Z"), Instant.parse("2025-06-01T12:04:00Z"), 60));
        assertThat(TargetGroupMetricMeasurer.Window.of(Duration.ofSeconds(90), now)).isEqualTo(
                new TargetGroupMetricMeasurer.Window(Instant.parse("2025-06-01T12:02:00Z"), Instant.parse("2025-06-01T12:04:00Z"), 120));
    }

    /** Main: {@code dataOnlyInAPartialMinuteOrNotYetAMinuteOldGivesNoVerdict}. */
    @Test
    void dataOnlyInAPartialMinuteOrNotYetAMinuteOldGivesNoVerdict() throws Exception {
        green(ImageBehaviour.erroring(1.0));
        Instant step = sim.clock().instant(); // 12:02:50
        traffic(10);

        Measurement partial = errorRateAt(step.plusSeconds(5), Duration.ofMinutes(1));

        assertThat(partial.verdict()).as("a verdict from 5 s of a partial minute (detail: %s)", partial.detail())
                .isNotIn(Verdict.PASSED, Verdict.FAILED);
        assertThat(partial.value()).as("datapoints counted from a partial minute").isNull();
    }

    /** Main: {@code dataFromBeforeTheStepBeganIsNotCounted} (same traffic, same instant, same 3m interval). */
    @Test
    void dataFromBeforeTheStepBeganIsNotCounted() throws Exception {
        green(ImageBehaviour.erroring(1.0));
        traffic(10); // 12:02:50, all errors, a second before the step
        // the step begins at 12:02:51; nothing is sent to green during it

        Measurement m = errorRateAt(Instant.parse("2025-06-01T12:05:00Z"), Duration.ofMinutes(3));

        assertThat(m.verdict()).as("the requests of 12:02:50, before the step, counted (detail: %s)", m.detail())
                .isEqualTo(Verdict.NO_DATA);
        assertThat(m.detail()).contains("over 12:03:00–12:04:00Z");
    }

    /**
     * The old runner on the old measurer, as the old planner drives it: the pass that starts a step asks
     * for the check at once, so the window is the minute before the step and the step's first seconds.
     * The requests sent just before the step (all errors) are counted against green's step.
     */
    @Test
    void theRunnersFirstMeasurementOfAStepCountsNoRequestFromBeforeIt() throws Exception {
        green(ImageBehaviour.erroring(1.0));
        traffic(10); // 12:02:50, before the step
        sim.clock().advance(Duration.ofSeconds(1)); // 12:02:51: the step begins, the planner asks for the check
        List<Measurement> measured = new CopyOnWriteArrayList<>();
        AnalysisCheck check = errorRate(Duration.ofMinutes(1), NoDataPolicy.FAIL);
        try (AnalysisRunner runner = new AnalysisRunner(measurer, null, null, sim.clock(),
                (service, m) -> measured.add(m), service -> { }, 1)) {
            runner.measureDue(TARGET, new AnalysisSpec(Duration.ofMinutes(1), null, List.of(check)));
            await().atMost(Duration.ofSeconds(30)).until(() -> measured.size() == 1);
            CheckState state = runner.states("orders").get(TARGET.key()).get("tg-errorrate");

            assertThat(measured.get(0).value()).as("error rate counted at the step's start (detail: %s)", measured.get(0).detail())
                    .isNull();
            assertThat(state.failures()).as("failures counted against the step from requests sent before it").isZero();
        }
    }

    /**
     * {@code noData: pass} with ALB's metric delay: the step starts, the old runner measures at once, the
     * window (the minute before and the current partial one) holds nothing of green yet, NO_DATA counts as a
     * pass; then green answers every request of the step's minute with a 500. When the step's 1m pause
     * ends, the old planner's condition to advance (a counted measurement taken since the step began, no
     * failure) already holds, on the strength of the empty window. The fix gives PENDING (never counted)
     * until a whole minute of the step is a minute old, and that minute is all errors.
     */
    @Test
    void anEmptyWindowAtTheStepsStartIsNotCountedAsAPassUnderNoDataPass() throws Exception {
        green(ImageBehaviour.erroring(1.0));
        Instant step = sim.clock().instant(); // 12:02:50
        List<Measurement> measured = new CopyOnWriteArrayList<>();
        AnalysisCheck check = errorRate(Duration.ofMinutes(1), NoDataPolicy.PASS);
        AnalysisSpec spec = new AnalysisSpec(Duration.ofMinutes(1), null, List.of(check));
        try (AnalysisRunner runner = new AnalysisRunner(measurer, null, null, sim.clock(),
                (service, m) -> measured.add(m), service -> { }, 1)) {
            runner.measureDue(TARGET, spec);
            await().atMost(Duration.ofSeconds(30)).until(() -> measured.size() == 1);
            int errors = traffic(20); // the step's traffic, all 500s
            sim.clock().advance(Duration.ofSeconds(60)); // 12:03:50: the step's pause is over
            CheckState state = runner.states("orders").get(TARGET.key()).get("tg-errorrate");

            assertThat(errors).isEqualTo(20);
            assertThat(state.lastCountedAt())
                    .as("a measurement counted (as a pass) for the step begun at %s: %s %s", step,
                            measured.get(0).verdict(), measured.get(0).detail())
                    .isNull();
        }
    }
}

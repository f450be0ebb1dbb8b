package io.ecsbluegreen.analysis;

import io.ecsbluegreen.observed.CheckState;
import io.ecsbluegreen.observed.Measurement;
import io.ecsbluegreen.plan.AnalysisTarget;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecsbluegreen.aws.SdkEndpoints;
import io.ecsbluegreen.observed.Measurement.Verdict;
import io.ecsbluegreen.model.AnalysisCheck;
import io.ecsbluegreen.model.AnalysisSpec;
import io.ecsbluegreen.model.HttpProbeCheck;
import io.ecsbluegreen.model.NoDataPolicy;
import io.ecsbluegreen.model.TargetGroupMetric;
import io.ecsbluegreen.model.TargetGroupMetricCheck;
import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.FaultRule;
import io.ecsbluegreen.sim.SimulatorConfig;
import io.ecsbluegreen.sim.ThrottleRule;
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
 * The CloudWatch measurer against the simulator, with real HTTP sent through the seeded demo ALB's
 * production listener rule for orders (examples/simulator/seed.yaml) to green tasks, so that the data
 * plane's traffic counters feed GetMetricData; and the HTTP probe through that rule.
 */
class MeasurersOnSimulatorTest {

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
    private final List<String> regions = new CopyOnWriteArrayList<>();
    private TargetGroupMetricMeasurer measurer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeEach
    void start() throws IOException {
        sim = AwsSimulator.start(SimulatorConfig.defaults().withClockStart(START));
        SeedApplier.apply(SeedLoader.load("seed", Files.readAllBytes(Path.of("../examples/simulator/seed.yaml"))).seed().withoutCommands().withoutEvents(), sim);
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"));
        elb = ElasticLoadBalancingV2Client.builder().endpointOverride(sim.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).overrideConfiguration(NO_RETRIES).build();
        cloudWatch = CloudWatchClient.builder().endpointOverride(sim.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).overrideConfiguration(NO_RETRIES).build();
        measurer = new TargetGroupMetricMeasurer(new SdkMetricsPort(region -> {
            regions.add(region);
            return cloudWatch;
        }));
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

    /** Green tasks behaving so, healthy after ALB's first checks. */
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

    private static AnalysisCheck metric(TargetGroupMetric metric, Double min, Double max) {
        return new AnalysisCheck("tg-" + metric.wire().toLowerCase(), Duration.ofMinutes(1), 1, NoDataPolicy.FAIL,
                new TargetGroupMetricCheck(metric, max, min), null, null);
    }

    /**
     * Measures as two minutes from now: the minute of the traffic just sent is then whole and a minute
     * old (the metric delay), so it is the window. The simulator's clock stays where it is.
     */
    private Measurement measure(AnalysisCheck check) {
        return measurer.measure(check, new AnalysisSpec(Duration.ofMinutes(1), null, List.of(check)), TARGET, later());
    }

    private Instant later() {
        return sim.clock().instant().plusSeconds(120);
    }

    @Test
    void aGreenAnsweringEveryRequestPassesAnErrorRateMaximum() throws Exception {
        green(ImageBehaviour.healthy());
        traffic(20);

        Measurement m = measure(metric(TargetGroupMetric.ERROR_RATE, null, 0.01));

        assertThat(m.verdict()).isEqualTo(Verdict.PASSED);
        assertThat(m.value()).isEqualTo(0.0);
        assertThat(m.threshold()).isEqualTo("<= 0.01");
        assertThat(m.kind()).isEqualTo("targetGroupMetric");
        assertThat(m.at()).isEqualTo(later());
        assertThat(m.detail()).contains("HTTPCode_Target_5XX_Count 0 / RequestCount 20", "targetgroup/orders-green/0c00000000000002");
        assertThat(regions).containsOnly("us-east-1");
    }

    @Test
    void aGreenAnsweringErrorsFailsAnErrorRateMaximumWithTheRateItServed() throws Exception {
        green(ImageBehaviour.erroring(0.5));
        int errors = traffic(40);

        Measurement m = measure(metric(TargetGroupMetric.ERROR_RATE, null, 0.01));

        assertThat(errors).isPositive();
        assertThat(m.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(m.value()).isEqualTo(errors / 40.0);
        assertThat(m.detail()).contains("HTTPCode_Target_5XX_Count " + errors + " / RequestCount 40");
    }

    @Test
    void latencyP99IsTheTargetResponseTimeOfGreensSlowAnswersInSeconds() throws Exception {
        green(ImageBehaviour.healthy().withLatency(Duration.ofMillis(120)));
        traffic(6);

        Measurement slow = measure(metric(TargetGroupMetric.LATENCY_P99, null, 0.05));
        Measurement fine = measure(metric(TargetGroupMetric.LATENCY_P99, null, 5.0));

        assertThat(slow.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(slow.value()).isBetween(0.12, 5.0);
        assertThat(slow.detail()).contains("TargetResponseTime p99", "RequestCount 6");
        assertThat(fine.verdict()).isEqualTo(Verdict.PASSED);
        assertThat(fine.threshold()).isEqualTo("<= 5");
    }

    @Test
    void aRequestCountFloorPassesWithEnoughTrafficAndFailsNamingTheCountWithout() throws Exception {
        green(ImageBehaviour.healthy());
        Measurement none = measure(metric(TargetGroupMetric.REQUEST_COUNT, 10.0, null));
        traffic(12);

        Measurement enough = measure(metric(TargetGroupMetric.REQUEST_COUNT, 10.0, null));
        Measurement tooFew = measure(metric(TargetGroupMetric.REQUEST_COUNT, 20.0, 100.0));

        assertThat(none.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(none.value()).isEqualTo(0.0);
        assertThat(enough.verdict()).isEqualTo(Verdict.PASSED);
        assertThat(enough.value()).isEqualTo(12.0);
        assertThat(enough.threshold()).isEqualTo(">= 10");
        assertThat(tooFew.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(tooFew.threshold()).isEqualTo("20..100");
        assertThat(tooFew.detail()).startsWith("RequestCount 12 of targetgroup/orders-green/");
    }

    @Test
    void withoutTrafficErrorRateAndLatencyHaveNoData() {
        green(ImageBehaviour.healthy());

        Measurement rate = measure(metric(TargetGroupMetric.ERROR_RATE, null, 0.01));
        Measurement latency = measure(metric(TargetGroupMetric.LATENCY_P99, null, 1.0));

        assertThat(rate.verdict()).isEqualTo(Verdict.NO_DATA);
        assertThat(rate.value()).isNull();
        assertThat(rate.detail()).startsWith("no RequestCount of targetgroup/orders-green/");
        assertThat(latency.verdict()).isEqualTo(Verdict.NO_DATA);
    }

    @Test
    void trafficOlderThanTheWindowIsNotMeasured() throws Exception {
        green(ImageBehaviour.erroring(1.0));
        traffic(5);
        sim.clock().advance(Duration.ofMinutes(3));

        assertThat(measure(metric(TargetGroupMetric.ERROR_RATE, null, 0.01)).verdict()).isEqualTo(Verdict.NO_DATA);
        // a 5-minute interval reaches back far enough
        AnalysisCheck longer = new AnalysisCheck("slow", Duration.ofMinutes(5), 1, NoDataPolicy.FAIL,
                new TargetGroupMetricCheck(TargetGroupMetric.ERROR_RATE, 0.01, null), null, null);
        Measurement m = measure(longer);
        assertThat(m.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(m.value()).isEqualTo(1.0);
    }

    @Test
    void aThrottledGetMetricDataIsAnErrorNamingCloudWatchsCode() throws Exception {
        green(ImageBehaviour.healthy());
        traffic(3);
        sim.throttling().set(ThrottleRule.of("get-metric-data", "monitoring:GetMetricData", 1, 0));

        Measurement first = measure(metric(TargetGroupMetric.REQUEST_COUNT, 1.0, null));
        Measurement throttled = measure(metric(TargetGroupMetric.REQUEST_COUNT, 1.0, null));

        assertThat(first.verdict()).isEqualTo(Verdict.PASSED);
        assertThat(throttled.verdict()).isEqualTo(Verdict.ERROR);
        assertThat(throttled.value()).isNull();
        assertThat(throttled.detail()).startsWith("CloudWatch GetMetricData failed: Throttling").contains("HTTP 400");
    }

    @Test
    void anInjectedCloudWatchFaultIsAnError() {
        sim.faults().add(FaultRule.errors("monitoring:GetMetricData", 1.0));

        Measurement m = measure(metric(TargetGroupMetric.ERROR_RATE, null, 0.01));

        assertThat(m.verdict()).isEqualTo(Verdict.ERROR);
        assertThat(m.detail()).startsWith("CloudWatch GetMetricData failed: ").contains("HTTP 500");
        assertThat(m.detail().length()).isLessThanOrEqualTo(Checks.DETAIL);
    }

    @Test
    void aTargetWhoseArnsAreNotElbArnsIsAnErrorWithoutACall() {
        AnalysisTarget odd = new AnalysisTarget("orders", "rev-1", "us-east-1", TARGET.greenTaskSetArn(), "orders-green",
                PRODUCTION_RULE, null);

        Measurement m = measurer.measure(metric(TargetGroupMetric.ERROR_RATE, null, 0.01),
                new AnalysisSpec(null, null, List.of()), odd, START);

        assertThat(m.verdict()).isEqualTo(Verdict.ERROR);
        assertThat(m.detail()).contains("not a target group ARN: orders-green");
        assertThat(regions).isEmpty();
    }

    @Test
    void anHttpProbeThroughTheTestListenerRuleSendsTheRulesHostAndReachesGreen() {
        green(ImageBehaviour.healthy());
        HttpProbeMeasurer probe = new HttpProbeMeasurer(http, new SdkEndpoints(elb));
        AnalysisCheck check = new AnalysisCheck("probe", null, 1, NoDataPolicy.FAIL, null, null,
                new HttpProbeCheck("{testEndpoint}/orders", List.of(), 0.99, 5, Duration.ofSeconds(5)));

        Measurement m = probe.measure(check, new AnalysisSpec(Duration.ofMinutes(1), null, List.of(check)), TARGET, START);

        assertThat(m.verdict()).isEqualTo(Verdict.PASSED);
        assertThat(m.value()).isEqualTo(1.0);
        assertThat(m.detail()).contains("5 of 5 GET http://", "(Host orders.example.com) answered 2xx");
        assertThat(sim.elb().traffic(GREEN).requests()).isEqualTo(5);
    }

    @Test
    void theWindowIsTheLatestIntervalOfWholeMinutesInsideTheStepThatAreAMetricDelayOld() {
        Instant now = Instant.parse("2025-06-01T12:05:20Z");
        Instant longAgo = Instant.parse("2025-06-01T11:00:00Z");
        Duration delay = Duration.ofMinutes(1);

        assertThat(TargetGroupMetricMeasurer.Window.of(Duration.ofMinutes(1), now, longAgo, delay)).hasValue(
                new TargetGroupMetricMeasurer.Window(Instant.parse("2025-06-01T12:03:00Z"), Instant.parse("2025-06-01T12:04:00Z"), 60));
        assertThat(TargetGroupMetricMeasurer.Window.of(Duration.ofSeconds(30), now, longAgo, delay))
                .isEqualTo(TargetGroupMetricMeasurer.Window.of(Duration.ofMinutes(1), now, longAgo, delay));
        assertThat(TargetGroupMetricMeasurer.Window.of(Duration.ofSeconds(90), now, longAgo, delay)).hasValue(
                new TargetGroupMetricMeasurer.Window(Instant.parse("2025-06-01T12:02:00Z"), Instant.parse("2025-06-01T12:04:00Z"), 120));
        assertThat(TargetGroupMetricMeasurer.Window.of(Duration.ofMinutes(5), now, Instant.parse("2025-06-01T12:02:10Z"), delay))
                .as("the step's first, partial minute is left out").hasValue(new TargetGroupMetricMeasurer.Window(
                        Instant.parse("2025-06-01T12:03:00Z"), Instant.parse("2025-06-01T12:04:00Z"), 60));
        assertThat(TargetGroupMetricMeasurer.Window.of(Duration.ofMinutes(1), now, Instant.parse("2025-06-01T12:03:01Z"), delay))
                .as("no whole minute inside the step is a minute old yet").isEmpty();
    }

    /** The error-rate check of a target whose step began at {@code stepStartedAt}, measured at {@code at}. */
    private Measurement errorRateOfStep(Instant stepStartedAt, Instant at) {
        return errorRateOfStep(stepStartedAt, at, Duration.ofMinutes(1));
    }

    private Measurement errorRateOfStep(Instant stepStartedAt, Instant at, Duration interval) {
        AnalysisCheck check = new AnalysisCheck("tg-errorrate", interval, 1, NoDataPolicy.FAIL,
                new TargetGroupMetricCheck(TargetGroupMetric.ERROR_RATE, 0.01, null), null, null);
        AnalysisTarget target = new AnalysisTarget("orders", "rev-1", "us-east-1", TARGET.greenTaskSetArn(), GREEN,
                PRODUCTION_RULE, TEST_RULE, stepStartedAt);
        return measurer.measure(check, new AnalysisSpec(Duration.ofMinutes(1), null, List.of(check)), target, at);
    }

    @Test
    void dataOnlyInAPartialMinuteOrNotYetAMinuteOldGivesNoVerdict() throws Exception {
        green(ImageBehaviour.erroring(1.0));
        Instant step = sim.clock().instant(); // 12:02:50
        traffic(10);

        Measurement partial = errorRateOfStep(step, step.plusSeconds(5));
        sim.clock().advance(Duration.ofSeconds(40)); // 12:03:30: a whole minute of the step, not yet a minute old
        traffic(10);
        Measurement tooFresh = errorRateOfStep(step, sim.clock().instant().plusSeconds(60));

        assertThat(partial.verdict()).isEqualTo(Verdict.PENDING);
        assertThat(partial.value()).isNull();
        assertThat(partial.detail()).contains("no whole minute", "since the step began at 12:02:50Z", "60 s late");
        assertThat(tooFresh.verdict()).isEqualTo(Verdict.PENDING);
    }

    @Test
    void dataFromBeforeTheStepBeganIsNotCounted() throws Exception {
        green(ImageBehaviour.erroring(1.0));
        traffic(10); // 12:02:50, all errors, a second before the step
        Instant step = sim.clock().instant().plusSeconds(1);

        // three minutes back from 12:04:00 would reach 12:01:00; the step's first whole minute is 12:03:00
        Measurement m = errorRateOfStep(step, Instant.parse("2025-06-01T12:05:00Z"), Duration.ofMinutes(3));

        assertThat(m.verdict()).isEqualTo(Verdict.NO_DATA);
        assertThat(m.detail()).contains("over 12:03:00–12:04:00Z");
    }

    @Test
    void aWholeMinuteOfTheStepOnceAMinuteOldGivesAVerdict() throws Exception {
        green(ImageBehaviour.erroring(1.0));
        sim.clock().advance(Duration.ofSeconds(10)); // 12:03:00
        Instant step = sim.clock().instant();
        sim.clock().advance(Duration.ofSeconds(20));
        int errors = traffic(10);

        Measurement m = errorRateOfStep(step, Instant.parse("2025-06-01T12:05:00Z"));

        assertThat(errors).isEqualTo(10);
        assertThat(m.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(m.value()).isEqualTo(1.0);
        assertThat(m.detail()).contains("over 12:03:00–12:04:00Z");
    }

    @Test
    void theLoadBalancerDimensionComesFromAListenerARuleOrTheLoadBalancer() {
        assertThat(TargetGroupMetricMeasurer.loadBalancerDimension(PRODUCTION_RULE)).isEqualTo("app/demo/5f2b3c4d5e6f7a8b");
        assertThat(TargetGroupMetricMeasurer.loadBalancerDimension(ARN + "listener/app/demo/5f2b3c4d5e6f7a8b/1a2b3c4d5e6f7081"))
                .isEqualTo("app/demo/5f2b3c4d5e6f7a8b");
        assertThat(TargetGroupMetricMeasurer.loadBalancerDimension(ARN + "loadbalancer/app/demo/5f2b3c4d5e6f7a8b"))
                .isEqualTo("app/demo/5f2b3c4d5e6f7a8b");
        assertThat(TargetGroupMetricMeasurer.targetGroupDimension(GREEN)).isEqualTo("targetgroup/orders-green/0c00000000000002");
    }

    // ---- through the AnalysisRunner, as a step's first measurements are taken (issue 10, defect 12; the code
    // before the fix fails both: tools/before-fix/A's AnalysisWindowsBeforeFixTest) ----

    private static AnalysisTarget stepStartedAt(Instant at) {
        return new AnalysisTarget(TARGET.service(), TARGET.revision(), TARGET.region(), TARGET.greenTaskSetArn(),
                TARGET.greenTargetGroupArn(), TARGET.productionArn(), TARGET.testArn(), at);
    }

    private static AnalysisCheck errorRate(NoDataPolicy noData) {
        return new AnalysisCheck("tg-errorrate", Duration.ofMinutes(1), 1, noData,
                new TargetGroupMetricCheck(TargetGroupMetric.ERROR_RATE, 0.01, null), null, null);
    }

    /** Runs the step's first measurement of {@code check}; returns its runner, still open, and what it measured. */
    private AnalysisRunner firstMeasurement(AnalysisTarget target, AnalysisCheck check, List<Measurement> measured) {
        AnalysisRunner runner = new AnalysisRunner(measurer, null, null, sim.clock(), (service, m) -> measured.add(m), service -> { }, 1);
        runner.measureDue(target, new AnalysisSpec(Duration.ofMinutes(1), null, List.of(check)));
        await().atMost(Duration.ofSeconds(30)).until(() -> measured.size() == 1);
        return runner;
    }

    @Test
    void theRunnersFirstMeasurementOfAStepCountsNoRequestFromBeforeIt() throws Exception {
        green(ImageBehaviour.erroring(1.0));
        assertThat(traffic(10)).isEqualTo(10);
        sim.clock().advance(Duration.ofSeconds(1));
        AnalysisTarget target = stepStartedAt(sim.clock().instant());
        List<Measurement> measured = new CopyOnWriteArrayList<>();

        try (AnalysisRunner runner = firstMeasurement(target, errorRate(NoDataPolicy.FAIL), measured)) {
            CheckState state = runner.states("orders").get(target.key()).get("tg-errorrate");

            assertThat(measured.get(0).value()).as("detail: %s", measured.get(0).detail()).isNull();
            assertThat(measured.get(0).verdict()).isEqualTo(Verdict.PENDING);
            assertThat(state.failures()).isZero();
        }
    }

    @Test
    void anEmptyWindowAtTheStepsStartIsNotCountedAsAPassUnderNoDataPass() throws Exception {
        green(ImageBehaviour.erroring(1.0));
        AnalysisTarget target = stepStartedAt(sim.clock().instant());
        List<Measurement> measured = new CopyOnWriteArrayList<>();

        try (AnalysisRunner runner = firstMeasurement(target, errorRate(NoDataPolicy.PASS), measured)) {
            assertThat(traffic(20)).isEqualTo(20);
            sim.clock().advance(Duration.ofSeconds(60));
            CheckState state = runner.states("orders").get(target.key()).get("tg-errorrate");

            assertThat(state.lastCountedAt()).as("%s %s", measured.get(0).verdict(), measured.get(0).detail()).isNull();
        }
    }
}

package io.ecsbluegreen.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecsbluegreen.aws.SdkEndpoints;
import io.ecsbluegreen.model.AnalysisCheck;
import io.ecsbluegreen.model.AnalysisSpec;
import io.ecsbluegreen.model.NoDataPolicy;
import io.ecsbluegreen.model.TargetGroupMetric;
import io.ecsbluegreen.model.TargetGroupMetricCheck;
import io.ecsbluegreen.observed.CheckState;
import io.ecsbluegreen.observed.Measurement;
import io.ecsbluegreen.observed.Measurement.Verdict;
import io.ecsbluegreen.plan.AnalysisTarget;
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
 * Issue 10, defect 12 through the analysis runner: a step's first measurement counts no request sent before
 * the step began, and an empty window at the step's start is not a pass under {@code noData: pass}. The code
 * before the fix fails both (tools/before-fix/A's AnalysisWindowsBeforeFixTest plays the same scenarios on it).
 */
class AnalysisRunnerStepWindowOnSimulatorTest {

    private static final Instant START = Instant.parse("2025-06-01T12:00:20Z");
    private static final String ARN = "arn:aws:elasticloadbalancing:us-east-1:000000000000:";
    private static final String GREEN = ARN + "targetgroup/orders-green/0c00000000000002";
    private static final String PRODUCTION_RULE = ARN + "listener-rule/app/demo/5f2b3c4d5e6f7a8b/1a2b3c4d5e6f7081/00000000000000c1";
    private static final String TEST_RULE = ARN + "listener-rule/app/demo/5f2b3c4d5e6f7a8b/9a8b7c6d5e4f3021/00000000000000c2";
    private static final String TASK_SET = "arn:aws:ecs:us-east-1:000000000000:task-set/demo/orders/ecs-svc/2222";
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
        SeedApplier.apply(SeedLoader.load("seed", Files.readAllBytes(Path.of("../examples/simulator/seed.yaml"))).seed().withoutCommands().withoutEvents(), sim);
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"));
        elb = ElasticLoadBalancingV2Client.builder().endpointOverride(sim.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).overrideConfiguration(NO_RETRIES).build();
        cloudWatch = CloudWatchClient.builder().endpointOverride(sim.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).overrideConfiguration(NO_RETRIES).build();
        measurer = new TargetGroupMetricMeasurer(new SdkMetricsPort(region -> cloudWatch));
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

    private void green(ImageBehaviour behaviour) {
        for (int i = 1; i <= 2; i++) {
            sim.elb().register(GREEN, new SimTask("arn:aws:ecs:us-east-1:000000000000:task/demo/green" + i, "ecs-svc/2222",
                    "10.0.2.1" + i, "ghcr.io/ecsbluegreen/orders:2.0.0", Map.of(), sim.clock().instant(), behaviour), 8080);
        }
        sim.clock().advance(Duration.ofSeconds(150));
    }

    private int traffic(int count) throws IOException, InterruptedException {
        String base = new SdkEndpoints(elb).baseUrl(PRODUCTION_RULE);
        int errors = 0;
        for (int i = 0; i < count; i++) {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(base + "/orders"))
                    .header("Host", "orders.example.com").timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() == 500) errors++;
        }
        return errors;
    }

    private static AnalysisCheck errorRate(Duration interval, NoDataPolicy noData) {
        return new AnalysisCheck("tg-errorrate", interval, 1, noData,
                new TargetGroupMetricCheck(TargetGroupMetric.ERROR_RATE, 0.01, null), null, null);
    }

    private static AnalysisTarget target(Instant stepStartedAt) {
        return new AnalysisTarget("orders", "rev-1", "us-east-1", TASK_SET, GREEN, PRODUCTION_RULE, TEST_RULE, stepStartedAt);
    }

    @Test
    void theRunnersFirstMeasurementOfAStepCountsNoRequestFromBeforeIt() throws Exception {
        green(ImageBehaviour.erroring(1.0));
        traffic(10);
        sim.clock().advance(Duration.ofSeconds(1));
        AnalysisTarget target = target(sim.clock().instant());
        List<Measurement> measured = new CopyOnWriteArrayList<>();
        AnalysisCheck check = errorRate(Duration.ofMinutes(1), NoDataPolicy.FAIL);
        try (AnalysisRunner runner = new AnalysisRunner(measurer, null, null, sim.clock(),
                (service, m) -> measured.add(m), service -> { }, 1)) {
            runner.measureDue(target, new AnalysisSpec(Duration.ofMinutes(1), null, List.of(check)));
            await().atMost(Duration.ofSeconds(30)).until(() -> measured.size() == 1);
            CheckState state = runner.states("orders").get(target.key()).get("tg-errorrate");

            assertThat(measured.get(0).value()).as("detail: %s", measured.get(0).detail()).isNull();
            assertThat(measured.get(0).verdict()).isEqualTo(Verdict.PENDING);
            assertThat(state.failures()).isZero();
        }
    }

    @Test
    void anEmptyWindowAtTheStepsStartIsNotCountedAsAPassUnderNoDataPass() throws Exception {
        green(ImageBehaviour.erroring(1.0));
        AnalysisTarget target = target(sim.clock().instant());
        List<Measurement> measured = new CopyOnWriteArrayList<>();
        AnalysisCheck check = errorRate(Duration.ofMinutes(1), NoDataPolicy.PASS);
        try (AnalysisRunner runner = new AnalysisRunner(measurer, null, null, sim.clock(),
                (service, m) -> measured.add(m), service -> { }, 1)) {
            runner.measureDue(target, new AnalysisSpec(Duration.ofMinutes(1), null, List.of(check)));
            await().atMost(Duration.ofSeconds(30)).until(() -> measured.size() == 1);
            assertThat(traffic(20)).isEqualTo(20);
            sim.clock().advance(Duration.ofSeconds(60));
            CheckState state = runner.states("orders").get(target.key()).get("tg-errorrate");

            assertThat(state.lastCountedAt()).as("%s %s", measured.get(0).verdict(), measured.get(0).detail()).isNull();
        }
    }
}

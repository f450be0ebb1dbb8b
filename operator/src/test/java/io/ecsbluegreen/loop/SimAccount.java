package io.ecsbluegreen.loop;

import io.ecsbluegreen.aws.Actor;
import io.ecsbluegreen.aws.HealthReadBudget;
import io.ecsbluegreen.aws.SdkAlarmPort;
import io.ecsbluegreen.aws.SdkScalingPort;
import io.ecsbluegreen.aws.SdkEcsPort;
import io.ecsbluegreen.aws.SdkElbPort;
import io.ecsbluegreen.aws.SdkEndpoints;
import io.ecsbluegreen.aws.SdkLambdaPort;
import io.ecsbluegreen.analysis.AnalysisRunner;
import io.ecsbluegreen.observed.CheckState;
import io.ecsbluegreen.analysis.HttpProbeMeasurer;
import io.ecsbluegreen.analysis.PrometheusMeasurer;
import io.ecsbluegreen.analysis.SdkMetricsPort;
import io.ecsbluegreen.analysis.TargetGroupMetricMeasurer;
import io.ecsbluegreen.aws.SdkTaskPort;
import io.ecsbluegreen.hooks.HookRunner;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import io.ecsbluegreen.aws.Observer;
import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.seed.SeedApplier;
import io.ecsbluegreen.sim.seed.SeedLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/** The simulator seeded as the demo account (examples/simulator/seed.yaml; its images simulated, no local processes), with SDK clients on it. */
final class SimAccount implements AutoCloseable {
    final AwsSimulator sim;
    final EcsClient ecs;
    final ElasticLoadBalancingV2Client elb;
    final CloudWatchClient cloudWatch;
    final LambdaClient lambda;
    final ApplicationAutoScalingClient autoScaling;

    SimAccount() throws Exception {
        sim = AwsSimulator.start();
        SeedApplier.apply(SeedLoader.load("seed", Files.readAllBytes(Path.of("../examples/simulator/seed.yaml"))).seed().withoutCommands().withoutEvents(), sim);
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"));
        ecs = EcsClient.builder().endpointOverride(sim.endpoint()).region(Region.US_EAST_1).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).overrideConfiguration(NO_RETRIES).build();
        elb = ElasticLoadBalancingV2Client.builder().endpointOverride(sim.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).overrideConfiguration(NO_RETRIES).build();
        lambda = LambdaClient.builder().endpointOverride(sim.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).overrideConfiguration(NO_RETRIES).build();
        autoScaling = ApplicationAutoScalingClient.builder().endpointOverride(sim.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).overrideConfiguration(NO_RETRIES).build();
        cloudWatch = CloudWatchClient.builder().endpointOverride(sim.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).overrideConfiguration(NO_RETRIES).build();
    }

    /**
     * The SDK's retries sleep in real time while the simulator's clock stands still; without them a
     * failed or throttled call reaches the engine at once, whose own backoff runs on simulated time.
     */
    static final ClientOverrideConfiguration NO_RETRIES = ClientOverrideConfiguration.builder()
            .retryStrategy(AwsRetryStrategy.doNotRetry()).build();

    /**
     * Task hooks poll every 5 s of simulated time; the runner looks at the simulator's clock every 10 ms of
     * real time, as a test moves it on.
     */
    static final HookRunner.TaskPolling TASK_POLLING = new HookRunner.TaskPolling(Duration.ofSeconds(5), Duration.ofMillis(10));

    /**
     * A new reconciler on the simulator's clock: new observer caches and a new hook runner, as after a
     * restart. Hooks run on the runner's threads, their waits and timeouts on the simulator's clock; the
     * service's next pass sees their results.
     */
    Reconciler reconciler() {
        return reconciler(AnalysisRunner.Listener.NONE);
    }

    /** @param measured hears of every finished analysis measurement (status and metrics in tests that want them) */
    Reconciler reconciler(AnalysisRunner.Listener measured) {
        SdkEcsPort ecsPort = new SdkEcsPort(ecs);
        SdkElbPort elbPort = new SdkElbPort(elb);
        HookRunner hooks = new HookRunner(new SdkLambdaPort(lambda), new SdkTaskPort(ecs),
                new SdkEndpoints(elb), HttpClient.newHttpClient(), sim.clock(), (service, run) -> { }, name -> { }, 2, TASK_POLLING);
        runners.add(hooks);
        HttpClient http = HttpClient.newHttpClient();
        AnalysisRunner analysis = new AnalysisRunner(new TargetGroupMetricMeasurer(new SdkMetricsPort(region -> cloudWatch)),
                new PrometheusMeasurer(http), new HttpProbeMeasurer(http, new SdkEndpoints(elb)), sim.clock(),
                measured, name -> { }, 2);
        analysers.add(analysis);
        SdkScalingPort scaling = new SdkScalingPort(autoScaling);
        return new Reconciler(new Observer(ecsPort, elbPort, new SdkAlarmPort(cloudWatch), HealthReadBudget.NONE, scaling),
                new Actor(ecsPort, elbPort, hooks, analysis, scaling), sim.clock(), hooks, analysis);
    }

    private final List<HookRunner> runners = new ArrayList<>();
    private final List<AnalysisRunner> analysers = new ArrayList<>();

    /**
     * Whether every hook run under way waits on the simulator's clock alone (none calls out or waits for an
     * answer): moving the clock then cannot outrun an answer on its way. See {@link HookRunner#waitsOnClockOnly()}.
     */
    boolean hooksWaitOnClockOnly() {
        return runners.stream().allMatch(HookRunner::waitsOnClockOnly);
    }

    /** Whether an analysis measurement of {@code service} is under way (on its runner's threads). */
    boolean measuring(String service) {
        return analysers.stream().anyMatch(a -> a.states(service).values().stream()
                .anyMatch(checks -> checks.values().stream().anyMatch(CheckState::measuring)));
    }

    @Override
    public void close() {
        runners.forEach(HookRunner::close);
        analysers.forEach(AnalysisRunner::close);
        ecs.close();
        elb.close();
        cloudWatch.close();
        lambda.close();
        autoScaling.close();
        sim.close();
    }
}

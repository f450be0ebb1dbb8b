package io.ecsbluegreen.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.ecsbluegreen.aws.AwsClients;
import io.ecsbluegreen.config.OperatorConfig;
import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.SimStats;
import io.ecsbluegreen.sim.SimulatorConfig;
import io.ecsbluegreen.sim.ThrottleRule;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * The operator's own SDK clients ({@link AwsClients}: adaptive retries, the metrics installed) against the
 * simulator with rate limits: every throttled answer the simulator gave shows in the attempts counter, while
 * the calls counter sees only the calls that were still throttled after the SDK's retries (issue 14, §3).
 */
class AwsAttemptsOnSimulatorTest {
    static final int ECS_BURST = 1;
    static final int ELB_BURST = 1;

    AwsSimulator sim;
    MeterRegistry registry;
    AwsClients clients;

    @BeforeEach
    void start() {
        // Buckets that never refill: each call past the burst is throttled at every attempt, whatever the timing.
        sim = AwsSimulator.start(SimulatorConfig.defaults()
                .withThrottle(ThrottleRule.of("ecs-list", "ecs:ListClusters", ECS_BURST, 0))
                .withThrottle(ThrottleRule.of("elb-describe", "elasticloadbalancing:DescribeLoadBalancers", ELB_BURST, 0)));
        registry = new SimpleMeterRegistry();
        clients = new AwsClients(config(sim.endpoint()), registry, java.time.Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        clients.close();
        sim.close();
    }

    @Test
    void everyThrottledAnswerCountsAsAThrottledAttemptWhileCallsCountOnlyTheCallsThatFailedAfterRetries() {
        for (int i = 0; i < ELB_BURST + 1; i++) {
            catchThrowable(() -> clients.elb(null).describeLoadBalancers());
        }
        for (int i = 0; i < ECS_BURST; i++) {
            clients.ecs(null).listClusters();
        }
        Throwable last = catchThrowable(() -> clients.ecs(null).listClusters());

        SimStats stats = sim.stats();
        assertThat(last).isInstanceOf(AwsServiceException.class);
        assertThat(((AwsServiceException) last).isThrottlingException()).as("the SDK gave up on a throttled call").isTrue();
        assertThat(stats.throttled("ecs", "ListClusters")).as("the simulator throttled retries too").isGreaterThan(1);

        assertThat(count("bluegreen.aws.api.attempts", "Ecs", "ListClusters", "throttled"))
                .isEqualTo(stats.throttled("ecs", "ListClusters"));
        assertThat(count("bluegreen.aws.api.attempts", "ElasticLoadBalancingV2", "DescribeLoadBalancers", "throttled"))
                .isEqualTo(stats.throttled("elasticloadbalancing", "DescribeLoadBalancers"));
        assertThat(count("bluegreen.aws.api.attempts", "Ecs", "ListClusters", "success")).isEqualTo(ECS_BURST);
        assertThat(sum("bluegreen.aws.api.attempts")).as("every request the simulator received is an attempt")
                .isEqualTo(stats.totalCalls());

        assertThat(count("bluegreen.aws.api.calls", "Ecs", "ListClusters", "throttled")).isEqualTo(1);
        assertThat(count("bluegreen.aws.api.calls", "ElasticLoadBalancingV2", "DescribeLoadBalancers", "throttled")).isEqualTo(1);
        assertThat(sum("bluegreen.aws.api.calls")).as("calls count fewer").isEqualTo(ECS_BURST + 1 + ELB_BURST + 1)
                .isLessThan(stats.totalCalls());
    }

    @Test
    void anErrorThatIsNotThrottlingCountsAsAnErrorAttempt() {
        Throwable e = catchThrowable(() -> clients.ecs(null).describeServices(r -> r.cluster("no-such-cluster").services("x")));

        assertThat(e).isInstanceOf(AwsServiceException.class);
        long attempts = sim.stats().calls("ecs", "DescribeServices");
        assertThat(count("bluegreen.aws.api.attempts", "Ecs", "DescribeServices", "error")).isEqualTo(attempts).isPositive();
        assertThat(count("bluegreen.aws.api.attempts", "Ecs", "DescribeServices", "throttled")).isZero();
        assertThat(count("bluegreen.aws.api.calls", "Ecs", "DescribeServices", "error")).isEqualTo(1);
    }

    private long count(String name, String api, String operation, String outcome) {
        Counter c = registry.find(name).tags("api", api, "operation", operation, "outcome", outcome).counter();
        return c == null ? 0 : (long) c.count();
    }

    private long sum(String name) {
        return (long) registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }

    /** The operator's configuration with only the AWS part answered: the simulator's endpoint, static keys. */
    static OperatorConfig config(URI endpoint) {
        Map<String, Object> aws = Map.of("region", Optional.of("us-east-1"), "endpointOverride", Optional.of(endpoint),
                "accessKeyId", Optional.of("a"), "secretAccessKey", Optional.of("b"), "s3PathStyle", true);
        OperatorConfig.Aws awsConfig = proxy(OperatorConfig.Aws.class, aws);
        OperatorConfig.Leases leases = proxy(OperatorConfig.Leases.class, Map.of("replicaId", Optional.of("replica-a")));
        return proxy(OperatorConfig.class, Map.of("aws", awsConfig, "leases", leases));
    }

    private static <T> T proxy(Class<T> type, Map<String, Object> answers) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
            if (!answers.containsKey(method.getName())) throw new UnsupportedOperationException(method.getName());
            return answers.get(method.getName());
        }));
    }
}

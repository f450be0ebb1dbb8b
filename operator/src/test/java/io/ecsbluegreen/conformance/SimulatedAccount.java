package io.ecsbluegreen.conformance;

import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.spi.ImageBehaviour;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * The project's simulator, started empty (no seed: the {@link Fixture} makes everything through the API, as
 * on AWS), with the SDK clients pointed at it and without retries: the SDK's retries would sleep in real
 * time while the simulated clock stands still.
 */
final class SimulatedAccount implements Account {
    private static final Region REGION = Region.US_EAST_1;

    final AwsSimulator sim;
    private final Clients clients;

    private SimulatedAccount(AwsSimulator sim) {
        this.sim = sim;
        this.clients = new Clients(REGION, StaticCredentialsProvider.create(AwsBasicCredentials.create("conformance", "conformance")),
                sim.endpoint(), ClientOverrideConfiguration.builder().retryStrategy(AwsRetryStrategy.doNotRetry()).build());
        // What the broken image does on AWS (nothing answers on port 80), said to the simulator.
        sim.imageBehaviours().set(brokenImage(), ImageBehaviour.neverHealthy());
    }

    static SimulatedAccount start() {
        return new SimulatedAccount(AwsSimulator.start());
    }

    @Override public EcsClient ecs() { return clients.ecs; }
    @Override public ElasticLoadBalancingV2Client elb() { return clients.elb; }
    @Override public CloudWatchClient cloudWatch() { return clients.cloudWatch; }
    @Override public LambdaClient lambda() { return clients.lambda; }

    @Override
    public String region() {
        return REGION.id();
    }

    @Override
    public Network network() {
        return new Network("vpc-0c0f0000000000001", List.of("subnet-0c0f0000000000001", "subnet-0c0f0000000000002"),
                List.of("sg-0c0f0000000000001"), true);
    }

    @Override
    public Clock clock() {
        return sim.clock();
    }

    @Override
    public boolean simulated() {
        return true;
    }

    @Override
    public void waitFor(String what, Duration max, Duration step, BooleanSupplier condition) {
        long rounds = max.toMillis() / step.toMillis();
        for (long i = 0; i <= rounds; i++) {
            if (condition.getAsBoolean()) return;
            sim.clock().advance(step);
        }
        throw new AssertionError("not within " + max + " of simulated time: " + what);
    }

    @Override
    public String healthyImage() {
        return AwsAccount.HEALTHY_IMAGE;
    }

    @Override
    public String brokenImage() {
        return AwsAccount.BROKEN_IMAGE;
    }

    @Override
    public void close() {
        clients.close();
        sim.close();
    }
}

package io.ecsbluegreen.sim.cloudwatch;

import io.ecsbluegreen.sim.spi.LoadBalancerMetrics;
import java.time.Instant;

/**
 * The {@link LoadBalancerMetrics} in force until the simulated ELBv2 data plane provides real traffic:
 * every target group served nothing, so {@code AWS/ApplicationELB} metrics have no datapoints. Replace it
 * in {@code AwsSimulator}'s constructor when the data plane lands, or per test with
 * {@link CloudWatchStore#useLoadBalancerMetrics}.
 */
public final class NoLoadBalancerMetrics implements LoadBalancerMetrics {

    public static final NoLoadBalancerMetrics INSTANCE = new NoLoadBalancerMetrics();

    private NoLoadBalancerMetrics() {}

    @Override
    public Window window(String targetGroupDimension, Instant start, Instant end) {
        return Window.EMPTY;
    }
}

package io.ecsbluegreen.sim.spi;

import java.time.Instant;

/**
 * The traffic the simulated load balancers served, as CloudWatch's {@code AWS/ApplicationELB} namespace
 * reports it per target group. Implemented by the ELBv2 data plane, read by CloudWatch GetMetricData.
 */
public interface LoadBalancerMetrics {

    /** Per-target-group counters over one period. */
    record Window(long requests, long target5xx, long target4xx, long target2xx, double p99LatencySeconds,
                  double averageLatencySeconds) {
        public static final Window EMPTY = new Window(0, 0, 0, 0, Double.NaN, Double.NaN);
    }

    /**
     * What a target group served in [{@code start}, {@code end}) on the simulator's clock.
     *
     * @param targetGroupDimension the CloudWatch {@code TargetGroup} dimension value
     *     ({@code targetgroup/NAME/ID}, the ARN's resource part)
     */
    Window window(String targetGroupDimension, Instant start, Instant end);
}

package io.ecsbluegreen.sim.elb;

/**
 * What the simulated load balancers served for one target group over some window.
 *
 * @param requests requests routed to the target group (including those the load balancer answered itself)
 * @param target2xx target responses with a 2xx status
 * @param target3xx ... 3xx
 * @param target4xx ... 4xx
 * @param target5xx ... 5xx
 * @param elb5xx requests the load balancer answered with a 5xx itself (no target, unreachable, timeout)
 * @param p50Seconds median target response time, NaN when no target answered
 * @param p99Seconds 99th percentile target response time, NaN when no target answered
 * @param averageSeconds average target response time, NaN when no target answered
 */
public record TargetGroupTraffic(long requests, long target2xx, long target3xx, long target4xx, long target5xx,
                                 long elb5xx, double p50Seconds, double p99Seconds, double averageSeconds) {

    static TargetGroupTraffic of(TrafficMetrics.Totals totals) {
        return new TargetGroupTraffic(totals.requests(), totals.target2xx(), totals.target3xx(), totals.target4xx(),
                totals.target5xx(), totals.elb5xx(), totals.percentile(50), totals.percentile(99), totals.average());
    }
}

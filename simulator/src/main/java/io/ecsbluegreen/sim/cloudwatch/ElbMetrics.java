package io.ecsbluegreen.sim.cloudwatch;

import io.ecsbluegreen.sim.spi.LoadBalancerMetrics.Window;
import java.util.Set;

/**
 * The {@code AWS/ApplicationELB} target-group metrics, computed from the data plane's traffic windows
 * ({@link io.ecsbluegreen.sim.spi.LoadBalancerMetrics}). As ELB, a metric is reported only for periods
 * with a nonzero value: no traffic, no datapoint.
 */
final class ElbMetrics {

    static final String NAMESPACE = "AWS/ApplicationELB";
    static final String TARGET_GROUP = "TargetGroup";
    static final String LOAD_BALANCER = "LoadBalancer";
    static final String REQUEST_COUNT = "RequestCount";
    static final String TARGET_2XX = "HTTPCode_Target_2XX_Count";
    static final String TARGET_4XX = "HTTPCode_Target_4XX_Count";
    static final String TARGET_5XX = "HTTPCode_Target_5XX_Count";
    static final String RESPONSE_TIME = "TargetResponseTime";

    private static final Set<String> DIMENSIONS = Set.of(TARGET_GROUP, LOAD_BALANCER);

    private ElbMetrics() {}

    /** Whether the data plane answers {@code metric}: a supported name with a TargetGroup dimension. */
    static boolean answers(Metric metric) {
        return NAMESPACE.equals(metric.namespace())
                && unit(metric.metricName()) != null
                && metric.dimension(TARGET_GROUP) != null
                && metric.dimensions().stream().allMatch(d -> DIMENSIONS.contains(d.name()));
    }

    /** The unit ELB publishes the metric in, or null for a metric the simulator does not provide. */
    static String unit(String metricName) {
        return switch (metricName) {
            case REQUEST_COUNT, TARGET_2XX, TARGET_4XX, TARGET_5XX -> "Count";
            case RESPONSE_TIME -> "Seconds";
            default -> null;
        };
    }

    /** The statistic over one window, or null for no datapoint. */
    static Double value(String metricName, Window window, Statistic statistic) {
        if (RESPONSE_TIME.equals(metricName)) {
            return responseTime(window, statistic);
        }
        long count = switch (metricName) {
            case REQUEST_COUNT -> window.requests();
            case TARGET_2XX -> window.target2xx();
            case TARGET_4XX -> window.target4xx();
            case TARGET_5XX -> window.target5xx();
            default -> 0;
        };
        if (count <= 0) {
            return null;
        }
        // Every request counts 1: Sum and SampleCount are the count, every other statistic is 1.
        if (!statistic.isPercentile() && (statistic.name().equals(Statistic.SUM)
                || statistic.name().equals(Statistic.SAMPLE_COUNT))) {
            return (double) count;
        }
        return 1.0;
    }

    private static Double responseTime(Window window, Statistic statistic) {
        if (window.requests() <= 0 || Double.isNaN(window.averageLatencySeconds())) {
            return null;
        }
        if (statistic.isPercentile()) {
            return statistic.percentile() == 99 && !Double.isNaN(window.p99LatencySeconds())
                    ? window.p99LatencySeconds() : null;
        }
        return switch (statistic.name()) {
            case Statistic.AVERAGE -> window.averageLatencySeconds();
            case Statistic.SAMPLE_COUNT -> (double) window.requests();
            case Statistic.SUM -> window.averageLatencySeconds() * window.requests();
            default -> null; // Minimum and Maximum are not in the data plane's window
        };
    }
}

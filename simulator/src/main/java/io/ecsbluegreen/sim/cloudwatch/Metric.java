package io.ecsbluegreen.sim.cloudwatch;

import java.util.List;

/**
 * A metric's identity: namespace, name and the full set of dimensions (sorted by name). Two metrics
 * with different dimension sets are different metrics, as in CloudWatch.
 */
public record Metric(String namespace, String metricName, List<Dimension> dimensions) {

    public Metric {
        dimensions = Dimension.sorted(dimensions);
    }

    /** The value of a dimension, or null. */
    public String dimension(String name) {
        for (Dimension d : dimensions) {
            if (d.name().equals(name)) {
                return d.value();
            }
        }
        return null;
    }
}

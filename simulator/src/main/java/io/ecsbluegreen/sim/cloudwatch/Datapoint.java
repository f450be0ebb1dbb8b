package io.ecsbluegreen.sim.cloudwatch;

import java.time.Instant;

/**
 * One PutMetricData entry as stored: a single value, a set of values with counts, or a statistic set
 * (which carries no raw values, so percentiles cannot be computed from it, as in CloudWatch).
 */
record Datapoint(Instant timestamp, String unit, double sampleCount, double sum, double minimum, double maximum,
        double[] values, double[] counts) {

    static Datapoint single(Instant timestamp, String unit, double value) {
        return new Datapoint(timestamp, unit, 1, value, value, value, new double[] {value}, new double[] {1});
    }

    static Datapoint values(Instant timestamp, String unit, double[] values, double[] counts) {
        double n = 0;
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < values.length; i++) {
            n += counts[i];
            sum += values[i] * counts[i];
            min = Math.min(min, values[i]);
            max = Math.max(max, values[i]);
        }
        return new Datapoint(timestamp, unit, n, sum, min, max, values.clone(), counts.clone());
    }

    static Datapoint statisticSet(Instant timestamp, String unit, double sampleCount, double sum, double min, double max) {
        return new Datapoint(timestamp, unit, sampleCount, sum, min, max, null, null);
    }
}

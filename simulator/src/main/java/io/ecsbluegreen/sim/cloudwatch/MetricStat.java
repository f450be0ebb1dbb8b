package io.ecsbluegreen.sim.cloudwatch;

/**
 * A metric, a period and a statistic, as in GetMetricData's {@code MetricStat}.
 *
 * @param metric the metric
 * @param period seconds
 * @param stat {@code Sum}, {@code Average}, {@code Minimum}, {@code Maximum}, {@code SampleCount} or
 *     {@code pNN}
 * @param unit only datapoints with this unit, or null for all
 */
public record MetricStat(Metric metric, int period, String stat, String unit) {}

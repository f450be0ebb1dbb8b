package io.ecsbluegreen.sim.cloudwatch;

/**
 * One query of GetMetricData, or of a metric-math alarm's {@code Metrics}: a {@link MetricStat} or an
 * {@code Expression} over other queries' ids.
 */
public record MetricDataQuery(String id, MetricStat metricStat, String expression, String label, boolean returnData,
        Integer period) {}

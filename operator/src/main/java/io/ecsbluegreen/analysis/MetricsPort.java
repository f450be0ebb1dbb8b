package io.ecsbluegreen.analysis;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The one CloudWatch call analysis needs: GetMetricData with MetricStat queries. */
public interface MetricsPort {

    /**
     * One statistic of one metric (a GetMetricData {@code MetricStat} query).
     *
     * @param id the query's id: a lowercase letter, then letters, digits or underscores
     * @param stat {@code Sum}, {@code Average}, ... or a percentile such as {@code p99}
     */
    record MetricQuery(String id, String namespace, String metricName, Map<String, String> dimensions, String stat) {}

    /**
     * Runs the queries in one GetMetricData call over [{@code start}, {@code end}) with one period.
     *
     * @return each query's datapoint values by id, oldest first; an empty list for a query without data
     * @throws RuntimeException when the call fails (throttled, denied, unreachable), with the reason
     */
    Map<String, List<Double>> getMetricData(String region, List<MetricQuery> queries, Instant start, Instant end,
                                            int periodSeconds);
}

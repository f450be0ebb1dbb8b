package io.ecsbluegreen.analysis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StatusCode;

/**
 * {@link MetricsPort} over the SDK's CloudWatch client of the target's region. The clients are not owned:
 * {@code clients} is asked for the region's client at every call (e.g. {@code AwsClients::cloudWatch},
 * which keeps one per region) and whoever made them closes them.
 */
public final class SdkMetricsPort implements MetricsPort {

    /** Pages read at most: analysis queries return a handful of datapoints, so one page is the rule. */
    static final int MAX_PAGES = 5;

    private final Function<String, CloudWatchClient> clients;

    /** @param clients the CloudWatch client of a region */
    public SdkMetricsPort(Function<String, CloudWatchClient> clients) {
        this.clients = clients;
    }

    @Override
    public Map<String, List<Double>> getMetricData(String region, List<MetricQuery> queries, Instant start, Instant end,
                                                   int periodSeconds) {
        CloudWatchClient cloudWatch = clients.apply(region);
        List<MetricDataQuery> requests = new ArrayList<>();
        Map<String, List<Double>> values = new LinkedHashMap<>();
        for (MetricQuery q : queries) {
            List<Dimension> dimensions = new ArrayList<>();
            q.dimensions().forEach((name, value) -> dimensions.add(Dimension.builder().name(name).value(value).build()));
            requests.add(MetricDataQuery.builder().id(q.id()).returnData(true).metricStat(s -> s.period(periodSeconds)
                    .stat(q.stat()).metric(m -> m.namespace(q.namespace()).metricName(q.metricName()).dimensions(dimensions)))
                    .build());
            values.put(q.id(), new ArrayList<>());
        }
        String token = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            String next = token;
            GetMetricDataResponse response = cloudWatch.getMetricData(b -> b.startTime(start).endTime(end)
                    .scanBy(ScanBy.TIMESTAMP_ASCENDING).metricDataQueries(requests).nextToken(next));
            for (MetricDataResult r : response.metricDataResults()) {
                if (r.statusCode() == StatusCode.INTERNAL_ERROR || r.statusCode() == StatusCode.FORBIDDEN) {
                    String messages = r.hasMessages() && !r.messages().isEmpty() ? ": " + r.messages().get(0).value() : "";
                    throw new IllegalStateException("GetMetricData answered " + r.statusCodeAsString() + " for "
                            + r.id() + messages);
                }
                List<Double> mine = values.get(r.id());
                if (mine != null && r.hasValues()) mine.addAll(r.values());
            }
            token = response.nextToken();
            if (token == null || token.isEmpty()) return values;
        }
        throw new IllegalStateException("GetMetricData still had more pages after " + MAX_PAGES);
    }
}

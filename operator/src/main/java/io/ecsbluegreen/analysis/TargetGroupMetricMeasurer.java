package io.ecsbluegreen.analysis;

import io.ecsbluegreen.observed.Measurement;
import io.ecsbluegreen.plan.AnalysisTarget;
import io.ecsbluegreen.observed.Measurement.Verdict;
import io.ecsbluegreen.analysis.MetricsPort.MetricQuery;
import io.ecsbluegreen.model.AnalysisCheck;
import io.ecsbluegreen.model.AnalysisSpec;
import io.ecsbluegreen.model.TargetGroupMetric;
import io.ecsbluegreen.model.TargetGroupMetricCheck;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * {@code targetGroupMetric} checks: the green target group's {@code AWS/ApplicationELB} metrics (dimensions
 * {@code TargetGroup} and {@code LoadBalancer}), read with one GetMetricData call per measurement over the
 * check's interval, over whole minutes inside the traffic step that CloudWatch has had time to receive,
 * as {@link Window} describes.
 *
 * <ul>
 *   <li>{@code errorRate}: the Sum of {@code HTTPCode_Target_5XX_Count} over the Sum of
 *       {@code RequestCount}; no requests is no data (ALB publishes no datapoint for a minute without
 *       requests, and none of 5xx for a minute without any, which counts as 0).</li>
 *   <li>{@code latencyP99}: {@code TargetResponseTime} at {@code p99}, in seconds; no requests is no data.</li>
 *   <li>{@code requestCount}: the Sum of {@code RequestCount}; no datapoint is 0 requests (a floor set with
 *       {@code min} then fails, naming the 0).</li>
 * </ul>
 */
public final class TargetGroupMetricMeasurer implements Measurer {

    public static final String NAMESPACE = "AWS/ApplicationELB";
    static final String REQUEST_COUNT = "RequestCount";
    static final String TARGET_5XX = "HTTPCode_Target_5XX_Count";
    static final String RESPONSE_TIME = "TargetResponseTime";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private final MetricsPort metrics;
    private final Duration metricDelay;

    /** A measurer that waits {@link #DEFAULT_METRIC_DELAY} for metrics. */
    public TargetGroupMetricMeasurer(MetricsPort metrics) {
        this(metrics, DEFAULT_METRIC_DELAY);
    }

    /** @param metricDelay how long after a minute ends its datapoint is taken to be complete in CloudWatch */
    public TargetGroupMetricMeasurer(MetricsPort metrics, Duration metricDelay) {
        this.metrics = metrics;
        this.metricDelay = metricDelay;
    }

    /**
     * How late ALB metrics reach CloudWatch by default. ELB sends its metrics in 60-second intervals and
     * a minute's datapoint appears some time after the minute ends; AWS publishes no bound, so this is a
     * margin, not a guarantee (docs/analysis.md).
     */
    public static final Duration DEFAULT_METRIC_DELAY = Duration.ofMinutes(1);

    /** ALB metrics' resolution: one datapoint a minute. */
    static final int PERIOD_SECONDS = 60;

    /**
     * What one measurement reads: the whole one-minute periods that lie entirely inside the step (from
     * {@code stepStartedAt} rounded up to a minute) and end at least the metric delay before now, the
     * latest {@code interval} of them (rounded up to whole minutes, at least one), as one CloudWatch
     * period so the p99 is the p99 of the window. Measured at 12:05:20 with a delay of 1m for a step begun
     * at 12:02:10 and an interval of 1m: 12:03:00 to 12:04:00. None (the verdict is
     * {@link Verdict#PENDING}) while no whole period is available: a partial minute, or one from before
     * the step, proves nothing about green.
     *
     * @param start StartTime, on a minute
     * @param end EndTime, on a minute, at least a minute after start
     * @param periodSeconds a multiple of 60, {@code end - start}
     */
    public record Window(Instant start, Instant end, int periodSeconds) {

        /** The window, or empty while no whole period lies inside the step and before {@code now - delay}. */
        public static Optional<Window> of(Duration interval, Instant now, Instant stepStartedAt, Duration delay) {
            long minutes = Math.max(1, (interval.getSeconds() + (interval.getNano() > 0 ? 1 : 0) + 59) / 60);
            long end = Math.floorDiv(now.minus(delay).getEpochSecond(), PERIOD_SECONDS) * PERIOD_SECONDS;
            long start = end - minutes * PERIOD_SECONDS;
            if (stepStartedAt != null) {
                long stepMinute = -Math.floorDiv(-stepStartedAt.getEpochSecond() - (stepStartedAt.getNano() > 0 ? 1 : 0),
                        PERIOD_SECONDS) * PERIOD_SECONDS;
                start = Math.max(start, stepMinute);
            }
            if (end - start < PERIOD_SECONDS) return Optional.empty();
            return Optional.of(new Window(Instant.ofEpochSecond(start), Instant.ofEpochSecond(end), (int) (end - start)));
        }

        String text() {
            return TIME.format(start) + "–" + TIME.format(end) + "Z";
        }
    }

    @Override
    public Measurement measure(AnalysisCheck check, AnalysisSpec spec, AnalysisTarget target, Instant startedAt) {
        TargetGroupMetricCheck c = check.targetGroupMetric();
        Threshold threshold = Checks.threshold(check);
        try {
            if (c == null || c.metric() == null) {
                return error(check, startedAt, threshold, "the check has no targetGroupMetric.metric");
            }
            String targetGroup = targetGroupDimension(target.greenTargetGroupArn());
            Map<String, String> dimensions = new LinkedHashMap<>();
            dimensions.put("TargetGroup", targetGroup);
            dimensions.put("LoadBalancer", loadBalancerDimension(target.productionArn()));
            Optional<Window> whole = Window.of(Checks.interval(check, spec), startedAt, target.stepStartedAt(), metricDelay);
            if (whole.isEmpty()) {
                return new Measurement(check.name(), Checks.TARGET_GROUP_METRIC, startedAt, null, threshold.text(), Verdict.PENDING,
                        Checks.detail("no whole minute of " + targetGroup + " since the step began"
                                + (target.stepStartedAt() == null ? "" : " at " + TIME.format(target.stepStartedAt()) + "Z")
                                + " is in CloudWatch yet (metrics are taken to arrive " + Checks.duration(metricDelay) + " late)"));
            }
            Window window = whole.get();
            String where = " of " + targetGroup + " over " + window.text();
            TargetGroupMetric metric = c.metric();
            if (metric == TargetGroupMetric.ERROR_RATE) {
                Map<String, List<Double>> data = read(target, window, List.of(
                        new MetricQuery("requests", NAMESPACE, REQUEST_COUNT, dimensions, "Sum"),
                        new MetricQuery("errors", NAMESPACE, TARGET_5XX, dimensions, "Sum")));
                double requests = sum(data.get("requests"));
                if (requests <= 0) {
                    return measurement(check, startedAt, null, threshold, "no " + REQUEST_COUNT + where);
                }
                double errors = sum(data.get("errors"));
                double rate = errors / requests;
                return measurement(check, startedAt, rate, threshold, TARGET_5XX + " " + Threshold.number(errors) + " / "
                        + REQUEST_COUNT + " " + Threshold.number(requests) + " = " + Threshold.display(rate) + where);
            }
            if (metric == TargetGroupMetric.LATENCY_P99) {
                Map<String, List<Double>> data = read(target, window, List.of(
                        new MetricQuery("p99", NAMESPACE, RESPONSE_TIME, dimensions, "p99"),
                        new MetricQuery("requests", NAMESPACE, REQUEST_COUNT, dimensions, "Sum")));
                List<Double> p99 = data.get("p99");
                double requests = sum(data.get("requests"));
                if (p99 == null || p99.isEmpty()) {
                    return measurement(check, startedAt, null, threshold, "no " + RESPONSE_TIME + " p99" + where
                            + " (" + REQUEST_COUNT + " " + Threshold.number(requests) + ")");
                }
                // one datapoint by construction of the window; should there be more, the highest is kept
                double value = p99.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
                return measurement(check, startedAt, value, threshold, RESPONSE_TIME + " p99 " + Threshold.display(value)
                        + " s over " + REQUEST_COUNT + " " + Threshold.number(requests) + where);
            }
            Map<String, List<Double>> data = read(target, window, List.of(
                    new MetricQuery("requests", NAMESPACE, REQUEST_COUNT, dimensions, "Sum")));
            double requests = sum(data.get("requests"));
            return measurement(check, startedAt, requests, threshold, REQUEST_COUNT + " " + Threshold.number(requests) + where);
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
            return error(check, startedAt, threshold, "CloudWatch GetMetricData failed: " + (code == null ? "" : code + ": ")
                    + message + " (HTTP " + e.statusCode() + ")");
        } catch (RuntimeException e) {
            return error(check, startedAt, threshold, "CloudWatch GetMetricData failed: " + Checks.describe(e));
        }
    }

    private Map<String, List<Double>> read(AnalysisTarget target, Window window, List<MetricQuery> queries) {
        return metrics.getMetricData(target.region(), queries, window.start(), window.end(), window.periodSeconds());
    }

    private static double sum(List<Double> values) {
        if (values == null) return 0;
        double total = 0;
        for (Double v : values) {
            if (v != null && !v.isNaN()) total += v;
        }
        return total;
    }

    private static Measurement measurement(AnalysisCheck check, Instant at, Double value, Threshold threshold, String detail) {
        return new Measurement(check.name(), Checks.TARGET_GROUP_METRIC, at, value, threshold.text(), threshold.verdict(value),
                Checks.detail(detail));
    }

    private static Measurement error(AnalysisCheck check, Instant at, Threshold threshold, String detail) {
        return new Measurement(check.name(), Checks.TARGET_GROUP_METRIC, at, null, threshold.text(), Verdict.ERROR,
                Checks.detail(detail));
    }

    /** The {@code TargetGroup} dimension, {@code targetgroup/NAME/ID}: the resource part of the target group's ARN. */
    static String targetGroupDimension(String targetGroupArn) {
        String resource = resource(targetGroupArn);
        String[] parts = resource == null ? new String[0] : resource.split("/");
        if (parts.length != 3 || !parts[0].equals("targetgroup")) {
            throw new IllegalArgumentException("not a target group ARN: " + targetGroupArn);
        }
        return resource;
    }

    /**
     * The {@code LoadBalancer} dimension, {@code app/NAME/ID}, from a listener
     * ({@code listener/app/NAME/ID/L}), listener rule ({@code listener-rule/app/NAME/ID/L/R}) or load
     * balancer ARN.
     */
    static String loadBalancerDimension(String arn) {
        String resource = resource(arn);
        String[] parts = resource == null ? new String[0] : resource.split("/");
        boolean known = parts.length >= 4 && (parts[0].equals("listener") || parts[0].equals("listener-rule")
                || parts[0].equals("loadbalancer"));
        if (!known) {
            throw new IllegalArgumentException("not a listener, listener rule or load balancer ARN: " + arn);
        }
        return parts[1] + "/" + parts[2] + "/" + parts[3];
    }

    private static String resource(String arn) {
        if (arn == null) return null;
        String[] fields = arn.split(":", 6);
        return fields.length == 6 && fields[0].equals("arn") ? fields[5] : null;
    }
}

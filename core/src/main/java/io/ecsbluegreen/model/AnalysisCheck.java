package io.ecsbluegreen.model;

import io.ecsbluegreen.model.meta.Default;
import io.ecsbluegreen.model.meta.Doc;
import io.ecsbluegreen.model.meta.DurationRange;
import io.ecsbluegreen.model.meta.ExactlyOneOf;
import io.ecsbluegreen.model.meta.Pattern;
import io.ecsbluegreen.model.meta.Range;
import io.ecsbluegreen.model.meta.Required;
import java.time.Duration;

/** One analysis check: a target-group metric, a Prometheus query or an HTTP probe. */
@ExactlyOneOf({"targetGroupMetric", "prometheus", "httpProbe"})
@Doc("One check: exactly one of `targetGroupMetric`, `prometheus` or `httpProbe`.")
public record AnalysisCheck(
        @Required @Pattern(value = Patterns.OBJECT_NAME, hint = Patterns.OBJECT_NAME_HINT)
        @Doc("Name, unique among the checks; shown in status.")
        String name,

        @DurationRange(min = "10s", max = "1h")
        @Doc("Time between measurements; `analysis.interval` when absent.")
        Duration interval,

        @Default("1") @Range(min = 1, max = 100)
        @Doc("Failed measurements that fail the check.")
        Integer failureLimit,

        @Default("fail")
        @Doc("What a measurement with no data counts as: `fail`, `pass`, or `wait` (measure again, without counting).")
        NoDataPolicy noData,

        @Doc("A CloudWatch metric of the green target group.")
        TargetGroupMetricCheck targetGroupMetric,

        @Doc("A Prometheus instant query.")
        PrometheusCheck prometheus,

        @Doc("HTTP requests to an endpoint of green.")
        HttpProbeCheck httpProbe) {}

package io.ecsbluegreen.model;

import io.ecsbluegreen.model.meta.AtLeastOneOf;
import io.ecsbluegreen.model.meta.DecimalRange;
import io.ecsbluegreen.model.meta.Doc;
import io.ecsbluegreen.model.meta.Required;

/** A CloudWatch metric of the green target group compared with thresholds. */
@AtLeastOneOf({"max", "min"})
@Doc("A metric of the green target group over the last interval, with at least one of `max` or `min`.")
public record TargetGroupMetricCheck(
        @Required
        @Doc("`errorRate` (5xx responses over requests, 0 to 1), `latencyP99` (seconds) or `requestCount`.")
        TargetGroupMetric metric,

        @DecimalRange(min = 0)
        @Doc("Highest passing value.")
        Double max,

        @DecimalRange(min = 0)
        @Doc("Lowest passing value.")
        Double min) {}

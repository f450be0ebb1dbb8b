package io.ecsbluegreen.model;

/** A CloudWatch metric of the green target group. */
public enum TargetGroupMetric implements WireValue {
    ERROR_RATE("errorRate"),
    LATENCY_P99("latencyP99"),
    REQUEST_COUNT("requestCount");

    private final String wire;

    TargetGroupMetric(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}

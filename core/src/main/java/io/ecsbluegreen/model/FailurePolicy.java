package io.ecsbluegreen.model;

/** What a failed hook does to the rollout. */
public enum FailurePolicy implements WireValue {
    ROLLBACK("rollback"),
    IGNORE("ignore");

    private final String wire;

    FailurePolicy(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}

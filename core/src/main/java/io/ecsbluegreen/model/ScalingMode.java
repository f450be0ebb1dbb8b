package io.ecsbluegreen.model;

/** Who sets the service's desired count when the spec does not. */
public enum ScalingMode implements WireValue {
    /** Something outside the operator (an Application Auto Scaling policy of its own, a person): the operator follows. */
    EXTERNAL("external");

    private final String wire;

    ScalingMode(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}

package io.ecsbluegreen.model;

/** Whether production traffic moves on its own or waits for a promote command. */
public enum Promotion implements WireValue {
    AUTO("auto"),
    MANUAL("manual");

    private final String wire;

    Promotion(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}

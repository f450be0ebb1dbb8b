package io.ecsbluegreen.model;

/** How production traffic moves from blue to green. */
public enum StrategyType implements WireValue {
    ALL_AT_ONCE("AllAtOnce"),
    CANARY("Canary"),
    LINEAR("Linear");

    private final String wire;

    StrategyType(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}

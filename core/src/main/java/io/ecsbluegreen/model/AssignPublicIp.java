package io.ecsbluegreen.model;

/** Whether awsvpc tasks get a public IP address. */
public enum AssignPublicIp implements WireValue {
    ENABLED("ENABLED"),
    DISABLED("DISABLED");

    private final String wire;

    AssignPublicIp(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}

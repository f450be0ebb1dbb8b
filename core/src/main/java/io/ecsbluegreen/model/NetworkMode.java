package io.ecsbluegreen.model;

/** The Docker networking mode of the task's containers. */
public enum NetworkMode implements WireValue {
    AWSVPC("awsvpc"),
    BRIDGE("bridge"),
    HOST("host");

    private final String wire;

    NetworkMode(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}

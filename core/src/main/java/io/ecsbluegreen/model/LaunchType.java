package io.ecsbluegreen.model;

/** How ECS places the tasks of a task set. */
public enum LaunchType implements WireValue {
    FARGATE("FARGATE"),
    EC2("EC2"),
    EXTERNAL("EXTERNAL");

    private final String wire;

    LaunchType(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}

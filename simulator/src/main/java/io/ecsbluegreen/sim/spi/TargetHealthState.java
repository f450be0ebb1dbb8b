package io.ecsbluegreen.sim.spi;

/** ELBv2 target health states, spelled as DescribeTargetHealth spells them. */
public enum TargetHealthState {
    INITIAL("initial"),
    HEALTHY("healthy"),
    UNHEALTHY("unhealthy"),
    UNUSED("unused"),
    DRAINING("draining"),
    UNAVAILABLE("unavailable");

    private final String wire;

    TargetHealthState(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}

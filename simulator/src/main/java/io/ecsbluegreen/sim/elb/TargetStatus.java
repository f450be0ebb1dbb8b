package io.ecsbluegreen.sim.elb;

import io.ecsbluegreen.sim.spi.TargetHealthState;

/**
 * A target's health as DescribeTargetHealth reports it.
 *
 * @param id the target id (an IP address or an instance id)
 * @param port the target's port
 * @param state initial, healthy, unhealthy, unused or draining
 * @param reason the reason code ({@code Elb.InitialHealthChecking}, {@code Target.FailedHealthChecks},
 *     ...); null when healthy
 * @param description AWS's description of the reason; null when healthy
 */
public record TargetStatus(String id, int port, TargetHealthState state, String reason, String description) {

    static TargetStatus healthy(String id, int port) {
        return new TargetStatus(id, port, TargetHealthState.HEALTHY, null, null);
    }

    static TargetStatus initial(String id, int port) {
        return new TargetStatus(id, port, TargetHealthState.INITIAL, "Elb.InitialHealthChecking",
                "Initial health checks in progress");
    }

    static TargetStatus failedHealthChecks(String id, int port) {
        return new TargetStatus(id, port, TargetHealthState.UNHEALTHY, "Target.FailedHealthChecks", "Health checks failed");
    }

    static TargetStatus responseCodeMismatch(String id, int port) {
        return new TargetStatus(id, port, TargetHealthState.UNHEALTHY, "Target.ResponseCodeMismatch",
                "Health checks failed with these codes: [503]");
    }

    static TargetStatus draining(String id, int port) {
        return new TargetStatus(id, port, TargetHealthState.DRAINING, "Target.DeregistrationInProgress",
                "Target deregistration is in progress");
    }

    static TargetStatus notInUse(String id, int port) {
        return new TargetStatus(id, port, TargetHealthState.UNUSED, "Target.NotInUse",
                "Target group is not configured to receive traffic from the load balancer");
    }

    static TargetStatus notRegistered(String id, int port) {
        return new TargetStatus(id, port, TargetHealthState.UNUSED, "Target.NotRegistered",
                "Target is not registered to the target group");
    }
}

package io.ecsbluegreen.sim.spi;

import java.time.Duration;
import java.util.Optional;

/**
 * What the ECS side needs from the ELBv2 side: registering simulated tasks as {@code ip} targets and
 * asking how healthy they are. Implemented by the ELBv2 simulation; thread-safe.
 */
public interface TargetGroups {

    /** Whether a target group with this ARN exists. */
    boolean exists(String targetGroupArn);

    /** Whether a listener or rule of a load balancer uses the target group; ECS refuses task sets on one that none uses. */
    boolean associated(String targetGroupArn);

    /**
     * Registers a running task as a target on {@code port}, as ECS does when a task of a task set with a
     * load balancer starts. Health checks start from the current simulated time.
     */
    void register(String targetGroupArn, SimTask task, int port);

    /** Deregisters a target; it drains for the target group's deregistration delay. */
    void deregister(String targetGroupArn, String ip, int port);

    /** The target's current health; empty when it is not registered (or has finished draining). */
    Optional<TargetHealthState> health(String targetGroupArn, String ip, int port);

    /**
     * The target group's {@code deregistration_delay.timeout_seconds}: how long a deregistered target
     * drains, and so how long a deleted task set stays DRAINING.
     */
    Duration deregistrationDelay(String targetGroupArn);
}

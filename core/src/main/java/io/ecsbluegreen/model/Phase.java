package io.ecsbluegreen.model;

/** Where a service stands, as status, API and metrics report it. */
public enum Phase {
    /** Production runs the desired revision; nothing to do but keep blue warm and correct drift. */
    Steady,
    /** Green is being created or is becoming stable and healthy. */
    Deploying,
    /** The test listener serves green. */
    TestTraffic,
    /** Waiting for a person to promote green. */
    AwaitingPromotion,
    /** Production traffic is moving step by step. */
    Shifting,
    /** Production is fully on green, watched before green becomes primary. */
    Baking,
    /** Traffic is going back to blue and green is being removed. */
    RollingBack,
    /** The desired revision failed or was aborted; blue serves; nothing is retried until the spec changes or retry. */
    RolledBack,
    /**
     * A problem the operator cannot solve by retrying (foreign deployment controller or owner), a missing
     * target group or listener (retried with backoff), or AWS unreachable before the service's first pass.
     */
    Failed,
    /** The spec is invalid and was never valid; nothing is done. */
    Invalid,
    /** No file declares the service any more; it is reported and left alone. */
    Orphaned,
    /**
     * The spec asks for a new revision and the service waits in the reconcile queue for its pass: set the
     * moment the desired state changes (not by the planner, which never returns it), replaced by what
     * that pass finds. Active revision and traffic are those the last pass saw.
     */
    Queued
}

package io.ecsbluegreen.plan;

/** What a person asked for through the API or CLI, applied at the next pass. */
public enum Command {
    /** Let production traffic move (manual promotion). */
    PROMOTE,
    /** Roll back the rollout in progress now. */
    ABORT,
    /** Start the failed or aborted desired revision again. */
    RETRY
}

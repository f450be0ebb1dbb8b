package io.ecsbluegreen.observed;

/**
 * Where a hook run stands, as the planner sees it.
 *
 * @param state running, succeeded or failed
 * @param message why it failed, or a short excerpt of its answer
 */
public record HookResult(State state, String message) {

    /** A hook run's state. */
    public enum State { RUNNING, SUCCEEDED, FAILED }

    public static final HookResult RUNNING = new HookResult(State.RUNNING, null);
}

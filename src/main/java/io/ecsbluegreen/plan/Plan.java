package io.ecsbluegreen.plan;

import java.time.Duration;
import java.util.List;

/**
 * The planner's answer for one service in one pass.
 *
 * @param actions the changes to make, in order
 * @param status the status after this pass's observation
 * @param requeueAfter when to look again at the latest; null to wait for the next resync or event
 * @param drift outside changes this plan corrects, for logs and the drift metric
 * @param terminal true when the service needs a person (or a spec change): not retried until then
 */
public record Plan(List<Action> actions, ServiceStatus status, Duration requeueAfter, List<Drift> drift, boolean terminal) {

    public Plan {
        actions = List.copyOf(actions);
        drift = List.copyOf(drift);
    }

    /** An outside change the operator corrects. */
    public record Drift(String kind, String detail) {}
}

package io.ecsbluegreen.status;

import java.time.Instant;

/**
 * One aspect of a service's health, in the Kubernetes manner: a type, whether it holds, why, and since
 * when it has held (or not).
 *
 * @param type {@code Converged}, {@code SpecCurrent} or {@code Reconciling}
 * @param status whether the condition holds
 * @param reason a short CamelCase code
 * @param message the same for people
 * @param lastTransitionTime when {@code status} last changed
 */
public record Condition(String type, boolean status, String reason, String message, Instant lastTransitionTime) {

    /** Production serves the desired revision and nothing is left to do. */
    public static final String CONVERGED = "Converged";
    /** The spec in force is the one the files declare now (not a last good one held over an invalid file). */
    public static final String SPEC_CURRENT = "SpecCurrent";
    /** The last pass reached AWS and ran its actions. */
    public static final String RECONCILING = "Reconciling";

    /** The same condition with the transition time carried over when its status did not change. */
    Condition since(Condition previous) {
        if (previous != null && previous.status == status) {
            return new Condition(type, status, reason, message, previous.lastTransitionTime);
        }
        return this;
    }
}

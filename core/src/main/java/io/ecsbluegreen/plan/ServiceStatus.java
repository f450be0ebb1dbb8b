package io.ecsbluegreen.plan;

import io.ecsbluegreen.model.Phase;
import java.util.Map;

/**
 * What the planner concludes about a service in one pass; the API, CLI, metrics and events show it.
 *
 * @param activeRevision the revision of the primary task set (serving production); null before the first
 * @param desiredRevision the revision the spec asks for
 * @param productionWeights revision to percent of production traffic
 * @param testWeights revision to percent of test traffic; empty without a test listener
 * @param step the traffic step in force (1-based), 0 outside a shift
 * @param steps the number of traffic steps of the rollout, 0 outside a rollout
 * @param reason a short CamelCase code for why the service is in its phase (e.g. {@code ProgressDeadlineExceeded})
 * @param message the same for people
 */
public record ServiceStatus(Phase phase, String activeRevision, String desiredRevision,
                            Map<String, Integer> productionWeights, Map<String, Integer> testWeights,
                            int step, int steps, String reason, String message) {

    public ServiceStatus {
        productionWeights = Map.copyOf(productionWeights);
        testWeights = Map.copyOf(testWeights);
    }

    /** Whether production serves the desired revision and nothing is left to do. */
    public boolean converged() {
        return phase == Phase.Steady && desiredRevision != null && desiredRevision.equals(activeRevision);
    }

    static ServiceStatus of(Phase phase, String active, String desired, Reason reason, String message) {
        return new ServiceStatus(phase, active, desired, Map.of(), Map.of(), 0, 0, reason.name(), message);
    }

    ServiceStatus withWeights(Map<String, Integer> production, Map<String, Integer> test) {
        return new ServiceStatus(phase, activeRevision, desiredRevision, production, test, step, steps, reason, message);
    }

    ServiceStatus withStep(int newStep, int newSteps) {
        return new ServiceStatus(phase, activeRevision, desiredRevision, productionWeights, testWeights, newStep, newSteps, reason, message);
    }

    ServiceStatus withReason(Reason newReason, String newMessage) {
        return new ServiceStatus(phase, activeRevision, desiredRevision, productionWeights, testWeights, step, steps, newReason.name(), newMessage);
    }

}

package io.ecsbluegreen.analysis;

import io.ecsbluegreen.observed.CheckState;
import io.ecsbluegreen.plan.AnalysisTarget;
import io.ecsbluegreen.model.AnalysisSpec;
import java.util.Map;

/**
 * Measures a rollout's analysis checks in the background. The planner decides when analysis runs and
 * reads the states; the actor asks for due measurements. Measurements never block a reconcile pass.
 */
public interface AnalysisPort {

    /**
     * Starts, in the background, a measurement of every check of {@code spec} that is not measuring and
     * whose interval (the check's, else the spec's) has passed since its last measurement began, or that
     * was never measured; returns at once. When a measurement ends, the service is woken.
     */
    void measureDue(AnalysisTarget target, AnalysisSpec spec);

    /** The service's check states by rollout key ({@link AnalysisTarget#key()}), then by check name. */
    Map<String, Map<String, CheckState>> states(String service);

    /** Forgets the service's rollouts other than {@code rolloutKey} (null: all of them). */
    void retain(String service, String rolloutKey);

    /** Analysis not available: a check never measures (a rollout with checks waits for them). */
    AnalysisPort NONE = new AnalysisPort() {
        @Override
        public void measureDue(AnalysisTarget target, AnalysisSpec spec) {
            throw new IllegalStateException("analysis is not available in this process");
        }

        @Override
        public Map<String, Map<String, CheckState>> states(String service) {
            return Map.of();
        }

        @Override
        public void retain(String service, String rolloutKey) {
        }
    };
}

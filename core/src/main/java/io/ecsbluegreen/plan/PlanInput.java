package io.ecsbluegreen.plan;

import io.ecsbluegreen.plan.AnalysisTarget;
import io.ecsbluegreen.observed.CheckState;
import io.ecsbluegreen.plan.HookCall;
import io.ecsbluegreen.observed.HookResult;
import io.ecsbluegreen.observed.Observed;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Everything one planning pass reads: the planner is a pure function of this record.
 *
 * @param desired the spec, with names resolved
 * @param observed what AWS shows now
 * @param commands what a person asked for, applied in this pass
 * @param hookRuns what is known of the service's lifecycle-hook runs, by {@link HookCall#key}: a hook
 *     without an entry has not been started since the operator started
 * @param analysis the states of the service's analysis checks, by {@link AnalysisTarget#key} then check
 *     name: a check without an entry has not been measured since the operator started
 * @param now the time of the pass
 * @param orphaned whether no file declares the service any more ({@code desired} is its last good spec):
 *     it is still watched, and rolled back on bad health, alarms or analysis, but takes no new step and
 *     makes no other change (see {@link Orphans})
 */
public record PlanInput(Desired desired, Observed observed, Set<Command> commands, Map<String, HookResult> hookRuns,
                        Map<String, Map<String, CheckState>> analysis, Instant now, boolean orphaned) {

    public PlanInput {
        commands = Set.copyOf(commands);
        hookRuns = Map.copyOf(hookRuns);
        analysis = Map.copyOf(analysis);
    }

    /** A pass without commands, hook runs or analysis states, of a declared service. */
    public static PlanInput of(Desired desired, Observed observed, Instant now) {
        return new PlanInput(desired, observed, Set.of(), Map.of(), Map.of(), now, false);
    }

    public PlanInput withCommands(Set<Command> newCommands) {
        return new PlanInput(desired, observed, newCommands, hookRuns, analysis, now, orphaned);
    }

    public PlanInput withHookRuns(Map<String, HookResult> newHookRuns) {
        return new PlanInput(desired, observed, commands, newHookRuns, analysis, now, orphaned);
    }

    public PlanInput withAnalysis(Map<String, Map<String, CheckState>> newAnalysis) {
        return new PlanInput(desired, observed, commands, hookRuns, newAnalysis, now, orphaned);
    }

    public PlanInput withOrphaned(boolean newOrphaned) {
        return new PlanInput(desired, observed, commands, hookRuns, analysis, now, newOrphaned);
    }
}

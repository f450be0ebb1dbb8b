package io.ecsbluegreen.plan;

import io.ecsbluegreen.model.Phase;
import io.ecsbluegreen.observed.Observed;
import io.ecsbluegreen.observed.Observed.TaskSet;
import io.ecsbluegreen.observed.Observed.TaskSetStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the planner does for an orphaned service, one no file declares any more (its file deleted, or a
 * held removal confirmed): it is still watched, so green's health, the rollback alarms and the analysis
 * still roll it back, but it takes no new step and makes no other change; AWS is left as it stands.
 * The moment it was orphaned mid-step is kept in AWS ({@link Tags#ORPHANED_AT}) so that when the spec
 * returns, even after a restart, the step's pause restarts instead of having run out meanwhile.
 */
final class Orphans {
    private Orphans() {}

    /** Status reason of an orphaned service. */
    static final String NOT_DECLARED = Reason.NotDeclared.name();
    /** Status reason of the pass that restarts a step's pause when the spec is declared again. */
    static final String PAUSE_RESTARTED = Reason.PauseRestarted.name();

    /**
     * The plan made as if the service were declared, restricted: a rollback goes through whole (a rollback
     * is never held up); otherwise only analysis measurements are kept, the orphaning is recorded once on
     * a green in a traffic step, and the status says {@link Phase#Orphaned} with the traffic as it stands.
     *
     * @param production production weights by revision as observed
     * @param test test weights by revision as observed
     */
    static Plan restrict(Plan plan, Desired desired, Observed observed, Instant now, Map<String, Integer> production,
                         Map<String, Integer> test) {
        Phase phase = plan.status().phase();
        if (phase == Phase.RollingBack || phase == Phase.RolledBack) return plan;
        String revision = desired.revision().id();
        List<Action> kept = new ArrayList<>(plan.actions().stream().filter(a -> a instanceof Action.Analyze).toList());
        Optional<TaskSet> green = observed.taskSets().stream()
                .filter(t -> t.status() == TaskSetStatus.ACTIVE && revision.equals(t.revision())).findFirst();
        // No ECS service at all (deleted outside, or never created): nothing to watch, nothing is created.
        Map<String, String> tags = observed.service() == null ? Map.of() : observed.service().tags();
        Optional<TrafficSteps.StepTag> step = green.flatMap(g -> Tags.factOf(tags.get(Tags.key(Tags.STEP, revision)), g.id()))
                .flatMap(TrafficSteps.StepTag::parse);
        if (observed.service() != null && green.isPresent() && step.isPresent()
                && Tags.factOf(tags.get(Tags.key(Tags.ORPHANED_AT, revision)), green.get().id()).isEmpty()) {
            kept.add(new Action.TagResource(observed.service().arn(), Map.of(Tags.key(Tags.ORPHANED_AT, revision),
                    Tags.forTaskSet(green.get().id(), String.valueOf(now.getEpochSecond())))));
        }
        ServiceStatus was = plan.status();
        int steps = step.isPresent() ? TrafficSteps.schedule(desired.spec().strategy()).size() : 0;
        String where = step.map(s -> "; the rollout holds at step " + (s.index() + 1) + " of " + steps
                + " and is still rolled back on bad health, alarms or analysis").orElse("");
        ServiceStatus status = new ServiceStatus(Phase.Orphaned, was.activeRevision(), was.desiredRevision(), production, test,
                step.map(s -> s.index() + 1).orElse(0), steps, NOT_DECLARED,
                "no file declares " + desired.name() + " any more; no new step is taken" + where);
        Duration requeue = green.isEmpty() ? null
                : kept.stream().anyMatch(a -> a instanceof Action.Analyze) ? Planner.POLL : Planner.ALARM_POLL;
        return new Plan(kept, status, plan.terminal() ? Plan.Next.TERMINAL : Plan.Next.after(requeue), List.of());
    }
}

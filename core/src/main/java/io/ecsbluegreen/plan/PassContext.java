package io.ecsbluegreen.plan;

import io.ecsbluegreen.observed.CheckState;
import io.ecsbluegreen.observed.HookResult;
import io.ecsbluegreen.model.BlueGreenServiceSpec;
import io.ecsbluegreen.observed.Observed;
import io.ecsbluegreen.observed.Observed.Forward;
import io.ecsbluegreen.observed.Observed.TaskSet;
import io.ecsbluegreen.observed.Observed.TaskSetStatus;
import io.ecsbluegreen.plan.TrafficSteps.StepTag;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The shared context of one planning pass: its inputs ({@link PlanInput}), the actions and drift the pass
 * collects, and the facts every concern reads (live task sets, per-revision facts, health, traffic).
 *
 * <p>The planner's concerns are one chain of classes, one file each, so that every concern reads the
 * pass's inputs as fields, the way argo-rollouts' {@code bluegreen.go}, {@code canary.go} and
 * {@code analysis.go} share one {@code rolloutContext}: {@link StatusView} (the status and the outcome),
 * {@link Ownership}, {@link HookGates}, {@link AnalysisGate}, {@link TrafficSteps} and {@link Phases},
 * the entry point. A concern calls only those before it in the chain; the one call the other way, a
 * rollback, is declared here. A pass is a short-lived object: it holds nothing beyond one call.
 */
abstract class PassContext {
    final Desired desired;
    final BlueGreenServiceSpec spec;
    final Observed observed;
    final Set<Command> commands;
    final Instant now;
    final Map<String, HookResult> hookRuns;
    final Map<String, Map<String, CheckState>> analysis;
    final boolean orphaned;
    final List<Action> actions = new ArrayList<>();
    final List<Plan.Drift> drift = new ArrayList<>();
    /** Whether the pass got far enough to write to the service (it exists, is EXTERNAL and is this service's). */
    boolean scalingManaged;

    PassContext(PlanInput input) {
        this.desired = input.desired();
        this.spec = desired.spec();
        this.observed = input.observed();
        this.commands = input.commands();
        this.hookRuns = input.hookRuns();
        this.analysis = input.analysis();
        this.now = input.now();
        this.orphaned = input.orphaned();
    }

    /** The one call against the chain: hooks, analysis and traffic steps roll back through {@link Phases}. */
    abstract Plan rollback(TaskSet green, TaskSet blue, Reason reason, String message);

    // ---- corrections -------------------------------------------------------------------------

    void ensureScale(TaskSet taskSet) {
        if (taskSet.scalePercent() != 100.0) {
            drift.add(new Plan.Drift("taskSetScale", taskSet.id() + " was scaled to " + taskSet.scalePercent() + "%"));
            actions.add(new Action.UpdateTaskSetScale(taskSet.arn(), 100));
        }
    }

    void ensureAllTraffic(TaskSet primary, Forward forward, String which) {
        if (forward.percentTo(primary.targetGroupArn()) != 100) {
            // Without healthy targets on the primary, Safety holds the correction back and the plan says
            // so and looks again soon; it is counted as drift once it can really be made.
            if (healthyTargets(primary.targetGroupArn()) > 0) {
                drift.add(new Plan.Drift("listenerWeights", which + " sent " + (100 - forward.percentTo(primary.targetGroupArn()))
                        + "% away from the primary task set"));
            }
            actions.add(forward(forward, weights(primary.targetGroupArn(), 100, otherTargetGroup(primary.targetGroupArn()))));
        }
    }

    // ---- the desired count ---------------------------------------------------------------------

    /** The count the task sets scale to after this pass: the spec's when it fixes one, else the service's as it is. */
    int targetCount() {
        return spec.ownsDesiredCount() ? spec.desiredCount() : observed.service().desiredCount();
    }

    Optional<CountTag> countTag() {
        return CountTag.parse(serviceTags().get(Tags.DESIRED_COUNT));
    }

    /**
     * The tag write recording a count the task sets newly scale to, at the end of the pass (bookkeeping
     * never holds up a traffic change): always when the count is followed, so a restart knows it; with a
     * fixed count only once the operator corrected it.
     */
    Optional<Action> countRecord() {
        int count = targetCount();
        Optional<CountTag> recorded = countTag();
        boolean known = recorded.map(c -> c.count() == count)
                .orElse(spec.ownsDesiredCount() && observed.service().desiredCount() == count);
        if (known) return Optional.empty();
        return Optional.of(new Action.TagResource(observed.service().arn(),
                Map.of(Tags.DESIRED_COUNT, new CountTag(count, now).toString())));
    }

    /** Since when the task sets scale to {@link #targetCount}; null when it never changed (a fixed count never corrected). */
    Instant countSince() {
        if (countRecord().isPresent()) return now;
        return countTag().map(CountTag::since).orElse(null);
    }

    /**
     * Whether green falls short of ready only because its tasks are starting or stopping for a desired
     * count that changed within the progress deadline (an autoscaler's, or the spec's fixed one set back),
     * while it still has healthy targets: it keeps the traffic it has and takes no step meanwhile, rather
     * than being rolled back or timed out for it.
     */
    boolean rescaling(TaskSet t) {
        if (ready(t) || healthy(t) == 0) return false;
        Instant since = countSince();
        return since != null && now.isBefore(since.plus(spec.strategy().progressDeadline()));
    }

    // ---- helpers -----------------------------------------------------------------------------

    /**
     * Whether a new task set may go on the target group: every task set on it is deleted by this plan,
     * as far as {@link Safety} lets it. Two task sets behind one target group would both serve from it.
     */
    boolean free(String targetGroupArn) {
        List<Action> safe = Safety.check(actions, observed);
        return live().stream().filter(t -> targetGroupArn.equals(t.targetGroupArn()))
                .allMatch(t -> safe.stream().anyMatch(a -> a instanceof Action.DeleteTaskSet d && d.taskSetArn().equals(t.arn())));
    }

    Optional<TaskSet> active() {
        return live().stream().filter(t -> t.status() == TaskSetStatus.PRIMARY).findFirst();
    }

    /** The task sets that are not DRAINING: only these can be green, primary, serving or deleted. */
    List<TaskSet> live() {
        return observed.taskSets().stream().filter(t -> t.status() != TaskSetStatus.DRAINING).toList();
    }

    /**
     * Of the live task sets that match, the one to keep when there are several (duplicates): the one
     * traffic points at, else the oldest.
     */
    Optional<TaskSet> chosen(java.util.function.Predicate<TaskSet> filter) {
        return live().stream().filter(filter).min(Comparator.comparing((TaskSet t) -> carriesTraffic(t) ? 0 : 1)
                .thenComparing(TaskSet::createdAt).thenComparing(TaskSet::id));
    }

    /** A second task set of a revision that already has one: deleted, counted as drift. */
    void duplicate(TaskSet extra, TaskSet kept) {
        drift.add(new Plan.Drift("duplicateTaskSet", extra.id() + " duplicates " + kept.id() + " (revision " + kept.revision() + ")"));
        actions.add(new Action.DeleteTaskSet(extra.arn(), "duplicate of " + kept.id()));
    }

    Map<String, String> serviceTags() {
        return observed.service() == null ? Map.of() : observed.service().tags();
    }

    boolean migrated() {
        return Tags.LAYOUT_VERSION.equals(serviceTags().get(Tags.LAYOUT));
    }

    /**
     * A per-revision fact about a task set: the service's tag written for this task set; before the
     * service is migrated, the task set's own tag of the earlier layout.
     */
    Optional<String> fact(String kind, TaskSet t) {
        if (t.revision() == null) return Optional.empty();
        Optional<String> own = Tags.factOf(serviceTags().get(Tags.key(kind, t.revision())), t.id());
        if (own.isPresent() || migrated()) return own;
        return t.tag(legacy(kind));
    }

    Optional<StepTag> step(TaskSet t) {
        return fact(Tags.STEP, t).flatMap(StepTag::parse);
    }

    Action.TagResource record(String kind, TaskSet t, String fact) {
        return new Action.TagResource(observed.service().arn(), Map.of(Tags.key(kind, t.revision()), Tags.forTaskSet(t.id(), fact)));
    }

    long generation() {
        try {
            return Long.parseLong(serviceTags().getOrDefault(Tags.GENERATION, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    Action.CreateTaskSet createTaskSet(String targetGroupArn, long generation) {
        return new Action.CreateTaskSet(desired.revision(), observed.desiredTaskDefinitionArn(), targetGroupArn,
                ClientTokens.taskSet(observed.service().arn(), observed.service().createdAt(), desired.revision().id(),
                        targetGroupArn, generation), observed.service().arn(), generation);
    }

    boolean ready(TaskSet t) {
        return t.steady() && t.computedDesiredCount() > 0 && t.runningCount() >= t.computedDesiredCount()
                && healthy(t) >= t.computedDesiredCount();
    }

    int healthy(TaskSet t) {
        return healthyTargets(t.targetGroupArn());
    }

    int healthyTargets(String targetGroupArn) {
        Observed.TargetGroup tg = observed.targetGroups().get(targetGroupArn);
        return tg == null ? 0 : tg.healthy();
    }

    int productionWeight(TaskSet t) {
        return observed.production().weights().getOrDefault(t.targetGroupArn(), 0);
    }

    boolean carriesTraffic(TaskSet t) {
        if (t.status() == TaskSetStatus.DRAINING || t.targetGroupArn() == null) return false;
        return observed.production().percentTo(t.targetGroupArn()) > 0
                || (observed.test() != null && observed.test().percentTo(t.targetGroupArn()) > 0);
    }

    boolean deadlinePassed(TaskSet t) {
        return !now.isBefore(t.createdAt().plus(spec.strategy().progressDeadline()));
    }

    String idleTargetGroup(TaskSet blue) {
        return otherTargetGroup(blue.targetGroupArn());
    }

    String otherTargetGroup(String targetGroupArn) {
        return targetGroupArn.equals(desired.blueTargetGroupArn()) ? desired.greenTargetGroupArn() : desired.blueTargetGroupArn();
    }

    Map<String, Integer> weights(String to, int percent) {
        return weights(to, percent, otherTargetGroup(to));
    }

    static Map<String, Integer> weights(String green, int percent, String blue) {
        Map<String, Integer> w = new LinkedHashMap<>();
        w.put(blue, 100 - percent);
        w.put(green, percent);
        return w;
    }

    static Action forward(Forward forward, Map<String, Integer> weights) {
        return new Action.SetForwardWeights(forward.arn(), forward.rule(), weights);
    }

    List<String> specAlarms() {
        return spec.rollback() == null || spec.rollback().alarms() == null ? List.of() : spec.rollback().alarms();
    }

    List<String> missingAlarms() {
        if (observed.alarms() == null) return List.of();
        return specAlarms().stream().filter(a -> !observed.alarms().containsKey(a)).toList();
    }

    /**
     * The first rollback alarm in ALARM while green is watched: from the moment test traffic reaches it
     * (or, without a test listener, production does) until it becomes primary.
     */
    Optional<String> alarmFiring(TaskSet green) {
        if (observed.alarms() == null) return Optional.empty();
        boolean watched = step(green).isPresent() || carriesTraffic(green);
        if (!watched) return Optional.empty();
        return specAlarms().stream().filter(a -> "ALARM".equals(observed.alarms().get(a))).findFirst();
    }

    Optional<String> failedRevision() {
        return Optional.ofNullable(observed.service().tags().get(Tags.FAILED_REVISION));
    }

    String failedReason() {
        String reason = observed.service().tags().get(Tags.FAILED_REASON);
        return reason == null ? "the revision failed" : Tags.text(reason);
    }

    boolean promoted(String revision) {
        return revision.equals(observed.service().tags().get(Tags.PROMOTED_REVISION));
    }

    static Optional<Instant> epoch(String text) {
        try {
            return Optional.of(Instant.ofEpochSecond(Long.parseLong(text)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static Duration min(Duration a, Duration b) {
        return a == null || b.compareTo(a) < 0 ? b : a;
    }

    static String legacy(String kind) {
        return kind.equals(Tags.STEP) ? Tags.LEGACY_STEP : kind.equals(Tags.HOOKS) ? Tags.LEGACY_HOOKS : Tags.LEGACY_RETIRED_AT;
    }
}

package io.ecsbluegreen.plan;

import io.ecsbluegreen.analysis.AnalysisTarget;
import io.ecsbluegreen.analysis.CheckState;
import io.ecsbluegreen.analysis.Measurement;
import io.ecsbluegreen.hooks.HookCall;
import io.ecsbluegreen.hooks.HookResult;
import io.ecsbluegreen.model.AnalysisCheck;
import io.ecsbluegreen.model.BlueGreenServiceSpec;
import io.ecsbluegreen.model.FailurePolicy;
import io.ecsbluegreen.model.HookSpec;
import io.ecsbluegreen.model.CanaryStep;
import io.ecsbluegreen.model.Promotion;
import io.ecsbluegreen.model.StrategySpec;
import io.ecsbluegreen.observe.Observed;
import io.ecsbluegreen.spec.Durations;
import io.ecsbluegreen.observe.Observed.Forward;
import io.ecsbluegreen.observe.Observed.TaskSet;
import io.ecsbluegreen.observe.Observed.TaskSetStatus;
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
 * The reconcile engine's brain: a pure function of (desired, observed, commands, now) to the actions of
 * one pass, the status and when to look again. It holds no state; everything it needs to resume a
 * rollout is in {@code observed} (task sets, listener weights, service tags; see {@link Tags}).
 *
 * <p>Blue is the service's PRIMARY task set; green is the non-primary task set running the desired
 * revision. A rollout creates green on the idle target group, waits until it is stable and every target
 * is healthy (within the progress deadline), points the test listener at it, waits for promotion when
 * manual, shifts production step by step (each step recorded on the service once the listener moved),
 * bakes at 100%, makes green primary and keeps blue warm for the retention window.
 *
 * <p>DRAINING task sets (deleted, their targets deregistering) are never green, primary or serving and
 * are never deleted again; they only count toward ECS's limit of five task sets per service.
 */
public final class Planner {

    /** How often to look while something is moving (a task set stabilising, targets becoming healthy). */
    static final Duration POLL = Duration.ofSeconds(10);

    /** How often rollback alarms are looked at while green is watched (test traffic to the end of the bake). */
    static final Duration ALARM_POLL = Duration.ofSeconds(30);

    /** ECS's limit on task sets per service; DRAINING ones count. */
    static final int MAX_TASK_SETS = 5;

    private Planner() {}

    private static boolean watchedPhase(Phase phase) {
        return phase == Phase.TestTraffic || phase == Phase.AwaitingPromotion || phase == Phase.Shifting || phase == Phase.Baking;
    }

    /** One traffic step: the production share of green and how long it holds before the next step. */
    record Step(int weight, Duration hold) {}

    public static Plan plan(Desired desired, Observed observed, Set<Command> commands, Instant now) {
        return plan(desired, observed, commands, Map.of(), now);
    }

    /**
     * @param hookRuns what is known of the service's lifecycle-hook runs, by {@link HookCall#key}: a hook
     *     without an entry has not been started since the operator started
     */
    public static Plan plan(Desired desired, Observed observed, Set<Command> commands, Map<String, HookResult> hookRuns,
                            Instant now) {
        return plan(desired, observed, commands, hookRuns, Map.of(), now);
    }

    /**
     * @param hookRuns what is known of the service's lifecycle-hook runs, by {@link HookCall#key}: a hook
     *     without an entry has not been started since the operator started
     * @param analysis the states of the service's analysis checks, by {@link AnalysisTarget#key} then
     *     check name: a check without an entry has not been measured since the operator started
     */
    public static Plan plan(Desired desired, Observed observed, Set<Command> commands, Map<String, HookResult> hookRuns,
                            Map<String, Map<String, CheckState>> analysis, Instant now) {
        return plan(desired, observed, commands, hookRuns, analysis, now, false);
    }

    /**
     * @param orphaned whether no file declares the service any more ({@code desired} is its last good
     *     spec): it is still watched, and rolled back on bad health, alarms or analysis, but takes no new
     *     step and makes no other change (see {@link Orphans})
     */
    public static Plan plan(Desired desired, Observed observed, Set<Command> commands, Map<String, HookResult> hookRuns,
                            Map<String, Map<String, CheckState>> analysis, Instant now, boolean orphaned) {
        return new Pass(desired, observed, commands, hookRuns, analysis, now, orphaned).run();
    }

    /** CodeDeploy's lifecycle points, in order; green's progress tag counts from 1 (afterInstall). */
    static final List<String> HOOK_POINTS = List.of("beforeInstall", "afterInstall", "afterAllowTestTraffic",
            "beforeAllowTraffic", "afterAllowTraffic");

    private static String heldBack(Action a) {
        if (a instanceof Action.SetForwardWeights) return "no traffic to a target group without healthy targets";
        if (a instanceof Action.DeleteTaskSet) return "the task set that serves is not deleted";
        return a.getClass().getSimpleName();
    }

    /** The traffic steps of a strategy; the last one is 100% and holds for the bake time. */
    static List<Step> schedule(StrategySpec strategy) {
        List<Step> steps = new ArrayList<>();
        switch (strategy.type()) {
            case ALL_AT_ONCE -> { }
            case CANARY -> {
                for (CanaryStep s : strategy.canary().steps()) {
                    if (s.weight() < 100) steps.add(new Step(s.weight(), s.pause()));
                }
            }
            case LINEAR -> {
                int step = strategy.linear().stepPercent();
                for (int w = step; w < 100; w += step) steps.add(new Step(w, strategy.linear().interval()));
            }
        }
        steps.add(new Step(100, strategy.bakeTime()));
        return steps;
    }

    /** One planning pass; a short-lived object so the many helpers share their inputs without globals. */
    private static final class Pass {
        private final Desired desired;
        private final BlueGreenServiceSpec spec;
        private final Observed observed;
        private final Set<Command> commands;
        private final Instant now;
        private final Map<String, HookResult> hookRuns;
        private final Map<String, Map<String, CheckState>> analysis;
        private final boolean orphaned;
        private final List<Action> actions = new ArrayList<>();
        private final List<Plan.Drift> drift = new ArrayList<>();

        Pass(Desired desired, Observed observed, Set<Command> commands, Map<String, HookResult> hookRuns,
             Map<String, Map<String, CheckState>> analysis, Instant now, boolean orphaned) {
            this.orphaned = orphaned;
            this.desired = desired;
            this.spec = desired.spec();
            this.observed = observed;
            this.commands = commands;
            this.hookRuns = hookRuns;
            this.analysis = analysis;
            this.now = now;
        }

        Plan run() {
            Plan plan = decide();
            return orphaned ? Orphans.restrict(plan, desired, observed, now,
                    byRevision(observed.production()), observed.test() == null ? Map.of() : byRevision(observed.test())) : plan;
        }

        private Plan decide() {
            String revision = desired.revision().id();
            Observed.EcsService service = observed.service();
            List<String> foreignElb = foreignOwners(false);
            if (!foreignElb.isEmpty()) return ownedByAnother(foreignElb);
            List<String> missingAlarms = missingAlarms();
            if (!missingAlarms.isEmpty()) {
                String message = "rollback alarm" + (missingAlarms.size() == 1 ? " " : "s ")
                        + String.join(", ", missingAlarms) + " do" + (missingAlarms.size() == 1 ? "es" : "")
                        + " not exist in CloudWatch; a rollout guarded by a missing alarm would not be guarded";
                // Deleted mid-rollout: green already has traffic, so it goes back to blue rather than freezing.
                Optional<TaskSet> blue = service == null ? Optional.empty() : active();
                Optional<TaskSet> green = service == null ? Optional.empty() : chosen(t -> t.status() != TaskSetStatus.PRIMARY && revision.equals(t.revision()));
                if (blue.isPresent() && green.isPresent() && (carriesTraffic(green.get()) || step(green.get()).isPresent())) {
                    return rollback(green.get(), blue.get(), "AlarmNotFound", message);
                }
                return terminal("AlarmNotFound", message);
            }
            if (service == null || "INACTIVE".equals(service.status())) {
                // The INACTIVE predecessor's creation time tells a re-creation from the first creation.
                Instant predecessor = service == null ? null : service.createdAt() == null ? Instant.EPOCH : service.createdAt();
                actions.add(new Action.CreateService(spec.cluster(), spec.service(), spec.desiredCount(),
                        Map.of(Tags.OWNER, desired.name(), Tags.LAYOUT, Tags.LAYOUT_VERSION),
                        ClientTokens.service(spec.cluster(), spec.service(), revision, predecessor)));
                return plan(ServiceStatus.of(Phase.Deploying, null, revision, "CreatingService",
                        "creating ECS service " + spec.service() + " with the EXTERNAL deployment controller"), Duration.ZERO);
            }
            if (!"EXTERNAL".equals(service.deploymentController())) {
                return terminal("ForeignDeploymentController", "ECS service " + spec.service() + " uses the "
                        + service.deploymentController() + " deployment controller; the operator manages only EXTERNAL "
                        + "services. See docs/migration.md to move it.");
            }
            Optional<Plan> owned = claimOwnership();
            if (owned.isPresent()) return owned.get();
            if ("DRAINING".equals(service.status())) {
                return plan(ServiceStatus.of(Phase.Deploying, null, revision, "ServiceDraining",
                        "ECS service is draining; waiting"), POLL);
            }
            attachTargetGroups(observed.production());
            if (observed.test() != null) attachTargetGroups(observed.test());
            if (service.desiredCount() != spec.desiredCount()) {
                actions.add(new Action.UpdateDesiredCount(service.arn(), spec.desiredCount()));
            }
            if (commands.contains(Command.RETRY) && failedRevision().isPresent()) {
                actions.add(new Action.UntagResource(service.arn(), List.of(Tags.FAILED_REVISION, Tags.FAILED_REASON)));
                return plan(ServiceStatus.of(Phase.Deploying, active().map(TaskSet::revision).orElse(null), revision,
                        "Retrying", "retrying revision " + failedRevision().get()), Duration.ZERO);
            }
            Optional<TaskSet> primary = active();
            return primary.isEmpty() ? firstDeployment() : primary.get().revision() != null
                    && primary.get().revision().equals(revision) ? steady(primary.get()) : rollout(primary.get());
        }

        // ---- ownership ---------------------------------------------------------------------------

        private Optional<Plan> claimOwnership() {
            List<String> foreign = foreignOwners(true);
            if (!foreign.isEmpty()) return Optional.of(ownedByAnother(foreign));
            owned(true).forEach((arn, tags) -> {
                if (tags.get(Tags.OWNER) == null) actions.add(new Action.TagResource(arn, Map.of(Tags.OWNER, desired.name())));
            });
            return Optional.empty();
        }

        /** The resources this service must own, with their tags: listeners or rules, target groups, and the ECS service. */
        private Map<String, Map<String, String>> owned(boolean withService) {
            Map<String, Map<String, String>> tagsByArn = new LinkedHashMap<>();
            if (withService) tagsByArn.put(observed.service().arn(), observed.service().tags());
            tagsByArn.put(observed.production().arn(), observed.production().tags());
            if (observed.test() != null) tagsByArn.put(observed.test().arn(), observed.test().tags());
            for (Observed.TargetGroup tg : observed.targetGroups().values()) tagsByArn.put(tg.arn(), tg.tags());
            return tagsByArn;
        }

        private List<String> foreignOwners(boolean withService) {
            List<String> foreign = new ArrayList<>();
            owned(withService).forEach((arn, tags) -> {
                String owner = tags.get(Tags.OWNER);
                if (owner != null && !owner.equals(desired.name())) foreign.add(arn + " (owned by " + owner + ")");
            });
            return foreign;
        }

        private Plan ownedByAnother(List<String> foreign) {
            actions.clear();
            return terminal("OwnedByAnother", "refusing to take over " + String.join(", ", foreign)
                    + "; each listener, rule, target group and service belongs to one BlueGreenService");
        }

        /**
         * Both target groups must be in the forward action (the idle one at weight 0) before a task set
         * can use them: a target group no listener uses gets no health checks, and ECS refuses it.
         */
        private void attachTargetGroups(Forward forward) {
            if (forward.weights().containsKey(desired.blueTargetGroupArn()) && forward.weights().containsKey(desired.greenTargetGroupArn())) {
                return;
            }
            Map<String, Integer> weights = new LinkedHashMap<>();
            int total = forward.weights().values().stream().mapToInt(Integer::intValue).sum();
            // Existing weights are kept as percentages, so nothing that serves changes its share.
            forward.weights().forEach((tg, w) -> weights.put(tg, total == 0 ? 0 : w * 100 / total));
            weights.putIfAbsent(desired.blueTargetGroupArn(), 0);
            weights.putIfAbsent(desired.greenTargetGroupArn(), 0);
            actions.add(forward(forward, weights));
        }

        // ---- phases ------------------------------------------------------------------------------

        /** No primary yet: the first task set goes on the blue target group and gets all traffic at once. */
        private Plan firstDeployment() {
            String revision = desired.revision().id();
            // A task set that production already serves from but that never became primary (the engine
            // stopped in between, or the desire changed in between) is the blue of what comes next: the
            // desired revision rolls out from it like from any blue, rather than production losing it.
            Optional<TaskSet> serving = live().stream()
                    .filter(t -> t.revision() != null && !revision.equals(t.revision()) && ready(t) && productionWeight(t) > 0)
                    .max(Comparator.comparing(this::productionWeight));
            if (serving.isPresent()) {
                actions.add(new Action.SetPrimaryTaskSet(serving.get().arn()));
                return plan(status(Phase.Deploying, serving.get().revision(), "AdoptedServingTaskSet", "production already runs "
                        + serving.get().revision() + ", which becomes primary; " + revision + " rolls out from it"), Duration.ZERO);
            }
            Optional<TaskSet> green = chosen(t -> revision.equals(t.revision()));
            for (TaskSet other : live()) {
                if (green.isEmpty() || other != green.get()) {
                    if (revision.equals(other.revision())) duplicate(other, green.get());
                    else actions.add(new Action.DeleteTaskSet(other.arn(), "not the desired revision, and nothing serves yet"));
                }
            }
            if (failedRevision().filter(revision::equals).isPresent()) {
                green.ifPresent(g -> actions.add(new Action.DeleteTaskSet(g.arn(), "revision failed")));
                return plan(ServiceStatus.of(Phase.RolledBack, null, revision, "RevisionFailed", failedReason()), null);
            }
            if (green.isEmpty()) {
                // Blue first; but a task set left from an earlier first deployment that production points
                // at cannot be deleted, so the new one then goes beside it rather than on top of it.
                String blueTg = desired.blueTargetGroupArn();
                String greenTg = desired.greenTargetGroupArn();
                return createGreen(free(blueTg) ? blueTg : free(greenTg) ? greenTg : null, null);
            }
            TaskSet g = green.get();
            ensureScale(g);
            if (!ready(g)) {
                if (deadlinePassed(g)) {
                    return rollback(g, null, "ProgressDeadlineExceeded", "green did not become stable and healthy within "
                            + Durations.format(spec.strategy().progressDeadline()));
                }
                return plan(deployingStatus(g, null), POLL);
            }
            Map<String, Integer> all = weights(g.targetGroupArn(), 100);
            if (observed.production().percentTo(g.targetGroupArn()) != 100) {
                actions.add(forward(observed.production(), all));
            }
            if (observed.test() != null && observed.test().percentTo(g.targetGroupArn()) != 100) {
                actions.add(forward(observed.test(), all));
            }
            actions.add(new Action.SetPrimaryTaskSet(g.arn()));
            return plan(status(Phase.Deploying, null, "FirstRevisionLive", "first revision " + revision
                    + " takes all traffic"), Duration.ZERO);
        }

        /** Production serves the desired revision: keep it so, expire retained task sets, correct drift. */
        private Plan steady(TaskSet primary) {
            ensureScale(primary);
            ensureAllTraffic(primary, observed.production(), "production");
            if (observed.test() != null) ensureAllTraffic(primary, observed.test(), "test");
            Duration requeue = null;
            for (TaskSet other : live()) {
                if (other == primary) continue;
                if (primary.revision().equals(other.revision()) && other.targetGroupArn() != null
                        && other.targetGroupArn().equals(primary.targetGroupArn())) {
                    duplicate(other, primary);
                    continue;
                }
                Optional<Instant> retired = fact(Tags.RETIRED_AT, other).flatMap(Pass::epoch);
                if (retired.isPresent()) {
                    Instant expiry = retired.get().plus(spec.strategy().blueRetention());
                    if (!now.isBefore(expiry)) {
                        actions.add(new Action.DeleteTaskSet(other.arn(), "blue retention of " + Durations.format(spec.strategy().blueRetention()) + " ended"));
                    } else {
                        requeue = min(requeue, Duration.between(now, expiry));
                    }
                } else {
                    actions.add(new Action.DeleteTaskSet(other.arn(), "left over from a superseded rollout"));
                }
            }
            String reason = failedRevision().isPresent() ? "Steady" : "Converged";
            return plan(status(Phase.Steady, primary.revision(), reason, "production runs " + primary.revision()), requeue);
        }

        /** Production serves another revision than the desired one. */
        private Plan rollout(TaskSet blue) {
            String revision = desired.revision().id();
            ensureScale(blue);
            Optional<TaskSet> green = chosen(t -> t != blue && revision.equals(t.revision()));
            // Anything else that is not blue is in the way: a green of an older desire, or a retained task
            // set on the idle target group. It may still carry traffic, so traffic goes back to blue first.
            // A second task set of the desired revision is a duplicate: removed, green's traffic kept.
            for (TaskSet other : live()) {
                if (other == blue || (green.isPresent() && other == green.get())) continue;
                if (revision.equals(other.revision())) {
                    duplicate(other, green.get());
                    continue;
                }
                if (carriesTraffic(other)) {
                    restoreBlue(blue, "SupersededRollout");
                }
                actions.add(new Action.DeleteTaskSet(other.arn(), "superseded by revision " + revision));
            }
            if (failedRevision().filter(revision::equals).isPresent()) {
                green.ifPresent(g -> {
                    if (carriesTraffic(g)) restoreBlue(blue, "RollbackCompletion");
                    actions.add(new Action.DeleteTaskSet(g.arn(), "revision failed"));
                });
                if (green.isEmpty()) ensureAllTraffic(blue, observed.production(), "production");
                return plan(status(Phase.RolledBack, blue.revision(), "RevisionFailed", failedReason()), null);
            }
            if (green.isEmpty()) {
                return createGreen(idleTargetGroup(blue), blue);
            }
            TaskSet g = green.get();
            if (commands.contains(Command.ABORT)) {
                return rollback(g, blue, "Aborted", "aborted by request");
            }
            Optional<StepTag> recorded = step(g);
            if (recorded.isPresent() && observed.production().percentTo(g.targetGroupArn()) == 0) {
                // A step is recorded only once production reached it, so green without production traffic
                // means a rollback moved it back to blue and stopped before its bookkeeping (or a person
                // did): the rollback is completed, never undone.
                return rollback(g, blue, "RollbackCompleted", "production was moved back to " + blue.revision()
                        + " during step " + (recorded.get().index() + 1) + "; the rollout stays rolled back");
            }
            ensureScale(g);
            if (fact(Tags.RETIRED_AT, g).isPresent() && ready(g)) {
                return instantRollback(g, blue);
            }
            if (!ready(g)) {
                if (carriesTraffic(g) || recorded.isPresent()) {
                    return rollback(g, blue, "GreenUnhealthy", "green lost healthy targets while serving traffic ("
                            + healthy(g) + " of " + g.computedDesiredCount() + " healthy)");
                }
                if (deadlinePassed(g)) {
                    return rollback(g, blue, "ProgressDeadlineExceeded", "green did not become stable and healthy within "
                            + Durations.format(spec.strategy().progressDeadline()));
                }
                return plan(deployingStatus(g, blue), POLL);
            }
            Optional<String> alarm = alarmFiring(g);
            if (alarm.isPresent()) {
                return rollback(g, blue, "AlarmTriggered", "alarm " + alarm.get() + " is in ALARM");
            }
            Optional<Plan> gate = hookGate(1, g, blue, Phase.Deploying);
            if (gate.isPresent()) return gate.get();
            if (observed.test() != null && observed.test().percentTo(g.targetGroupArn()) != 100) {
                actions.add(forward(observed.test(), weights(g.targetGroupArn(), 100, blue.targetGroupArn())));
                return plan(status(Phase.TestTraffic, blue.revision(), "TestTrafficOnGreen",
                        "the test listener now serves " + revision), Duration.ZERO);
            }
            gate = hookGate(2, g, blue, Phase.TestTraffic);
            if (gate.isPresent()) return gate.get();
            if (spec.strategy().promotion() == Promotion.MANUAL && recorded.isEmpty()
                    && !promoted(revision) && !commands.contains(Command.PROMOTE)) {
                return plan(status(Phase.AwaitingPromotion, blue.revision(), "AwaitingPromotion",
                        "green " + revision + " is healthy and serves test traffic; run `bluegreen promote "
                                + desired.name() + "` to shift production"), null);
            }
            if (commands.contains(Command.PROMOTE) && !promoted(revision)) {
                actions.add(new Action.TagResource(observed.service().arn(), Map.of(Tags.PROMOTED_REVISION, revision)));
            }
            if (recorded.isEmpty()) {
                gate = hookGate(3, g, blue, Phase.TestTraffic);
                if (gate.isPresent()) return gate.get();
            }
            return shift(g, blue);
        }

        /**
         * Moves production along the schedule, one step per due time, recording each step once the listener
         * reached it: a recorded step always had production on green, which tells a rollback that stopped
         * before its bookkeeping from a step about to begin.
         */
        private Plan shift(TaskSet green, TaskSet blue) {
            List<Step> steps = schedule(spec.strategy());
            int last = steps.size() - 1;
            Optional<StepTag> tag = step(green).filter(t -> t.index() <= last);
            int actual = observed.production().percentTo(green.targetGroupArn());
            int next = tag.isEmpty() ? 0 : tag.get().index() + 1;
            if (next <= last && actual == steps.get(next).weight()) {
                // Stopped between moving the listener and recording the step: record it, from now.
                actions.add(record(Tags.STEP, green, new StepTag(next, now).toString()));
                return plan(shiftStatus(green, blue, next, steps, actual), Duration.ZERO);
            }
            if (tag.isEmpty()) {
                return advance(green, blue, steps, 0);
            }
            int k = tag.get().index();
            int expected = steps.get(k).weight();
            if (actual != expected) {
                int previous = k == 0 ? 0 : steps.get(k - 1).weight();
                if (actual != previous) {
                    drift.add(new Plan.Drift("listenerWeights", "production sent " + actual + "% to green instead of "
                            + expected + "%"));
                }
                actions.add(forward(observed.production(), weights(green.targetGroupArn(), expected, blue.targetGroupArn())));
                return plan(shiftStatus(green, blue, k, steps, expected), POLL);
            }
            if (!orphaned && fact(Tags.ORPHANED_AT, green).isPresent()) {
                // The spec is declared again: the step's pause restarts now instead of counting the time
                // nobody declared it, which would otherwise jump straight to the next step.
                actions.add(record(Tags.STEP, green, new StepTag(k, now).toString()));
                actions.add(new Action.UntagResource(observed.service().arn(), List.of(Tags.key(Tags.ORPHANED_AT, green.revision()))));
                return plan(shiftStatus(green, blue, k, steps, expected).withReason(Orphans.PAUSE_RESTARTED, "declared again: step "
                        + (k + 1) + " of " + steps.size() + " holds " + Durations.format(steps.get(k).hold()) + " from now"),
                        steps.get(k).hold().isZero() ? Duration.ZERO : steps.get(k).hold());
            }
            if (k == last) {
                Optional<Plan> gate = hookGate(4, green, blue, Phase.Baking);
                if (gate.isPresent()) return gate.get();
            }
            Instant due = tag.get().since().plus(steps.get(k).hold());
            Duration wait = now.isBefore(due) ? Duration.between(now, due) : null;
            if (!checks().isEmpty()) {
                Map<String, CheckState> states = analysis.getOrDefault(AnalysisTarget.key(desired.revision().id(), green.arn()), Map.of());
                for (AnalysisCheck check : checks()) {
                    CheckState state = states.get(check.name());
                    if (state != null && state.failed()) return rollback(green, blue, "AnalysisFailed", analysisFailure(state));
                }
                wait = min(wait, measureDue(green, states, tag.get().since()));
                if (now.isBefore(due)) return plan(shiftStatus(green, blue, k, steps, expected), wait);
                // A step passes only on numbers taken while it was in force.
                Instant since = tag.get().since();
                List<String> unmeasured = checks().stream().map(AnalysisCheck::name).filter(name -> {
                    CheckState state = states.get(name);
                    return state == null || state.lastCountedAt() == null || state.lastCountedAt().isBefore(since);
                }).toList();
                if (!unmeasured.isEmpty()) {
                    if (!now.isBefore(due.plus(spec.strategy().progressDeadline()))) {
                        return rollback(green, blue, "AnalysisInconclusive", "no usable measurement of analysis check"
                                + (unmeasured.size() == 1 ? " " : "s ") + String.join(", ", unmeasured) + " since step " + (k + 1)
                                + " began, " + Durations.format(spec.strategy().progressDeadline()) + " after the step was due to end");
                    }
                    return plan(shiftStatus(green, blue, k, steps, expected).withReason("AwaitingAnalysis",
                            "step " + (k + 1) + " of " + steps.size() + " is due; waiting for a measurement of analysis check"
                                    + (unmeasured.size() == 1 ? " " : "s ") + String.join(", ", unmeasured)
                                    + " taken since the step began"), wait);
                }
            } else if (wait != null) {
                return plan(shiftStatus(green, blue, k, steps, expected), wait);
            }
            if (k < last) {
                return advance(green, blue, steps, k + 1);
            }
            // Blue is marked retired before green becomes primary: killed in between, the next pass still
            // knows blue is kept for the retention window instead of a leftover to delete.
            actions.add(record(Tags.RETIRED_AT, blue, String.valueOf(now.getEpochSecond())));
            actions.add(new Action.SetPrimaryTaskSet(green.arn()));
            return plan(status(Phase.Steady, green.revision(), "Promoted", "green " + green.revision()
                    + " is primary; " + blue.revision() + " stays warm for " + Durations.format(spec.strategy().blueRetention())), Duration.ZERO);
        }

        private Plan advance(TaskSet green, TaskSet blue, List<Step> steps, int k) {
            int weight = steps.get(k).weight();
            actions.add(forward(observed.production(), weights(green.targetGroupArn(), weight, blue.targetGroupArn())));
            actions.add(record(Tags.STEP, green, new StepTag(k, now).toString()));
            return plan(shiftStatus(green, blue, k, steps, weight), steps.get(k).hold().isZero() ? Duration.ZERO : steps.get(k).hold());
        }

        /** The revision that blue still runs is wanted again: one listener change back to it, no new task set. */
        private Plan instantRollback(TaskSet retained, TaskSet current) {
            Map<String, Integer> all = weights(retained.targetGroupArn(), 100, current.targetGroupArn());
            actions.add(forward(observed.production(), all));
            if (observed.test() != null) actions.add(forward(observed.test(), all));
            actions.add(record(Tags.RETIRED_AT, current, String.valueOf(now.getEpochSecond())));
            actions.add(new Action.SetPrimaryTaskSet(retained.arn()));
            String rev = retained.revision();
            actions.add(new Action.UntagResource(observed.service().arn(),
                    List.of(Tags.key(Tags.RETIRED_AT, rev), Tags.key(Tags.STEP, rev), Tags.key(Tags.HOOKS, rev))));
            return plan(status(Phase.Steady, retained.revision(), "InstantRollback", "back to " + retained.revision()
                    + ", which was still warm"), Duration.ZERO);
        }

        /**
         * Puts every listener back on blue in one change each (production first), then marks the revision
         * failed, then removes green. Traffic comes first so no bookkeeping failure can hold it on green;
         * green is deleted only after the mark, and while it exists with a recorded step and no production
         * traffic the next pass completes the rollback (see {@link #rollout}).
         */
        private Plan rollback(TaskSet green, TaskSet blue, String reason, String message) {
            if (blue != null) restoreBlue(blue, null);
            actions.add(new Action.TagResource(observed.service().arn(), Map.of(Tags.FAILED_REVISION, desired.revision().id(),
                    Tags.FAILED_REASON, Tags.encodeText(reason + ": " + message))));
            actions.add(new Action.DeleteTaskSet(green.arn(), reason));
            return plan(status(Phase.RollingBack, blue == null ? null : blue.revision(), reason, message), Duration.ZERO);
        }

        private void restoreBlue(TaskSet blue, String driftKind) {
            Map<String, Integer> all = weights(blue.targetGroupArn(), 100, otherTargetGroup(blue.targetGroupArn()));
            boolean changed = false;
            if (observed.production().percentTo(blue.targetGroupArn()) != 100 && !alreadyPlanned(observed.production())) {
                actions.add(forward(observed.production(), all));
                changed = true;
            }
            if (observed.test() != null && observed.test().percentTo(blue.targetGroupArn()) != 100 && !alreadyPlanned(observed.test())) {
                actions.add(forward(observed.test(), all));
                changed = true;
            }
            if (changed && driftKind != null && !driftKind.equals("SupersededRollout") && !driftKind.equals("RollbackCompletion")) {
                drift.add(new Plan.Drift(driftKind, "traffic returned to blue"));
            }
        }

        private boolean alreadyPlanned(Forward forward) {
            return actions.stream().anyMatch(a -> a instanceof Action.SetForwardWeights w && w.listenerOrRuleArn().equals(forward.arn()));
        }

        private Plan createGreen(String targetGroupArn, TaskSet blue) {
            String revision = desired.revision().id();
            if (targetGroupArn == null || !free(targetGroupArn)) {
                return plan(status(Phase.Deploying, blue == null ? null : blue.revision(), "WaitingForTargetGroup",
                        "no target group is free for " + revision + ": production still points at the task set on it"), POLL);
            }
            if (blue != null) {
                Optional<Plan> gate = beforeInstall(blue);
                if (gate.isPresent()) return gate.get();
            }
            if (observed.desiredTaskDefinitionArn() == null) {
                actions.add(new Action.RegisterTaskDefinition(desired.revision()));
                return plan(status(Phase.Deploying, blue == null ? null : blue.revision(), "RegisteringTaskDefinition",
                        "registering the task definition of " + revision), Duration.ZERO);
            }
            List<Action> safe = Safety.check(actions, observed);
            long remaining = observed.taskSets().stream()
                    .filter(t -> safe.stream().noneMatch(a -> a instanceof Action.DeleteTaskSet d && d.taskSetArn().equals(t.arn())))
                    .count();
            if (remaining >= MAX_TASK_SETS) {
                long draining = observed.taskSets().stream().filter(t -> t.status() == TaskSetStatus.DRAINING).count();
                return plan(status(Phase.Deploying, blue == null ? null : blue.revision(), "WaitingForDrainingTaskSets",
                        "the service has " + remaining + " task sets (" + draining + " draining), ECS's limit is "
                                + MAX_TASK_SETS + "; " + revision + " is created once a draining one is gone"), POLL);
            }
            actions.add(createTaskSet(targetGroupArn, generation()));
            return plan(status(Phase.Deploying, blue == null ? null : blue.revision(), "CreatingGreen",
                    "creating a task set for " + revision), POLL);
        }

        // ---- lifecycle hooks -----------------------------------------------------------------------

        private List<HookSpec> hooksAt(String point) {
            if (spec.hooks() == null) return List.of();
            List<HookSpec> hooks = spec.hooks().byPoint().get(point);
            return hooks == null ? List.of() : hooks;
        }

        /** How many hooks of point {@code p} succeeded, from green's progress tag {@code P.K}. */
        private int hooksDone(TaskSet green, int p) {
            Optional<String> tag = fact(Tags.HOOKS, green);
            if (tag.isEmpty()) return 0;
            String[] parts = tag.get().split("\\.");
            try {
                int point = Integer.parseInt(parts[0]);
                int done = Integer.parseInt(parts[1]);
                return point > p ? Integer.MAX_VALUE : point == p ? done : 0;
            } catch (RuntimeException e) {
                return 0;
            }
        }

        /**
         * Runs the hooks of lifecycle point {@code p} one after the other, recording each success on green
         * before the next starts; empty once every hook of the point succeeded (or failed with
         * {@code onFailure: ignore}). A failure rolls back.
         */
        private Optional<Plan> hookGate(int p, TaskSet green, TaskSet blue, Phase phase) {
            String point = HOOK_POINTS.get(p);
            List<HookSpec> hooks = hooksAt(point);
            int done = hooksDone(green, p);
            if (done >= hooks.size()) return Optional.empty();
            HookSpec hook = hooks.get(done);
            String next = done + 1 >= hooks.size() ? (p + 1) + ".0" : p + "." + (done + 1);
            return Optional.of(hookStep(point, done, hook, green.arn(), blue, phase,
                    () -> record(Tags.HOOKS, green, next),
                    (reason, message) -> rollback(green, blue, reason, message)));
        }

        /** beforeInstall: before green exists, so progress is kept on the service, and a failure has nothing to undo. */
        private Optional<Plan> beforeInstall(TaskSet blue) {
            String revision = desired.revision().id();
            List<HookSpec> hooks = hooksAt("beforeInstall");
            String tag = observed.service().tags().getOrDefault(Tags.BEFORE_INSTALL, "");
            int done = 0;
            if (tag.startsWith(revision + ":")) {
                try {
                    done = Integer.parseInt(tag.substring(revision.length() + 1));
                } catch (NumberFormatException e) {
                    done = 0;
                }
            }
            if (done >= hooks.size()) return Optional.empty();
            int finished = done + 1;
            return Optional.of(hookStep("beforeInstall", done, hooks.get(done), null, blue, Phase.Deploying,
                    () -> new Action.TagResource(observed.service().arn(), Map.of(Tags.BEFORE_INSTALL, revision + ":" + finished)),
                    (reason, message) -> {
                        actions.add(new Action.TagResource(observed.service().arn(), Map.of(Tags.FAILED_REVISION, revision,
                                Tags.FAILED_REASON, Tags.encodeText(reason + ": " + message))));
                        return plan(status(Phase.RolledBack, blue.revision(), "RevisionFailed", reason + ": " + message), Duration.ZERO);
                    }));
        }

        private Plan hookStep(String point, int index, HookSpec hook, String taskSetArn, TaskSet blue, Phase phase,
                              java.util.function.Supplier<Action> recordSuccess,
                              java.util.function.BiFunction<String, String, Plan> fail) {
            String label = point + " hook " + hook.name();
            HookResult run = hookRuns.get(HookCall.key(desired.revision().id(), point, index, taskSetArn));
            if (run == null) {
                actions.add(new Action.RunHook(point, index, hook, taskSetArn));
                return plan(status(phase, blue.revision(), "RunningHook", "running " + label), POLL);
            }
            if (run.state() == HookResult.State.RUNNING) {
                return plan(status(phase, blue.revision(), "RunningHook", label + " is running"), POLL);
            }
            if (run.state() == HookResult.State.FAILED && hook.onFailure() != FailurePolicy.IGNORE) {
                return fail.apply("HookFailed", label + " failed: " + run.message());
            }
            actions.add(recordSuccess.get());
            boolean ignored = run.state() == HookResult.State.FAILED;
            return plan(status(phase, blue.revision(), ignored ? "HookFailureIgnored" : "HookSucceeded",
                    label + (ignored ? " failed (ignored): " + run.message() : " succeeded")), Duration.ZERO);
        }

        // ---- analysis ----------------------------------------------------------------------------

        private List<AnalysisCheck> checks() {
            return spec.analysis() == null || spec.analysis().checks() == null ? List.of() : spec.analysis().checks();
        }

        private Duration interval(AnalysisCheck check) {
            return check.interval() != null ? check.interval() : spec.analysis().interval();
        }

        /**
         * Asks for the measurements that are due (never measured, or their interval passed since the last
         * began) and returns when the next one will be; measuring in the background wakes the service.
         */
        private Duration measureDue(TaskSet green, Map<String, CheckState> states, Instant stepStartedAt) {
            Duration next = null;
            boolean due = false;
            for (AnalysisCheck check : checks()) {
                CheckState state = states.get(check.name());
                if (state != null && state.measuring()) {
                    next = min(next, POLL);
                    continue;
                }
                Instant at = state == null || state.lastStartedAt() == null ? now : state.lastStartedAt().plus(interval(check));
                if (!now.isBefore(at)) {
                    due = true;
                    next = min(next, POLL);
                } else {
                    next = min(next, Duration.between(now, at));
                }
            }
            if (due) actions.add(new Action.Analyze(green.arn(), green.targetGroupArn(), stepStartedAt));
            return next;
        }

        /** Which number failed, against what, how often: what an on-call engineer reads first. */
        private String analysisFailure(CheckState state) {
            Measurement m = state.last();
            String found = m == null ? "no measurement"
                    : m.verdict() == Measurement.Verdict.ERROR ? "could not measure (" + m.detail() + ")"
                    : m.value() == null ? "no data (" + m.detail() + ")"
                    : m.value() + " outside " + m.threshold() + (m.detail() == null ? "" : " (" + m.detail() + ")");
            return "analysis check " + state.check() + " failed " + state.failures() + " of " + state.failureLimit()
                    + " allowed time(s); last measurement: " + found;
        }

        // ---- corrections -------------------------------------------------------------------------

        private void ensureScale(TaskSet taskSet) {
            if (taskSet.scalePercent() != 100.0) {
                drift.add(new Plan.Drift("taskSetScale", taskSet.id() + " was scaled to " + taskSet.scalePercent() + "%"));
                actions.add(new Action.UpdateTaskSetScale(taskSet.arn(), 100));
            }
        }

        private void ensureAllTraffic(TaskSet primary, Forward forward, String which) {
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

        // ---- helpers -----------------------------------------------------------------------------

        /**
         * Whether a new task set may go on the target group: every task set on it is deleted by this plan,
         * as far as {@link Safety} lets it. Two task sets behind one target group would both serve from it.
         */
        private boolean free(String targetGroupArn) {
            List<Action> safe = Safety.check(actions, observed);
            return live().stream().filter(t -> targetGroupArn.equals(t.targetGroupArn()))
                    .allMatch(t -> safe.stream().anyMatch(a -> a instanceof Action.DeleteTaskSet d && d.taskSetArn().equals(t.arn())));
        }

        private Optional<TaskSet> active() {
            return live().stream().filter(t -> t.status() == TaskSetStatus.PRIMARY).findFirst();
        }

        /** The task sets that are not DRAINING: only these can be green, primary, serving or deleted. */
        private List<TaskSet> live() {
            return observed.taskSets().stream().filter(t -> t.status() != TaskSetStatus.DRAINING).toList();
        }

        /**
         * Of the live task sets that match, the one to keep when there are several (duplicates): the one
         * traffic points at, else the oldest.
         */
        private Optional<TaskSet> chosen(java.util.function.Predicate<TaskSet> filter) {
            return live().stream().filter(filter).min(Comparator.comparing((TaskSet t) -> carriesTraffic(t) ? 0 : 1)
                    .thenComparing(TaskSet::createdAt).thenComparing(TaskSet::id));
        }

        /** A second task set of a revision that already has one: deleted, counted as drift. */
        private void duplicate(TaskSet extra, TaskSet kept) {
            drift.add(new Plan.Drift("duplicateTaskSet", extra.id() + " duplicates " + kept.id() + " (revision " + kept.revision() + ")"));
            actions.add(new Action.DeleteTaskSet(extra.arn(), "duplicate of " + kept.id()));
        }

        private Map<String, String> serviceTags() {
            return observed.service() == null ? Map.of() : observed.service().tags();
        }

        private boolean migrated() {
            return Tags.LAYOUT_VERSION.equals(serviceTags().get(Tags.LAYOUT));
        }

        /**
         * A per-revision fact about a task set: the service's tag written for this task set; before the
         * service is migrated, the task set's own tag of the earlier layout.
         */
        private Optional<String> fact(String kind, TaskSet t) {
            if (t.revision() == null) return Optional.empty();
            Optional<String> own = Tags.factOf(serviceTags().get(Tags.key(kind, t.revision())), t.id());
            if (own.isPresent() || migrated()) return own;
            return t.tag(legacy(kind));
        }

        private Optional<StepTag> step(TaskSet t) {
            return fact(Tags.STEP, t).flatMap(StepTag::parse);
        }

        private Action.TagResource record(String kind, TaskSet t, String fact) {
            return new Action.TagResource(observed.service().arn(), Map.of(Tags.key(kind, t.revision()), Tags.forTaskSet(t.id(), fact)));
        }

        private long generation() {
            try {
                return Long.parseLong(serviceTags().getOrDefault(Tags.GENERATION, "0"));
            } catch (NumberFormatException e) {
                return 0;
            }
        }

        private Action.CreateTaskSet createTaskSet(String targetGroupArn, long generation) {
            return new Action.CreateTaskSet(desired.revision(), observed.desiredTaskDefinitionArn(), targetGroupArn,
                    ClientTokens.taskSet(observed.service().arn(), observed.service().createdAt(), desired.revision().id(),
                            targetGroupArn, generation), observed.service().arn(), generation);
        }

        private boolean ready(TaskSet t) {
            return t.steady() && t.computedDesiredCount() > 0 && t.runningCount() >= t.computedDesiredCount()
                    && healthy(t) >= t.computedDesiredCount();
        }

        private int healthy(TaskSet t) {
            return healthyTargets(t.targetGroupArn());
        }

        private int healthyTargets(String targetGroupArn) {
            Observed.TargetGroup tg = observed.targetGroups().get(targetGroupArn);
            return tg == null ? 0 : tg.healthy();
        }

        private int productionWeight(TaskSet t) {
            return observed.production().weights().getOrDefault(t.targetGroupArn(), 0);
        }

        private boolean carriesTraffic(TaskSet t) {
            if (t.status() == TaskSetStatus.DRAINING || t.targetGroupArn() == null) return false;
            return observed.production().percentTo(t.targetGroupArn()) > 0
                    || (observed.test() != null && observed.test().percentTo(t.targetGroupArn()) > 0);
        }

        private boolean deadlinePassed(TaskSet t) {
            return !now.isBefore(t.createdAt().plus(spec.strategy().progressDeadline()));
        }

        private String idleTargetGroup(TaskSet blue) {
            return otherTargetGroup(blue.targetGroupArn());
        }

        private String otherTargetGroup(String targetGroupArn) {
            return targetGroupArn.equals(desired.blueTargetGroupArn()) ? desired.greenTargetGroupArn() : desired.blueTargetGroupArn();
        }

        private Map<String, Integer> weights(String to, int percent) {
            return weights(to, percent, otherTargetGroup(to));
        }

        private static Map<String, Integer> weights(String green, int percent, String blue) {
            Map<String, Integer> w = new LinkedHashMap<>();
            w.put(blue, 100 - percent);
            w.put(green, percent);
            return w;
        }

        private static Action forward(Forward forward, Map<String, Integer> weights) {
            return new Action.SetForwardWeights(forward.arn(), forward.rule(), weights);
        }

        private List<String> specAlarms() {
            return spec.rollback() == null || spec.rollback().alarms() == null ? List.of() : spec.rollback().alarms();
        }

        private List<String> missingAlarms() {
            if (observed.alarms() == null) return List.of();
            return specAlarms().stream().filter(a -> !observed.alarms().containsKey(a)).toList();
        }

        /**
         * The first rollback alarm in ALARM while green is watched: from the moment test traffic reaches it
         * (or, without a test listener, production does) until it becomes primary.
         */
        private Optional<String> alarmFiring(TaskSet green) {
            if (observed.alarms() == null) return Optional.empty();
            boolean watched = step(green).isPresent() || carriesTraffic(green);
            if (!watched) return Optional.empty();
            return specAlarms().stream().filter(a -> "ALARM".equals(observed.alarms().get(a))).findFirst();
        }

        private Optional<String> failedRevision() {
            return Optional.ofNullable(observed.service().tags().get(Tags.FAILED_REVISION));
        }

        private String failedReason() {
            String reason = observed.service().tags().get(Tags.FAILED_REASON);
            return reason == null ? "the revision failed" : Tags.text(reason);
        }

        private boolean promoted(String revision) {
            return revision.equals(observed.service().tags().get(Tags.PROMOTED_REVISION));
        }

        private static Optional<Instant> epoch(String text) {
            try {
                return Optional.of(Instant.ofEpochSecond(Long.parseLong(text)));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        private static Duration min(Duration a, Duration b) {
            return a == null || b.compareTo(a) < 0 ? b : a;
        }

        // ---- status ------------------------------------------------------------------------------

        /** The status with the traffic split as it stands once this pass's listener changes are made. */
        private ServiceStatus status(Phase phase, String active, String reason, String message) {
            return ServiceStatus.of(phase, active, desired.revision().id(), reason, message)
                    .withWeights(byRevision(afterActions(observed.production())),
                            observed.test() == null ? Map.of() : byRevision(afterActions(observed.test())));
        }

        private Forward afterActions(Forward forward) {
            Map<String, Integer> weights = forward.weights();
            for (Action a : actions) {
                if (a instanceof Action.SetForwardWeights w && w.listenerOrRuleArn().equals(forward.arn())) weights = w.weights();
            }
            return new Forward(forward.arn(), forward.rule(), weights, forward.tags());
        }

        private ServiceStatus deployingStatus(TaskSet green, TaskSet blue) {
            return status(Phase.Deploying, blue == null ? null : blue.revision(), "WaitingForGreen",
                    "green " + green.revision() + ": " + green.runningCount() + "/" + green.computedDesiredCount()
                            + " running, " + healthy(green) + " healthy, " + (green.steady() ? "steady" : "stabilizing"));
        }

        private ServiceStatus shiftStatus(TaskSet green, TaskSet blue, int k, List<Step> steps, int weight) {
            boolean baking = k == steps.size() - 1;
            return status(baking ? Phase.Baking : Phase.Shifting, blue.revision(), baking ? "Baking" : "Shifting",
                    baking ? "production fully on " + green.revision() + ", baking for " + Durations.format(spec.strategy().bakeTime())
                            : "step " + (k + 1) + " of " + steps.size() + ": " + weight + "% of production on " + green.revision())
                    .withStep(k + 1, steps.size());
        }

        private Map<String, Integer> byRevision(Forward forward) {
            Map<String, Integer> out = new LinkedHashMap<>();
            java.util.Set<String> counted = new java.util.HashSet<>();
            for (TaskSet t : live()) {
                // Duplicates on one target group share its traffic: counted once.
                if (t.targetGroupArn() == null || !counted.add(t.targetGroupArn())) continue;
                int percent = forward.percentTo(t.targetGroupArn());
                if (percent > 0 && t.revision() != null) out.merge(t.revision(), percent, Integer::sum);
            }
            return out;
        }

        private Plan plan(ServiceStatus status, Duration requeue) {
            if (!specAlarms().isEmpty() && watchedPhase(status.phase())) {
                // Alarms are read on each pass: a long pause or a wait for promotion must not hide one.
                requeue = min(requeue, ALARM_POLL);
            }
            List<Action> safe = Safety.check(actions, observed);
            if (safe.size() == actions.size()) return new Plan(withBookkeeping(safe), status, requeue, drift, false);
            // The safety net held something back (a move to a group without healthy targets, the deletion
            // of what serves): report the traffic as it will really be and look again soon, since health
            // comes back (a crashed task replaced) and the held-back step can then be taken.
            List<Action> held = new ArrayList<>(actions);
            held.removeAll(safe);
            actions.clear();
            actions.addAll(safe);
            ServiceStatus shown = new ServiceStatus(status.phase(), status.activeRevision(), status.desiredRevision(),
                    byRevision(afterActions(observed.production())),
                    observed.test() == null ? Map.of() : byRevision(afterActions(observed.test())), status.step(), status.steps(),
                    status.reason(), status.message() + "; held back until it is safe: " + held.size() + " action(s) ("
                            + held.stream().map(Planner::heldBack).distinct().reduce((a, b) -> a + ", " + b).orElse("") + ")");
            return new Plan(withBookkeeping(safe), shown, POLL, drift, false);
        }

        /**
         * The plan's actions with the tag writes every pass may need around them: the creation generation
         * raised before the first deletion (and the creation of this plan made with it), the earlier
         * layout's state copied to the service, and per-revision facts no live task set needs removed.
         */
        private List<Action> withBookkeeping(List<Action> planned) {
            if (observed.service() == null || !"ACTIVE".equals(observed.service().status())) return planned;
            String serviceArn = observed.service().arn();
            List<Action> out = new ArrayList<>(planned);
            int firstDelete = indexOf(out, a -> a instanceof Action.DeleteTaskSet);
            if (firstDelete >= 0) {
                long next = generation() + 1;
                out.add(firstDelete, new Action.TagResource(serviceArn, Map.of(Tags.GENERATION, String.valueOf(next))));
                out.replaceAll(a -> a instanceof Action.CreateTaskSet c ? createTaskSet(c.targetGroupArn(), next) : a);
            }
            if (!migrated()) {
                Map<String, String> copies = new LinkedHashMap<>();
                for (TaskSet t : live()) {
                    if (t.revision() == null || t.status() == TaskSetStatus.PRIMARY) continue;
                    boolean retired = t.tag(Tags.LEGACY_RETIRED_AT).isPresent();
                    for (String kind : retired ? List.of(Tags.RETIRED_AT) : List.of(Tags.STEP, Tags.HOOKS)) {
                        String key = Tags.key(kind, t.revision());
                        Optional<String> old = t.tag(legacy(kind));
                        if (old.isPresent() && Tags.factOf(serviceTags().get(key), t.id()).isEmpty()) {
                            copies.put(key, Tags.forTaskSet(t.id(), old.get()));
                        }
                    }
                }
                copies.put(Tags.LAYOUT, Tags.LAYOUT_VERSION);
                // After any traffic change of the pass (a rollback's comes before every write), before the rest,
                // so a fact this pass records overwrites the copy.
                int at = indexOf(out, a -> !(a instanceof Action.SetForwardWeights));
                out.add(at < 0 ? out.size() : at, new Action.TagResource(serviceArn, copies));
            }
            java.util.Set<String> written = new java.util.HashSet<>();
            for (Action a : out) {
                if (a instanceof Action.TagResource t && t.arn().equals(serviceArn)) written.addAll(t.tags().keySet());
            }
            List<String> stale = serviceTags().keySet().stream()
                    .filter(k -> Tags.perRevision(k) && !written.contains(k) && stale(k)).sorted().toList();
            if (!stale.isEmpty()) out.add(new Action.UntagResource(serviceArn, stale));
            return out;
        }

        /** A per-revision fact is stale unless a live, non-primary task set of its revision is the one it was written for. */
        private boolean stale(String key) {
            String value = serviceTags().get(key);
            String revision = Tags.revisionOf(key);
            return live().stream().noneMatch(t -> t.status() != TaskSetStatus.PRIMARY && revision.equals(t.revision())
                    && Tags.factOf(value, t.id()).isPresent());
        }

        private static int indexOf(List<Action> list, java.util.function.Predicate<Action> match) {
            for (int i = 0; i < list.size(); i++) {
                if (match.test(list.get(i))) return i;
            }
            return -1;
        }

        private static String legacy(String kind) {
            return kind.equals(Tags.STEP) ? Tags.LEGACY_STEP : kind.equals(Tags.HOOKS) ? Tags.LEGACY_HOOKS : Tags.LEGACY_RETIRED_AT;
        }

        private Plan terminal(String reason, String message) {
            return new Plan(List.of(), ServiceStatus.of(Phase.Failed, null, desired.revision().id(), reason, message), null, List.of(), true);
        }
    }

    /** The traffic step recorded on green: {@code INDEX@EPOCH_SECONDS}. */
    record StepTag(int index, Instant since) {
        static Optional<StepTag> parse(String text) {
            int at = text.indexOf('@');
            try {
                return at < 0 ? Optional.empty()
                        : Optional.of(new StepTag(Integer.parseInt(text.substring(0, at)), Instant.ofEpochSecond(Long.parseLong(text.substring(at + 1)))));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        @Override
        public String toString() {
            return index + "@" + since.getEpochSecond();
        }
    }
}

package io.ecsbluegreen.plan;

import io.ecsbluegreen.model.Phase;
import static io.ecsbluegreen.plan.Planner.MAX_TASK_SETS;
import static io.ecsbluegreen.plan.Planner.POLL;

import io.ecsbluegreen.model.Promotion;
import io.ecsbluegreen.observed.Observed;
import io.ecsbluegreen.observed.Observed.Forward;
import io.ecsbluegreen.observed.Observed.TaskSet;
import io.ecsbluegreen.observed.Observed.TaskSetStatus;
import io.ecsbluegreen.plan.TrafficSteps.StepTag;
import io.ecsbluegreen.spec.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The phases of a service, the planner's entry point: creating the ECS service, the first deployment,
 * steady state (drift corrected, retained task sets expired) and a rollout from blue to green, with its
 * rollbacks.
 */
final class Phases extends TrafficSteps {
    Phases(PlanInput input) {
        super(input);
    }

    Plan run() {
        Plan plan = decide();
        return orphaned ? Orphans.restrict(plan, desired, observed, now,
                byRevision(observed.production()), observed.test() == null ? Map.of() : byRevision(observed.test())) : plan;
    }

    Plan decide() {
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
                return rollback(green.get(), blue.get(), Reason.AlarmNotFound, message);
            }
            return terminal(Reason.AlarmNotFound, message);
        }
        if (service == null || "INACTIVE".equals(service.status())) {
            // The INACTIVE predecessor's creation time tells a re-creation from the first creation.
            Instant predecessor = service == null ? null : service.createdAt() == null ? Instant.EPOCH : service.createdAt();
            actions.add(new Action.CreateService(spec.cluster(), spec.service(), spec.initialDesiredCount(),
                    Map.of(Tags.OWNER, desired.name(), Tags.LAYOUT, Tags.LAYOUT_VERSION),
                    ClientTokens.service(spec.cluster(), spec.service(), revision, predecessor)));
            return plan(ServiceStatus.of(Phase.Deploying, null, revision, Reason.CreatingService,
                    "creating ECS service " + spec.service() + " with the EXTERNAL deployment controller"), Duration.ZERO);
        }
        if (!"EXTERNAL".equals(service.deploymentController())) {
            return terminal(Reason.ForeignDeploymentController, "ECS service " + spec.service() + " uses the "
                    + service.deploymentController() + " deployment controller; the operator manages only EXTERNAL "
                    + "services. See docs/migration.md to move it.");
        }
        Optional<Plan> owned = claimOwnership();
        if (owned.isPresent()) return owned.get();
        if ("DRAINING".equals(service.status())) {
            return plan(ServiceStatus.of(Phase.Deploying, null, revision, Reason.ServiceDraining,
                    "ECS service is draining; waiting"), POLL);
        }
        // From here on the service is the operator's to write to: its scaling registration is kept in step
        // by every plan of the pass (see StatusView#withScaling).
        scalingManaged = true;
        attachTargetGroups(observed.production());
        if (observed.test() != null) attachTargetGroups(observed.test());
        if (spec.ownsDesiredCount() && service.desiredCount() != spec.desiredCount()) {
            // The spec fixes the count: another one is drift. Task sets follow the service's count through
            // their scale, so setting it back moves no traffic; green starting or stopping tasks for it is
            // rescaling, not lost health.
            drift.add(new Plan.Drift("desiredCount", "the service's desired count was set to " + service.desiredCount()
                    + "; the spec fixes " + spec.desiredCount()));
            actions.add(new Action.UpdateDesiredCount(service.arn(), spec.desiredCount()));
        }
        if (commands.contains(Command.RETRY) && failedRevision().isPresent()) {
            actions.add(new Action.UntagResource(service.arn(), List.of(Tags.FAILED_REVISION, Tags.FAILED_REASON)));
            return plan(ServiceStatus.of(Phase.Deploying, active().map(TaskSet::revision).orElse(null), revision,
                    Reason.Retrying, "retrying revision " + failedRevision().get()), Duration.ZERO);
        }
        Optional<TaskSet> primary = active();
        return primary.isEmpty() ? firstDeployment() : primary.get().revision() != null
                && primary.get().revision().equals(revision) ? steady(primary.get()) : rollout(primary.get());
    }

    /** No primary yet: the first task set goes on the blue target group and gets all traffic at once. */
    Plan firstDeployment() {
        String revision = desired.revision().id();
        // A task set that production already serves from but that never became primary (the engine
        // stopped in between, or the desire changed in between) is the blue of what comes next: the
        // desired revision rolls out from it like from any blue, rather than production losing it.
        Optional<TaskSet> serving = live().stream()
                .filter(t -> t.revision() != null && !revision.equals(t.revision()) && ready(t) && productionWeight(t) > 0)
                .max(Comparator.comparing(this::productionWeight));
        if (serving.isPresent()) {
            actions.add(new Action.SetPrimaryTaskSet(serving.get().arn()));
            return plan(status(Phase.Deploying, serving.get().revision(), Reason.AdoptedServingTaskSet, "production already runs "
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
            return plan(ServiceStatus.of(Phase.RolledBack, null, revision, Reason.RevisionFailed, failedReason()), null);
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
            if (rescaling(g)) return plan(rescalingStatus(g, Phase.Deploying, null), POLL);
            if (deadlinePassed(g)) {
                return rollback(g, null, Reason.ProgressDeadlineExceeded, "green did not become stable and healthy within "
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
        return plan(status(Phase.Deploying, null, Reason.FirstRevisionLive, "first revision " + revision
                + " takes all traffic"), Duration.ZERO);
    }

    /** Production serves the desired revision: keep it so, expire retained task sets, correct drift. */
    Plan steady(TaskSet primary) {
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
            Optional<Instant> retired = fact(Tags.RETIRED_AT, other).flatMap(PassContext::epoch);
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
        Reason reason = failedRevision().isPresent() ? Reason.Steady : Reason.Converged;
        String message = "production runs " + primary.revision();
        if (!spec.ownsDesiredCount() && countRecord().isPresent() && countTag().isPresent() && reason == Reason.Converged) {
            reason = Reason.FollowingDesiredCount;
            message += "; following the desired count " + targetCount() + " (was " + countTag().get().count() + "), set outside the operator";
        }
        return plan(status(Phase.Steady, primary.revision(), reason, message), requeue);
    }

    /** Production serves another revision than the desired one. */
    Plan rollout(TaskSet blue) {
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
            return plan(status(Phase.RolledBack, blue.revision(), Reason.RevisionFailed, failedReason()), null);
        }
        if (green.isEmpty()) {
            return createGreen(idleTargetGroup(blue), blue);
        }
        TaskSet g = green.get();
        if (commands.contains(Command.ABORT)) {
            return rollback(g, blue, Reason.Aborted, "aborted by request");
        }
        Optional<StepTag> recorded = step(g);
        if (recorded.isPresent() && observed.production().percentTo(g.targetGroupArn()) == 0) {
            // A step is recorded only once production reached it, so green without production traffic
            // means a rollback moved it back to blue and stopped before its bookkeeping (or a person
            // did): the rollback is completed, never undone.
            return rollback(g, blue, Reason.RollbackCompleted, "production was moved back to " + blue.revision()
                    + " during step " + (recorded.get().index() + 1) + "; the rollout stays rolled back");
        }
        ensureScale(g);
        if (fact(Tags.RETIRED_AT, g).isPresent() && ready(g)) {
            return instantRollback(g, blue);
        }
        if (!ready(g)) {
            if (rescaling(g)) return plan(rescalingStatus(g, heldPhase(g, recorded), blue), POLL);
            if (carriesTraffic(g) || recorded.isPresent()) {
                return rollback(g, blue, Reason.GreenUnhealthy, "green lost healthy targets while serving traffic ("
                        + healthy(g) + " of " + g.computedDesiredCount() + " healthy)");
            }
            if (deadlinePassed(g)) {
                return rollback(g, blue, Reason.ProgressDeadlineExceeded, "green did not become stable and healthy within "
                        + Durations.format(spec.strategy().progressDeadline()));
            }
            return plan(deployingStatus(g, blue), POLL);
        }
        Optional<String> alarm = alarmFiring(g);
        if (alarm.isPresent()) {
            return rollback(g, blue, Reason.AlarmTriggered, "alarm " + alarm.get() + " is in ALARM");
        }
        Optional<Plan> gate = hookGate(1, g, blue, Phase.Deploying);
        if (gate.isPresent()) return gate.get();
        if (observed.test() != null && observed.test().percentTo(g.targetGroupArn()) != 100) {
            actions.add(forward(observed.test(), weights(g.targetGroupArn(), 100, blue.targetGroupArn())));
            return plan(status(Phase.TestTraffic, blue.revision(), Reason.TestTrafficOnGreen,
                    "the test listener now serves " + revision), Duration.ZERO);
        }
        gate = hookGate(2, g, blue, Phase.TestTraffic);
        if (gate.isPresent()) return gate.get();
        if (spec.strategy().promotion() == Promotion.MANUAL && recorded.isEmpty()
                && !promoted(revision) && !commands.contains(Command.PROMOTE)) {
            return plan(status(Phase.AwaitingPromotion, blue.revision(), Reason.AwaitingPromotion,
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

    /** Green holds where it is while it scales to a new desired count (see {@link #rescaling}). */
    ServiceStatus rescalingStatus(TaskSet g, Phase phase, TaskSet blue) {
        String whose = spec.ownsDesiredCount() ? "the spec's desired count " : "the service's desired count, set outside the operator, ";
        return status(phase, blue == null ? null : blue.revision(), Reason.FollowingDesiredCount, "green scales to "
                + whose + targetCount() + " (" + g.runningCount() + " running, " + healthy(g) + " healthy); no step is taken meanwhile");
    }

    /** The phase green is in while it holds: where its traffic shows it to be. */
    Phase heldPhase(TaskSet g, Optional<StepTag> recorded) {
        if (recorded.isPresent()) return observed.production().percentTo(g.targetGroupArn()) == 100 ? Phase.Baking : Phase.Shifting;
        if (observed.test() != null && observed.test().percentTo(g.targetGroupArn()) == 100) {
            return spec.strategy().promotion() == Promotion.MANUAL && !promoted(desired.revision().id())
                    ? Phase.AwaitingPromotion : Phase.TestTraffic;
        }
        return Phase.Deploying;
    }

    /** The revision that blue still runs is wanted again: one listener change back to it, no new task set. */
    Plan instantRollback(TaskSet retained, TaskSet current) {
        Map<String, Integer> all = weights(retained.targetGroupArn(), 100, current.targetGroupArn());
        actions.add(forward(observed.production(), all));
        if (observed.test() != null) actions.add(forward(observed.test(), all));
        actions.add(record(Tags.RETIRED_AT, current, String.valueOf(now.getEpochSecond())));
        actions.add(new Action.SetPrimaryTaskSet(retained.arn()));
        String rev = retained.revision();
        actions.add(new Action.UntagResource(observed.service().arn(),
                List.of(Tags.key(Tags.RETIRED_AT, rev), Tags.key(Tags.STEP, rev), Tags.key(Tags.HOOKS, rev))));
        return plan(status(Phase.Steady, retained.revision(), Reason.InstantRollback, "back to " + retained.revision()
                + ", which was still warm"), Duration.ZERO);
    }

    /**
     * Puts every listener back on blue in one change each (production first), then marks the revision
     * failed, then removes green. Traffic comes first so no bookkeeping failure can hold it on green;
     * green is deleted only after the mark, and while it exists with a recorded step and no production
     * traffic the next pass completes the rollback (see {@link #rollout}).
     */
    Plan rollback(TaskSet green, TaskSet blue, Reason reason, String message) {
        if (blue != null) restoreBlue(blue, null);
        // Writes planned before the decision to roll back (an ownership tag, a desired count, a scale, a
        // superseded task set's deletion) wait behind the traffic: none of them may hold it on green.
        List<Action> traffic = actions.stream().filter(a -> a instanceof Action.SetForwardWeights).toList();
        actions.removeAll(traffic);
        actions.addAll(0, traffic);
        actions.add(new Action.TagResource(observed.service().arn(), Map.of(Tags.FAILED_REVISION, desired.revision().id(),
                Tags.FAILED_REASON, Tags.encodeText(reason.name() + ": " + message))));
        actions.add(new Action.DeleteTaskSet(green.arn(), reason.name()));
        return plan(status(Phase.RollingBack, blue == null ? null : blue.revision(), reason, message), Duration.ZERO);
    }

    void restoreBlue(TaskSet blue, String driftKind) {
        Map<String, Integer> all = weights(blue.targetGroupArn(), 100, otherTargetGroup(blue.targetGroupArn()));
        boolean changed = toBlue(observed.production(), blue, all);
        if (observed.test() != null) changed |= toBlue(observed.test(), blue, all);
        if (changed && driftKind != null && !driftKind.equals("SupersededRollout") && !driftKind.equals("RollbackCompletion")) {
            drift.add(new Plan.Drift(driftKind, "traffic returned to blue"));
        }
    }

    /**
     * Plans all of {@code forward}'s traffic onto blue unless the pass already puts it there; a write
     * planned for it that does not (attaching a missing target group at the weights in place) gives way.
     */
    private boolean toBlue(Forward forward, TaskSet blue, Map<String, Integer> all) {
        if (afterActions(forward).percentTo(blue.targetGroupArn()) == 100) return false;
        actions.removeIf(a -> a instanceof Action.SetForwardWeights w && w.listenerOrRuleArn().equals(forward.arn()));
        actions.add(forward(forward, all));
        return true;
    }

    Plan createGreen(String targetGroupArn, TaskSet blue) {
        String revision = desired.revision().id();
        if (targetGroupArn == null || !free(targetGroupArn)) {
            return plan(status(Phase.Deploying, blue == null ? null : blue.revision(), Reason.WaitingForTargetGroup,
                    "no target group is free for " + revision + ": production still points at the task set on it"), POLL);
        }
        if (blue != null) {
            Optional<Plan> gate = beforeInstall(blue);
            if (gate.isPresent()) return gate.get();
        }
        if (observed.desiredTaskDefinitionArn() == null) {
            actions.add(new Action.RegisterTaskDefinition(desired.revision()));
            return plan(status(Phase.Deploying, blue == null ? null : blue.revision(), Reason.RegisteringTaskDefinition,
                    "registering the task definition of " + revision), Duration.ZERO);
        }
        List<Action> safe = Safety.check(actions, observed);
        long remaining = observed.taskSets().stream()
                .filter(t -> safe.stream().noneMatch(a -> a instanceof Action.DeleteTaskSet d && d.taskSetArn().equals(t.arn())))
                .count();
        if (remaining >= MAX_TASK_SETS) {
            long draining = observed.taskSets().stream().filter(t -> t.status() == TaskSetStatus.DRAINING).count();
            return plan(status(Phase.Deploying, blue == null ? null : blue.revision(), Reason.WaitingForDrainingTaskSets,
                    "the service has " + remaining + " task sets (" + draining + " draining), ECS's limit is "
                            + MAX_TASK_SETS + "; " + revision + " is created once a draining one is gone"), POLL);
        }
        actions.add(createTaskSet(targetGroupArn, generation()));
        return plan(status(Phase.Deploying, blue == null ? null : blue.revision(), Reason.CreatingGreen,
                "creating a task set for " + revision), POLL);
    }
}

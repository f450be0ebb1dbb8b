package io.ecsbluegreen.plan;

import io.ecsbluegreen.model.Phase;
import static io.ecsbluegreen.plan.Planner.ALARM_POLL;
import static io.ecsbluegreen.plan.Planner.POLL;

import io.ecsbluegreen.observed.Observed;
import io.ecsbluegreen.observed.Observed.Forward;
import io.ecsbluegreen.observed.Observed.TaskSet;
import io.ecsbluegreen.observed.Observed.TaskSetStatus;
import io.ecsbluegreen.plan.TrafficSteps.Step;
import io.ecsbluegreen.spec.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The status of a pass and its outcome: the traffic split as it stands once the pass's listener changes
 * are made, the safety net applied, and the tag bookkeeping every pass may need around its actions.
 */
abstract class StatusView extends PassContext {
    StatusView(PlanInput input) {
        super(input);
    }

private static boolean watchedPhase(Phase phase) {
    return phase == Phase.TestTraffic || phase == Phase.AwaitingPromotion || phase == Phase.Shifting || phase == Phase.Baking;
}

private static String heldBack(Action a) {
    if (a instanceof Action.SetForwardWeights) return "no traffic to a target group without healthy targets";
    if (a instanceof Action.DeleteTaskSet) return "the task set that serves is not deleted";
    return a.getClass().getSimpleName();
}

    /** The status with the traffic split as it stands once this pass's listener changes are made. */
    ServiceStatus status(Phase phase, String active, Reason reason, String message) {
        return ServiceStatus.of(phase, active, desired.revision().id(), reason, message)
                .withWeights(byRevision(afterActions(observed.production())),
                        observed.test() == null ? Map.of() : byRevision(afterActions(observed.test())));
    }

    Forward afterActions(Forward forward) {
        return afterActions(forward, actions);
    }

    static Forward afterActions(Forward forward, List<Action> actions) {
        Map<String, Integer> weights = forward.weights();
        for (Action a : actions) {
            if (a instanceof Action.SetForwardWeights w && w.listenerOrRuleArn().equals(forward.arn())) weights = w.weights();
        }
        return new Forward(forward.arn(), forward.rule(), weights, forward.tags());
    }

    ServiceStatus deployingStatus(TaskSet green, TaskSet blue) {
        return status(Phase.Deploying, blue == null ? null : blue.revision(), Reason.WaitingForGreen,
                "green " + green.revision() + ": " + green.runningCount() + "/" + green.computedDesiredCount()
                        + " running, " + healthy(green) + " healthy, " + (green.steady() ? "steady" : "stabilizing"));
    }

    ServiceStatus shiftStatus(TaskSet green, TaskSet blue, int k, List<Step> steps, int weight) {
        boolean baking = k == steps.size() - 1;
        return status(baking ? Phase.Baking : Phase.Shifting, blue.revision(), baking ? Reason.Baking : Reason.Shifting,
                baking ? "production fully on " + green.revision() + ", baking for " + Durations.format(spec.strategy().bakeTime())
                        : "step " + (k + 1) + " of " + steps.size() + ": " + weight + "% of production on " + green.revision())
                .withStep(k + 1, steps.size());
    }

    Map<String, Integer> byRevision(Forward forward) {
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

    Plan plan(ServiceStatus status, Duration requeue) {
        if (!specAlarms().isEmpty() && watchedPhase(status.phase())) {
            // Alarms are read on each pass: a long pause or a wait for promotion must not hide one.
            requeue = min(requeue, ALARM_POLL);
        }
        List<Action> safe = Safety.check(actions, observed);
        if (safe.size() == actions.size()) {
            return new Plan(withScaling(withBookkeeping(safe), status.phase()), status, Plan.Next.after(requeue), drift);
        }
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
                        + held.stream().map(StatusView::heldBack).distinct().reduce((a, b) -> a + ", " + b).orElse("") + ")");
        return new Plan(withScaling(withBookkeeping(safe), status.phase()), shown, Plan.Next.after(POLL), drift);
    }

    /**
     * The plan's actions with the writes that keep the service's Application Auto Scaling registration in step
     * ({@link ScalingDecisions}), when the spec declares one: scale-in is suspended while production is split
     * between blue and green as observed or once the pass's listener changes are made, and while the rollout
     * bakes. A suspension goes
     * before the pass's first listener change, so no scale-in happens once traffic is split; everything else
     * (a resumption, the range, the policy) after every other action, so that it never holds a rollback's
     * traffic back.
     */
    List<Action> withScaling(List<Action> planned, Phase phase) {
        if (!scalingManaged || observed.scaling() == null || spec.scaling() == null || !spec.scaling().registered()) return planned;
        // Baking counts as split: blue idles beside green, so the service's average CPU is diluted by half and a
        // target-tracking policy would scale in just before blue may need to take production back.
        boolean split = phase == Phase.Baking || ScalingDecisions.split(observed.production())
                || ScalingDecisions.split(afterActions(observed.production(), planned));
        List<Action> writes = ScalingDecisions.actions(spec.scaling(), spec.cluster(), spec.service(), observed.scaling(), split);
        if (writes.isEmpty()) return planned;
        List<Action> out = new ArrayList<>(planned);
        Observed.ScalableTarget target = observed.scaling().target();
        boolean suspends = split && (target == null || !target.scaleInSuspended());
        int firstTraffic = indexOf(out, a -> a instanceof Action.SetForwardWeights);
        if (suspends && firstTraffic >= 0 && phase != Phase.RollingBack && phase != Phase.RolledBack
                && writes.get(0) instanceof Action.RegisterScalableTarget) {
            out.add(firstTraffic, writes.get(0));
            out.addAll(writes.subList(1, writes.size()));
        } else {
            out.addAll(writes);
        }
        return out;
    }

    /**
     * The plan's actions with the tag writes every pass may need around them: the creation generation
     * raised before the first deletion (and the creation of this plan made with it), the earlier
     * layout's state copied to the service, and per-revision facts no live task set needs removed.
     */
    List<Action> withBookkeeping(List<Action> planned) {
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
        countRecord().ifPresent(out::add);
        List<String> stale = serviceTags().keySet().stream()
                .filter(k -> Tags.perRevision(k) && !written.contains(k) && stale(k)).sorted().toList();
        if (!stale.isEmpty()) out.add(new Action.UntagResource(serviceArn, stale));
        return out;
    }

    /** A per-revision fact is stale unless a live, non-primary task set of its revision is the one it was written for. */
    boolean stale(String key) {
        String value = serviceTags().get(key);
        String revision = Tags.revisionOf(key);
        return live().stream().noneMatch(t -> t.status() != TaskSetStatus.PRIMARY && revision.equals(t.revision())
                && Tags.factOf(value, t.id()).isPresent());
    }

    static int indexOf(List<Action> list, java.util.function.Predicate<Action> match) {
        for (int i = 0; i < list.size(); i++) {
            if (match.test(list.get(i))) return i;
        }
        return -1;
    }

    Plan terminal(Reason reason, String message) {
        return new Plan(List.of(), ServiceStatus.of(Phase.Failed, null, desired.revision().id(), reason, message), Plan.Next.TERMINAL, List.of());
    }
}

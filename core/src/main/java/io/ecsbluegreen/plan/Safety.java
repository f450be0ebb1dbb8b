package io.ecsbluegreen.plan;

import io.ecsbluegreen.observed.Observed;
import io.ecsbluegreen.observed.Observed.TaskSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The last line of defence between a plan and AWS: replays the actions over what was observed and drops
 * any that would break the two invariants the operator promises, whatever path of the planner produced
 * them:
 * <ul>
 *   <li>production traffic never goes to a target group without healthy targets;</li>
 *   <li>the task set that serves production (primary, or receiving production weight) is never deleted,
 *       unless it duplicates another running task set on the same target group that stays;</li>
 *   <li>a DRAINING task set is never deleted again;</li>
 *   <li>a target group never holds two task sets: production would serve both revisions from it, and the
 *       one left over could not be deleted while production points there.</li>
 * </ul>
 */
final class Safety {
    private Safety() {}

    static List<Action> check(List<Action> actions, Observed observed) {
        String production = observed.production().arn();
        Map<String, Integer> productionWeights = new HashMap<>(observed.production().weights());
        String primary = observed.taskSets().stream().filter(t -> t.status() == Observed.TaskSetStatus.PRIMARY)
                .map(TaskSet::arn).findFirst().orElse(null);
        Set<String> deleted = new HashSet<>();
        List<Action> safe = new ArrayList<>();
        for (Action action : actions) {
            if (action instanceof Action.SetForwardWeights w) {
                if (w.listenerOrRuleArn().equals(production)) {
                    Map<String, Integer> before = percentages(productionWeights);
                    // Only a share that grows needs healthy targets: keeping or lowering one is always safe.
                    boolean healthy = w.weights().entrySet().stream()
                            .filter(e -> e.getValue() > before.getOrDefault(e.getKey(), 0))
                            .allMatch(e -> healthyTargets(observed, e.getKey()) > 0);
                    if (!healthy) continue;
                    productionWeights = new HashMap<>(w.weights());
                }
            } else if (action instanceof Action.SetPrimaryTaskSet p) {
                primary = p.taskSetArn();
            } else if (action instanceof Action.DeleteTaskSet d) {
                TaskSet target = observed.taskSets().stream().filter(t -> t.arn().equals(d.taskSetArn())).findFirst().orElse(null);
                if (target == null || target.status() == Observed.TaskSetStatus.DRAINING) continue;
                boolean serves = d.taskSetArn().equals(primary)
                        || (productionWeights.getOrDefault(target.targetGroupArn(), 0) > 0 && !duplicated(observed, target, deleted));
                if (serves) continue;
                deleted.add(d.taskSetArn());
            } else if (action instanceof Action.CreateTaskSet c) {
                // A DRAINING task set's targets are deregistering: it no longer serves from the group.
                boolean occupied = observed.taskSets().stream()
                        .anyMatch(t -> c.targetGroupArn().equals(t.targetGroupArn()) && !deleted.contains(t.arn())
                                && t.status() != Observed.TaskSetStatus.DRAINING);
                if (occupied) continue;
            }
            safe.add(action);
        }
        return safe;
    }

    /**
     * Whether another live task set of the same revision on the same target group stays (not deleted,
     * running its desired count), so deleting {@code target} leaves the group served as before.
     */
    private static boolean duplicated(Observed observed, TaskSet target, Set<String> deleted) {
        return observed.taskSets().stream().anyMatch(t -> t != target && target.targetGroupArn() != null
                && target.targetGroupArn().equals(t.targetGroupArn()) && !deleted.contains(t.arn())
                && target.revision() != null && target.revision().equals(t.revision())
                && t.status() != Observed.TaskSetStatus.DRAINING
                && t.computedDesiredCount() > 0 && t.runningCount() >= t.computedDesiredCount());
    }

    private static Map<String, Integer> percentages(Map<String, Integer> weights) {
        int total = weights.values().stream().mapToInt(Integer::intValue).sum();
        Map<String, Integer> out = new HashMap<>();
        weights.forEach((tg, w) -> out.put(tg, total == 0 ? 0 : w * 100 / total));
        return out;
    }

    private static int healthyTargets(Observed observed, String targetGroupArn) {
        Observed.TargetGroup tg = observed.targetGroups().get(targetGroupArn);
        return tg == null ? 0 : tg.healthy();
    }
}

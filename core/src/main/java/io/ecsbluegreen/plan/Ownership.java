package io.ecsbluegreen.plan;

import io.ecsbluegreen.observed.Observed;
import io.ecsbluegreen.observed.Observed.Forward;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which BlueGreenService owns the listeners, rules, target groups and ECS service of a pass: claimed when
 * free, refused when tagged as another's; and both target groups attached to the forward actions.
 */
abstract class Ownership extends StatusView {
    Ownership(PlanInput input) {
        super(input);
    }

    Optional<Plan> claimOwnership() {
        List<String> foreign = foreignOwners(true);
        if (!foreign.isEmpty()) return Optional.of(ownedByAnother(foreign));
        owned(true).forEach((arn, tags) -> {
            if (tags.get(Tags.OWNER) == null) actions.add(new Action.TagResource(arn, Map.of(Tags.OWNER, desired.name())));
        });
        return Optional.empty();
    }

    /** The resources this service must own, with their tags: listeners or rules, target groups, and the ECS service. */
    Map<String, Map<String, String>> owned(boolean withService) {
        Map<String, Map<String, String>> tagsByArn = new LinkedHashMap<>();
        if (withService) tagsByArn.put(observed.service().arn(), observed.service().tags());
        tagsByArn.put(observed.production().arn(), observed.production().tags());
        if (observed.test() != null) tagsByArn.put(observed.test().arn(), observed.test().tags());
        for (Observed.TargetGroup tg : observed.targetGroups().values()) tagsByArn.put(tg.arn(), tg.tags());
        return tagsByArn;
    }

    List<String> foreignOwners(boolean withService) {
        List<String> foreign = new ArrayList<>();
        owned(withService).forEach((arn, tags) -> {
            String owner = tags.get(Tags.OWNER);
            if (owner != null && !owner.equals(desired.name())) foreign.add(arn + " (owned by " + owner + ")");
        });
        return foreign;
    }

    Plan ownedByAnother(List<String> foreign) {
        actions.clear();
        return terminal(Reason.OwnedByAnother, "refusing to take over " + String.join(", ", foreign)
                + "; each listener, rule, target group and service belongs to one BlueGreenService");
    }

    /**
     * Both target groups must be in the forward action (the idle one at weight 0) before a task set
     * can use them: a target group no listener uses gets no health checks, and ECS refuses it.
     */
    void attachTargetGroups(Forward forward) {
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
}

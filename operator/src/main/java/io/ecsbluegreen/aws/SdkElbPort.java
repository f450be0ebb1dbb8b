package io.ecsbluegreen.aws;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ListenerNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;

/** {@link ElbPort} over the SDK v2 client. */
public final class SdkElbPort implements ElbPort {
    /** DescribeListeners, DescribeRules, DescribeTargetGroups and DescribeTags take at most 20 ARNs or names. */
    static final int BATCH = 20;

    private final ElasticLoadBalancingV2Client elb;
    /** ARNs and names a Describe call found missing; described alone, so they cannot fail a batch. */
    private final Set<String> missing = ConcurrentHashMap.newKeySet();

    public SdkElbPort(ElasticLoadBalancingV2Client elb) {
        this.elb = elb;
    }

    @Override
    public Map<String, ForwardState> forwards(Collection<String> listenerArns, Collection<String> ruleArns) {
        Set<String> rules = Set.copyOf(ruleArns);
        Map<String, ForwardState> out = new HashMap<>();
        actionLists(listenerArns, ruleArns).forEach((arn, actions) -> out.put(arn, new ForwardState(arn, rules.contains(arn), weights(actions))));
        return out;
    }

    /**
     * Describes ARNs or names in batches of twenty, leaving out the ones that do not exist. ELBv2 fails a
     * whole Describe call when one of its ARNs or names does not exist, so after a NotFound the batch is
     * split in halves until the missing members stand alone: one deleted rule costs about ten calls
     * instead of the observation of twenty services. Members found missing are described alone from then
     * on (one call each, until they exist again), so the other members' batch succeeds at the first try.
     */
    private <T> List<T> isolated(Collection<String> items, Function<List<String>, List<T>> describe) {
        List<String> known = new ArrayList<>();
        List<T> out = new ArrayList<>();
        for (String item : new LinkedHashSet<>(items)) {
            if (missing.contains(item)) out.addAll(split(List.of(item), describe));
            else known.add(item);
        }
        for (List<String> batch : batches(known)) out.addAll(split(batch, describe));
        return out;
    }

    private <T> List<T> split(List<String> batch, Function<List<String>, List<T>> describe) {
        try {
            List<T> found = describe.apply(batch);
            if (batch.size() == 1) missing.remove(batch.get(0));
            return found;
        } catch (ListenerNotFoundException | RuleNotFoundException | TargetGroupNotFoundException e) {
            if (batch.size() == 1) {
                missing.add(batch.get(0));
                return List.of();
            }
            List<T> out = new ArrayList<>(split(batch.subList(0, batch.size() / 2), describe));
            out.addAll(split(batch.subList(batch.size() / 2, batch.size()), describe));
            return out;
        }
    }

    /** The target group weights of the forward action; a legacy single-target-group action counts as weight 1. */
    static Map<String, Integer> weights(List<Action> actions) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Action a : actions) {
            if (a.type() != ActionTypeEnum.FORWARD) continue;
            if (a.forwardConfig() != null && a.forwardConfig().hasTargetGroups() && !a.forwardConfig().targetGroups().isEmpty()) {
                for (TargetGroupTuple t : a.forwardConfig().targetGroups()) {
                    out.put(t.targetGroupArn(), t.weight() == null ? 1 : t.weight());
                }
            } else if (a.targetGroupArn() != null) {
                out.put(a.targetGroupArn(), 1);
            }
        }
        return out;
    }

    /**
     * Reads the current action list right before writing it back: an action list cached from the pass's
     * observation would undo a change someone made to the listener since (a new authenticate action),
     * and the extra Describe happens only when weights change. A batch of passes shares these reads
     * through {@link #forwardWrites}.
     */
    @Override
    public void setForward(String arn, boolean rule, Map<String, Integer> weights) {
        List<Action> current = rule ? elb.describeRules(r -> r.ruleArns(arn)).rules().get(0).actions()
                : elb.describeListeners(r -> r.listenerArns(arn)).listeners().get(0).defaultActions();
        write(arn, rule, current, weights);
    }

    @Override
    public ForwardWrites forwardWrites(Collection<String> listenerArns, Collection<String> ruleArns) {
        return new BatchedForwardWrites(this, listenerArns, ruleArns);
    }

    /**
     * The current action lists of listeners (default actions) and rules, by ARN, twenty per Describe call;
     * one that does not exist is absent and fails no other (see {@link #isolated}).
     */
    Map<String, List<Action>> actionLists(Collection<String> listenerArns, Collection<String> ruleArns) {
        Map<String, List<Action>> out = new HashMap<>();
        for (Listener l : isolated(listenerArns, batch -> elb.describeListeners(r -> r.listenerArns(batch)).listeners())) {
            out.put(l.listenerArn(), l.defaultActions());
        }
        for (Rule rule : isolated(ruleArns, batch -> elb.describeRules(r -> r.ruleArns(batch)).rules())) {
            out.put(rule.ruleArn(), rule.actions());
        }
        return out;
    }

    /**
     * Writes {@code current} back with the forward action's weights changed; returns the action list the
     * listener or rule has now (ModifyListener and ModifyRule answer with it), or null if the answer lacks it.
     */
    List<Action> write(String arn, boolean rule, List<Action> current, Map<String, Integer> weights) {
        List<Action> actions = ForwardActions.withWeights(current, weights);
        if (rule) {
            List<Rule> rules = elb.modifyRule(r -> r.ruleArn(arn).actions(actions)).rules();
            return rules.isEmpty() ? null : rules.get(0).actions();
        }
        List<Listener> listeners = elb.modifyListener(r -> r.listenerArn(arn).defaultActions(actions)).listeners();
        return listeners.isEmpty() ? null : listeners.get(0).defaultActions();
    }

    @Override
    public Map<String, String> targetGroupArns(Collection<String> names) {
        Map<String, String> out = new HashMap<>();
        for (TargetGroup tg : isolated(names, batch -> elb.describeTargetGroups(r -> r.names(batch)).targetGroups())) {
            out.put(tg.targetGroupName(), tg.targetGroupArn());
        }
        return out;
    }

    @Override
    public TargetGroupState targetHealth(String targetGroupArn, String name) {
        int healthy = 0;
        int registered = 0;
        for (TargetHealthDescription d : elb.describeTargetHealth(r -> r.targetGroupArn(targetGroupArn)).targetHealthDescriptions()) {
            TargetHealthStateEnum state = d.targetHealth() == null ? null : d.targetHealth().state();
            if (state == TargetHealthStateEnum.DRAINING) continue;
            registered++;
            if (state == TargetHealthStateEnum.HEALTHY) healthy++;
        }
        return new TargetGroupState(targetGroupArn, name, healthy, registered);
    }

    @Override
    public Map<String, Map<String, String>> tags(Collection<String> arns) {
        Map<String, Map<String, String>> out = new HashMap<>();
        for (List<String> batch : batches(arns)) {
            elb.describeTags(r -> r.resourceArns(batch)).tagDescriptions().forEach(d -> {
                Map<String, String> tags = new HashMap<>();
                for (Tag t : d.tags()) tags.put(t.key(), t.value());
                out.put(d.resourceArn(), tags);
            });
        }
        return out;
    }

    @Override
    public void addTags(String arn, Map<String, String> tags) {
        List<Tag> list = tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
        elb.addTags(r -> r.resourceArns(arn).tags(list));
    }

    @Override
    public void removeTags(String arn, List<String> keys) {
        elb.removeTags(r -> r.resourceArns(arn).tagKeys(keys));
    }

    static List<List<String>> batches(Collection<String> items) {
        List<String> all = new ArrayList<>(new LinkedHashSet<>(items));
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += BATCH) out.add(all.subList(i, Math.min(all.size(), i + BATCH)));
        return out;
    }
}

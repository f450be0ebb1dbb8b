package io.ecsbluegreen.act;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ForwardActionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
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

    public SdkElbPort(ElasticLoadBalancingV2Client elb) {
        this.elb = elb;
    }

    @Override
    public Map<String, ForwardState> forwards(Collection<String> listenerArns, Collection<String> ruleArns) {
        Map<String, ForwardState> out = new HashMap<>();
        for (List<String> batch : batches(listenerArns)) {
            for (Listener l : elb.describeListeners(r -> r.listenerArns(batch)).listeners()) {
                out.put(l.listenerArn(), new ForwardState(l.listenerArn(), false, weights(l.defaultActions())));
            }
        }
        for (List<String> batch : batches(ruleArns)) {
            for (Rule rule : elb.describeRules(r -> r.ruleArns(batch)).rules()) {
                out.put(rule.ruleArn(), new ForwardState(rule.ruleArn(), true, weights(rule.actions())));
            }
        }
        return out;
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

    @Override
    public void setForward(String arn, boolean rule, Map<String, Integer> weights) {
        List<TargetGroupTuple> tuples = new ArrayList<>();
        weights.forEach((tg, w) -> tuples.add(TargetGroupTuple.builder().targetGroupArn(tg).weight(w).build()));
        Action forward = Action.builder().type(ActionTypeEnum.FORWARD)
                .forwardConfig(ForwardActionConfig.builder().targetGroups(tuples).build()).build();
        if (rule) {
            elb.modifyRule(r -> r.ruleArn(arn).actions(forward));
        } else {
            elb.modifyListener(r -> r.listenerArn(arn).defaultActions(forward));
        }
    }

    @Override
    public Map<String, String> targetGroupArns(Collection<String> names) {
        Map<String, String> out = new HashMap<>();
        for (List<String> batch : batches(names)) {
            for (TargetGroup tg : elb.describeTargetGroups(r -> r.names(batch)).targetGroups()) {
                out.put(tg.targetGroupName(), tg.targetGroupArn());
            }
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
        List<String> all = new ArrayList<>(new java.util.LinkedHashSet<>(items));
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += BATCH) out.add(all.subList(i, Math.min(all.size(), i + BATCH)));
        return out;
    }
}

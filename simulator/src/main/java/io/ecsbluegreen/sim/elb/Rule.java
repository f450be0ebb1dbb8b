package io.ecsbluegreen.sim.elb;

import java.util.List;

/**
 * A listener rule. The default rule of a listener has no priority ({@code "default"} on the wire) and no
 * conditions; its actions are the listener's default actions. Immutable.
 *
 * @param arn {@code arn:aws:elasticloadbalancing:REGION:ACCOUNT:listener-rule/app/LBNAME/LBID/LISTENERID/ID}
 * @param priority 1..50000, or null for the default rule
 */
public record Rule(String arn, String listenerArn, Integer priority, List<Condition> conditions, List<Action> actions) {

    public Rule {
        conditions = List.copyOf(conditions);
        actions = List.copyOf(actions);
    }

    public boolean isDefault() {
        return priority == null;
    }

    public String id() {
        return Arns.idOf(arn);
    }

    Rule withPriority(int newPriority) {
        return new Rule(arn, listenerArn, newPriority, conditions, actions);
    }

    Rule with(List<Condition> newConditions, List<Action> newActions) {
        return new Rule(arn, listenerArn, priority, newConditions, newActions);
    }
}

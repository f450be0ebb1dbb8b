package io.ecsbluegreen.model;

import io.ecsbluegreen.model.meta.Doc;
import io.ecsbluegreen.model.meta.ExactlyOneOf;
import io.ecsbluegreen.model.meta.Pattern;

/** A listener whose default action forwards to the service, or one of a listener's rules. */
@ExactlyOneOf({"listenerArn", "ruleArn"})
@Doc("Either `listenerArn` (its default action forwards) or `ruleArn` (the rule's forward action).")
public record ListenerRef(
        @Pattern(value = Patterns.LISTENER_ARN, hint = Patterns.LISTENER_ARN_HINT)
        @Doc("ALB listener whose default action the operator manages.")
        String listenerArn,

        @Pattern(value = Patterns.RULE_ARN, hint = Patterns.RULE_ARN_HINT)
        @Doc("ALB listener rule whose forward action the operator manages.")
        String ruleArn) {

    /** The ARN, whichever kind this is. */
    public String arn() {
        return listenerArn != null ? listenerArn : ruleArn;
    }
}

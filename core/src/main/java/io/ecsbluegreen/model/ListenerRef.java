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
        String ruleArn,

        @Pattern(value = Patterns.HOST_NAME, hint = Patterns.HOST_NAME_HINT)
        @Doc("Host that hooks and HTTP probes name when they call this listener through `{productionEndpoint}` or `{testEndpoint}`:"
                + " sent as `Host`, and over HTTPS as SNI and the name the certificate must carry. Default: the rule's first"
                + " host-header value without wildcards. Required for an HTTPS listener without such a rule condition.")
        String serverName) {

    /** A reference without a server name. */
    public ListenerRef(String listenerArn, String ruleArn) {
        this(listenerArn, ruleArn, null);
    }

    /** The ARN, whichever kind this is. */
    public String arn() {
        return listenerArn != null ? listenerArn : ruleArn;
    }
}

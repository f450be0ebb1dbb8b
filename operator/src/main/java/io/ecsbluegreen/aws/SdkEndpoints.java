package io.ecsbluegreen.aws;

import io.ecsbluegreen.hooks.EndpointResolver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;

/**
 * Resolves a listener or rule to {@code protocol://dns-name:port} and, for a rule, the host its
 * host-header condition matches, for hook placeholders. A listener's port and protocol and a load
 * balancer's DNS name do not change, so each is read once.
 */
public final class SdkEndpoints implements EndpointResolver {
    private final ElasticLoadBalancingV2Client elb;
    private final Map<String, String> listeners = new ConcurrentHashMap<>();

    public SdkEndpoints(ElasticLoadBalancingV2Client elb) {
        this.elb = elb;
    }

    @Override
    public Endpoint resolve(String listenerOrRuleArn) {
        String base = listeners.computeIfAbsent(listenerOf(listenerOrRuleArn), this::read);
        if (!listenerOrRuleArn.contains(":listener-rule/")) return new Endpoint(base, null);
        // a rule's conditions can be edited, so they are read each time (once per hook run)
        Rule rule = elb.describeRules(r -> r.ruleArns(listenerOrRuleArn)).rules().get(0);
        return new Endpoint(base, host(rule));
    }

    /** The first host-header value a request can name as it is: one without wildcards. */
    static String host(Rule rule) {
        for (RuleCondition c : rule.conditions()) {
            if (!"host-header".equals(c.field())) continue;
            List<String> values = c.hostHeaderConfig() != null && c.hostHeaderConfig().hasValues()
                    ? c.hostHeaderConfig().values() : c.values();
            for (String v : values) {
                if (!v.contains("*") && !v.contains("?")) return v;
            }
        }
        return null;
    }

    /** A rule's ARN names its listener: {@code listener-rule/app/LB/LBID/LISTENERID/RULEID}. */
    static String listenerOf(String arn) {
        if (!arn.contains(":listener-rule/")) return arn;
        String listener = arn.replace(":listener-rule/", ":listener/");
        return listener.substring(0, listener.lastIndexOf('/'));
    }

    private String read(String listenerArn) {
        Listener l = elb.describeListeners(r -> r.listenerArns(listenerArn)).listeners().get(0);
        String dns = elb.describeLoadBalancers(r -> r.loadBalancerArns(l.loadBalancerArn())).loadBalancers().get(0).dnsName();
        return l.protocolAsString().toLowerCase(java.util.Locale.ROOT) + "://" + dns + ":" + l.port();
    }
}

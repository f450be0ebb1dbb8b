package io.ecsbluegreen.act;

import io.ecsbluegreen.hooks.EndpointResolver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;

/**
 * Resolves a listener or rule to {@code protocol://dns-name:port} for hook placeholders. A listener's
 * port and protocol and a load balancer's DNS name do not change, so each is read once.
 */
public final class SdkEndpoints implements EndpointResolver {
    private final ElasticLoadBalancingV2Client elb;
    private final Map<String, String> cache = new ConcurrentHashMap<>();

    public SdkEndpoints(ElasticLoadBalancingV2Client elb) {
        this.elb = elb;
    }

    @Override
    public String baseUrl(String listenerOrRuleArn) {
        return cache.computeIfAbsent(listenerOf(listenerOrRuleArn), this::read);
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

package io.ecsbluegreen.sim.elb;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A simulated Application Load Balancer, as DescribeLoadBalancers reports it. Immutable: the store
 * replaces it on every change.
 *
 * @param arn {@code arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/app/NAME/ID}
 * @param dnsName always {@code 127.0.0.1}: {@code http://DNSName:ListenerPort} reaches a listener
 * @param subnets the subnets, each put in its own availability zone ({@code REGIONa}, {@code REGIONb}, ...)
 * @param attributes load balancer attributes (deletion protection, idle timeout, ...)
 */
public record LoadBalancer(String arn, String name, String scheme, String vpcId, List<String> subnets,
                           List<String> securityGroups, String ipAddressType, Instant createdTime, String dnsName,
                           Map<String, String> attributes) {

    public LoadBalancer {
        subnets = List.copyOf(subnets);
        securityGroups = List.copyOf(securityGroups);
        attributes = Map.copyOf(attributes);
    }

    public String id() {
        return Arns.idOf(arn);
    }

    public String region() {
        return Arns.regionOf(arn);
    }

    LoadBalancer withAttributes(Map<String, String> newAttributes) {
        return new LoadBalancer(arn, name, scheme, vpcId, subnets, securityGroups, ipAddressType, createdTime, dnsName,
                newAttributes);
    }
}

package io.ecsbluegreen.sim.elb;

import java.util.Map;

/**
 * A simulated target group, as DescribeTargetGroups reports it (without its load balancers, which the
 * store derives from the listeners and rules that use it). Immutable.
 *
 * @param arn {@code arn:aws:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID}
 * @param targetType {@code ip} or {@code instance}
 * @param attributes target group attributes ({@code deregistration_delay.timeout_seconds}, ...)
 */
public record TargetGroup(String arn, String name, String protocol, String protocolVersion, int port, String vpcId,
                          String targetType, String ipAddressType, HealthCheck healthCheck,
                          Map<String, String> attributes) {

    public TargetGroup {
        attributes = Map.copyOf(attributes);
    }

    public String id() {
        return Arns.idOf(arn);
    }

    /** The CloudWatch {@code TargetGroup} dimension, {@code targetgroup/NAME/ID}. */
    public String dimension() {
        return Arns.targetGroupDimension(arn);
    }

    /** {@code deregistration_delay.timeout_seconds}. */
    public int deregistrationDelaySeconds() {
        return Integer.parseInt(attributes.getOrDefault(TargetGroupAttributes.DEREGISTRATION_DELAY, "300"));
    }

    TargetGroup withHealthCheck(HealthCheck newHealthCheck) {
        return new TargetGroup(arn, name, protocol, protocolVersion, port, vpcId, targetType, ipAddressType,
                newHealthCheck, attributes);
    }

    TargetGroup withAttributes(Map<String, String> newAttributes) {
        return new TargetGroup(arn, name, protocol, protocolVersion, port, vpcId, targetType, ipAddressType, healthCheck,
                newAttributes);
    }
}

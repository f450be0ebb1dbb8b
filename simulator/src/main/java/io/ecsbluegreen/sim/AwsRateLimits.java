package io.ecsbluegreen.sim;

import java.util.List;

/**
 * Token buckets shaped like AWS's own API throttling, for demos and benchmarks that want to hit the
 * real scaling wall. Not active by default: under a virtual clock buckets refill only when a test
 * advances time, so unit tests opt in.
 *
 * <p>ELBv2's {@code Describe*} bucket (40 tokens, 10 per second) and CloudWatch's {@code DescribeAlarms}
 * (9 per second) and {@code GetMetricData} (50 per second) rates are AWS's published defaults. AWS
 * publishes ECS's per-group rates per account and Region in the console only, and ELBv2 publishes no
 * rates for writes, so those groups use conservative figures of the same order; every rule can be
 * replaced at run time through {@link Throttling#set}.
 */
public final class AwsRateLimits {
    private AwsRateLimits() {}

    /** The rules, by API group. */
    public static List<ThrottleRule> defaults() {
        return List.of(
                ThrottleRule.of("elb-describe", "elasticloadbalancing:Describe*", 40, 10),
                ThrottleRule.of("elb-modify", "elasticloadbalancing:Modify*", 20, 5),
                ThrottleRule.of("elb-targets", "elasticloadbalancing:*Targets", 20, 5),
                ThrottleRule.of("elb-create", "elasticloadbalancing:Create*", 20, 5),
                ThrottleRule.of("elb-delete", "elasticloadbalancing:Delete*", 20, 5),
                ThrottleRule.of("elb-tags", "elasticloadbalancing:*Tags", 20, 5),
                ThrottleRule.of("ecs-describe", "ecs:Describe*", 50, 20),
                ThrottleRule.of("ecs-list", "ecs:List*", 50, 20),
                ThrottleRule.of("ecs-task-set-write", "ecs:*TaskSet", 20, 5),
                ThrottleRule.of("ecs-service-write", "ecs:*Service", 20, 5),
                ThrottleRule.of("ecs-task-definition-write", "ecs:RegisterTaskDefinition", 20, 1),
                // RunTask has a bucket of its own in AWS, apart from the other writes; StopTask too.
                ThrottleRule.of("ecs-run-task", "ecs:RunTask", 100, 20),
                ThrottleRule.of("ecs-stop-task", "ecs:StopTask", 100, 20),
                ThrottleRule.of("ecs-tags", "ecs:*Resource", 20, 10),
                ThrottleRule.of("cloudwatch-describe-alarms", "monitoring:DescribeAlarms", 9, 9),
                ThrottleRule.of("cloudwatch-get-metric-data", "monitoring:GetMetricData", 50, 50));
    }

    /** {@code config} with these rules added to its own. */
    public static SimulatorConfig apply(SimulatorConfig config) {
        SimulatorConfig out = config;
        for (ThrottleRule rule : defaults()) {
            out = out.withThrottle(rule);
        }
        return out;
    }
}

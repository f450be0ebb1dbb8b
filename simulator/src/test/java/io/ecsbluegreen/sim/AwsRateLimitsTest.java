package io.ecsbluegreen.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class AwsRateLimitsTest {

    @Test
    void theElbDescribeBucketHasAwsPublishedShapeAndEveryRuleHasAUniqueName() {
        List<ThrottleRule> rules = AwsRateLimits.defaults();
        ThrottleRule describe = rules.stream().filter(r -> r.name().equals("elb-describe")).findFirst().orElseThrow();
        assertThat(describe.burst()).isEqualTo(40);
        assertThat(describe.refillPerSecond()).isEqualTo(10.0);
        assertThat(new HashSet<>(rules.stream().map(ThrottleRule::name).toList())).hasSize(rules.size());
    }

    @Test
    void taskSetWritesAndDescribesFallInDifferentGroups() {
        List<ThrottleRule> rules = AwsRateLimits.defaults();
        assertThat(groups(rules, "ecs", "CreateTaskSet")).containsExactly("ecs-task-set-write");
        assertThat(groups(rules, "ecs", "UpdateServicePrimaryTaskSet")).containsExactly("ecs-task-set-write");
        assertThat(groups(rules, "ecs", "DescribeTaskSets")).containsExactly("ecs-describe");
        assertThat(groups(rules, "ecs", "DescribeServices")).containsExactly("ecs-describe");
        assertThat(groups(rules, "ecs", "UpdateService")).containsExactly("ecs-service-write");
        assertThat(groups(rules, "ecs", "RunTask")).containsExactly("ecs-run-task");
        assertThat(groups(rules, "ecs", "StopTask")).containsExactly("ecs-stop-task");
        assertThat(groups(rules, "ecs", "DescribeTasks")).containsExactly("ecs-describe");
        assertThat(groups(rules, "elasticloadbalancing", "DescribeTargetHealth")).containsExactly("elb-describe");
        assertThat(groups(rules, "elasticloadbalancing", "RegisterTargets")).containsExactly("elb-targets");
    }

    private static List<String> groups(List<ThrottleRule> rules, String service, String action) {
        ApiAction api = new ApiAction(service, action);
        return rules.stream().filter(r -> r.matcher().matches(api)).map(ThrottleRule::name).toList();
    }
}

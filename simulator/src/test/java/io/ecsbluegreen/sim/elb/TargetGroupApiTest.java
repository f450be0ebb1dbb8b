package io.ecsbluegreen.sim.elb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DuplicateTargetGroupNameException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.InvalidTargetException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ResourceInUseException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TooManyTargetsException;

/** Target groups, their attributes and their targets through the SDK. */
class TargetGroupApiTest extends ElbFixture {

    @Test
    void createTargetGroupAppliesAlbHealthCheckDefaults() {
        TargetGroup group = createTargetGroup("greeter-blue");

        assertThat(group.targetGroupArn())
                .matches("arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/greeter-blue/[0-9a-f]{16}");
        assertThat(group.protocol()).isEqualTo(ProtocolEnum.HTTP);
        assertThat(group.port()).isEqualTo(8080);
        assertThat(group.vpcId()).isEqualTo(VPC);
        assertThat(group.targetType()).isEqualTo(TargetTypeEnum.IP);
        assertThat(group.protocolVersion()).isEqualTo("HTTP1");
        assertThat(group.healthCheckProtocol()).isEqualTo(ProtocolEnum.HTTP);
        assertThat(group.healthCheckPort()).isEqualTo("traffic-port");
        assertThat(group.healthCheckEnabled()).isTrue();
        assertThat(group.healthCheckPath()).isEqualTo("/");
        assertThat(group.healthCheckIntervalSeconds()).isEqualTo(30);
        assertThat(group.healthCheckTimeoutSeconds()).isEqualTo(6);
        assertThat(group.healthyThresholdCount()).isEqualTo(5);
        assertThat(group.unhealthyThresholdCount()).isEqualTo(2);
        assertThat(group.matcher().httpCode()).isEqualTo("200");
        assertThat(group.loadBalancerArns()).isEmpty();
    }

    @Test
    void createTargetGroupTakesHealthCheckSettingsAndDefaultsToInstanceTargets() {
        TargetGroup group = elb.createTargetGroup(b -> b.name("api").protocol(ProtocolEnum.HTTP).port(80).vpcId(VPC)
                .healthCheckPath("/health").healthCheckIntervalSeconds(10).healthCheckTimeoutSeconds(5)
                .healthyThresholdCount(2).unhealthyThresholdCount(3).matcher(m -> m.httpCode("200-299"))
                .healthCheckPort("8081")).targetGroups().get(0);

        assertThat(group.targetType()).isEqualTo(TargetTypeEnum.INSTANCE);
        assertThat(group.healthCheckPath()).isEqualTo("/health");
        assertThat(group.healthCheckIntervalSeconds()).isEqualTo(10);
        assertThat(group.healthCheckTimeoutSeconds()).isEqualTo(5);
        assertThat(group.healthyThresholdCount()).isEqualTo(2);
        assertThat(group.unhealthyThresholdCount()).isEqualTo(3);
        assertThat(group.matcher().httpCode()).isEqualTo("200-299");
        assertThat(group.healthCheckPort()).isEqualTo("8081");
    }

    @Test
    void createTargetGroupValidatesItsSettings() {
        assertElbError(() -> elb.createTargetGroup(b -> b.name("tg").protocol(ProtocolEnum.HTTP).port(80).vpcId(VPC)
                .healthCheckIntervalSeconds(301)), "ValidationError")
                .hasMessageContaining("Value '301' at 'healthCheckIntervalSeconds' failed to satisfy constraint");
        assertElbError(() -> elb.createTargetGroup(b -> b.name("tg").protocol(ProtocolEnum.HTTP).port(80).vpcId(VPC)
                .healthyThresholdCount(11)), "ValidationError");
        assertElbError(() -> elb.createTargetGroup(b -> b.name("tg").protocol(ProtocolEnum.HTTP).port(80).vpcId(VPC)
                .healthCheckIntervalSeconds(10).healthCheckTimeoutSeconds(10)), "ValidationError")
                .hasMessageContaining("must be smaller than the interval");
        assertElbError(() -> elb.createTargetGroup(b -> b.name("tg").protocol(ProtocolEnum.HTTP).port(80).vpcId(VPC)
                .matcher(m -> m.httpCode("600"))), "ValidationError").hasMessageContaining("200-499");
        assertElbError(() -> elb.createTargetGroup(b -> b.name("tg").protocol(ProtocolEnum.HTTP).port(80)),
                "ValidationError").hasMessageContaining("VPC");
        assertElbError(() -> elb.createTargetGroup(b -> b.name("tg").port(80).vpcId(VPC)), "ValidationError");
        assertElbError(() -> elb.createTargetGroup(b -> b.name("tg-").protocol(ProtocolEnum.HTTP).port(80).vpcId(VPC)),
                "ValidationError");
        assertElbError(() -> elb.createTargetGroup(b -> b.name("tg").protocol(ProtocolEnum.HTTP).port(80).vpcId(VPC)
                .targetType(TargetTypeEnum.LAMBDA)), "InvalidConfigurationRequest");
    }

    @Test
    void createTargetGroupIsIdempotentForTheSameSettingsAndRejectsTheSameNameWithOthers() {
        TargetGroup first = createTargetGroup("blue");

        assertThat(createTargetGroup("blue").targetGroupArn()).isEqualTo(first.targetGroupArn());
        assertElbError(() -> createTargetGroup("blue", 9090), "DuplicateTargetGroupName")
                .isInstanceOf(DuplicateTargetGroupNameException.class)
                .hasMessageContaining("A target group with the same name 'blue' exists, but with different settings");
    }

    @Test
    void describeTargetGroupsFindsByArnsNamesOrLoadBalancerAndPages() {
        TargetGroup blue = createTargetGroup("blue");
        TargetGroup green = createTargetGroup("green");
        createTargetGroup("other");
        String lb = createLoadBalancer("web").loadBalancerArn();
        createListener(lb, 80, blue.targetGroupArn());

        assertThat(elb.describeTargetGroups(b -> b.names("green")).targetGroups())
                .extracting(TargetGroup::targetGroupArn).containsExactly(green.targetGroupArn());
        assertThat(elb.describeTargetGroups(b -> b.targetGroupArns(blue.targetGroupArn())).targetGroups().get(0)
                .loadBalancerArns()).containsExactly(lb);
        assertThat(elb.describeTargetGroups(b -> b.loadBalancerArn(lb)).targetGroups())
                .extracting(TargetGroup::targetGroupName).containsExactly("blue");

        List<String> names = new ArrayList<>();
        elb.describeTargetGroupsPaginator(b -> b.pageSize(1)).targetGroups().forEach(g -> names.add(g.targetGroupName()));
        assertThat(names).containsExactly("blue", "green", "other");

        assertElbError(() -> elb.describeTargetGroups(b -> b.names("nope")), "TargetGroupNotFound")
                .isInstanceOf(TargetGroupNotFoundException.class);
        assertElbError(() -> elb.describeTargetGroups(b -> b.targetGroupArns(
                blue.targetGroupArn().replaceAll("[0-9a-f]{16}$", "0000000000000000"))), "TargetGroupNotFound");
        assertElbError(() -> elb.describeTargetGroups(b -> b.names("blue").loadBalancerArn(lb)), "ValidationError");
        assertElbError(() -> elb.describeTargetGroups(b -> b.loadBalancerArn(
                lb.replaceAll("[0-9a-f]{16}$", "0000000000000000"))), "LoadBalancerNotFound");
    }

    @Test
    void modifyTargetGroupChangesHealthCheckSettingsOnly() {
        String arn = createTargetGroup("blue").targetGroupArn();

        TargetGroup modified = elb.modifyTargetGroup(b -> b.targetGroupArn(arn).healthCheckPath("/ready")
                .healthCheckIntervalSeconds(5).healthCheckTimeoutSeconds(2).healthyThresholdCount(2)).targetGroups().get(0);

        assertThat(modified.healthCheckPath()).isEqualTo("/ready");
        assertThat(modified.healthCheckIntervalSeconds()).isEqualTo(5);
        assertThat(modified.healthyThresholdCount()).isEqualTo(2);
        assertThat(modified.unhealthyThresholdCount()).isEqualTo(2);
        assertThat(modified.port()).isEqualTo(8080);
        assertElbError(() -> elb.modifyTargetGroup(b -> b.targetGroupArn(arn).healthCheckTimeoutSeconds(6)),
                "ValidationError").hasMessageContaining("smaller than the interval");
        assertElbError(() -> elb.modifyTargetGroup(b -> b.targetGroupArn(arn.replaceAll("[0-9a-f]{16}$",
                "0000000000000000")).healthCheckPath("/x")), "TargetGroupNotFound");
    }

    @Test
    void deleteTargetGroupIsRefusedWhileAListenerOrRuleUsesIt() {
        String blue = createTargetGroup("blue").targetGroupArn();
        String green = createTargetGroup("green").targetGroupArn();
        String lb = createLoadBalancer("web").loadBalancerArn();
        String listener = createListener(lb, 80, blue).listenerArn();
        String rule = elb.createRule(b -> b.listenerArn(listener).priority(1)
                .conditions(c -> c.field("path-pattern").values("/green/*"))
                .actions(a -> a.type("forward").targetGroupArn(green))).rules().get(0).ruleArn();

        assertElbError(() -> elb.deleteTargetGroup(b -> b.targetGroupArn(blue)), "ResourceInUse")
                .isInstanceOf(ResourceInUseException.class)
                .hasMessageContaining("Target group '" + blue + "' is currently in use by a listener or a rule");
        assertElbError(() -> elb.deleteTargetGroup(b -> b.targetGroupArn(green)), "ResourceInUse");

        elb.deleteRule(b -> b.ruleArn(rule));
        elb.deleteTargetGroup(b -> b.targetGroupArn(green));
        elb.deleteTargetGroup(b -> b.targetGroupArn(green));
        assertThat(elb.describeTargetGroups().targetGroups()).extracting(TargetGroup::targetGroupName)
                .containsExactly("blue");
    }

    @Test
    void targetGroupAttributesHaveAwsDefaultsAndAreValidated() {
        String arn = createTargetGroup("blue").targetGroupArn();

        assertThat(elb.describeTargetGroupAttributes(b -> b.targetGroupArn(arn)).attributes())
                .extracting(a -> a.key() + "=" + a.value())
                .contains("deregistration_delay.timeout_seconds=300", "stickiness.enabled=false",
                        "stickiness.type=lb_cookie", "stickiness.lb_cookie.duration_seconds=86400",
                        "slow_start.duration_seconds=0", "load_balancing.algorithm.type=round_robin");

        assertThat(elb.modifyTargetGroupAttributes(b -> b.targetGroupArn(arn).attributes(
                a -> a.key("deregistration_delay.timeout_seconds").value("30"),
                a -> a.key("stickiness.enabled").value("true"))).attributes())
                .extracting(a -> a.key() + "=" + a.value())
                .contains("deregistration_delay.timeout_seconds=30", "stickiness.enabled=true");
        assertElbError(() -> elb.modifyTargetGroupAttributes(b -> b.targetGroupArn(arn).attributes(
                a -> a.key("deregistration_delay.timeout_seconds").value("3601"))), "ValidationError");
        assertElbError(() -> elb.modifyTargetGroupAttributes(b -> b.targetGroupArn(arn).attributes(
                a -> a.key("stickiness.enabled").value("yes"))), "ValidationError");
        assertElbError(() -> elb.modifyTargetGroupAttributes(b -> b.targetGroupArn(arn).attributes(
                a -> a.key("unknown.key").value("1"))), "ValidationError");
    }

    @Test
    void registerTargetsAcceptsPrivateAndLoopbackAddressesWithPortOverrides() {
        String arn = createTargetGroup("blue").targetGroupArn();

        elb.registerTargets(b -> b.targetGroupArn(arn).targets(t -> t.id("10.0.1.15"), t -> t.id("10.0.1.16").port(9000),
                t -> t.id("127.0.0.1").port(18080)));
        elb.registerTargets(b -> b.targetGroupArn(arn).targets(t -> t.id("10.0.1.15")));

        assertThat(elb.describeTargetHealth(b -> b.targetGroupArn(arn)).targetHealthDescriptions())
                .extracting(d -> d.target().id() + ":" + d.target().port())
                .containsExactly("10.0.1.15:8080", "10.0.1.16:9000", "127.0.0.1:18080");
    }

    @Test
    void registerTargetsRejectsInvalidTargets() {
        String ipGroup = createTargetGroup("blue").targetGroupArn();
        String instanceGroup = elb.createTargetGroup(b -> b.name("instances").protocol(ProtocolEnum.HTTP).port(80)
                .vpcId(VPC)).targetGroups().get(0).targetGroupArn();

        assertElbError(() -> elb.registerTargets(b -> b.targetGroupArn(ipGroup).targets(t -> t.id("not-an-ip"))),
                "InvalidTarget").isInstanceOf(InvalidTargetException.class);
        assertElbError(() -> elb.registerTargets(b -> b.targetGroupArn(ipGroup).targets(t -> t.id("8.8.8.8"))),
                "InvalidTarget");
        assertElbError(() -> elb.registerTargets(b -> b.targetGroupArn(instanceGroup).targets(t -> t.id("10.0.0.1"))),
                "InvalidTarget");
        elb.registerTargets(b -> b.targetGroupArn(instanceGroup).targets(t -> t.id("i-0123456789abcdef0")));
        assertElbError(() -> elb.registerTargets(b -> b.targetGroupArn(ipGroup).targets(t -> t.id("10.0.0.1").port(0))),
                "ValidationError");
        assertElbError(() -> elb.registerTargets(b -> b.targetGroupArn(ipGroup.replaceAll("[0-9a-f]{16}$",
                "0000000000000000")).targets(t -> t.id("10.0.0.1"))), "TargetGroupNotFound");
    }

    @Test
    void registerTargetsStopsAtAThousandTargetsPerTargetGroup() {
        String arn = createTargetGroup("blue").targetGroupArn();
        List<TargetDescription> thousand = new ArrayList<>();
        for (int i = 0; i < ElbStore.MAX_TARGETS_PER_TARGET_GROUP; i++) {
            thousand.add(TargetDescription.builder().id("10.1." + i / 250 + "." + (i % 250 + 1)).build());
        }
        elb.registerTargets(b -> b.targetGroupArn(arn).targets(thousand));

        assertElbError(() -> elb.registerTargets(b -> b.targetGroupArn(arn).targets(t -> t.id("10.2.0.1"))),
                "TooManyTargets").isInstanceOf(TooManyTargetsException.class);
    }

    @Test
    void deregisterTargetsOfAnUnusedTargetGroupRemovesThemAtOnceAndIgnoresUnknownTargets() {
        String arn = createTargetGroup("blue").targetGroupArn();
        elb.registerTargets(b -> b.targetGroupArn(arn).targets(t -> t.id("10.0.1.15"), t -> t.id("10.0.1.16")));

        elb.deregisterTargets(b -> b.targetGroupArn(arn).targets(t -> t.id("10.0.1.15"), t -> t.id("10.9.9.9")));

        assertThat(elb.describeTargetHealth(b -> b.targetGroupArn(arn)).targetHealthDescriptions())
                .extracting(d -> d.target().id()).containsExactly("10.0.1.16");
        assertElbError(() -> elb.deregisterTargets(b -> b.targetGroupArn(arn).targets(t -> t.id("bad"))),
                "InvalidTarget");
    }

    @Test
    void describeTargetHealthReportsUnusedTargetGroupsAndTargetsNotRegistered() {
        String arn = createTargetGroup("blue").targetGroupArn();
        elb.registerTargets(b -> b.targetGroupArn(arn).targets(t -> t.id("10.0.1.15")));

        List<TargetHealthDescription> health = elb.describeTargetHealth(b -> b.targetGroupArn(arn)
                .targets(t -> t.id("10.0.1.15"), t -> t.id("10.0.1.99").port(9000))).targetHealthDescriptions();

        assertThat(health.get(0).targetHealth().state()).isEqualTo(TargetHealthStateEnum.UNUSED);
        assertThat(health.get(0).targetHealth().reasonAsString()).isEqualTo("Target.NotInUse");
        assertThat(health.get(0).targetHealth().description())
                .isEqualTo("Target group is not configured to receive traffic from the load balancer");
        assertThat(health.get(0).healthCheckPort()).isEqualTo("8080");
        assertThat(health.get(1).target().port()).isEqualTo(9000);
        assertThat(health.get(1).targetHealth().state()).isEqualTo(TargetHealthStateEnum.UNUSED);
        assertThat(health.get(1).targetHealth().reasonAsString()).isEqualTo("Target.NotRegistered");
    }
}

package io.ecsbluegreen.sim.elb;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.sim.spi.ImageBehaviour;
import io.ecsbluegreen.sim.spi.SimTask;
import io.ecsbluegreen.sim.spi.TargetHealthState;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealth;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;

/** Target health derived from the simulator clock: thresholds, image behaviours, draining, unused groups. */
class TargetHealthTest extends ElbFixture {

    private String lb;
    private String tg;

    @BeforeEach
    void usedTargetGroup() {
        lb = createLoadBalancer("demo").loadBalancerArn();
        tg = createTargetGroup("blue").targetGroupArn();
        createListener(lb, 80, tg);
    }

    private SimTask task(String ip, ImageBehaviour behaviour) {
        return new SimTask("arn:aws:ecs:us-east-1:000000000000:task/demo/" + ip.replace('.', '0'), "ecs-svc/1234567890",
                ip, "ghcr.io/ecsbluegreen/greeter:1.0.0", Map.of("GREETING", "Hello"), sim.clock().instant(), behaviour);
    }

    private TargetHealth health(String ip) {
        return elb.describeTargetHealth(b -> b.targetGroupArn(tg).targets(t -> t.id(ip).port(8080)))
                .targetHealthDescriptions().get(0).targetHealth();
    }

    private void advanceSeconds(long seconds) {
        sim.clock().advance(Duration.ofSeconds(seconds));
    }

    @Test
    void aHealthyTargetBecomesHealthyAfterHealthyThresholdTimesInterval() {
        elb.registerTargets(b -> b.targetGroupArn(tg).targets(t -> t.id("10.0.1.15")));

        assertThat(health("10.0.1.15").state()).isEqualTo(TargetHealthStateEnum.INITIAL);
        assertThat(health("10.0.1.15").reasonAsString()).isEqualTo("Elb.InitialHealthChecking");
        assertThat(health("10.0.1.15").description()).isEqualTo("Initial health checks in progress");
        advanceSeconds(149);
        assertThat(health("10.0.1.15").state()).isEqualTo(TargetHealthStateEnum.INITIAL);
        advanceSeconds(1);
        assertThat(health("10.0.1.15").state()).isEqualTo(TargetHealthStateEnum.HEALTHY);
        assertThat(health("10.0.1.15").reason()).isNull();
        assertThat(health("10.0.1.15").description()).isNull();
    }

    @Test
    void anImageThatNeverPassesHealthChecksIsUnhealthyAfterUnhealthyThresholdTimesInterval() {
        sim.elb().register(tg, task("10.0.2.10", ImageBehaviour.neverHealthy()), 8080);

        advanceSeconds(59);
        assertThat(health("10.0.2.10").state()).isEqualTo(TargetHealthStateEnum.INITIAL);
        advanceSeconds(1);
        assertThat(health("10.0.2.10").state()).isEqualTo(TargetHealthStateEnum.UNHEALTHY);
        assertThat(health("10.0.2.10").reasonAsString()).isEqualTo("Target.ResponseCodeMismatch");
        assertThat(sim.elb().health(tg, "10.0.2.10", 8080)).hasValue(TargetHealthState.UNHEALTHY);
    }

    @Test
    void aSlowStartingImageBecomesHealthyFiveChecksAfterItIsReady() {
        sim.elb().register(tg, task("10.0.2.11", ImageBehaviour.slowStart(Duration.ofSeconds(45))), 8080);

        advanceSeconds(60 + 4 * 30 - 1);
        assertThat(health("10.0.2.11").state()).isEqualTo(TargetHealthStateEnum.INITIAL);
        advanceSeconds(1);
        assertThat(health("10.0.2.11").state()).isEqualTo(TargetHealthStateEnum.HEALTHY);
    }

    @Test
    void aCrashingImageTurnsUnhealthyTwoChecksAfterItsContainerExits() {
        sim.elb().register(tg, task("10.0.2.12", ImageBehaviour.crashesAfter(Duration.ofSeconds(200))), 8080);

        advanceSeconds(150);
        assertThat(health("10.0.2.12").state()).isEqualTo(TargetHealthStateEnum.HEALTHY);
        advanceSeconds(60);
        assertThat(health("10.0.2.12").state()).isEqualTo(TargetHealthStateEnum.HEALTHY);
        advanceSeconds(30);
        assertThat(health("10.0.2.12").state()).isEqualTo(TargetHealthStateEnum.UNHEALTHY);
        assertThat(health("10.0.2.12").reasonAsString()).isEqualTo("Target.FailedHealthChecks");
        assertThat(health("10.0.2.12").description()).isEqualTo("Health checks failed");
    }

    @Test
    void advancingTheClockByADayAtOnceGivesTheSameStateAsAdvancingStepByStep() {
        sim.elb().register(tg, task("10.0.2.13", ImageBehaviour.crashesAfter(Duration.ofHours(12))), 8080);
        sim.elb().register(tg, task("10.0.2.14", ImageBehaviour.healthy()), 8080);

        advanceSeconds(86_400);
        assertThat(health("10.0.2.13").state()).isEqualTo(TargetHealthStateEnum.UNHEALTHY);
        assertThat(health("10.0.2.14").state()).isEqualTo(TargetHealthStateEnum.HEALTHY);
    }

    @Test
    void aDeregisteredTargetDrainsForTheDeregistrationDelayThenDisappears() {
        elb.registerTargets(b -> b.targetGroupArn(tg).targets(t -> t.id("10.0.1.15")));
        advanceSeconds(150);

        elb.deregisterTargets(b -> b.targetGroupArn(tg).targets(t -> t.id("10.0.1.15")));

        assertThat(health("10.0.1.15").state()).isEqualTo(TargetHealthStateEnum.DRAINING);
        assertThat(health("10.0.1.15").reasonAsString()).isEqualTo("Target.DeregistrationInProgress");
        assertThat(health("10.0.1.15").description()).isEqualTo("Target deregistration is in progress");
        assertThat(sim.elb().health(tg, "10.0.1.15", 8080)).hasValue(TargetHealthState.DRAINING);
        advanceSeconds(299);
        assertThat(health("10.0.1.15").state()).isEqualTo(TargetHealthStateEnum.DRAINING);
        advanceSeconds(1);
        assertThat(health("10.0.1.15").reasonAsString()).isEqualTo("Target.NotRegistered");
        assertThat(elb.describeTargetHealth(b -> b.targetGroupArn(tg)).targetHealthDescriptions()).isEmpty();
        assertThat(sim.elb().health(tg, "10.0.1.15", 8080)).isEmpty();
    }

    @Test
    void theDeregistrationDelayAttributeSetsHowLongTargetsDrain() {
        elb.modifyTargetGroupAttributes(b -> b.targetGroupArn(tg)
                .attributes(a -> a.key("deregistration_delay.timeout_seconds").value("30")));
        elb.registerTargets(b -> b.targetGroupArn(tg).targets(t -> t.id("10.0.1.15"), t -> t.id("10.0.1.16")));

        sim.elb().deregister(tg, "10.0.1.15", 8080);
        advanceSeconds(29);
        assertThat(health("10.0.1.15").state()).isEqualTo(TargetHealthStateEnum.DRAINING);
        advanceSeconds(1);
        assertThat(elb.describeTargetHealth(b -> b.targetGroupArn(tg)).targetHealthDescriptions())
                .extracting(d -> d.target().id()).containsExactly("10.0.1.16");
    }

    @Test
    void targetsOfAnUnusedTargetGroupAreUnusedAndStartHealthChecksWhenAListenerUsesIt() {
        String green = createTargetGroup("green").targetGroupArn();
        elb.registerTargets(b -> b.targetGroupArn(green).targets(t -> t.id("10.0.3.1")));
        advanceSeconds(600);

        TargetHealth unused = elb.describeTargetHealth(b -> b.targetGroupArn(green)).targetHealthDescriptions().get(0)
                .targetHealth();
        assertThat(unused.state()).isEqualTo(TargetHealthStateEnum.UNUSED);
        assertThat(unused.reasonAsString()).isEqualTo("Target.NotInUse");
        assertThat(sim.elb().health(green, "10.0.3.1", 8080)).hasValue(TargetHealthState.UNUSED);

        String test = createListener(lb, 8443, green).listenerArn();
        assertThat(sim.elb().health(green, "10.0.3.1", 8080)).hasValue(TargetHealthState.INITIAL);
        advanceSeconds(150);
        assertThat(sim.elb().health(green, "10.0.3.1", 8080)).hasValue(TargetHealthState.HEALTHY);

        elb.deleteListener(b -> b.listenerArn(test));
        assertThat(sim.elb().health(green, "10.0.3.1", 8080)).hasValue(TargetHealthState.UNUSED);
    }

    @Test
    void aTestCanMarkARegisteredTargetFailingAndPassingAgain() {
        elb.registerTargets(b -> b.targetGroupArn(tg).targets(t -> t.id("127.0.0.1").port(18080)));
        advanceSeconds(150);
        assertThat(sim.elb().health(tg, "127.0.0.1", 18080)).hasValue(TargetHealthState.HEALTHY);

        sim.elb().markTarget(tg, "127.0.0.1", 18080, false);
        advanceSeconds(60);
        assertThat(sim.elb().health(tg, "127.0.0.1", 18080)).hasValue(TargetHealthState.UNHEALTHY);

        sim.elb().markTarget(tg, "127.0.0.1", 18080, true);
        advanceSeconds(149);
        assertThat(sim.elb().health(tg, "127.0.0.1", 18080)).hasValue(TargetHealthState.UNHEALTHY);
        advanceSeconds(1);
        assertThat(sim.elb().health(tg, "127.0.0.1", 18080)).hasValue(TargetHealthState.HEALTHY);
    }

    @Test
    void fasterHealthCheckSettingsFromModifyTargetGroupApplyFromNowOn() {
        elb.registerTargets(b -> b.targetGroupArn(tg).targets(t -> t.id("10.0.1.15")));
        advanceSeconds(30);

        elb.modifyTargetGroup(b -> b.targetGroupArn(tg).healthCheckIntervalSeconds(5).healthCheckTimeoutSeconds(2)
                .healthyThresholdCount(2));

        // One check passed at 30 s with the old settings; the next comes 5 s after the change.
        advanceSeconds(4);
        assertThat(health("10.0.1.15").state()).isEqualTo(TargetHealthStateEnum.INITIAL);
        advanceSeconds(1);
        assertThat(health("10.0.1.15").state()).isEqualTo(TargetHealthStateEnum.HEALTHY);
    }

    @Test
    void theTargetGroupsSeamRegistersSimulatedTasksAndAnswersTheirHealth() {
        ElbStore groups = sim.elb();
        SimTask task = task("10.0.4.1", ImageBehaviour.healthy());

        assertThat(groups.exists(tg)).isTrue();
        assertThat(groups.exists(tg.replaceAll("[0-9a-f]{16}$", "0000000000000000"))).isFalse();
        assertThat(groups.health(tg, "10.0.4.1", 8080)).isEmpty();
        groups.register(tg, task, 8080);
        groups.register(tg, task, 8080);
        assertThat(groups.health(tg, "10.0.4.1", 8080)).hasValue(TargetHealthState.INITIAL);
        advanceSeconds(150);
        assertThat(groups.health(tg, "10.0.4.1", 8080)).hasValue(TargetHealthState.HEALTHY);
        assertThat(elb.describeTargetHealth(b -> b.targetGroupArn(tg)).targetHealthDescriptions())
                .extracting(d -> d.target().id() + ":" + d.target().port()).containsExactly("10.0.4.1:8080");

        groups.deregister(tg, "10.0.4.1", 8080);
        assertThat(groups.health(tg, "10.0.4.1", 8080)).hasValue(TargetHealthState.DRAINING);
        groups.deregister("arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/gone/0000000000000000",
                "10.0.4.1", 8080);
        assertThat(groups.health("arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/gone/0000000000000000",
                "10.0.4.1", 8080)).isEqualTo(Optional.empty());
    }
}

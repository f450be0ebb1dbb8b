package io.ecsbluegreen.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.desired.DesiredService;
import io.ecsbluegreen.desired.DesiredState;
import io.ecsbluegreen.desired.Origin;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.model.Phase;
import io.ecsbluegreen.plan.Revision;
import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.elb.TargetStatus;
import io.ecsbluegreen.sim.spi.TargetHealthState;
import io.ecsbluegreen.status.ServiceReport;
import io.ecsbluegreen.status.StatusBook;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;

/**
 * The health watch between passes, against the simulator on simulated time: a canary whose green turns
 * unhealthy during a one-minute pause goes back to blue within seconds, not at the pause's end.
 */
class HealthWatchOnSimulatorTest {
    static final String PRODUCTION = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/demo/5f2b3c4d5e6f7a8b/1a2b3c4d5e6f7081";

    SimAccount account;
    AwsSimulator sim;
    StatusBook book;
    Engine engine;
    final AtomicReference<DesiredState> desired = new AtomicReference<>(DesiredState.EMPTY);

    @BeforeEach
    void start() throws Exception {
        account = new SimAccount();
        sim = account.sim;
        book = new StatusBook(sim.clock());
        Reconciler reconciler = account.reconciler();
        engine = new Engine(desired::get, region -> reconciler, sim.clock(), Engine.Settings.DEFAULT, book,
                Engine.Ownership.ALL, (service, result, took, plan) -> { });
    }

    @AfterEach
    void stop() {
        engine.close();
        account.close();
    }

    void declare(BlueGreenService s) {
        DesiredState state = new DesiredState(Map.of(s.name(), new DesiredService(s.name(), DesiredService.State.READY, s,
                new Origin("dir:examples", s.name() + ".yaml", 1, "v1", null), List.of())), List.of());
        desired.set(state);
        engine.desiredChanged(state);
    }

    /** Drains and advances simulated time one second at a time until the condition holds; bounded to an hour. */
    ServiceReport until(java.util.function.Predicate<ServiceReport> done) {
        for (int i = 0; i < 3600; i++) {
            engine.drain(1000);
            ServiceReport r = book.get("greeter").orElse(null);
            if (r != null && done.test(r)) return r;
            sim.clock().advance(Duration.ofSeconds(1));
        }
        throw new AssertionError("never reached the condition; last report " + book.get("greeter").orElse(null));
    }

    int productionWeightOn(String targetGroupArn) {
        Action forward = account.elb.describeListeners(r -> r.listenerArns(PRODUCTION)).listeners().get(0).defaultActions().stream()
                .filter(a -> a.forwardConfig() != null).findFirst().orElseThrow();
        return forward.forwardConfig().targetGroups().stream().filter(t -> t.targetGroupArn().equals(targetGroupArn))
                .mapToInt(t -> t.weight() == null ? 0 : t.weight()).sum();
    }

    @Test
    void aGreenThatTurnsUnhealthyFiveSecondsIntoAOneMinutePauseIsBackOnBlueWithinTenSeconds() throws Exception {
        BlueGreenService v1 = EngineOnSimulatorTest.greeter("greeter:1.0.0");
        BlueGreenService v2 = EngineOnSimulatorTest.greeter("greeter:2.0.0");
        String r1 = Revision.of(v1.spec()).id();
        declare(v1);
        until(ServiceReport::converged);
        String green = account.elb.describeTargetGroups(r -> r.names("greeter-green")).targetGroups().get(0).targetGroupArn();
        // Checks every 5 s, two failures to turn unhealthy: a failing target is unhealthy 5 to 10 s after it fails.
        account.elb.modifyTargetGroup(r -> r.targetGroupArn(green).healthCheckIntervalSeconds(5).healthCheckTimeoutSeconds(4));

        declare(v2);
        ServiceReport shifting = until(r -> r.phase() == Phase.Shifting);
        assertThat(shifting.step()).isEqualTo(1);
        Instant pauseEnds = sim.clock().instant().plus(Duration.ofMinutes(1));
        assertThat(productionWeightOn(green)).isPositive();

        sim.clock().advance(Duration.ofSeconds(5));
        engine.drain(1000);
        for (TargetStatus t : sim.elb().targetHealth(green)) sim.elb().markTarget(green, t.id(), t.port(), false);
        Instant unhealthyAt = null;
        Instant backOnBlueAt = null;
        for (int i = 0; i < 120 && backOnBlueAt == null; i++) {
            sim.clock().advance(Duration.ofSeconds(1));
            if (unhealthyAt == null && sim.elb().targetHealth(green).stream().anyMatch(t -> t.state() == TargetHealthState.UNHEALTHY)) {
                unhealthyAt = sim.clock().instant();
            }
            engine.drain(1000);
            if (productionWeightOn(green) == 0) backOnBlueAt = sim.clock().instant();
        }

        assertThat(unhealthyAt).as("green's targets turned unhealthy").isNotNull();
        assertThat(backOnBlueAt).as("production went back to blue").isNotNull();
        assertThat(Duration.between(unhealthyAt, backOnBlueAt)).isLessThanOrEqualTo(Duration.ofSeconds(10));
        assertThat(backOnBlueAt).isBefore(pauseEnds.minusSeconds(30));
        ServiceReport after = book.get("greeter").orElseThrow();
        assertThat(after.phase()).isIn(Phase.RollingBack, Phase.RolledBack);
        assertThat(after.message()).contains("green lost healthy targets");
        assertThat(after.productionWeights()).isEqualTo(Map.of(r1, 100));
    }
}

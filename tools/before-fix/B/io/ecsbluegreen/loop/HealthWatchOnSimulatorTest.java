package io.ecsbluegreen.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.desired.DesiredService;
import io.ecsbluegreen.desired.DesiredState;
import io.ecsbluegreen.desired.Origin;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.plan.Phase;
import io.ecsbluegreen.plan.Revision;
import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.RequestLog;
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
 * OLD-API version (for the code at e849a3c) of main's {@code HealthWatchOnSimulatorTest} (defect 9): the
 * same scenario and assertions; only {@code Phase} is imported from where the old code has it
 * ({@code io.ecsbluegreen.plan}) and the wait is bounded to 20 simulated minutes instead of an hour.
 * Kept in tools/before-fix/B/ on main; not compiled by main's build. The old code tags green's task set on
 * every canary (defect 6), so run it with tools/before-fix/relax-task-set-tags.patch to reach defect 9.
 *
 * <p>The health watch between passes, against the simulator on simulated time: a canary whose green turns
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

    /** Drains and advances simulated time one second at a time until the condition holds; bounded to 20 simulated minutes. */
    ServiceReport until(java.util.function.Predicate<ServiceReport> done) {
        for (int i = 0; i < 1200; i++) {
            engine.drain(1000);
            ServiceReport r = book.get("greeter").orElse(null);
            if (r != null && done.test(r)) return r;
            sim.clock().advance(Duration.ofSeconds(1));
        }
        throw new AssertionError("never reached the condition; last report " + book.get("greeter").orElse(null));
    }

    static String seconds(Instant from, Instant to) {
        return to == null ? "never" : String.valueOf(Duration.between(from, to).toSeconds());
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
        Instant shiftedAt = sim.clock().instant();
        Instant pauseEnds = sim.clock().instant().plus(Duration.ofMinutes(1));
        assertThat(productionWeightOn(green)).isPositive();

        sim.clock().advance(Duration.ofSeconds(5));
        engine.drain(1000);
        // What AWS saw, second by second (the old code has no status field for the watch): the calls that
        // read green's health, and the rollback's first write (its failed-reason TagResource, whose free text
        // the strict simulator refuses by ECS's tag-value pattern: defect 1, which the old code hits next).
        sim.requests().startRecording();
        for (TargetStatus t : sim.elb().targetHealth(green)) sim.elb().markTarget(green, t.id(), t.port(), false);
        Instant unhealthyAt = null;
        Instant backOnBlueAt = null;
        Instant rollbackTriedAt = null;
        int healthReadsWhileUnhealthy = 0;
        int seen = 0;
        for (int i = 0; i < 120 && backOnBlueAt == null; i++) {
            sim.clock().advance(Duration.ofSeconds(1));
            if (unhealthyAt == null && sim.elb().targetHealth(green).stream().anyMatch(t -> t.state() == TargetHealthState.UNHEALTHY)) {
                unhealthyAt = sim.clock().instant();
            }
            engine.drain(1000);
            List<RequestLog.Entry> all = sim.requests().recorded();
            List<RequestLog.Entry> calls = all.subList(seen, all.size());
            seen = all.size();
            boolean triedNow = rollbackTriedAt == null
                    && calls.stream().anyMatch(e -> e.api().action().equals("TagResource") && e.excerpt().contains("GreenUnhealthy"));
            // reads by passes that did not roll back (the rolling-back pass's own observation is not counted)
            if (unhealthyAt != null && rollbackTriedAt == null && !triedNow) {
                healthReadsWhileUnhealthy += (int) calls.stream().filter(e -> e.api().action().equals("DescribeTargetHealth")
                        || e.api().action().equals("DescribeServices")).count();
            }
            if (triedNow) rollbackTriedAt = sim.clock().instant();
            if (productionWeightOn(green) == 0) backOnBlueAt = sim.clock().instant();
            if (rollbackTriedAt != null && Duration.between(rollbackTriedAt, sim.clock().instant()).toSeconds() >= 10) break;
        }
        String evidence = "green unhealthy at +" + seconds(shiftedAt, unhealthyAt) + " s into the pause, the rollback first tried at +"
                + seconds(shiftedAt, rollbackTriedAt) + " s, the pause ends at +60 s; reads of green's health (DescribeTargetHealth/"
                + "DescribeServices) by any pass in between: " + healthReadsWhileUnhealthy + "; production weight on green now " + productionWeightOn(green)
                + "; status " + book.get("greeter").map(r -> r.phase() + " " + r.reason() + ": " + r.message()).orElse("-");
        System.out.println("[before-fix] defect 9: " + evidence);

        assertThat(unhealthyAt).as("green's targets turned unhealthy").isNotNull();
        assertThat(rollbackTriedAt).as("the rollback was tried; " + evidence).isNotNull();
        assertThat(Duration.between(unhealthyAt, rollbackTriedAt)).as("unhealthy to the rollback's first write; " + evidence)
                .isLessThanOrEqualTo(Duration.ofSeconds(10));
        assertThat(backOnBlueAt).as("production went back to blue; " + evidence).isNotNull();
        assertThat(Duration.between(unhealthyAt, backOnBlueAt)).isLessThanOrEqualTo(Duration.ofSeconds(10));
        assertThat(backOnBlueAt).isBefore(pauseEnds.minusSeconds(30));
        ServiceReport after = book.get("greeter").orElseThrow();
        assertThat(after.phase()).isIn(Phase.RollingBack, Phase.RolledBack);
        assertThat(after.message()).contains("green lost healthy targets");
        assertThat(after.productionWeights()).isEqualTo(Map.of(r1, 100));
    }
}

package io.ecsbluegreen.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.model.Phase;
import io.ecsbluegreen.plan.Command;
import io.ecsbluegreen.plan.ScalingDecisions;
import io.ecsbluegreen.sim.autoscaling.AutoScalingStore;
import io.ecsbluegreen.spec.SpecParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The greeter with {@code scaling: {min: 2, max: 6, targetCpuUtilization: 60}} instead of a fixed count, on the
 * simulator's Application Auto Scaling: the scalable target and the target-tracking policy are registered once
 * (a later pass writes nothing), dynamic scale-in is suspended on every pass where production is split between
 * blue and green during the canary and resumed once Steady, and resumed after a rollback.
 */
class ScalingRegistrationOnSimulatorTest {
    static final String PROD = ReconcilerOnSimulatorTest.PROD;

    SimAccount account;
    Reconciler reconciler;

    @BeforeEach
    void start() throws Exception {
        account = new SimAccount();
        reconciler = account.reconciler();
    }

    @AfterEach
    void stop() {
        account.close();
    }

    static BlueGreenService greeter(String image) throws Exception {
        String yaml = Files.readString(Path.of("../examples/greeter/greeter.yaml"))
                .replace("  desiredCount: 2\n", "  scaling: {min: 2, max: 6, targetCpuUtilization: 60}\n");
        if (image != null) yaml = yaml.replace("greeter:1.0.0", image);
        var parsed = new SpecParser().parse("greeter.yaml", yaml.getBytes(StandardCharsets.UTF_8));
        assertThat(parsed.valid()).as(parsed.errors().toString()).isTrue();
        return parsed.services().get(0).service();
    }

    /** What one pass saw and left: the phase, and the split and scale-in suspension right after it. */
    record Seen(Phase phase, boolean split, boolean suspended) {}

    /**
     * Runs passes (advancing simulated time by each requeue, at most 30 s) until {@code done} holds with no
     * action left; {@code command} is sent on the passes where {@code when} holds. Bounded to 300 passes.
     */
    List<Seen> run(BlueGreenService service, Predicate<Reconciler.Pass> done, Predicate<Seen> when, Command command) {
        List<Seen> seen = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            boolean send = command != null && !seen.isEmpty() && when.test(seen.get(seen.size() - 1));
            Reconciler.Pass pass = reconciler.reconcile(service, send ? Set.of(command) : Set.of());
            assertThat(pass.problem()).isNull();
            AutoScalingStore.TargetView target = account.sim.autoScaling().target("demo", "greeter");
            seen.add(new Seen(pass.plan().status().phase(), split(), target != null && target.scaleInSuspended()));
            if (done.test(pass) && pass.plan().actions().isEmpty()) return seen;
            Duration wait = pass.plan().requeueAfter() == null ? Duration.ofSeconds(30) : pass.plan().requeueAfter();
            account.sim.clock().advance(wait.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : wait);
        }
        throw new AssertionError("not done; passes " + seen);
    }

    boolean split() {
        var tuples = account.elb.describeListeners(r -> r.listenerArns(PROD)).listeners().get(0).defaultActions().get(0)
                .forwardConfig().targetGroups();
        return tuples.stream().filter(t -> t.weight() > 0).count() > 1;
    }

    static boolean converged(Reconciler.Pass pass) {
        return pass.plan().status().converged();
    }

    @Test
    void theScalableTargetAndPolicyAreRegisteredOnceAndASecondPassWritesNothing() throws Exception {
        BlueGreenService v1 = greeter(null);
        run(v1, ScalingRegistrationOnSimulatorTest::converged, s -> false, null);

        AutoScalingStore.TargetView target = account.sim.autoScaling().target("demo", "greeter");
        assertThat(target).isNotNull();
        assertThat(target.min()).isEqualTo(2);
        assertThat(target.max()).isEqualTo(6);
        assertThat(target.scaleInSuspended()).isFalse();
        assertThat(target.policyNames()).containsExactly(ScalingDecisions.POLICY_NAME);
        var policy = account.autoScaling.describeScalingPolicies(r -> r.serviceNamespace("ecs")
                .resourceId("service/demo/greeter").policyNames(ScalingDecisions.POLICY_NAME)).scalingPolicies().get(0);
        assertThat(policy.policyTypeAsString()).isEqualTo("TargetTrackingScaling");
        assertThat(policy.targetTrackingScalingPolicyConfiguration().targetValue()).isEqualTo(60.0);
        assertThat(policy.targetTrackingScalingPolicyConfiguration().predefinedMetricSpecification().predefinedMetricTypeAsString())
                .isEqualTo("ECSServiceAverageCPUUtilization");
        assertThat(account.sim.stats().calls("application-autoscaling", "RegisterScalableTarget")).isEqualTo(1);
        assertThat(account.sim.stats().calls("application-autoscaling", "PutScalingPolicy")).isEqualTo(1);

        account.sim.resetStats();
        Reconciler.Pass again = account.reconciler().reconcile(v1, Set.of());
        assertThat(again.plan().actions()).isEmpty();
        assertThat(account.sim.stats().calls("application-autoscaling", "RegisterScalableTarget")).isZero();
        assertThat(account.sim.stats().calls("application-autoscaling", "PutScalingPolicy")).isZero();
        assertThat(account.sim.stats().calls("application-autoscaling", "DescribeScalableTargets")).isEqualTo(1);
    }

    @Test
    void scaleInIsSuspendedWhileTheCanarySplitsProductionAndResumedAtSteady() throws Exception {
        run(greeter(null), ScalingRegistrationOnSimulatorTest::converged, s -> false, null);
        List<Seen> rollout = run(greeter("ghcr.io/ecsbluegreen/greeter:2.0.0"), ScalingRegistrationOnSimulatorTest::converged,
                s -> false, null);

        assertThat(rollout).extracting(Seen::phase).contains(Phase.Shifting, Phase.Steady);
        assertThat(rollout).as("split on some passes").anyMatch(Seen::split);
        assertThat(rollout).as("scale-in suspended on every pass that leaves production split")
                .filteredOn(Seen::split).allMatch(Seen::suspended);
        assertThat(rollout).as("and while the rollout bakes").filteredOn(x -> x.phase() == Phase.Baking).isNotEmpty()
                .allMatch(Seen::suspended);
        assertThat(rollout.get(rollout.size() - 1).suspended()).as("resumed at Steady").isFalse();
        assertThat(account.sim.autoScaling().target("demo", "greeter").scaleInSuspended()).isFalse();
    }

    @Test
    void scaleInIsResumedAfterARollback() throws Exception {
        run(greeter(null), ScalingRegistrationOnSimulatorTest::converged, s -> false, null);
        List<Seen> rollout = run(greeter("ghcr.io/ecsbluegreen/greeter:2.0.0"), p -> p.plan().status().phase() == Phase.RolledBack,
                s -> s.phase() == Phase.Shifting && s.split(), Command.ABORT);

        assertThat(rollout).as("aborted while split and suspended").anyMatch(s -> s.split() && s.suspended());
        assertThat(rollout.get(rollout.size() - 1).phase()).isEqualTo(Phase.RolledBack);
        assertThat(split()).isFalse();
        assertThat(account.sim.autoScaling().target("demo", "greeter").scaleInSuspended()).as("resumed after the rollback").isFalse();
    }
}

package io.ecsbluegreen.plan;

import static io.ecsbluegreen.plan.World.CANARY;
import static io.ecsbluegreen.plan.World.GREEN_TG;
import static io.ecsbluegreen.plan.World.PROD;
import static io.ecsbluegreen.plan.World.T0;
import static io.ecsbluegreen.plan.World.TEST;
import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.model.Phase;
import io.ecsbluegreen.observed.Observed;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The planner's Application Auto Scaling decisions as a table: for a spec with
 * {@code scaling: {min: 3, max: 10, targetCpuUtilization: 60}}, the scalable target and the target-tracking
 * policy are written only when what AWS shows differs, and dynamic scale-in is suspended while production is
 * split between blue and green (before the listener change that splits it) and while the rollout bakes, and
 * resumed once Steady or rolled back.
 * Each row is (spec, registration as observed, where the rollout stands) and the writes in order:
 * {@code register:MIN-MAX} (scale-in active) or {@code register:MIN-MAXS} (suspended), {@code policy:TARGET},
 * with the listener changes {@code prod:N}/{@code test:N} (the share to green) around them; other actions are
 * left out.
 */
class ScalingPlannerTest {
    static final String R1 = PlannerTest.R1;
    static final String R2 = PlannerTest.R2;
    static final String REGISTERED = "  scaling: {min: 3, max: 10, targetCpuUtilization: 60}\n";
    static final String EXTERNAL = "  scaling: external\n";
    static final String MANUAL = CANARY + "\npromotion: manual";

    static final Observed.Policy CPU_60 = new Observed.Policy(ScalingDecisions.TARGET_TRACKING, ScalingDecisions.CPU_METRIC, 60, false);

    static Observed.Scaling scaling(int min, int max, boolean suspended, Observed.Policy policy) {
        return new Observed.Scaling(new Observed.ScalableTarget(min, max, suspended, false, false), policy);
    }

    static Arguments row(String name, String spec, String strategy, Observed.Scaling observed, String where, String writes, Phase phase) {
        return Arguments.of(name, spec, strategy, observed, where, writes, phase);
    }

    static Stream<Arguments> rows() {
        Observed.Scaling done = scaling(3, 10, false, CPU_60);
        Observed.Scaling suspended = scaling(3, 10, true, CPU_60);
        return Stream.of(
                // ---- registration, steady -----------------------------------------------------------------
                row("nothing registered: the target, then the policy", REGISTERED, CANARY, Observed.Scaling.NONE, "steady",
                        "register:3-10 policy:60", Phase.Steady),
                row("registered as the spec says: a second pass writes nothing", REGISTERED, CANARY, done, "steady",
                        "", Phase.Steady),
                row("a range changed outside is set back", REGISTERED, CANARY, scaling(2, 12, false, CPU_60), "steady",
                        "register:3-10", Phase.Steady),
                row("a target registered without the policy gets the policy only", REGISTERED, CANARY, scaling(3, 10, false, null), "steady",
                        "policy:60", Phase.Steady),
                row("another target value is put back", REGISTERED, CANARY,
                        scaling(3, 10, false, new Observed.Policy(ScalingDecisions.TARGET_TRACKING, ScalingDecisions.CPU_METRIC, 45, false)),
                        "steady", "policy:60", Phase.Steady),
                row("another metric is put back", REGISTERED, CANARY,
                        scaling(3, 10, false, new Observed.Policy(ScalingDecisions.TARGET_TRACKING, "ECSServiceAverageMemoryUtilization", 60, false)),
                        "steady", "policy:60", Phase.Steady),
                row("a policy with scale-in disabled is put back", REGISTERED, CANARY,
                        scaling(3, 10, false, new Observed.Policy(ScalingDecisions.TARGET_TRACKING, ScalingDecisions.CPU_METRIC, 60, true)),
                        "steady", "policy:60", Phase.Steady),
                row("a scale-in left suspended in Steady is resumed", REGISTERED, CANARY, suspended, "steady",
                        "register:3-10", Phase.Steady),
                // ---- suspension while production is split -------------------------------------------------
                row("green created, production not split: nothing", REGISTERED, CANARY, done, "green",
                        "test:100", Phase.TestTraffic),
                row("awaiting promotion with only test traffic on green: scale-in stays active", REGISTERED, MANUAL, done, "awaiting",
                        "", Phase.AwaitingPromotion),
                row("the first canary step suspends scale-in before production moves", REGISTERED, CANARY, done, "due",
                        "register:3-10S prod:10", Phase.Shifting),
                row("a first step found split without suspension gets it suspended", REGISTERED, CANARY, done, "step",
                        "register:3-10S", Phase.Shifting),
                row("a step with scale-in suspended writes nothing", REGISTERED, CANARY, suspended, "step",
                        "", Phase.Shifting),
                row("baking with production all on green keeps scale-in suspended", REGISTERED, CANARY, suspended, "baking",
                        "", Phase.Baking),
                row("a rollback moves traffic first and keeps scale-in suspended for its pass", REGISTERED, CANARY, suspended, "unhealthy",
                        "prod:0 test:0", Phase.RollingBack),
                row("a rollback of a never suspended split puts the suspension after the traffic", REGISTERED, CANARY, done, "unhealthy",
                        "prod:0 test:0 register:3-10S", Phase.RollingBack),
                row("rolled back, production on blue alone: scale-in resumed", REGISTERED, CANARY, suspended, "rolledBack",
                        "register:3-10", Phase.RolledBack),
                // ---- nothing to do ------------------------------------------------------------------------
                row("a registration not read in the pass is not written", REGISTERED, CANARY, null, "step",
                        "", Phase.Shifting),
                row("scaling: external registers nothing", EXTERNAL, CANARY, Observed.Scaling.NONE, "step",
                        "", Phase.Shifting),
                row("no service yet: it is created first, registered later", REGISTERED, CANARY, Observed.Scaling.NONE, "none",
                        "", Phase.Deploying));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void theScalableTargetAndPolicyAreWrittenOnDifferenceAndScaleInSuspendedWhileProductionIsSplit(
            String name, String spec, String strategy, Observed.Scaling observed, String where, String writes, Phase phase) {
        World w = new World();
        w.desiredCount = 4;
        w.serviceTags.put(Tags.DESIRED_COUNT, "4@" + T0.minusSeconds(3600).getEpochSecond());
        switch (where) {
            case "none" -> w.serviceExists = false;
            case "steady" -> w.blue(R2);
            case "green" -> w.blue(R1).green(R2, true, Map.of(Tags.HOOKS, "5.0")).test(0);
            case "awaiting" -> w.blue(R1).green(R2, true, Map.of(Tags.HOOKS, "5.0")).test(100);
            case "due" -> w.blue(R1).green(R2, true, Map.of(Tags.HOOKS, "5.0")).test(100);
            case "step" -> w.blue(R1).green(R2, true, Map.of(Tags.STEP, "0@" + T0.minusSeconds(60).getEpochSecond(),
                    Tags.HOOKS, "5.0")).test(100).prod(10);
            case "baking" -> w.blue(R1).green(R2, true, Map.of(Tags.STEP, "2@" + T0.minusSeconds(60).getEpochSecond(),
                    Tags.HOOKS, "5.0")).test(100).prod(100);
            case "unhealthy" -> {
                w.blue(R1).green(R2, true, Map.of(Tags.STEP, "0@" + T0.minusSeconds(60).getEpochSecond(), Tags.HOOKS, "5.0"))
                        .test(100).prod(10);
                w.greenHealthy = 0;
            }
            case "rolledBack" -> {
                w.blue(R1);
                w.serviceTags.put(Tags.FAILED_REVISION, R2);
            }
            default -> throw new IllegalArgumentException(where);
        }
        for (int i = 0; i < w.taskSets.size(); i++) {
            Observed.TaskSet t = w.taskSets.get(i);
            w.taskSets.set(i, new Observed.TaskSet(t.id(), t.arn(), t.revision(), t.status(), 100, 4, t.steady() ? 4 : 0,
                    t.steady() ? 0 : 4, t.steady(), t.createdAt(), t.targetGroupArn(), t.tags()));
        }
        if (w.blueHealthy > 0) w.blueHealthy = 4;
        if (w.greenHealthy > 0) w.greenHealthy = 4;
        Plan plan = Planner.plan(PlanInput.of(World.desiredWithCount(strategy, R2, spec), w.observed().withScaling(observed), T0));

        assertThat(plan.actions().stream().map(ScalingPlannerTest::brief).filter(Objects::nonNull).collect(Collectors.joining(" ")))
                .isEqualTo(writes);
        assertThat(plan.status().phase()).isEqualTo(phase);
        assertThat(plan.actions()).as("the count is never written").noneMatch(a -> a instanceof Action.UpdateDesiredCount);
    }

    static String brief(Action a) {
        if (a instanceof Action.RegisterScalableTarget r) {
            assertThat(r.cluster()).isEqualTo("demo");
            assertThat(r.service()).isEqualTo("shop");
            return "register:" + r.min() + "-" + r.max() + (r.scaleInSuspended() ? "S" : "");
        }
        if (a instanceof Action.PutCpuTargetTrackingPolicy p) return "policy:" + p.targetCpuUtilization();
        if (a instanceof Action.SetForwardWeights f) {
            return (f.listenerOrRuleArn().equals(PROD) ? "prod:" : f.listenerOrRuleArn().equals(TEST) ? "test:" : "?:") + f.weights().get(GREEN_TG);
        }
        return null;
    }
}

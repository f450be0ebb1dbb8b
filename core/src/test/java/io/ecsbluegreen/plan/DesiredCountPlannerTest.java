package io.ecsbluegreen.plan;

import io.ecsbluegreen.model.Phase;
import static io.ecsbluegreen.plan.World.CANARY;
import static io.ecsbluegreen.plan.World.GREEN_TG;
import static io.ecsbluegreen.plan.World.PROD;
import static io.ecsbluegreen.plan.World.TEST;
import static io.ecsbluegreen.plan.World.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.observed.Observed;
import io.ecsbluegreen.observed.Observed.TaskSetStatus;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The planner's desired-count decisions as a table: a count the spec fixes is corrected as drift, a count
 * the spec leaves out (or {@code scaling: external}) is followed and recorded, never written, and green's
 * tasks starting or stopping for a new count are rescaling, not lost health. Each row is (spec, service's
 * count, recorded {@link Tags#DESIRED_COUNT}, where the rollout stands, green's tasks) and the exact actions,
 * phase and reason. Actions read as {@code count:N} (UpdateService desiredCount), {@code record:N} (the
 * count tag), {@code create:N} (CreateService with N tasks), {@code prod:N}/{@code test:N} (the share to
 * green), {@code failed}, {@code generation}, {@code delete:ID}.
 */
class DesiredCountPlannerTest {
    static final String R1 = PlannerTest.R1;
    static final String R2 = PlannerTest.R2;
    static final String FIXED = "  desiredCount: 2\n";
    static final String FOLLOW = "";
    static final String EXTERNAL = "  scaling: external\n";
    static final String REGISTERED = "  scaling: {min: 3, max: 10, targetCpuUtilization: 60}\n";
    static final String MANUAL = CANARY + "\npromotion: manual";
    /** Written 30 s before the pass: within the progress deadline (15m). */
    static final String RECENT = "@-30";
    /** Written 20 minutes before the pass: past the progress deadline. */
    static final String OLD = "@-1200";

    /**
     * @param where {@code steady}, {@code none} (no service), {@code green} (green created, no traffic),
     *     {@code awaiting} (manual, test on green), {@code step} (production 10% on green, step 0 since 60 s)
     * @param recorded the count tag as {@code N@SECONDS} relative to the pass, or null
     * @param green green's tasks as {@code computed/running/healthy}, or null for ready at the service's count
     */
    static Arguments row(String name, String spec, String strategy, int serviceCount, String recorded, String where, String green,
                         String actions, Phase phase, Reason reason) {
        return Arguments.of(name, spec, strategy, serviceCount, recorded, where, green, actions, phase, reason);
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                // ---- steady -------------------------------------------------------------------------------
                row("a fixed count that holds is left alone", FIXED, CANARY, 2, null, "steady", null,
                        "", Phase.Steady, Reason.Converged),
                row("a fixed count changed outside is set back and recorded", FIXED, CANARY, 5, null, "steady", null,
                        "count:2 record:2", Phase.Steady, Reason.Converged),
                row("a followed count is recorded on first sight, never written", FOLLOW, CANARY, 5, null, "steady", null,
                        "record:5", Phase.Steady, Reason.Converged),
                row("a followed count that changed is followed and recorded", FOLLOW, CANARY, 5, "2" + RECENT, "steady", null,
                        "record:5", Phase.Steady, Reason.FollowingDesiredCount),
                row("a followed count as recorded needs nothing", FOLLOW, CANARY, 5, "5" + OLD, "steady", null,
                        "", Phase.Steady, Reason.Converged),
                row("scaling: external follows like an absent count", EXTERNAL, CANARY, 7, "3" + OLD, "steady", null,
                        "record:7", Phase.Steady, Reason.FollowingDesiredCount),
                row("a registered scaling follows the autoscaler's count", REGISTERED, CANARY, 4, "3" + OLD, "steady", null,
                        "record:4", Phase.Steady, Reason.FollowingDesiredCount),
                // ---- creating the service -----------------------------------------------------------------
                row("a new service starts at the fixed count", FIXED, CANARY, 0, null, "none", null,
                        "create:2", Phase.Deploying, Reason.CreatingService),
                row("a new followed service starts at one task", FOLLOW, CANARY, 0, null, "none", null,
                        "create:1", Phase.Deploying, Reason.CreatingService),
                row("a new registered service starts at scaling.min", REGISTERED, CANARY, 0, null, "none", null,
                        "create:3", Phase.Deploying, Reason.CreatingService),
                // ---- green scaling out for a followed count ------------------------------------------------
                row("green scaling out while it is created waits rather than timing out", FOLLOW, CANARY, 4, "2" + OLD, "green", "4/2/2",
                        "record:4", Phase.Deploying, Reason.FollowingDesiredCount),
                row("green scaling out under test traffic awaiting promotion holds, no deadline rollback", FOLLOW, MANUAL, 3, "2" + OLD,
                        "awaiting", "3/2/2", "record:3", Phase.AwaitingPromotion, Reason.FollowingDesiredCount),
                row("green scaling out during a canary step holds its traffic, no rollback", FOLLOW, CANARY, 4, "2" + OLD, "step", "4/2/2",
                        "record:4", Phase.Shifting, Reason.FollowingDesiredCount),
                row("green still scaling out to a count recorded recently keeps holding", FOLLOW, CANARY, 4, "4" + RECENT, "step", "4/3/3",
                        "", Phase.Shifting, Reason.FollowingDesiredCount),
                row("green scaling in during a step holds as well", FOLLOW, CANARY, 1, "2" + OLD, "step", "1/2/2",
                        "record:1", Phase.Shifting, Reason.FollowingDesiredCount),
                row("green short of a count older than the progress deadline has lost health: rollback", FOLLOW, CANARY, 4, "4" + OLD,
                        "step", "4/2/2", "prod:0 test:0 failed generation delete:green", Phase.RollingBack, Reason.GreenUnhealthy),
                row("green with no healthy target is rolled back even while the count changes", FOLLOW, CANARY, 4, "2" + OLD, "step", "4/2/0",
                        "prod:0 test:0 failed generation delete:green record:4", Phase.RollingBack, Reason.GreenUnhealthy),
                row("a followed count that changed during a ready step takes the step as usual", FOLLOW, CANARY, 3, "2" + OLD, "step", null,
                        "record:3", Phase.Shifting, Reason.Shifting),
                // ---- a fixed count changed outside mid-rollout --------------------------------------------
                row("a fixed count changed during a step is set back without moving traffic", FIXED, CANARY, 4, null, "step", "4/2/2",
                        "count:2 record:2", Phase.Shifting, Reason.FollowingDesiredCount),
                row("green settling back to the fixed count keeps holding", FIXED, CANARY, 2, "2" + RECENT, "step", "2/3/2",
                        "", Phase.Shifting, Reason.FollowingDesiredCount),
                row("a fixed count never changed gives green no grace: rollback", FIXED, CANARY, 2, null, "step", "2/1/1",
                        "prod:0 test:0 failed generation delete:green", Phase.RollingBack, Reason.GreenUnhealthy));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void theDesiredCountIsCorrectedWhenFixedAndFollowedOtherwise(String name, String spec, String strategy, int serviceCount,
                                                                 String recorded, String where, String green, String actions,
                                                                 Phase phase, Reason reason) {
        World w = new World();
        w.desiredCount = serviceCount;
        if (recorded != null) {
            String[] parts = recorded.split("@");
            w.serviceTags.put(Tags.DESIRED_COUNT, parts[0] + "@" + T0.plusSeconds(Long.parseLong(parts[1])).getEpochSecond());
        }
        switch (where) {
            case "none" -> w.serviceExists = false;
            case "steady" -> w.blue(R2);
            case "green" -> w.blue(R1).green(R2, true, Map.of()).test(0);
            case "awaiting" -> w.blue(R1).green(R2, true, Map.of(Tags.HOOKS, "5.0")).test(100);
            case "step" -> w.blue(R1).green(R2, true, Map.of(Tags.STEP, "0@" + T0.minusSeconds(60).getEpochSecond(),
                    Tags.HOOKS, "5.0")).test(100).prod(10);
            default -> throw new IllegalArgumentException(where);
        }
        if (green != null) {
            String[] n = green.split("/");
            w.taskSets.removeIf(t -> t.id().equals("green"));
            int computed = Integer.parseInt(n[0]);
            int running = Integer.parseInt(n[1]);
            w.taskSets.add(new Observed.TaskSet("green", "arn:ts/green", R2, TaskSetStatus.ACTIVE, 100, computed, running,
                    Math.max(0, computed - running), false, T0.minus(Duration.ofHours(2)), GREEN_TG,
                    Map.of()));
            w.greenHealthy = Integer.parseInt(n[2]);
        }
        Plan plan = Planner.plan(PlanInput.of(World.desiredWithCount(strategy, R2, spec), w.observed(), T0));

        assertThat(plan.actions().stream().map(DesiredCountPlannerTest::brief).collect(Collectors.joining(" "))).isEqualTo(actions);
        assertThat(plan.status().phase()).isEqualTo(phase);
        assertThat(plan.status().reason()).isEqualTo(reason.name());
        assertThat(plan.actions()).as("a count the spec leaves out is never written")
                .noneMatch(a -> spec != FIXED && (a instanceof Action.UpdateDesiredCount));
    }

    static String brief(Action a) {
        if (a instanceof Action.UpdateDesiredCount c) return "count:" + c.desiredCount();
        if (a instanceof Action.CreateService c) return "create:" + c.desiredCount();
        if (a instanceof Action.SetForwardWeights f) return (f.listenerOrRuleArn().equals(PROD) ? "prod:" : f.listenerOrRuleArn().equals(TEST) ? "test:" : "?:") + f.weights().get(GREEN_TG);
        if (a instanceof Action.DeleteTaskSet d) return "delete:" + d.taskSetArn().substring("arn:ts/".length());
        if (a instanceof Action.TagResource t && t.tags().containsKey(Tags.DESIRED_COUNT)) return "record:" + t.tags().get(Tags.DESIRED_COUNT).split("@")[0];
        if (a instanceof Action.TagResource t && t.tags().containsKey(Tags.FAILED_REVISION)) return "failed";
        if (a instanceof Action.TagResource t && t.tags().containsKey(Tags.GENERATION)) return "generation";
        if (a instanceof Action.TagResource t && t.tags().containsKey(Tags.key(Tags.STEP, R2))) return "step:" + t.tags().get(Tags.key(Tags.STEP, R2));
        return a.getClass().getSimpleName();
    }
}

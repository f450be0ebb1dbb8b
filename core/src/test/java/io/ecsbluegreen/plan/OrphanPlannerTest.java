package io.ecsbluegreen.plan;

import io.ecsbluegreen.model.Phase;
import static io.ecsbluegreen.plan.World.CANARY;
import static io.ecsbluegreen.plan.World.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.plan.AnalysisTarget;
import io.ecsbluegreen.observed.CheckState;
import io.ecsbluegreen.observed.Measurement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The planner for an orphaned service (no file declares it any more): still watched and rolled back,
 * never a new step nor any other change; and the pause that restarts when its spec returns.
 */
class OrphanPlannerTest {
    static final String R1 = PlannerTest.R1;
    static final String R2 = PlannerTest.R2;
    static final String ANALYSIS = AnalysisPlannerTest.ANALYSIS;

    /** The canary (10% for 5m, 50% for 5m, bake 10m), green at step {@code index} since T0. */
    static World atStep(int index, int weight) {
        return new World().blue(R1).green(R2, true, Map.of(Tags.STEP, PlannerTest.step(index, T0))).test(100).prod(weight);
    }

    static World orphanedAtStep(int index, int weight, Instant orphanedAt) {
        return new World().blue(R1).green(R2, true, Map.of(Tags.STEP, PlannerTest.step(index, T0),
                Tags.ORPHANED_AT, String.valueOf(orphanedAt.getEpochSecond()))).test(100).prod(weight);
    }

    static World unhealthyAtStep() {
        World w = atStep(0, 10);
        w.greenHealthy = 0;
        return w;
    }

    static World alarmAtStep() {
        World w = atStep(0, 10);
        w.alarms = Map.of("shop-5xx", "ALARM");
        return w;
    }

    static World noService() {
        World w = new World();
        w.serviceExists = false;
        return w;
    }

    static World steadyWithDrift() {
        World w = new World().blue(R2).prod(0).test(0);
        w.desiredCount = 1;
        return w;
    }

    static final CheckState FAILED = new CheckState("error-rate", 2, 2, 2, AnalysisPlannerTest.measurement("error-rate",
            T0.plusSeconds(60), 0.034, Measurement.Verdict.FAILED), T0.plusSeconds(60), T0.plusSeconds(60), false);

    static Stream<Arguments> rows() {
        return Stream.of(
                row("a steady orphaned service is left as it is", false, true, () -> new World().blue(R2), 0, null,
                        Phase.Orphaned, Orphans.NOT_DECLARED, ""),
                row("drift on a steady orphaned service is not corrected", false, true, OrphanPlannerTest::steadyWithDrift, 0, null,
                        Phase.Orphaned, Orphans.NOT_DECLARED, ""),
                row("orphaned mid-pause: the time is recorded, no step", false, true, () -> atStep(0, 10), 60, null,
                        Phase.Orphaned, Orphans.NOT_DECLARED, "TagResource:orphaned-at"),
                row("orphaned with the pause run out: no next step", false, true, () -> atStep(0, 10), 600, null,
                        Phase.Orphaned, Orphans.NOT_DECLARED, "TagResource:orphaned-at"),
                row("orphaned and already recorded: nothing at all", false, true, () -> orphanedAtStep(0, 10, T0.plusSeconds(60)), 600, null,
                        Phase.Orphaned, Orphans.NOT_DECLARED, ""),
                row("orphaned while baking: not promoted", false, true, () -> orphanedAtStep(2, 100, T0.plusSeconds(60)), 3600, null,
                        Phase.Orphaned, Orphans.NOT_DECLARED, ""),
                row("orphaned before green exists: no green is created", false, true, () -> new World().blue(R1), 0, null,
                        Phase.Orphaned, Orphans.NOT_DECLARED, ""),
                row("orphaned without an ECS service: none is created", false, true, OrphanPlannerTest::noService, 0, null,
                        Phase.Orphaned, Orphans.NOT_DECLARED, ""),
                row("orphaned and green unhealthy: rolled back", false, true, OrphanPlannerTest::unhealthyAtStep, 60, null,
                        Phase.RollingBack, "GreenUnhealthy", "SetForwardWeights SetForwardWeights TagResource TagResource DeleteTaskSet"),
                row("orphaned and the alarm fires: rolled back", true, true, OrphanPlannerTest::alarmAtStep, 60, null,
                        Phase.RollingBack, "AlarmTriggered", "SetForwardWeights SetForwardWeights TagResource TagResource DeleteTaskSet"),
                row("orphaned and analysis fails: rolled back", false, true, () -> orphanedAtStep(0, 10, T0.plusSeconds(30)), 120,
                        Map.of("error-rate", FAILED),
                        Phase.RollingBack, "AnalysisFailed", "SetForwardWeights SetForwardWeights TagResource TagResource DeleteTaskSet"),
                row("orphaned mid-pause with analysis: measurements go on", false, true, () -> orphanedAtStep(0, 10, T0.plusSeconds(30)), 120,
                        Map.of(), Phase.Orphaned, Orphans.NOT_DECLARED, "Analyze"),
                row("declared again after the pause ran out: the pause restarts, no step", false, false,
                        () -> orphanedAtStep(0, 10, T0.plusSeconds(60)), 1200, null,
                        Phase.Shifting, Orphans.PAUSE_RESTARTED, "TagResource:step UntagResource:orphaned-at"),
                row("never orphaned with the pause run out: the next step", false, false, () -> atStep(0, 10), 1200, null,
                        Phase.Shifting, "Shifting", "SetForwardWeights TagResource:step"));
    }

    static Arguments row(String name, boolean alarms, boolean orphaned, Supplier<World> world, int seconds,
                         Map<String, CheckState> analysis, Phase phase, String reason, String actions) {
        return Arguments.of(name, alarms, orphaned, world, seconds, analysis, phase, reason, actions);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void anOrphanedServiceIsWatchedAndRolledBackButTakesNoNewStep(String name, boolean alarms, boolean orphaned,
                                                                   Supplier<World> world, int seconds,
                                                                   Map<String, CheckState> analysis, Phase phase,
                                                                   String reason, String actions) {
        Desired desired = analysis != null ? World.desired(CANARY, R2, ANALYSIS) : World.desired(CANARY, R2, alarms);
        Instant now = T0.plusSeconds(seconds);
        Plan plan = Planner.plan(PlanInput.of(desired, world.get().observed(), now).withOrphaned(orphaned)
                .withAnalysis(analysis == null ? Map.of() : Map.of(AnalysisTarget.key(R2, "arn:ts/green"), analysis)));
        assertThat(plan.status().phase()).isEqualTo(phase);
        assertThat(plan.status().reason()).isEqualTo(reason);
        assertThat(String.join(" ", plan.actions().stream().map(OrphanPlannerTest::describe).toList())).isEqualTo(actions);
        if (phase == Phase.Orphaned) {
            assertThat(plan.drift()).isEmpty();
            assertThat(plan.requeueAfter()).isNotEqualTo(Duration.ZERO);
        }
    }

    /** An action's kind; for tags on the service, which fact (step or orphaned-at) they write. */
    static String describe(Action a) {
        String kind = a.getClass().getSimpleName();
        if (a instanceof Action.TagResource t && t.tags().keySet().stream().allMatch(k -> k.startsWith(Tags.ORPHANED_AT))) {
            return kind + ":orphaned-at";
        }
        if (a instanceof Action.TagResource t && t.tags().keySet().stream().allMatch(k -> k.startsWith(Tags.STEP))) {
            return kind + ":step";
        }
        if (a instanceof Action.UntagResource u && u.keys().stream().allMatch(k -> k.startsWith(Tags.ORPHANED_AT))) {
            return kind + ":orphaned-at";
        }
        return kind;
    }

    @ParameterizedTest(name = "orphaned at {0}s")
    @MethodSource("orphanTimes")
    void theOrphanedTimeIsRecordedForGreensTaskSetAndTheRestartedStepBeginsWhenTheSpecReturns(int orphanedAfter) {
        Desired desired = World.desired(CANARY, R2);
        Instant orphanedAt = T0.plusSeconds(orphanedAfter);
        Plan orphaned = Planner.plan(PlanInput.of(desired, atStep(0, 10).observed(), orphanedAt).withOrphaned(true));
        assertThat(orphaned.actions()).singleElement().isEqualTo(new Action.TagResource(World.SERVICE_ARN,
                Map.of(Tags.key(Tags.ORPHANED_AT, R2), "green:" + orphanedAt.getEpochSecond())));

        Instant back = orphanedAt.plus(Duration.ofHours(2));
        Plan returned = Planner.plan(PlanInput.of(desired, orphanedAtStep(0, 10, orphanedAt).observed(), back));
        assertThat(returned.actions()).contains(new Action.TagResource(World.SERVICE_ARN,
                Map.of(Tags.key(Tags.STEP, R2), "green:" + PlannerTest.step(0, back))));
        assertThat(returned.requeueAfter()).isEqualTo(Duration.ofMinutes(5));
        assertThat(returned.status().productionWeights()).containsEntry(R2, 10);
    }

    static List<Integer> orphanTimes() {
        return List.of(0, 59, 299, 3600);
    }
}

package io.ecsbluegreen.plan;

import io.ecsbluegreen.model.Phase;
import static io.ecsbluegreen.plan.World.CANARY;
import static io.ecsbluegreen.plan.World.GREEN_TG;
import static io.ecsbluegreen.plan.World.PROD;
import static io.ecsbluegreen.plan.World.T0;
import static io.ecsbluegreen.plan.World.TEST;
import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.plan.AnalysisTarget;
import io.ecsbluegreen.observed.CheckState;
import io.ecsbluegreen.observed.Measurement;
import io.ecsbluegreen.observed.Measurement.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The planner with analysis checks, case by case: measurements are asked for while production shifts
 * and bakes, a failed check rolls back naming the number, and a step passes only on numbers taken while
 * it was in force.
 */
class AnalysisPlannerTest {
    static final String R1 = PlannerTest.R1;
    static final String R2 = PlannerTest.R2;
    static final String GREEN = "arn:ts/green";
    static final String KEY = AnalysisTarget.key(R2, GREEN);
    static final String ANALYSIS = """
              analysis:
                interval: 1m
                checks:
                  - name: error-rate
                    failureLimit: 2
                    targetGroupMetric: {metric: errorRate, max: 0.01}
                  - name: p99
                    interval: 2m
                    noData: wait
                    targetGroupMetric: {metric: latencyP99, max: 0.5}
            """;

    /** The canary of PlannerTest (10% for 5m, 50% for 5m, bake 10m) with two checks. */
    static Plan plan(World world, Instant now, Map<String, CheckState> states) {
        return Planner.plan(PlanInput.of(World.desired(CANARY, R2, ANALYSIS), world.observed(), now)
                .withAnalysis(states == null ? Map.of() : Map.of(KEY, states)));
    }

    static World atStep(int index, int weight) {
        return new World().blue(R1).green(R2, true, Map.of(Tags.STEP, PlannerTest.step(index, T0))).test(100).prod(weight);
    }

    static Measurement measurement(String check, Instant at, double value, Verdict verdict) {
        return new Measurement(check, "targetGroupMetric", at, value, "<= 0.01", verdict, "errorRate of green's target group");
    }

    static CheckState passed(String check, Instant at) {
        return new CheckState(check, 1, 0, 1, measurement(check, at, 0.001, Verdict.PASSED), at, at, false);
    }

    @Test
    void theFirstPassOfAStepAsksForEveryCheckAndHoldsUntilTheStepIsDue() {
        Plan p = plan(atStep(0, 10), T0.plusSeconds(5), null);
        assertThat(p.actions()).containsExactly(new Action.Analyze(GREEN, GREEN_TG, T0));
        assertThat(p.status().phase()).isEqualTo(Phase.Shifting);
        assertThat(p.requeueAfter()).isEqualTo(Planner.POLL);
    }

    @Test
    void aCheckMeasuredWithinItsIntervalIsNotAskedForAgainAndTheNextIsAwaited() {
        Instant at = T0.plusSeconds(5);
        Map<String, CheckState> states = Map.of("error-rate", passed("error-rate", at), "p99", passed("p99", at));
        Plan p = plan(atStep(0, 10), at.plusSeconds(20), states);
        assertThat(p.actions()).isEmpty();
        assertThat(p.requeueAfter()).as("error-rate is due a minute after its last measurement").isEqualTo(Duration.ofSeconds(40));

        Plan due = plan(atStep(0, 10), at.plusSeconds(60), states);
        assertThat(due.actions()).containsExactly(new Action.Analyze(GREEN, GREEN_TG, T0));
    }

    @Test
    void aCheckUnderWayIsNeverAskedForTwice() {
        CheckState measuring = new CheckState("error-rate", 0, 0, 2, null, T0, null, true);
        CheckState p99 = new CheckState("p99", 0, 0, 1, null, T0, null, true);
        Plan p = plan(atStep(0, 10), T0.plusSeconds(90), Map.of("error-rate", measuring, "p99", p99));
        assertThat(p.actions()).isEmpty();
        assertThat(p.requeueAfter()).isEqualTo(Planner.POLL);
    }

    @Test
    void aFailedCheckRollsBackInOneListenerChangeEachAndSaysWhichNumberFailed() {
        Instant at = T0.plusSeconds(65);
        CheckState failed = new CheckState("error-rate", 2, 2, 2, measurement("error-rate", at, 0.034, Verdict.FAILED), at, at, false);
        Plan p = plan(atStep(0, 10), at.plusSeconds(3), Map.of("error-rate", failed));
        assertThat(p.status().phase()).isEqualTo(Phase.RollingBack);
        assertThat(p.status().reason()).isEqualTo("AnalysisFailed");
        assertThat(p.status().message()).isEqualTo("analysis check error-rate failed 2 of 2 allowed time(s); last measurement: "
                + "0.034 outside <= 0.01 (errorRate of green's target group)");
        assertThat(p.actions()).contains(new Action.SetForwardWeights(PROD, false, PlannerTest.weights(100, 0)),
                new Action.SetForwardWeights(TEST, false, PlannerTest.weights(100, 0)),
                new Action.DeleteTaskSet(GREEN, "AnalysisFailed"));
    }

    @Test
    void failuresBelowTheLimitLetTheStepGoOn() {
        Instant at = T0.plusSeconds(65);
        CheckState once = new CheckState("error-rate", 2, 1, 2, measurement("error-rate", at, 0.034, Verdict.FAILED), at, at, false);
        Plan p = plan(atStep(0, 10), at.plusSeconds(3), Map.of("error-rate", once, "p99", passed("p99", at)));
        assertThat(p.status().phase()).isEqualTo(Phase.Shifting);
        assertThat(p.actions()).isEmpty();
    }

    @Test
    void aDueStepWaitsForAMeasurementTakenWhileItWasInForce() {
        Instant due = T0.plus(Duration.ofMinutes(5));
        Instant before = T0.minusSeconds(10);
        Instant during = T0.plus(Duration.ofMinutes(4));
        Map<String, CheckState> states = new HashMap<>();
        states.put("error-rate", passed("error-rate", during));
        // p99 had no data under noData: wait, so its last counted measurement is from before the step
        states.put("p99", new CheckState("p99", 3, 0, 1, new Measurement("p99", "targetGroupMetric", during, null, "<= 0.5",
                Verdict.NO_DATA, "no requests"), during, before, false));
        Plan p = plan(atStep(0, 10), due, states);
        assertThat(p.status().reason()).isEqualTo("AwaitingAnalysis");
        assertThat(p.status().message()).isEqualTo("step 1 of 3 is due; waiting for a measurement of analysis check p99 "
                + "taken since the step began");
        assertThat(p.actions()).as("error-rate is due again; the step does not advance")
                .containsExactly(new Action.Analyze(GREEN, GREEN_TG, T0));
        assertThat(p.requeueAfter()).isEqualTo(Planner.POLL);

        states.put("p99", passed("p99", due.plusSeconds(30)));
        Plan next = plan(atStep(0, 10), due.plusSeconds(40), states);
        assertThat(next.actions()).contains(new Action.SetForwardWeights(PROD, false, PlannerTest.weights(50, 50)));
    }

    @Test
    void aStepStillWithoutDataAProgressDeadlineAfterItWasDueRollsBackAsInconclusive() {
        Instant before = T0.minusSeconds(10);
        CheckState stale = new CheckState("p99", 3, 0, 1, null, before, before, false);
        Instant late = T0.plus(Duration.ofMinutes(5)).plus(Duration.ofMinutes(15));
        Plan p = plan(atStep(0, 10), late, Map.of("error-rate", passed("error-rate", late.minusSeconds(5)), "p99", stale));
        assertThat(p.status().phase()).isEqualTo(Phase.RollingBack);
        assertThat(p.status().reason()).isEqualTo("AnalysisInconclusive");
        assertThat(p.status().message()).startsWith("no usable measurement of analysis check p99 since step 1 began");
    }

    @Test
    void theBakeIsAnalysedTooAndPromotionWaitsForItsNumbers() {
        World baking = atStep(2, 100);
        Instant done = T0.plus(Duration.ofMinutes(10));
        Plan waiting = plan(baking, done, Map.of("error-rate", passed("error-rate", T0.minusSeconds(1)),
                "p99", passed("p99", T0.plusSeconds(1))));
        assertThat(waiting.status().phase()).isEqualTo(Phase.Baking);
        assertThat(waiting.status().reason()).isEqualTo("AwaitingAnalysis");
        assertThat(waiting.actions()).containsExactly(new Action.Analyze(GREEN, GREEN_TG, T0));

        Plan promoted = plan(baking, done, Map.of("error-rate", passed("error-rate", done.minusSeconds(30)),
                "p99", passed("p99", T0.plusSeconds(1))));
        assertThat(promoted.actions()).contains(new Action.SetPrimaryTaskSet(GREEN));
    }

    @Test
    void measurementsOfAnEarlierRolloutDoNotCount() {
        CheckState failedBefore = new CheckState("error-rate", 2, 2, 2, measurement("error-rate", T0, 0.5, Verdict.FAILED), T0, T0, false);
        Plan p = Planner.plan(PlanInput.of(World.desired(CANARY, R2, ANALYSIS), atStep(0, 10).observed(), T0.plusSeconds(5))
                .withAnalysis(Map.of(AnalysisTarget.key(R2, "arn:ts/an-earlier-green"), Map.of("error-rate", failedBefore))));
        assertThat(p.status().phase()).isEqualTo(Phase.Shifting);
        assertThat(p.actions()).containsExactly(new Action.Analyze(GREEN, GREEN_TG, T0));
    }

    @Test
    void withoutAnalysisNothingIsMeasured() {
        Plan p = PlannerTest.plan(atStep(0, 10), R2, T0.plusSeconds(5));
        assertThat(p.actions()).isEmpty();
    }
}

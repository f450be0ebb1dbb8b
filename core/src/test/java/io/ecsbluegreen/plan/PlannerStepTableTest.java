package io.ecsbluegreen.plan;

import io.ecsbluegreen.model.Phase;
import static io.ecsbluegreen.plan.World.CANARY;
import static io.ecsbluegreen.plan.World.GREEN_TG;
import static io.ecsbluegreen.plan.World.PROD;
import static io.ecsbluegreen.plan.World.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.plan.AnalysisTarget;
import io.ecsbluegreen.observed.CheckState;
import io.ecsbluegreen.plan.HookCall;
import io.ecsbluegreen.observed.HookResult;
import io.ecsbluegreen.plan.TrafficSteps.Step;
import io.ecsbluegreen.spec.Durations;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The planner's traffic decisions as tables, the way argo-rollouts tabulates its canary steps: each row is
 * (spec strategy, observed weights and tags, hook runs or analysis states, now) and the exact actions,
 * phase, reason and next look it must give. Actions read as {@code prod:N}/{@code test:N} (the listener's
 * share to green), {@code step:K}, {@code hooks:P.K}, {@code retired:ID}, {@code failed} (the revision
 * marked failed), {@code generation:N} (the creation generation, raised before the first deletion),
 * {@code primary:ID}, {@code delete:ID}, {@code run:POINT#I} and {@code analyze}.
 */
class PlannerStepTableTest {
    static final String R1 = PlannerTest.R1;
    static final String R2 = PlannerTest.R2;
    static final String LINEAR = "type: Linear\nlinear: {stepPercent: 25, interval: 1m}";
    static final String ALL_AT_ONCE = "type: AllAtOnce";
    static final Duration POLL = Planner.POLL;
    /** No step recorded on green. */
    static final int NONE = -1;

    // ---- the schedule ---------------------------------------------------------------------------

    static Stream<Arguments> schedules() {
        return Stream.of(
                Arguments.of("a canary holds each step for its pause and the last for the bake time", CANARY,
                        "10@5m 50@5m 100@10m"),
                Arguments.of("a linear shift moves by its step percent each interval, then bakes (0s by default)", LINEAR,
                        "25@1m 50@1m 75@1m 100@0s"),
                Arguments.of("a linear shift of 20% every 2m takes four steps before the bake", "type: Linear\nlinear: {stepPercent: 20, interval: 2m}\nbakeTime: 5m",
                        "20@2m 40@2m 60@2m 80@2m 100@5m"),
                Arguments.of("a canary step of 100% is the bake, not a step of its own",
                        "type: Canary\ncanary:\n  steps:\n    - {weight: 20, pause: 1m}\n    - {weight: 100, pause: 1m}\nbakeTime: 3m",
                        "20@1m 100@3m"),
                Arguments.of("all at once is the bake alone", ALL_AT_ONCE, "100@0s"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedules")
    void aStrategyBecomesItsScheduleOfTrafficSteps(String name, String strategy, String expected) {
        List<Step> steps = TrafficSteps.schedule(World.desired(strategy, R2).spec().strategy());
        assertThat(steps.stream().map(s -> s.weight() + "@" + Durations.format(s.hold()))
                .collect(Collectors.joining(" "))).isEqualTo(expected);
    }

    // ---- shifting -------------------------------------------------------------------------------

    static Stream<Arguments> shifts() {
        return Stream.of(
                // canary: 10% for 5m, 50% for 5m, bake 10m
                shift("the first step moves production and records it", CANARY, 0, NONE, 0,
                        Phase.Shifting, Reason.Shifting, 1, 3, "prod:10 step:0", Duration.ofMinutes(5)),
                shift("a step holds for its pause", CANARY, 10, 0, 60,
                        Phase.Shifting, Reason.Shifting, 1, 3, "", Duration.ofMinutes(4)),
                shift("a step whose pause ran out moves on", CANARY, 10, 0, 300,
                        Phase.Shifting, Reason.Shifting, 2, 3, "prod:50 step:1", Duration.ofMinutes(5)),
                shift("the last step is the bake at 100%", CANARY, 50, 1, 300,
                        Phase.Baking, Reason.Baking, 3, 3, "prod:100 step:2", Duration.ofMinutes(10)),
                shift("the bake holds for the bake time", CANARY, 100, 2, 540,
                        Phase.Baking, Reason.Baking, 3, 3, "", Duration.ofMinutes(1)),
                shift("a bake that ran out retires blue, then makes green primary", CANARY, 100, 2, 600,
                        Phase.Steady, Reason.Promoted, 0, 0, "retired:blue primary:green", Duration.ZERO),
                shift("a listener moved but not recorded: the step is recorded from now", CANARY, 50, 0, 120,
                        Phase.Shifting, Reason.Shifting, 2, 3, "step:1", Duration.ZERO),
                shift("a listener moved outside the schedule goes back to the step's weight", CANARY, 30, 1, 60,
                        Phase.Shifting, Reason.Shifting, 2, 3, "prod:50", POLL),
                shift("a listener still at the previous weight is moved to the step's", CANARY, 10, 1, 60,
                        Phase.Shifting, Reason.Shifting, 2, 3, "prod:50", POLL),
                shift("a recorded step without production traffic stays rolled back", CANARY, 0, 1, 60,
                        Phase.RollingBack, Reason.RollbackCompleted, 0, 0, "test:0 failed generation:1 delete:green", Duration.ZERO),
                // linear: 25% more each minute, no bake
                shift("a linear shift starts at its step percent", LINEAR, 0, NONE, 0,
                        Phase.Shifting, Reason.Shifting, 1, 4, "prod:25 step:0", Duration.ofMinutes(1)),
                shift("a linear shift's last step is 100% without a hold", LINEAR, 75, 2, 60,
                        Phase.Baking, Reason.Baking, 4, 4, "prod:100 step:3", Duration.ZERO),
                shift("a bake of 0s promotes at once", LINEAR, 100, 3, 0,
                        Phase.Steady, Reason.Promoted, 0, 0, "retired:blue primary:green", Duration.ZERO),
                // all at once
                shift("all at once moves production in one step to the bake", ALL_AT_ONCE, 0, NONE, 0,
                        Phase.Baking, Reason.Baking, 1, 1, "prod:100 step:0", Duration.ZERO));
    }

    static Arguments shift(String name, String strategy, int prod, int step, int seconds, Phase phase, Reason reason,
                           int stepShown, int steps, String actions, Duration requeue) {
        return Arguments.of(name, strategy, prod, step, seconds, phase, reason, stepShown, steps, actions, requeue);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shifts")
    void productionMovesAlongTheScheduleOneStepPerDueTime(String name, String strategy, int prod, int step, int seconds,
                                                          Phase phase, Reason reason, int stepShown, int steps,
                                                          String actions, Duration requeue) {
        World world = new World().blue(R1).green(R2, true, step == NONE ? Map.of() : Map.of(Tags.STEP, PlannerTest.step(step, T0)))
                .test(100).prod(prod);
        Plan plan = Planner.plan(PlanInput.of(World.desired(strategy, R2), world.observed(), T0.plusSeconds(seconds)));
        assertRow(plan, phase, reason, actions, requeue);
        assertThat(plan.status().step()).isEqualTo(stepShown);
        assertThat(plan.status().steps()).isEqualTo(steps);
    }

    // ---- hook gates -----------------------------------------------------------------------------

    static Stream<Arguments> hookGates() {
        return Stream.of(
                hook("afterInstall: the hook starts before test traffic", "afterInstall", "rollback", null, 0, 0, NONE, null, 0,
                        Phase.Deploying, Reason.RunningHook, "run:afterInstall#0", POLL),
                hook("afterInstall: a running hook holds test traffic back", "afterInstall", "rollback", null, 0, 0, NONE,
                        HookResult.State.RUNNING, 0, Phase.Deploying, Reason.RunningHook, "", POLL),
                hook("afterInstall: a success is recorded before anything else", "afterInstall", "rollback", null, 0, 0, NONE,
                        HookResult.State.SUCCEEDED, 0, Phase.Deploying, Reason.HookSucceeded, "hooks:2.0", Duration.ZERO),
                hook("afterInstall: a failure rolls back", "afterInstall", "rollback", null, 0, 0, NONE,
                        HookResult.State.FAILED, 0, Phase.RollingBack, Reason.HookFailed, "failed generation:1 delete:green", Duration.ZERO),
                hook("afterInstall: an ignored failure counts as done", "afterInstall", "ignore", null, 0, 0, NONE,
                        HookResult.State.FAILED, 0, Phase.Deploying, Reason.HookFailureIgnored, "hooks:2.0", Duration.ZERO),
                hook("afterInstall done: the test listener moves to green", "afterInstall", "rollback", "2.0", 0, 0, NONE,
                        null, 0, Phase.TestTraffic, Reason.TestTrafficOnGreen, "test:100", Duration.ZERO),
                hook("afterAllowTestTraffic: the hook runs once test traffic is on green", "afterAllowTestTraffic", "rollback",
                        "2.0", 100, 0, NONE, null, 0, Phase.TestTraffic, Reason.RunningHook, "run:afterAllowTestTraffic#0", POLL),
                hook("afterAllowTestTraffic: a failure moves test traffic back and rolls back", "afterAllowTestTraffic", "rollback",
                        "2.0", 100, 0, NONE, HookResult.State.FAILED, 0, Phase.RollingBack, Reason.HookFailed,
                        "test:0 failed generation:1 delete:green", Duration.ZERO),
                hook("beforeAllowTraffic: the hook runs before the first step", "beforeAllowTraffic", "rollback", "3.0", 100, 0,
                        NONE, null, 0, Phase.TestTraffic, Reason.RunningHook, "run:beforeAllowTraffic#0", POLL),
                hook("beforeAllowTraffic done: the first step", "beforeAllowTraffic", "rollback", "4.0", 100, 0, NONE, null, 0,
                        Phase.Shifting, Reason.Shifting, "prod:10 step:0", Duration.ofMinutes(5)),
                hook("afterAllowTraffic: the hook runs at the bake", "afterAllowTraffic", "rollback", "4.0", 100, 100, 2, null, 0,
                        Phase.Baking, Reason.RunningHook, "run:afterAllowTraffic#0", POLL),
                hook("afterAllowTraffic: a running hook holds promotion past the bake", "afterAllowTraffic", "rollback", "4.0", 100,
                        100, 2, HookResult.State.RUNNING, 600, Phase.Baking, Reason.RunningHook, "", POLL),
                hook("afterAllowTraffic done and the bake over: promoted", "afterAllowTraffic", "rollback", "5.0", 100, 100, 2,
                        null, 600, Phase.Steady, Reason.Promoted, "retired:blue primary:green", Duration.ZERO));
    }

    static Arguments hook(String name, String point, String onFailure, String progress, int test, int prod, int step,
                          HookResult.State run, int seconds, Phase phase, Reason reason, String actions, Duration requeue) {
        return Arguments.of(name, point, onFailure, progress, test, prod, step, run, seconds, phase, reason, actions, requeue);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hookGates")
    void eachLifecyclePointHoldsTheRolloutUntilItsHooksSucceeded(String name, String point, String onFailure, String progress,
                                                                 int test, int prod, int step, HookResult.State run,
                                                                 int seconds, Phase phase, Reason reason, String actions,
                                                                 Duration requeue) {
        String hooks = "  hooks:\n    " + point + ":\n      - name: check\n        onFailure: " + onFailure
                + "\n        lambda: {function: check}\n";
        Map<String, String> tags = new HashMap<>();
        if (progress != null) tags.put(Tags.HOOKS, progress);
        if (step != NONE) tags.put(Tags.STEP, PlannerTest.step(step, T0));
        World world = new World().blue(R1).green(R2, true, tags).test(test).prod(prod);
        Map<String, HookResult> runs = run == null ? Map.of()
                : Map.of(HookCall.key(R2, point, 0, "arn:ts/green"), new HookResult(run, run == HookResult.State.FAILED ? "exit 1" : null));
        Plan plan = Planner.plan(PlanInput.of(World.desired(CANARY, R2, hooks), world.observed(), T0.plusSeconds(seconds))
                .withHookRuns(runs));
        assertRow(plan, phase, reason, actions, requeue);
    }

    // ---- analysis gate --------------------------------------------------------------------------

    static Stream<Arguments> analysisGates() {
        CheckState errorRateRecent = AnalysisPlannerTest.passed("error-rate", T0.plusSeconds(270));
        CheckState p99Recent = AnalysisPlannerTest.passed("p99", T0.plusSeconds(270));
        CheckState p99BeforeTheStep = AnalysisPlannerTest.passed("p99", T0.minusSeconds(60));
        CheckState errorRateLate = AnalysisPlannerTest.passed("error-rate", T0.plusSeconds(1200));
        return Stream.of(
                analysis("unmeasured checks are measured while the step holds", 5, Map.of(),
                        Phase.Shifting, Reason.Shifting, "analyze", POLL),
                analysis("a failed check rolls back", 60, Map.of("error-rate", OrphanPlannerTest.FAILED),
                        Phase.RollingBack, Reason.AnalysisFailed, "prod:0 test:0 failed generation:1 delete:green", Duration.ZERO),
                analysis("measured during the step, not yet due again: the step ends on time", 300,
                        Map.of("error-rate", errorRateRecent, "p99", p99Recent),
                        Phase.Shifting, Reason.Shifting, "prod:50 step:1", Duration.ofMinutes(5)),
                analysis("a check last counted before the step began holds the due step", 300,
                        Map.of("error-rate", errorRateRecent, "p99", p99BeforeTheStep),
                        Phase.Shifting, Reason.AwaitingAnalysis, "analyze", POLL),
                analysis("no usable measurement within the progress deadline after the step was due rolls back", 1260,
                        Map.of("error-rate", errorRateLate, "p99", p99BeforeTheStep),
                        Phase.RollingBack, Reason.AnalysisInconclusive, "prod:0 test:0 analyze failed generation:1 delete:green", Duration.ZERO));
    }

    static Arguments analysis(String name, int seconds, Map<String, CheckState> states, Phase phase, Reason reason,
                              String actions, Duration requeue) {
        return Arguments.of(name, seconds, states, phase, reason, actions, requeue);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("analysisGates")
    void aStepEndsOnlyOnAnalysisNumbersTakenWhileItWasInForce(String name, int seconds, Map<String, CheckState> states,
                                                             Phase phase, Reason reason, String actions, Duration requeue) {
        // At step 1 of the canary (10% for 5m) since T0, with error-rate (every 1m) and p99 (every 2m).
        World world = AnalysisPlannerTest.atStep(0, 10);
        Plan plan = Planner.plan(PlanInput.of(World.desired(CANARY, R2, AnalysisPlannerTest.ANALYSIS), world.observed(),
                T0.plusSeconds(seconds)).withAnalysis(Map.of(AnalysisTarget.key(R2, "arn:ts/green"), states)));
        assertRow(plan, phase, reason, actions, requeue);
    }

    // ---- reading a plan -------------------------------------------------------------------------

    static void assertRow(Plan plan, Phase phase, Reason reason, String actions, Duration requeue) {
        assertThat(plan.actions().stream().map(PlannerStepTableTest::describe).filter(s -> !s.isEmpty())
                .collect(Collectors.joining(" "))).isEqualTo(actions);
        assertThat(plan.status().phase()).isEqualTo(phase);
        assertThat(plan.status().reason()).isEqualTo(reason.name());
        assertThat(plan.next()).isEqualTo(Plan.Next.after(requeue));
    }

    static String describe(Action action) {
        if (action instanceof Action.SetForwardWeights w) {
            return (w.listenerOrRuleArn().equals(PROD) ? "prod:" : "test:") + w.weights().get(GREEN_TG);
        }
        if (action instanceof Action.TagResource t) {
            return t.tags().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .map(e -> tag(e.getKey(), e.getValue())).filter(s -> !s.isEmpty()).collect(Collectors.joining(" "));
        }
        if (action instanceof Action.SetPrimaryTaskSet p) return "primary:" + id(p.taskSetArn());
        if (action instanceof Action.DeleteTaskSet d) return "delete:" + id(d.taskSetArn());
        if (action instanceof Action.RunHook r) return "run:" + r.point() + "#" + r.index();
        if (action instanceof Action.Analyze) return "analyze";
        return action.getClass().getSimpleName();
    }

    private static String tag(String key, String value) {
        String fact = value.substring(value.indexOf(':') + 1);
        if (key.startsWith(Tags.STEP)) return "step:" + fact.substring(0, fact.indexOf('@'));
        if (key.startsWith(Tags.HOOKS)) return "hooks:" + fact;
        if (key.startsWith(Tags.RETIRED_AT)) return "retired:" + value.substring(0, value.indexOf(':'));
        if (key.equals(Tags.FAILED_REVISION)) return "failed";
        if (key.equals(Tags.FAILED_REASON)) return "";
        if (key.equals(Tags.GENERATION)) return "generation:" + value;
        return key.substring(Tags.PREFIX.length());
    }

    private static String id(String taskSetArn) {
        return taskSetArn.substring(taskSetArn.lastIndexOf('/') + 1);
    }
}

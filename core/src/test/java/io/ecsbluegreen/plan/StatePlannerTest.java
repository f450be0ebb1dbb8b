package io.ecsbluegreen.plan;

import io.ecsbluegreen.model.Phase;
import static io.ecsbluegreen.plan.PlannerTest.R1;
import static io.ecsbluegreen.plan.PlannerTest.R2;
import static io.ecsbluegreen.plan.PlannerTest.create;
import static io.ecsbluegreen.plan.PlannerTest.plan;
import static io.ecsbluegreen.plan.PlannerTest.step;
import static io.ecsbluegreen.plan.World.BLUE_TG;
import static io.ecsbluegreen.plan.World.GREEN_TG;
import static io.ecsbluegreen.plan.World.PROD;
import static io.ecsbluegreen.plan.World.SERVICE_ARN;
import static io.ecsbluegreen.plan.World.T0;
import static io.ecsbluegreen.plan.World.TEST;
import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.observed.Observed.TaskSetStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Rollout state kept where AWS accepts it, rollbacks that traffic leads, DRAINING task sets, duplicates, tokens. */
class StatePlannerTest {

    static Map<String, Integer> toBlue() {
        return PlannerTest.weightsGreenFirst(0, 100);
    }

    // ---- a rollback moves traffic before any bookkeeping ------------------------------------------

    static Stream<Arguments> rollbacks() {
        return Stream.of(
                Arguments.of("abort", (Consumer<World>) w -> { }, new Command[] {Command.ABORT}),
                Arguments.of("alarm", (Consumer<World>) w -> w.alarms = Map.of("shop-5xx", "ALARM"), new Command[0]),
                Arguments.of("green unhealthy", (Consumer<World>) w -> w.greenHealthy = 1, new Command[0]),
                Arguments.of("alarm deleted", (Consumer<World>) w -> w.alarms = Map.of(), new Command[0]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rollbacks")
    void aRollbackMovesProductionThenTestBackToBlueBeforeAnyTagWrite(String why, Consumer<World> cause, Command[] commands) {
        World w = new World().blue(R1).green(R2, true, Map.of(Tags.STEP, step(1, T0))).test(100).prod(50);
        cause.accept(w);
        Plan p = plan(w, R2, T0.plusSeconds(30), commands);
        assertThat(p.status().phase()).isEqualTo(Phase.RollingBack);
        assertThat(p.actions().subList(0, 2)).containsExactly(
                new Action.SetForwardWeights(PROD, false, toBlue()), new Action.SetForwardWeights(TEST, false, toBlue()));
        assertThat(p.actions().get(p.actions().size() - 1)).isEqualTo(new Action.DeleteTaskSet("arn:ts/green",
                p.status().reason()));
    }

    static Stream<Arguments> interruptedRollbacks() {
        // A rollback moved traffic back to blue and its failed-revision write was refused; its cause is gone now.
        return Stream.of(
                Arguments.of("test moved back too", 0, 0),
                Arguments.of("stopped between production and test", 0, 100));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("interruptedRollbacks")
    void aRollbackWhoseBookkeepingFailedIsCompletedNextPassAndGreenNeverRegainsTraffic(String row, int prod, int test) {
        World w = new World().blue(R1).green(R2, true, Map.of(Tags.STEP, step(1, T0))).test(test).prod(prod);
        Plan p = plan(w, R2, T0.plusSeconds(60));
        assertThat(p.status().phase()).isEqualTo(Phase.RollingBack);
        assertThat(p.actions()).noneMatch(a -> a instanceof Action.SetForwardWeights f && f.weights().getOrDefault(GREEN_TG, 0) > 0);
        assertThat(p.actions()).contains(new Action.TagResource(SERVICE_ARN, Map.of(Tags.FAILED_REVISION, R2,
                Tags.FAILED_REASON, Tags.encodeText(p.status().reason() + ": " + p.status().message()))));
        assertThat(p.actions().get(p.actions().size() - 1)).isEqualTo(new Action.DeleteTaskSet("arn:ts/green", "RollbackCompleted"));
    }

    @Test
    void aPassStoppedBetweenMovingTheListenerAndRecordingTheStepRecordsItInsteadOfMovingBack() {
        World w = new World().blue(R1).green(R2, true, Map.of(Tags.STEP, step(0, T0))).test(100).prod(50);
        Plan p = plan(w, R2, T0.plusSeconds(301));
        assertThat(p.actions()).containsExactly(
                new Action.TagResource(SERVICE_ARN, Map.of(Tags.STEP + R2, "green:" + step(1, T0.plusSeconds(301)))));
        assertThat(p.drift()).isEmpty();
    }

    // ---- state on the service ----------------------------------------------------------------------

    @Test
    void aStepTagLeftByAnEarlierTaskSetOfTheRevisionIsIgnoredAndRemoved() {
        World w = new World().blue(R1).green(R2, true, Map.of()).test(100);
        w.serviceTags.put(Tags.STEP + R2, "gone:2@" + T0.getEpochSecond());
        Plan p = plan(w, R2, T0);
        assertThat(p.actions()).containsExactly(
                new Action.SetForwardWeights(PROD, false, PlannerTest.weights(90, 10)),
                new Action.TagResource(SERVICE_ARN, Map.of(Tags.STEP + R2, "green:" + step(0, T0))));
    }

    @Test
    void factsOfRevisionsNoLiveTaskSetRunsAreRemovedAtSteadyState() {
        World w = new World().blue(R1);
        w.serviceTags.put(Tags.RETIRED_AT + R2, "old:" + T0.getEpochSecond());
        w.serviceTags.put(Tags.STEP + R1, "blue:2@" + T0.getEpochSecond());
        Plan p = plan(w, R1, T0);
        assertThat(p.actions()).containsExactly(new Action.UntagResource(SERVICE_ARN, List.of(Tags.RETIRED_AT + R2, Tags.STEP + R1)));
    }

    @Test
    void theEarlierLayoutsTaskSetTagsAreReadAndCopiedToTheServiceOnFirstSight() {
        World w = new World().blue(R1).unmigrated().test(100).prod(10);
        w.taskSet("green", R2, TaskSetStatus.ACTIVE, GREEN_TG, true, T0.minusSeconds(60),
                Map.of(Tags.LEGACY_STEP, step(0, T0), Tags.LEGACY_HOOKS, "3.0"));
        w.greenHealthy = 2;
        Plan p = plan(w, R2, T0.plusSeconds(60));
        assertThat(p.status().phase()).isEqualTo(Phase.Shifting);
        assertThat(p.status().step()).isEqualTo(1);
        assertThat(p.actions()).containsExactly(new Action.TagResource(SERVICE_ARN, Map.of(
                Tags.STEP + R2, "green:" + step(0, T0), Tags.HOOKS + R2, "green:3.0", Tags.LAYOUT, Tags.LAYOUT_VERSION)));
    }

    // ---- DRAINING task sets ------------------------------------------------------------------------

    @Test
    void aDrainingTaskSetOfTheWantedRevisionIsNotGreenSoARetryInsideTheDrainingWindowCreatesAFreshOne() {
        World w = new World().blue(R1).taskSet("gone", R2, TaskSetStatus.DRAINING, GREEN_TG, false, T0.minusSeconds(60),
                Map.of(Tags.STEP, step(1, T0)));
        w.serviceTags.put(Tags.GENERATION, "1");
        Plan p = plan(w, R2, T0);
        assertThat(p.status().reason()).isEqualTo("CreatingGreen");
        assertThat(p.actions()).containsExactly(create(R2, GREEN_TG, 1), new Action.UntagResource(SERVICE_ARN, List.of(Tags.STEP + R2)));
        assertThat(create(R2, GREEN_TG, 1).clientToken()).isNotEqualTo(create(R2, GREEN_TG, 0).clientToken());
    }

    static Stream<Arguments> drainingRows() {
        return Stream.of(
                Arguments.of("steady: a draining task set is not deleted again", R1, 1),
                Arguments.of("steady: two draining task sets", R1, 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("drainingRows")
    void drainingTaskSetsAreNeverDeletedServingOrCountedInTraffic(String row, String desired, int draining) {
        World w = new World().blue(R1);
        for (int i = 0; i < draining; i++) {
            w.taskSet("d" + i, R2, TaskSetStatus.DRAINING, GREEN_TG, false, T0.minusSeconds(60 + i), Map.of());
        }
        Plan p = plan(w, desired, T0);
        assertThat(p.actions()).isEmpty();
        assertThat(p.status().productionWeights()).isEqualTo(Map.of(R1, 100));
        assertThat(Safety.check(List.of(new Action.DeleteTaskSet("arn:ts/d0", "again")), w.observed())).isEmpty();
    }

    @Test
    void drainingTaskSetsCountTowardTheLimitOfFiveSoGreenWaitsAndSaysWhy() {
        World w = new World().blue(R1);
        for (int i = 0; i < 4; i++) {
            w.taskSet("d" + i, "r-00000000000" + (5 + i), TaskSetStatus.DRAINING, GREEN_TG, false, T0.minusSeconds(60), Map.of());
        }
        Plan p = plan(w, R2, T0);
        assertThat(p.actions()).isEmpty();
        assertThat(p.status().reason()).isEqualTo("WaitingForDrainingTaskSets");
        assertThat(p.requeueAfter()).isEqualTo(Planner.POLL);
    }

    // ---- duplicates --------------------------------------------------------------------------------

    static Stream<Arguments> duplicates() {
        return Stream.of(
                Arguments.of("two greens on the green target group, production on it", GREEN_TG, 10, "copy"),
                Arguments.of("a copy on no target group traffic points at", null, 0, "copy"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("duplicates")
    void aDuplicateGreenIsDeletedAsDriftKeepingTheOldestAndItsTraffic(String row, String copyTg, int prod, String copy) {
        World w = new World().blue(R1).green(R2, true, Map.of(Tags.STEP, step(0, T0))).test(100).prod(prod == 0 ? 10 : prod);
        w.taskSet(copy, R2, TaskSetStatus.ACTIVE, copyTg, true, T0.minusSeconds(30), Map.of());
        Plan p = plan(w, R2, T0.plusSeconds(30));
        assertThat(p.actions()).contains(new Action.DeleteTaskSet("arn:ts/" + copy, "duplicate of green"));
        assertThat(p.actions()).noneMatch(a -> a instanceof Action.SetForwardWeights);
        assertThat(p.actions()).noneMatch(a -> a instanceof Action.DeleteTaskSet d && d.taskSetArn().equals("arn:ts/green"));
        assertThat(p.drift()).extracting(Plan.Drift::kind).contains("duplicateTaskSet");
        assertThat(p.status().productionWeights()).isEqualTo(Map.of(R1, 90, R2, 10));
    }

    // ---- client tokens -----------------------------------------------------------------------------

    @Test
    void taskSetTokensAreEqualForOneCreationAndDifferForTheNext() {
        String a = ClientTokens.taskSet(SERVICE_ARN, T0, R2, GREEN_TG, 0);
        assertThat(ClientTokens.taskSet(SERVICE_ARN, T0, R2, GREEN_TG, 0)).isEqualTo(a);
        assertThat(ClientTokens.taskSet(SERVICE_ARN, T0, R2, GREEN_TG, 1)).as("retry or revert after a deletion").isNotEqualTo(a);
        assertThat(ClientTokens.taskSet(SERVICE_ARN, T0.plusSeconds(1), R2, GREEN_TG, 0)).as("service created again").isNotEqualTo(a);
        assertThat(ClientTokens.taskSet(SERVICE_ARN, T0, R2, BLUE_TG, 0)).isNotEqualTo(a);
        assertThat(a.length()).isLessThanOrEqualTo(ClientTokens.MAX_LENGTH);
        assertThat(a.chars()).allMatch(c -> c >= 33 && c <= 126);
    }

    @Test
    void serviceTokensTellPrefixSharingNamesAndReCreationsApart() {
        String name = "a-very-long-service-name-that-is-longer-than-thirty-six";
        String first = ClientTokens.service("demo", name, R1, null);
        assertThat(first.length()).isLessThanOrEqualTo(ClientTokens.MAX_LENGTH);
        assertThat(ClientTokens.service("demo", name + "-2", R1, null)).isNotEqualTo(first);
        assertThat(ClientTokens.service("demo", name, R1, Instant.parse("2026-01-01T00:00:00Z"))).isNotEqualTo(first);
        assertThat(ClientTokens.service("demo", name, R1, null)).isEqualTo(first);
    }

    @Test
    void aServiceDeletedAndCreatedAgainGetsANewCreationToken() {
        World w = new World();
        w.serviceStatus = "INACTIVE";
        Plan p = plan(w, R1, T0);
        assertThat(p.actions()).singleElement().isInstanceOfSatisfying(Action.CreateService.class, c ->
                assertThat(c.clientToken()).isEqualTo(ClientTokens.service("demo", "shop", R1, World.SERVICE_CREATED))
                        .isNotEqualTo(ClientTokens.service("demo", "shop", R1, null)));
    }

    @Test
    void everyDeletionRaisesTheGenerationFirstSoTheNextCreationOfTheRevisionGetsAFreshToken() {
        World w = new World().blue(R1).green(R2, false, Map.of());
        w.serviceTags.put(Tags.GENERATION, "4");
        Plan p = plan(w, R2, T0, Command.ABORT);
        int raise = p.actions().indexOf(new Action.TagResource(SERVICE_ARN, Map.of(Tags.GENERATION, "5")));
        int delete = p.actions().indexOf(new Action.DeleteTaskSet("arn:ts/green", "Aborted"));
        assertThat(raise).isNotNegative().isLessThan(delete);
    }
}

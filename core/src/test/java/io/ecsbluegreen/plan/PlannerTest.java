package io.ecsbluegreen.plan;

import io.ecsbluegreen.model.Phase;
import static io.ecsbluegreen.plan.World.BLUE_TG;
import static io.ecsbluegreen.plan.World.CANARY;
import static io.ecsbluegreen.plan.World.GREEN_TG;
import static io.ecsbluegreen.plan.World.PROD;
import static io.ecsbluegreen.plan.World.SERVICE_ARN;
import static io.ecsbluegreen.plan.World.T0;
import static io.ecsbluegreen.plan.World.TD;
import static io.ecsbluegreen.plan.World.TEST;
import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.observed.Observed.TaskSetStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The planner, case by case: each test is one row of observed state and the exact actions it must plan. */
class PlannerTest {
    static final String R1 = "r-000000000001";
    static final String R2 = "r-000000000002";
    static final String R3 = "r-000000000003";
    static final Revision REV2 = new Revision(R2);

    static Map<String, Integer> weights(int blue, int green) {
        Map<String, Integer> w = new LinkedHashMap<>();
        w.put(BLUE_TG, blue);
        w.put(GREEN_TG, green);
        return w;
    }

    static Map<String, Integer> weightsGreenFirst(int green, int blue) {
        Map<String, Integer> w = new LinkedHashMap<>();
        w.put(GREEN_TG, green);
        w.put(BLUE_TG, blue);
        return w;
    }

    static Plan plan(World world, String revision, Instant now, Command... commands) {
        // A world that observes alarms is one whose spec declares the rollback alarm shop-5xx.
        return Planner.plan(PlanInput.of(World.desired(CANARY, revision, world.alarms != null), world.observed(), now)
                .withCommands(Set.of(commands)));
    }

    /** The CreateTaskSet the planner makes for a revision on a target group at a creation generation. */
    static Action.CreateTaskSet create(String revision, String targetGroup, long generation) {
        return new Action.CreateTaskSet(new Revision(revision), TD, targetGroup,
                ClientTokens.taskSet(SERVICE_ARN, World.SERVICE_CREATED, revision, targetGroup, generation), SERVICE_ARN, generation);
    }

    static String step(int index, Instant since) {
        return index + "@" + since.getEpochSecond();
    }

    // ---- first sight ------------------------------------------------------------------------------

    @Test
    void anAbsentServiceIsCreatedWithTheExternalControllerAndItsOwnerTag() {
        World w = new World();
        w.serviceExists = false;
        Plan p = plan(w, R1, T0);
        assertThat(p.actions()).containsExactly(new Action.CreateService("demo", "shop", 2,
                Map.of(Tags.OWNER, "shop", Tags.LAYOUT, Tags.LAYOUT_VERSION), ClientTokens.service("demo", "shop", R1, null)));
        assertThat(p.status().phase()).isEqualTo(Phase.Deploying);
    }

    @Test
    void aServiceWithAnotherDeploymentControllerIsATerminalErrorPointingToTheMigrationGuide() {
        World w = new World();
        w.controller = "ECS";
        Plan p = plan(w, R1, T0);
        assertThat(p.terminal()).isTrue();
        assertThat(p.actions()).isEmpty();
        assertThat(p.status().phase()).isEqualTo(Phase.Failed);
        assertThat(p.status().message()).contains("docs/migration.md");
    }

    @Test
    void aListenerOwnedByAnotherServiceIsNeverTakenOver() {
        World w = new World().blue(R1);
        w.prodTags = Map.of(Tags.OWNER, "billing");
        Plan p = plan(w, R1, T0);
        assertThat(p.terminal()).isTrue();
        assertThat(p.actions()).isEmpty();
        assertThat(p.status().reason()).isEqualTo("OwnedByAnother");
        assertThat(p.status().message()).contains(PROD).contains("billing");
    }

    @Test
    void noServiceIsCreatedBehindAListenerAnotherServiceOwns() {
        World w = new World();
        w.serviceExists = false;
        w.prodTags = Map.of(Tags.OWNER, "billing");
        Plan p = plan(w, R1, T0);
        assertThat(p.terminal()).isTrue();
        assertThat(p.actions()).isEmpty();
        assertThat(p.status().reason()).isEqualTo("OwnedByAnother");
    }

    @Test
    void theStatusShowsTheTrafficSplitThisPassSetsNotTheOneItFound() {
        World w = new World().blue(R1).green(R2, true, Map.of(Tags.STEP, step(0, T0))).prod(10).test(100);
        Plan p = plan(w, R2, T0.plus(Duration.ofMinutes(5)));
        assertThat(p.actions()).contains(new Action.SetForwardWeights(PROD, false, weights(50, 50)));
        assertThat(p.status().productionWeights()).isEqualTo(Map.of(R1, 50, R2, 50));
    }

    @Test
    void aRollbackToABlueWithoutHealthyTargetsIsHeldBackSaysSoAndLooksAgainSoon() {
        World w = new World().blue(R1).green(R2, false, Map.of(Tags.STEP, step(0, T0))).prod(10).test(100);
        w.blueHealthy = 0;
        Plan p = plan(w, R2, T0.plusSeconds(30));
        assertThat(p.status().phase()).isEqualTo(Phase.RollingBack);
        assertThat(p.actions()).noneMatch(a -> a instanceof Action.SetForwardWeights f && f.listenerOrRuleArn().equals(PROD));
        assertThat(p.actions()).noneMatch(a -> a instanceof Action.DeleteTaskSet);
        assertThat(p.status().productionWeights()).isEqualTo(Map.of(R1, 90, R2, 10));
        assertThat(p.status().message()).contains("held back until it is safe");
        assertThat(p.requeueAfter()).isEqualTo(Duration.ofSeconds(10));
    }

    // ---- rollback alarms --------------------------------------------------------------------------

    @Test
    void aRollbackAlarmThatDoesNotExistIsATerminalErrorAtFirstSight() {
        World w = new World();
        w.serviceExists = false;
        w.alarms = Map.of();
        Plan p = plan(w, R1, T0);
        assertThat(p.terminal()).isTrue();
        assertThat(p.actions()).isEmpty();
        assertThat(p.status().reason()).isEqualTo("AlarmNotFound");
        assertThat(p.status().message()).contains("shop-5xx");
    }

    @Test
    void anAlarmInAlarmBeforeTestTrafficIsNotWatchedYet() {
        World w = new World().blue(R1).green(R2, true, Map.of());
        w.alarms = Map.of("shop-5xx", "ALARM");
        Plan p = plan(w, R2, T0);
        assertThat(p.status().phase()).isEqualTo(Phase.TestTraffic);
    }

    @Test
    void anAlarmInAlarmWhileGreenServesRollsBackInOneListenerChangeEach() {
        World w = new World().blue(R1).green(R2, true, Map.of(Tags.STEP, step(0, T0))).test(100).prod(10);
        w.alarms = Map.of("shop-5xx", "ALARM");
        Plan p = plan(w, R2, T0.plusSeconds(30));
        assertThat(p.status().phase()).isEqualTo(Phase.RollingBack);
        assertThat(p.status().reason()).isEqualTo("AlarmTriggered");
        assertThat(p.status().message()).isEqualTo("alarm shop-5xx is in ALARM");
        assertThat(p.actions()).contains(new Action.SetForwardWeights(PROD, false, weights(100, 0)),
                new Action.SetForwardWeights(TEST, false, weights(100, 0)), new Action.DeleteTaskSet("arn:ts/green", "AlarmTriggered"));
    }

    @Test
    void alarmsInOkOrInsufficientDataLetTheShiftGoOn() {
        World w = new World().blue(R1).green(R2, true, Map.of(Tags.STEP, step(0, T0))).test(100).prod(10);
        w.alarms = Map.of("shop-5xx", "INSUFFICIENT_DATA");
        Plan p = plan(w, R2, T0.plus(Duration.ofMinutes(5)));
        assertThat(p.status().phase()).isEqualTo(Phase.Shifting);
        assertThat(p.status().step()).isEqualTo(2);
        assertThat(p.requeueAfter()).as("alarms are looked at more often than the 5 min pause").isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void anAlarmDeletedMidRolloutRollsBackInsteadOfFreezing() {
        World w = new World().blue(R1).green(R2, true, Map.of(Tags.STEP, step(0, T0))).test(100).prod(10);
        w.alarms = Map.of();
        Plan p = plan(w, R2, T0.plusSeconds(30));
        assertThat(p.terminal()).isFalse();
        assertThat(p.status().phase()).isEqualTo(Phase.RollingBack);
        assertThat(p.status().reason()).isEqualTo("AlarmNotFound");
    }

    @Test
    void untaggedResourcesAreClaimedBeforeAnythingElse() {
        World w = new World().blue(R1);
        w.prodTags = Map.of();
        w.serviceTags = new java.util.HashMap<>(Map.of(Tags.LAYOUT, Tags.LAYOUT_VERSION));
        Plan p = plan(w, R1, T0);
        assertThat(p.actions()).containsExactly(
                new Action.TagResource(SERVICE_ARN, Map.of(Tags.OWNER, "shop")),
                new Action.TagResource(PROD, Map.of(Tags.OWNER, "shop")));
    }

    @Test
    void theFirstRevisionRegistersItsTaskDefinitionThenGetsATaskSetOnTheBlueTargetGroup() {
        World w = new World();
        w.taskDefinition = null;
        assertThat(plan(w, R1, T0).actions()).containsExactly(new Action.RegisterTaskDefinition(new Revision(R1)));
        w.taskDefinition = TD;
        assertThat(plan(w, R1, T0).actions()).containsExactly(create(R1, BLUE_TG, 0));
    }

    @Test
    void theFirstTaskSetTakesAllTrafficAtOnceWhenHealthyAndBecomesPrimary() {
        World w = new World().taskSet("first", R1, TaskSetStatus.ACTIVE, BLUE_TG, true, T0.minusSeconds(60), Map.of());
        w.prodWeights = new LinkedHashMap<>(Map.of(GREEN_TG, 1));
        w.testWeights = new LinkedHashMap<>(Map.of(GREEN_TG, 1));
        Plan p = plan(w, R1, T0);
        assertThat(p.actions()).containsExactly(
                new Action.SetForwardWeights(PROD, false, weightsGreenFirst(100, 0)),
                new Action.SetForwardWeights(TEST, false, weightsGreenFirst(100, 0)),
                new Action.SetForwardWeights(PROD, false, weightsGreenFirst(0, 100)),
                new Action.SetForwardWeights(TEST, false, weightsGreenFirst(0, 100)),
                new Action.SetPrimaryTaskSet("arn:ts/first"));
    }

    @Test
    void aTargetGroupMissingFromAForwardActionIsAddedAtWeightZeroKeepingEveryShare() {
        World w = new World().blue(R1);
        w.prodWeights = new LinkedHashMap<>(Map.of(BLUE_TG, 3));
        Plan p = plan(w, R1, T0);
        assertThat(p.actions()).containsExactly(new Action.SetForwardWeights(PROD, false, weights(100, 0)));
    }

    @Test
    void aChangedDesiredCountScalesTheServiceWithoutARollout() {
        World w = new World().blue(R1);
        w.desiredCount = 5;
        Plan p = plan(w, R1, T0);
        assertThat(p.actions()).containsExactly(new Action.UpdateDesiredCount(SERVICE_ARN, 2),
                new Action.TagResource(SERVICE_ARN, Map.of(Tags.DESIRED_COUNT, "2@" + T0.getEpochSecond())));
        assertThat(p.status().phase()).isEqualTo(Phase.Steady);
        assertThat(p.drift()).extracting(Plan.Drift::kind).containsExactly("desiredCount");
    }

    // ---- steady state and drift -------------------------------------------------------------------

    @Test
    void aConvergedServiceNeedsNothing() {
        Plan p = plan(new World().blue(R1), R1, T0);
        assertThat(p.actions()).isEmpty();
        assertThat(p.status().converged()).isTrue();
        assertThat(p.status().productionWeights()).isEqualTo(Map.of(R1, 100));
        assertThat(p.drift()).isEmpty();
    }

    @Test
    void productionWeightsEditedByHandAreCorrectedAndCounted() {
        World w = new World().blue(R1).prod(30);
        Plan p = plan(w, R1, T0);
        assertThat(p.actions()).containsExactly(new Action.SetForwardWeights(PROD, false, weightsGreenFirst(0, 100)));
        assertThat(p.drift()).extracting(Plan.Drift::kind).containsExactly("listenerWeights");
    }

    @Test
    void aRescaledPrimaryIsScaledBack() {
        World w = new World();
        w.taskSets.add(new io.ecsbluegreen.observed.Observed.TaskSet("blue", "arn:ts/blue", R1, TaskSetStatus.PRIMARY, 50, 1, 1, 0,
                true, T0.minusSeconds(600), BLUE_TG, Map.of()));
        Plan p = plan(w, R1, T0);
        assertThat(p.actions()).containsExactly(new Action.UpdateTaskSetScale("arn:ts/blue", 100));
        assertThat(p.drift()).extracting(Plan.Drift::kind).containsExactly("taskSetScale");
    }

    @Test
    void theRetainedBlueIsDeletedWhenItsRetentionEndsAndNotBefore() {
        Instant retired = T0.minus(Duration.ofMinutes(59));
        World w = new World().taskSet("new", R2, TaskSetStatus.PRIMARY, GREEN_TG, true, T0.minusSeconds(7200), Map.of())
                .taskSet("old", R1, TaskSetStatus.ACTIVE, BLUE_TG, true, T0.minusSeconds(86400),
                        Map.of(Tags.RETIRED_AT, String.valueOf(retired.getEpochSecond())));
        w.greenHealthy = 2;
        w.prod(100).test(100);
        Plan early = plan(w, R2, T0);
        assertThat(early.actions()).isEmpty();
        assertThat(early.requeueAfter()).isEqualTo(Duration.ofMinutes(1));
        Plan late = plan(w, R2, T0.plus(Duration.ofMinutes(1)));
        assertThat(late.actions()).containsExactly(new Action.TagResource(SERVICE_ARN, Map.of(Tags.GENERATION, "1")),
                new Action.DeleteTaskSet("arn:ts/old", "blue retention of 1h ended"));
    }

    // ---- a rollout --------------------------------------------------------------------------------

    @Test
    void aNewRevisionGetsAGreenTaskSetOnTheIdleTargetGroup() {
        Plan p = plan(new World().blue(R1), R2, T0);
        assertThat(p.actions()).containsExactly(create(R2, GREEN_TG, 0));
        assertThat(p.status().phase()).isEqualTo(Phase.Deploying);
        assertThat(p.status().activeRevision()).isEqualTo(R1);
    }

    @Test
    void greenThatIsNotYetHealthyIsWaitedForUntilTheProgressDeadline() {
        World w = new World().blue(R1).green(R2, false, Map.of());
        Plan waiting = plan(w, R2, T0);
        assertThat(waiting.actions()).isEmpty();
        assertThat(waiting.status().phase()).isEqualTo(Phase.Deploying);
        assertThat(waiting.requeueAfter()).isEqualTo(Duration.ofSeconds(10));

        Plan late = plan(w, R2, T0.plus(Duration.ofMinutes(15)));
        assertThat(late.actions()).containsExactly(
                new Action.TagResource(SERVICE_ARN, Map.of(Tags.FAILED_REVISION, R2, Tags.FAILED_REASON,
                        "ProgressDeadlineExceeded: green did not become stable and healthy within 15m")),
                new Action.TagResource(SERVICE_ARN, Map.of(Tags.GENERATION, "1")),
                new Action.DeleteTaskSet("arn:ts/green", "ProgressDeadlineExceeded"));
        assertThat(late.status().phase()).isEqualTo(Phase.RollingBack);
    }

    @Test
    void healthyGreenGetsTheTestListenerFirst() {
        Plan p = plan(new World().blue(R1).green(R2, true, Map.of()), R2, T0);
        assertThat(p.actions()).containsExactly(new Action.SetForwardWeights(TEST, false, weights(0, 100)));
        assertThat(p.status().phase()).isEqualTo(Phase.TestTraffic);
    }

    @Test
    void theFirstCanaryStepIsRecordedOnTheServiceOnceTheListenerMoved() {
        Plan p = plan(new World().blue(R1).green(R2, true, Map.of()).test(100), R2, T0);
        assertThat(p.actions()).containsExactly(
                new Action.SetForwardWeights(PROD, false, weights(90, 10)),
                new Action.TagResource(SERVICE_ARN, Map.of(Tags.STEP + R2, "green:" + step(0, T0))));
        assertThat(p.status().phase()).isEqualTo(Phase.Shifting);
        assertThat(p.status().step()).isEqualTo(1);
        assertThat(p.status().steps()).isEqualTo(3);
        assertThat(p.requeueAfter()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aStepHoldsForItsPauseThenTheNextIsRecordedAndApplied() {
        World w = new World().blue(R1).green(R2, true, Map.of(Tags.STEP, step(0, T0))).test(100).prod(10);
        Plan holding = plan(w, R2, T0.plus(Duration.ofMinutes(2)));
        assertThat(holding.actions()).isEmpty();
        assertThat(holding.requeueAfter()).isEqualTo(Duration.ofMinutes(3));
        assertThat(holding.status().productionWeights()).isEqualTo(Map.of(R1, 90, R2, 10));

        Instant due = T0.plus(Duration.ofMinutes(5));
        Plan next = plan(w, R2, due);
        assertThat(next.actions()).containsExactly(
                new Action.SetForwardWeights(PROD, false, weights(50, 50)),
                new Action.TagResource(SERVICE_ARN, Map.of(Tags.STEP + R2, "green:" + step(1, due))));
    }

    @Test
    void aCrashBetweenRecordingAStepAndApplyingItResumesTheSameStepWithoutCountingDrift() {
        World w = new World().blue(R1).green(R2, true, Map.of(Tags.STEP, step(1, T0))).test(100).prod(10);
        Plan p = plan(w, R2, T0.plusSeconds(3));
        assertThat(p.actions()).containsExactly(new Action.SetForwardWeights(PROD, false, weights(50, 50)));
        assertThat(p.drift()).isEmpty();
    }

    @Test
    void weightsEditedByHandMidRolloutAreCorrectedToTheCurrentStepAndCounted() {
        World w = new World().blue(R1).green(R2, true, Map.of(Tags.STEP, step(1, T0))).test(100).prod(30);
        Plan p = plan(w, R2, T0.plusSeconds(3));
        assertThat(p.actions()).containsExactly(new Action.SetForwardWeights(PROD, false, weights(50, 50)));
        assertThat(p.drift()).extracting(Plan.Drift::kind).containsExactly("listenerWeights");
    }

    @Test
    void atOneHundredPercentGreenBakesThenBecomesPrimaryAndBlueIsRetired() {
        World w = new World().blue(R1).green(R2, true, Map.of(Tags.STEP, step(2, T0))).test(100).prod(100);
        Plan baking = plan(w, R2, T0.plus(Duration.ofMinutes(4)));
        assertThat(baking.actions()).isEmpty();
        assertThat(baking.status().phase()).isEqualTo(Phase.Baking);
        assertThat(baking.requeueAfter()).isEqualTo(Duration.ofMinutes(6));

        Instant done = T0.plus(Duration.ofMinutes(10));
        Plan promoted = plan(w, R2, done);
        assertThat(promoted.actions()).containsExactly(
                new Action.TagResource(SERVICE_ARN, Map.of(Tags.RETIRED_AT + R1, "blue:" + done.getEpochSecond())),
                new Action.SetPrimaryTaskSet("arn:ts/green"));
    }

    @Test
    void greenLosingItsHealthyTargetsMidShiftRollsBackInOneListenerChangeEach() {
        World w = new World().blue(R1).green(R2, true, Map.of(Tags.STEP, step(1, T0))).test(100).prod(50);
        w.greenHealthy = 1;
        Plan p = plan(w, R2, T0.plusSeconds(30));
        assertThat(p.actions()).containsExactly(
                new Action.SetForwardWeights(PROD, false, weightsGreenFirst(0, 100)),
                new Action.SetForwardWeights(TEST, false, weightsGreenFirst(0, 100)),
                new Action.TagResource(SERVICE_ARN, Map.of(Tags.FAILED_REVISION, R2, Tags.FAILED_REASON,
                        Tags.encodeText("GreenUnhealthy: green lost healthy targets while serving traffic (1 of 2 healthy)"))),
                new Action.TagResource(SERVICE_ARN, Map.of(Tags.GENERATION, "1")),
                new Action.DeleteTaskSet("arn:ts/green", "GreenUnhealthy"));
    }

    @Test
    void aRollbackMovesBothListenersBeforeAnOwnershipTagThePassFoundMissing() {
        World w = new World().blue(R1).green(R2, true, Map.of(Tags.STEP, step(1, T0))).test(100).prod(50);
        w.greenHealthy = 1;
        w.prodTags = Map.of();
        Plan p = plan(w, R2, T0.plusSeconds(30));
        assertThat(p.status().phase()).isEqualTo(Phase.RollingBack);
        assertThat(p.actions()).startsWith(
                new Action.SetForwardWeights(PROD, false, weightsGreenFirst(0, 100)),
                new Action.SetForwardWeights(TEST, false, weightsGreenFirst(0, 100)),
                new Action.TagResource(PROD, Map.of(Tags.OWNER, "shop")));
    }

    @Test
    void aFailedRevisionIsNotRetriedUntilTheSpecChangesOrRetryIsAsked() {
        World w = new World().blue(R1);
        w.serviceTags.put(Tags.FAILED_REVISION, R2);
        w.serviceTags.put(Tags.FAILED_REASON, "GreenUnhealthy: ...");
        Plan held = plan(w, R2, T0);
        assertThat(held.actions()).isEmpty();
        assertThat(held.status().phase()).isEqualTo(Phase.RolledBack);

        assertThat(plan(w, R3, T0).actions()).containsExactly(create(R3, GREEN_TG, 0));

        assertThat(plan(w, R2, T0, Command.RETRY).actions())
                .containsExactly(new Action.UntagResource(SERVICE_ARN, List.of(Tags.FAILED_REVISION, Tags.FAILED_REASON)));
    }

    @Test
    void manualPromotionWaitsWithTestTrafficOnGreenUntilPromoted() {
        Desired manual = World.desired(CANARY + "\npromotion: manual", R2);
        World w = new World().blue(R1).green(R2, true, Map.of()).test(100);
        Plan waiting = Planner.plan(PlanInput.of(manual, w.observed(), T0));
        assertThat(waiting.actions()).isEmpty();
        assertThat(waiting.status().phase()).isEqualTo(Phase.AwaitingPromotion);

        Plan promoted = Planner.plan(PlanInput.of(manual, w.observed(), T0).withCommands(Set.of(Command.PROMOTE)));
        assertThat(promoted.actions()).containsExactly(
                new Action.TagResource(SERVICE_ARN, Map.of(Tags.PROMOTED_REVISION, R2)),
                new Action.SetForwardWeights(PROD, false, weights(90, 10)),
                new Action.TagResource(SERVICE_ARN, Map.of(Tags.STEP + R2, "green:" + step(0, T0))));
    }

    @Test
    void abortRollsBackAtOnce() {
        World w = new World().blue(R1).green(R2, true, Map.of(Tags.STEP, step(0, T0))).test(100).prod(10);
        Plan p = plan(w, R2, T0, Command.ABORT);
        assertThat(p.actions()).containsExactly(
                new Action.SetForwardWeights(PROD, false, weightsGreenFirst(0, 100)),
                new Action.SetForwardWeights(TEST, false, weightsGreenFirst(0, 100)),
                new Action.TagResource(SERVICE_ARN, Map.of(Tags.FAILED_REVISION, R2, Tags.FAILED_REASON, "Aborted: aborted by request")),
                new Action.TagResource(SERVICE_ARN, Map.of(Tags.GENERATION, "1")),
                new Action.DeleteTaskSet("arn:ts/green", "Aborted"));
    }

    @Test
    void aNewRevisionMidRolloutSendsTrafficBackToBlueAndDiscardsTheInFlightGreen() {
        World w = new World().blue(R1).green(R2, true, Map.of(Tags.STEP, step(0, T0))).test(100).prod(10);
        Plan p = plan(w, R3, T0.plusSeconds(30));
        assertThat(p.actions()).containsExactly(
                new Action.SetForwardWeights(PROD, false, weightsGreenFirst(0, 100)),
                new Action.SetForwardWeights(TEST, false, weightsGreenFirst(0, 100)),
                new Action.TagResource(SERVICE_ARN, Map.of(Tags.GENERATION, "1")),
                new Action.DeleteTaskSet("arn:ts/green", "superseded by revision " + R3),
                create(R3, GREEN_TG, 1));
    }

    @Test
    void revertingToTheRevisionBlueStillRunsIsAnInstantRollback() {
        Instant retired = T0.minus(Duration.ofMinutes(10));
        World w = new World().taskSet("new", R2, TaskSetStatus.PRIMARY, GREEN_TG, true, T0.minusSeconds(3600), Map.of())
                .taskSet("old", R1, TaskSetStatus.ACTIVE, BLUE_TG, true, T0.minusSeconds(86400),
                        Map.of(Tags.RETIRED_AT, String.valueOf(retired.getEpochSecond())));
        w.greenHealthy = 2;
        w.prod(100).test(100);
        Plan p = plan(w, R1, T0);
        assertThat(p.actions()).containsExactly(
                new Action.SetForwardWeights(PROD, false, weightsGreenFirst(0, 100)),
                new Action.SetForwardWeights(TEST, false, weightsGreenFirst(0, 100)),
                new Action.TagResource(SERVICE_ARN, Map.of(Tags.RETIRED_AT + R2, "new:" + T0.getEpochSecond())),
                new Action.SetPrimaryTaskSet("arn:ts/old"),
                new Action.UntagResource(SERVICE_ARN, List.of(Tags.RETIRED_AT + R1, Tags.STEP + R1, Tags.HOOKS + R1)));
        assertThat(p.actions()).noneMatch(a -> a instanceof Action.CreateTaskSet);
    }

    // ---- found by RandomizedScenarioTest ----------------------------------------------------------

    @Test
    void aFirstTaskSetLeftOnTheTargetGroupProductionPointsAtGetsTheNewRevisionBesideItNotOnTopOfIt() {
        // The desire changed before the first revision became ready: its task set cannot be deleted while
        // production points at its target group, and a second task set there would serve beside it forever.
        World w = new World().taskSet("first", R1, TaskSetStatus.ACTIVE, BLUE_TG, false, T0.minusSeconds(60), Map.of());
        w.blueHealthy = 0;
        Plan p = plan(w, R2, T0);
        assertThat(p.actions()).containsExactly(create(R2, GREEN_TG, 0));
    }

    @Test
    void aRolloutWaitsWhileTheIdleTargetGroupHoldsATaskSetThatProductionStillPointsAt() {
        World w = new World().blue(R1).taskSet("left", R3, TaskSetStatus.ACTIVE, GREEN_TG, false, T0.minusSeconds(60), Map.of()).prod(50);
        w.blueHealthy = 0;
        Plan p = plan(w, R2, T0);
        assertThat(p.actions()).isEmpty();
        assertThat(p.status().reason()).isEqualTo("WaitingForTargetGroup");
        assertThat(p.requeueAfter()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aTaskSetThatProductionServesFromButThatNeverBecamePrimaryBecomesPrimaryInsteadOfBeingLeftBehind() {
        // The engine stopped between pointing production at the first revision and making it primary, and
        // the desire changed meanwhile: deleting it is refused, so it is adopted as the blue of the rollout.
        World w = new World().taskSet("first", R1, TaskSetStatus.ACTIVE, BLUE_TG, true, T0.minusSeconds(600), Map.of());
        Plan p = plan(w, R2, T0);
        assertThat(p.actions()).containsExactly(new Action.SetPrimaryTaskSet("arn:ts/first"));
        assertThat(p.status().reason()).isEqualTo("AdoptedServingTaskSet");
        assertThat(p.status().activeRevision()).isEqualTo(R1);
    }

    @Test
    void aFirstTaskSetRescaledByHandIsScaledBackInsteadOfMissingItsDeadline() {
        World w = new World();
        w.taskSets.add(new io.ecsbluegreen.observed.Observed.TaskSet("first", "arn:ts/first", R1, TaskSetStatus.ACTIVE, 0, 0, 0, 0,
                true, T0.minusSeconds(60), BLUE_TG, Map.of()));
        w.blueHealthy = 0;
        Plan p = plan(w, R1, T0);
        assertThat(p.actions()).containsExactly(new Action.UpdateTaskSetScale("arn:ts/first", 100));
        assertThat(p.drift()).extracting(Plan.Drift::kind).containsExactly("taskSetScale");
    }

    @Test
    void safetyNeverPutsASecondTaskSetOnATargetGroup() {
        World w = new World().blue(R1).green(R2, false, Map.of());
        Action create = create(R3, GREEN_TG, 0);
        assertThat(Safety.check(List.of(create), w.observed())).isEmpty();
        assertThat(Safety.check(List.of(new Action.DeleteTaskSet("arn:ts/green", "superseded"), create), w.observed()))
                .containsExactly(new Action.DeleteTaskSet("arn:ts/green", "superseded"), create);
    }

    // ---- schedules and safety -------------------------------------------------------------------

    @Test
    void schedulesEndAtOneHundredPercentHeldForTheBake() {
        assertThat(TrafficSteps.schedule(World.desired(CANARY, R1).spec().strategy())).containsExactly(
                new TrafficSteps.Step(10, Duration.ofMinutes(5)), new TrafficSteps.Step(50, Duration.ofMinutes(5)),
                new TrafficSteps.Step(100, Duration.ofMinutes(10)));
        assertThat(TrafficSteps.schedule(World.desired("type: Linear\nlinear: {stepPercent: 25, interval: 1m}", R1).spec().strategy()))
                .extracting(TrafficSteps.Step::weight).containsExactly(25, 50, 75, 100);
        assertThat(TrafficSteps.schedule(World.desired("type: AllAtOnce", R1).spec().strategy()))
                .containsExactly(new TrafficSteps.Step(100, Duration.ZERO));
    }

    @Test
    void productionIsNeverSentToATargetGroupWithoutHealthyTargets() {
        // Blue lost all its targets while green's rollout is being rolled back: moving traffic to blue
        // would not help, so that change is withheld (and so is green's deletion, which still serves).
        World w = new World().blue(R1).green(R2, false, Map.of(Tags.STEP, step(1, T0))).test(100).prod(50);
        w.blueHealthy = 0;
        w.greenHealthy = 1;
        Plan p = plan(w, R2, T0.plusSeconds(30));
        assertThat(p.actions()).noneMatch(a -> a instanceof Action.SetForwardWeights s && s.listenerOrRuleArn().equals(PROD));
        assertThat(p.actions()).noneMatch(a -> a instanceof Action.DeleteTaskSet);
    }

    @Test
    void safetyNeverLetsThePrimaryTaskSetBeDeleted() {
        World w = new World().blue(R1);
        List<Action> checked = Safety.check(List.of(new Action.DeleteTaskSet("arn:ts/blue", "bug")), w.observed());
        assertThat(checked).isEmpty();
    }
}

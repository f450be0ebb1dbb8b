package io.ecsbluegreen.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.plan.Command;
import io.ecsbluegreen.model.Phase;
import io.ecsbluegreen.plan.Revision;
import io.ecsbluegreen.plan.Tags;
import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.FaultRule;
import io.ecsbluegreen.sim.elb.TargetStatus;
import io.ecsbluegreen.sim.spi.ImageBehaviour;
import io.ecsbluegreen.sim.spi.TargetHealthState;
import io.ecsbluegreen.status.ServiceReport;
import io.ecsbluegreen.status.StatusBook;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskSet;

/**
 * The defects of issue 10's AWS-contract audit, end to end: the operator's own loop (engine, reconciler,
 * SDK adapters) against the strict simulator, which answers as AWS documents (tag rules, client tokens
 * remembered after their resource is gone, DRAINING task sets counted toward the limit). Each test names
 * the defect it proves and why the code before the fix stalled or misrouted traffic on it. Simulated time
 * only; every wait is bounded in rounds.
 */
class AuditDefectsOnSimulatorTest {
    static final String CLUSTER = "demo";
    static final String PRODUCTION = ModelCheckReplayOnSimulatorTest.PRODUCTION_LISTENER;
    static final String TEST = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/demo/5f2b3c4d5e6f7a8b/9a8b7c6d5e4f3021";
    static final String BROKEN = "ghcr.io/ecsbluegreen/greeter:9.9.9-broken";

    SimAccount account;
    AwsSimulator sim;
    StatusBook book;
    SimpleMeterRegistry registry;
    Engine engine;
    DeclaredServices declared;

    @BeforeEach
    void start() throws Exception {
        account = new SimAccount();
        sim = account.sim;
        MeteredEngine loop = MeteredEngine.on(account);
        book = loop.book();
        registry = loop.registry();
        engine = loop.engine();
        declared = loop.declared();
    }

    @AfterEach
    void stop() {
        engine.close();
        account.close();
    }

    // ---- defect 1: a rollback never waits for its bookkeeping ---------------------------------------

    /**
     * Defect 1. Before the fix a rollback's first write was a tag on green's task set (its failure reason,
     * free text): when ECS refused it, the pass stopped there and production stayed on the failing green
     * for as long as the tag write kept failing. Here ECS refuses every TagResource, so the only way
     * traffic reaches blue is a rollback that moves both listeners before any tag write.
     */
    @Test
    void aCanaryAtFiftyPercentWhoseGreenTurnsUnhealthyGoesBackToBlueInOnePassWhileEcsRefusesEveryTagWrite() throws Exception {
        Canary canary = canaryShifting(50);
        String r1 = canary.r1();
        String r2 = canary.r2();
        String green = canary.green();
        String blue = canary.blue();
        BlueGreenService v2 = canary.v2();
        assertThat(weights(PRODUCTION)).containsEntry(green, 50);

        sim.faults().add(FaultRule.errors("ecs:TagResource", 1.0).withStatus(400).withErrorCode("InvalidParameterException"));
        for (TargetStatus t : sim.elb().targetHealth(green)) sim.elb().markTarget(green, t.id(), t.port(), false);
        for (int i = 0; i < 30 && sim.elb().targetHealth(green).stream().noneMatch(t -> t.state() == TargetHealthState.UNHEALTHY); i++) {
            sim.clock().advance(Duration.ofSeconds(1));
        }
        assertThat(sim.elb().targetHealth(green)).extracting(TargetStatus::state).contains(TargetHealthState.UNHEALTHY);

        // One pass of a fresh reconciler (as after a restart): it may fail on its bookkeeping, not before the traffic.
        Throwable failed = catchThrowable(() -> account.reconciler().reconcile(v2, Set.of()));
        assertThat(sim.stats().faults("ecs", "TagResource")).as("ECS refused the bookkeeping").isPositive();
        assertThat(failed).as("the pass reports the refused tag write").isNotNull();
        assertThat(weights(PRODUCTION)).as("production").containsEntry(blue, 100).doesNotContainEntry(green, 50)
                .allSatisfy((group, weight) -> assertThat(weight == 0 || group.equals(blue)).isTrue());
        assertThat(weights(TEST)).as("test traffic").allSatisfy((group, weight) -> assertThat(weight == 0 || group.equals(blue)).isTrue());

        // Once ECS takes tags again, the bookkeeping catches up: the failed revision is remembered on the service.
        sim.faults().clear();
        ServiceReport rolledBack = until("greeter", r -> r.phase() == Phase.RolledBack);
        assertThat(rolledBack.productionWeights()).isEqualTo(Map.of(r1, 100));
        assertThat(serviceTags()).containsEntry(Tags.FAILED_REVISION, r2);
    }

    /**
     * Defect 1, in status. A rollback whose bookkeeping ECS refuses (rejected, or throttled for as long as
     * it lasts) has moved production and test traffic back to blue all the same, and the status says so at
     * that pass: RollingBack with its reason and production on blue, the refused write in the Reconciling
     * condition. Before, a failed write anywhere in the pass left the status at Shifting with green serving
     * until a later pass got its tags through.
     */
    @ParameterizedTest(name = "TagResource answered {0}")
    @CsvSource({"InvalidParameterException, InvalidParameterException", "ThrottlingException, Throttled"})
    void whileEcsRefusesTheRollbacksTagWritesTheStatusReportsTheRollbackOnceTrafficIsOnBlue(String error, String reported)
            throws Exception {
        Canary canary = canaryShifting(10);
        String r1 = canary.r1();
        String r2 = canary.r2();
        String green = canary.green();
        String blue = canary.blue();

        sim.faults().add(FaultRule.errors("ecs:TagResource", 1.0).withStatus(400).withErrorCode(error));
        for (TargetStatus t : sim.elb().targetHealth(green)) sim.elb().markTarget(green, t.id(), t.port(), false);
        ServiceReport report = null;
        for (int i = 0; i < 60 && (report == null || report.phase() == Phase.Shifting); i++) {
            sim.clock().advance(Duration.ofSeconds(1));
            engine.drain(1000);
            report = book.get("greeter").orElseThrow();
        }

        assertThat(sim.stats().faults("ecs", "TagResource")).as("ECS refused the bookkeeping").isPositive();
        assertThat(serviceTags()).as("the failed revision is not recorded yet").doesNotContainKey(Tags.FAILED_REVISION);
        assertThat(weights(PRODUCTION)).as("production").containsEntry(blue, 100)
                .allSatisfy((group, weight) -> assertThat(weight == 0 || group.equals(blue)).isTrue());
        assertThat(weights(TEST)).as("test traffic").allSatisfy((group, weight) -> assertThat(weight == 0 || group.equals(blue)).isTrue());
        assertThat(report.phase()).isEqualTo(Phase.RollingBack);
        assertThat(report.reason()).isEqualTo("GreenUnhealthy");
        assertThat(report.productionWeights()).isEqualTo(Map.of(r1, 100));
        assertThat(report.condition(io.ecsbluegreen.status.Condition.RECONCILING).status()).isFalse();
        assertThat(report.condition(io.ecsbluegreen.status.Condition.RECONCILING).reason()).isEqualTo(reported);

        sim.faults().clear();
        ServiceReport rolledBack = until("greeter", r -> r.phase() == Phase.RolledBack);
        assertThat(rolledBack.productionWeights()).isEqualTo(Map.of(r1, 100));
        assertThat(serviceTags()).containsEntry(Tags.FAILED_REVISION, r2);
    }

    // ---- defect 3: client tokens name one creation -----------------------------------------------

    /**
     * Defect 3, retry. The old CreateTaskSet token was the revision and the target group: the retry's
     * creation repeated the rolled-back green's token, ECS answered with that (deleted) task set and created
     * nothing, and the retry waited for a green that never came.
     */
    @Test
    void retryAfterARollbackCreatesANewGreenTaskSetAndGoesLive() throws Exception {
        BlueGreenService broken = rolledBackAfterV1();
        Set<String> before = taskSets().stream().map(TaskSet::taskSetArn).collect(Collectors.toSet());

        assertThat(engine.command("greeter", Command.RETRY).accepted()).isTrue();
        until("greeter", liveOn(broken));
        assertThat(primary().taskSetArn()).as("a task set made by the retry").isNotIn(before);
    }

    /**
     * Defect 3, revert. v1 ran on the blue target group, v2 on green; v1 again goes to blue, the same
     * revision on the same target group: the old token was the first v1 creation's, and ECS answered with
     * that long-deleted task set.
     */
    @Test
    void aRevertToARevisionThatOnceRanOnTheSameTargetGroupCreatesATaskSetAndGoesLive() throws Exception {
        BlueGreenService v1 = EngineOnSimulatorTest.greeter("greeter:1.0.0");
        BlueGreenService v2 = EngineOnSimulatorTest.greeter("greeter:2.0.0");
        declare(v1);
        until("greeter", liveOn(v1));
        String first = primary().taskSetArn();
        String firstGroup = primary().loadBalancers().get(0).targetGroupArn();
        declare(v2);
        until("greeter", liveOn(v2));
        // Blue's retention ends and v1's task set goes: the revert needs a creation of its own.
        until("greeter", r -> taskSets().stream().noneMatch(t -> t.taskSetArn().equals(first) && !"DRAINING".equals(t.status())));

        declare(v1);
        until("greeter", liveOn(v1));
        assertThat(primary().taskSetArn()).isNotEqualTo(first);
        assertThat(primary().loadBalancers().get(0).targetGroupArn()).as("the same target group as the first v1").isEqualTo(firstGroup);
    }

    /**
     * Defect 3, a service deleted and created again. The old CreateService token came from the service's
     * name alone, so the second creation repeated the first's token and ECS answered with the deleted
     * (INACTIVE) service: the operator waited for an ACTIVE service forever.
     */
    @Test
    void aServiceDeletedAndCreatedAgainUnderTheSameNameIsCreatedAndGoesLive() throws Exception {
        BlueGreenService v1 = EngineOnSimulatorTest.greeter("greeter:1.0.0");
        declare(v1);
        until("greeter", liveOn(v1));
        Service first = service("greeter");
        for (TaskSet t : taskSets()) {
            account.ecs.deleteTaskSet(r -> r.cluster(CLUSTER).service("greeter").taskSet(t.taskSetArn()).force(true));
        }
        account.ecs.deleteService(r -> r.cluster(CLUSTER).service("greeter").force(true));
        until("greeter", r -> !r.converged());

        until("greeter", r -> liveOn(v1).test(r) && "ACTIVE".equals(service("greeter").status()));
        assertThat(service("greeter").createdAt()).as("a second service").isAfter(first.createdAt());
    }

    /**
     * Defect 3, names sharing a prefix. The old CreateService token was the service's name cut to 36
     * characters: the second service's creation repeated the first's token, and ECS answered with the first
     * service instead of creating the second.
     */
    @Test
    void twoServicesWhoseNamesShareTheirFirstThirtyEightCharactersAreBothCreated() throws Exception {
        String prefix = "payments-authorisation-gateway-europe-";
        assertThat(prefix).as("longer than a 36-character token").hasSizeGreaterThan(36);
        BlueGreenService west = ModelCheckReplayOnSimulatorTest.parse("../examples/greeter/greeter.yaml",
                Map.of("  service: greeter", "  service: " + prefix + "west"));
        BlueGreenService east = ModelCheckReplayOnSimulatorTest.parse("../examples/strategies/all-at-once.yaml",
                Map.of("  service: billing-api", "  service: " + prefix + "east"));
        declare(west);
        declare(east);
        until("greeter", ServiceReport::converged);
        until("billing-api", ServiceReport::converged);
        Service w = service(prefix + "west");
        Service e = service(prefix + "east");
        assertThat(w.serviceArn()).isNotEqualTo(e.serviceArn());
        assertThat(List.of(w, e)).allSatisfy(s -> assertThat(s.status()).isEqualTo("ACTIVE"));
    }

    // ---- defect 4: DRAINING task sets --------------------------------------------------------------

    /**
     * Defect 4, retry inside the DRAINING window. The rolled-back green is DRAINING for the target group's
     * deregistration delay (300 s). The old planner took it, of the wanted revision, as green: a retry
     * right after the rollback found a "green" without healthy targets and rolled straight back.
     */
    @Test
    void retryWhileTheRolledBackGreenIsStillDrainingMakesANewGreenAndNeverRollsBack() throws Exception {
        BlueGreenService broken = rolledBackAfterV1();
        assertThat(taskSets()).as("the rolled-back green drains for 300 s").anyMatch(t -> "DRAINING".equals(t.status()));
        String draining = taskSets().stream().filter(t -> "DRAINING".equals(t.status())).findFirst().orElseThrow().taskSetArn();

        assertThat(engine.command("greeter", Command.RETRY).accepted()).isTrue();
        List<Phase> seen = new ArrayList<>();
        until("greeter", r -> {
            seen.add(r.phase());
            return liveOn(broken).test(r);
        });
        assertThat(seen).as("phases after the retry").doesNotContain(Phase.RolledBack, Phase.RollingBack);
        assertThat(primary().taskSetArn()).isNotEqualTo(draining);
    }

    /**
     * Defect 4, the five-task-set limit. Four stray copies of blue are deleted as duplicates and drain for
     * 300 s; with them counted, the service is at ECS's limit of five, so green waits for a slot instead of
     * sending a CreateTaskSet ECS refuses (the old planner counted only live task sets and sent it).
     */
    @Test
    void greenWaitsForADrainingTaskSetToGoWhenTheServiceIsAtFiveTaskSets() throws Exception {
        BlueGreenService v1 = EngineOnSimulatorTest.greeter("greeter:1.0.0");
        declare(v1);
        until("greeter", ServiceReport::converged);
        TaskSet blue = primary();
        for (int i = 0; i < 4; i++) copyOf(blue, Map.of());
        until("greeter", r -> taskSets().stream().filter(t -> "DRAINING".equals(t.status())).count() == 4);
        assertThat(taskSets()).hasSize(5);

        sim.resetStats();
        BlueGreenService v2 = EngineOnSimulatorTest.greeter("greeter:2.0.0");
        declare(v2);
        ServiceReport waiting = until("greeter", r -> r.message() != null && r.message().contains("draining one is gone"));
        assertThat(waiting.message()).contains("4 draining");
        until("greeter", liveOn(v2));
        assertThat(sim.stats().calls("ecs", "CreateTaskSet")).as("one creation, sent once a slot was free").isEqualTo(1);
    }

    // ---- defect 6: the earlier layout migrated ------------------------------------------------------

    /**
     * Defect 6. The earlier layout kept a canary's step on green's task-set tags (written with TagResource
     * on the task set, which ECS does not document). A green made that way (its step tagged at creation
     * here, as the strict simulator refuses task-set TagResource) is taken over where it stands: the step
     * copied to the service on first sight, the layout marked, the canary carried on rather than restarted.
     */
    @Test
    void aCanaryStartedByTheEarlierLayoutIsMigratedOnFirstSightAndCarriesOnFromItsStep() throws Exception {
        BlueGreenService v1 = EngineOnSimulatorTest.greeter("greeter:1.0.0");
        BlueGreenService v2 = EngineOnSimulatorTest.greeter("greeter:2.0.0");
        String r2 = Revision.of(v2.spec()).id();
        declare(v1);
        until("greeter", ServiceReport::converged);
        declare(v2);
        until("greeter", r -> r.phase() == Phase.Shifting && r.step() == 1);
        TaskSet green = greenOf(r2);
        String greenGroup = targetGroup("greeter-green");
        long stepStarted = sim.clock().instant().getEpochSecond();
        // The earlier layout: the step (its index from 0, and its start) on green itself, nothing on the service. The copy serves before the
        // operator looks again (the loop is not drained meanwhile), as the green of a running canary does.
        String legacyGreen = copyOf(green, Map.of(Tags.LEGACY_STEP, "0@" + stepStarted));
        int serving = 2 * v2.spec().desiredCount();
        for (int i = 0; i < 120 && healthy(greenGroup) < serving; i++) {
            sim.clock().advance(Duration.ofSeconds(5));
            taskSets(); // the simulated ECS starts tasks and registers targets when it is asked
        }
        assertThat(healthy(greenGroup)).as("the copy's targets serve").isEqualTo(serving);
        account.ecs.deleteTaskSet(r -> r.cluster(CLUSTER).service("greeter").taskSet(green.taskSetArn()).force(true));
        String serviceArn = service("greeter").serviceArn();
        account.ecs.untagResource(r -> r.resourceArn(serviceArn).tagKeys(serviceTags().keySet().stream()
                .filter(k -> k.equals(Tags.LAYOUT) || Tags.perRevision(k)).toList()));
        assertThat(serviceTags()).doesNotContainKey(Tags.LAYOUT);

        engine.enqueueAll();
        engine.drain(1000);
        String legacyId = greenOf(r2).id();
        // The step and its start as the earlier layout wrote them: the canary goes on where it was, not from the start.
        assertThat(serviceTags()).containsEntry(Tags.LAYOUT, Tags.LAYOUT_VERSION)
                .containsEntry(Tags.key(Tags.STEP, r2), Tags.forTaskSet(legacyId, "0@" + stepStarted));
        ServiceReport carried = book.get("greeter").orElseThrow();
        assertThat(carried.phase()).isEqualTo(Phase.Shifting);
        assertThat(carried.step()).isEqualTo(1);
        assertThat(weights(PRODUCTION)).containsEntry(greenGroup, 10);

        until("greeter", liveOn(v2));
        assertThat(primary().taskSetArn()).isEqualTo(legacyGreen);
    }

    // ---- defect 8: duplicate task sets -------------------------------------------------------------

    /**
     * Defect 8. A second non-primary task set of green's revision (a half-made creation, a hand-made
     * copy) made the old planner sum both, and it waited forever. The oldest is kept (both sit on green's
     * target group, so traffic points at both), the copy deleted and counted as drift, and the canary
     * finishes on the kept one.
     */
    @Test
    void aSecondTaskSetOfGreensRevisionIsDeletedAsDriftAndTheCanaryFinishesOnTheOldest() throws Exception {
        BlueGreenService v1 = EngineOnSimulatorTest.greeter("greeter:1.0.0");
        BlueGreenService v2 = EngineOnSimulatorTest.greeter("greeter:2.0.0");
        String r2 = Revision.of(v2.spec()).id();
        declare(v1);
        until("greeter", ServiceReport::converged);
        declare(v2);
        until("greeter", r -> r.phase() == Phase.Shifting);
        String kept = greenOf(r2).taskSetArn();
        sim.clock().advance(Duration.ofSeconds(1));
        String copy = copyOf(greenOf(r2), Map.of());

        until("greeter", liveOn(v2));
        assertThat(primary().taskSetArn()).isEqualTo(kept);
        assertThat(taskSets()).filteredOn(t -> t.taskSetArn().equals(copy)).allSatisfy(t -> assertThat(t.status()).isEqualTo("DRAINING"));
        var drift = registry.find("bluegreen.drift.corrections").tags("service", "greeter", "kind", "duplicateTaskSet").counter();
        assertThat(drift).as("drift counted").isNotNull();
        assertThat(drift.count()).isEqualTo(1.0);
    }

    // ---- helpers -------------------------------------------------------------------------------------

    static Predicate<ServiceReport> liveOn(BlueGreenService s) {
        return ModelCheckReplayOnSimulatorTest.liveOn(s);
    }

    /** v1 live, then a revision that never turns healthy rolled back, its image since fixed: the revision, for a retry. */
    BlueGreenService rolledBackAfterV1() throws Exception {
        declare(EngineOnSimulatorTest.greeter("greeter:1.0.0"));
        until("greeter", ServiceReport::converged);
        sim.imageBehaviours().set(BROKEN, ImageBehaviour.neverHealthy());
        BlueGreenService broken = EngineOnSimulatorTest.greeter("greeter:9.9.9-broken");
        declare(broken);
        until("greeter", r -> r.phase() == Phase.RolledBack);
        sim.imageBehaviours().set(BROKEN, ImageBehaviour.healthy());
        return broken;
    }

    /** The greeter canary from v1 to v2, green's health checked every 5 s, and its ARNs. */
    record Canary(BlueGreenService v2, String r1, String r2, String green, String blue) {}

    /** Declares v1, waits for it, then v2 until production gives green {@code percent}. */
    Canary canaryShifting(int percent) throws Exception {
        BlueGreenService v1 = EngineOnSimulatorTest.greeter("greeter:1.0.0");
        BlueGreenService v2 = EngineOnSimulatorTest.greeter("greeter:2.0.0");
        String r2 = Revision.of(v2.spec()).id();
        declare(v1);
        until("greeter", ServiceReport::converged);
        String green = targetGroup("greeter-green");
        account.elb.modifyTargetGroup(r -> r.targetGroupArn(green).healthCheckIntervalSeconds(5).healthCheckTimeoutSeconds(4));
        declare(v2);
        until("greeter", r -> r.phase() == Phase.Shifting && Integer.valueOf(percent).equals(r.productionWeights().get(r2)));
        return new Canary(v2, Revision.of(v1.spec()).id(), r2, green, targetGroup("greeter-blue"));
    }

    void declare(BlueGreenService... services) {
        declared.declare(services);
    }

    ServiceReport until(String name, Predicate<ServiceReport> done) {
        return declared.until(name, done);
    }

    long healthy(String targetGroupArn) {
        return sim.elb().targetHealth(targetGroupArn).stream().filter(t -> t.state() == TargetHealthState.HEALTHY).count();
    }

    String targetGroup(String name) {
        return account.elb.describeTargetGroups(r -> r.names(name)).targetGroups().get(0).targetGroupArn();
    }

    /** A listener's forward weights by target group ARN. */
    Map<String, Integer> weights(String listenerArn) {
        Map<String, Integer> out = new HashMap<>();
        account.elb.describeListeners(r -> r.listenerArns(listenerArn)).listeners().get(0).defaultActions().stream()
                .filter(a -> a.forwardConfig() != null).flatMap(a -> a.forwardConfig().targetGroups().stream())
                .forEach(t -> out.merge(t.targetGroupArn(), t.weight() == null ? 0 : t.weight(), Integer::sum));
        return out;
    }

    Service service(String name) {
        return account.ecs.describeServices(r -> r.cluster(CLUSTER).services(name)).services().get(0);
    }

    Map<String, String> serviceTags() {
        return account.ecs.listTagsForResource(r -> r.resourceArn(service("greeter").serviceArn())).tags().stream()
                .collect(Collectors.toMap(t -> t.key(), t -> t.value()));
    }

    /** The greeter's task sets, DRAINING ones included. */
    List<TaskSet> taskSets() {
        return service("greeter").taskSets();
    }

    TaskSet primary() {
        return taskSets().stream().filter(t -> "PRIMARY".equals(t.status())).findFirst().orElseThrow();
    }

    TaskSet greenOf(String revision) {
        return taskSets().stream().filter(t -> "ACTIVE".equals(t.status()) && revision.equals(t.externalId())).findFirst().orElseThrow();
    }

    /** A hand-made task set like {@code t} (its revision, task definition, target group, network and tags, plus {@code extraTags}); its ARN. */
    String copyOf(TaskSet t, Map<String, String> extraTags) {
        Map<String, String> tags = account.ecs.describeTaskSets(r -> r.cluster(CLUSTER).service("greeter").taskSets(t.taskSetArn())
                .includeWithStrings("TAGS")).taskSets().get(0).tags().stream().collect(Collectors.toMap(x -> x.key(), x -> x.value()));
        tags.putAll(extraTags);
        return account.ecs.createTaskSet(r -> r.cluster(CLUSTER).service("greeter").externalId(t.externalId())
                .taskDefinition(t.taskDefinition()).loadBalancers(t.loadBalancers()).networkConfiguration(t.networkConfiguration())
                .launchType(t.launchType()).scale(t.scale())
                .tags(tags.entrySet().stream().map(e -> software.amazon.awssdk.services.ecs.model.Tag.builder().key(e.getKey())
                        .value(e.getValue()).build()).toList())).taskSet().taskSetArn();
    }
}

package io.ecsbluegreen.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.ecsbluegreen.desired.DesiredService;
import io.ecsbluegreen.desired.DesiredState;
import io.ecsbluegreen.desired.Origin;
import io.ecsbluegreen.metrics.EngineMetrics;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.plan.Phase;
import io.ecsbluegreen.plan.Revision;
import io.ecsbluegreen.plan.Tags;
import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.RequestLog;
import io.ecsbluegreen.sim.elb.TargetStatus;
import io.ecsbluegreen.sim.model.ModelCheckRecord;
import io.ecsbluegreen.sim.model.Violation;
import io.ecsbluegreen.sim.spi.TargetHealthState;
import io.ecsbluegreen.status.ServiceReport;
import io.ecsbluegreen.status.StatusBook;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskSet;

/**
 * OLD-API version (for the code at e849a3c) of main's {@code AuditDefectsOnSimulatorTest}, defects 1 and 8:
 * the same scenarios and AWS-observable assertions, built with the classes the old code has (its
 * {@link SimAccount}, {@link Engine} and {@link EngineMetrics}; no MeteredEngine/DeclaredServices, no
 * {@code Tags.LAYOUT}). Kept in tools/before-fix/B/ on main; not compiled by main's build.
 *
 * <p>The old code tags green's task set after creation on every canary (defect 6), which the strict
 * simulator refuses; these tests are meant to run with tools/before-fix/relax-task-set-tags.patch applied to
 * the copied simulator so that the run reaches defects 1 and 8 themselves. Every wait is bounded to 20
 * simulated minutes (240 rounds of 5 s), so a stall gives up in seconds of real time.
 */
class AuditDefectsOnSimulatorTest {
    static final String CLUSTER = "demo";
    static final String PRODUCTION = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/demo/5f2b3c4d5e6f7a8b/1a2b3c4d5e6f7081";
    static final String TEST = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/demo/5f2b3c4d5e6f7a8b/9a8b7c6d5e4f3021";
    /** ECS's documented tag-value pattern (the constraint table's TagValue), for reading what ECS refused. */
    static final java.util.regex.Pattern TAG_VALUE = java.util.regex.Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

    SimAccount account;
    AwsSimulator sim;
    StatusBook book;
    SimpleMeterRegistry registry;
    Engine engine;
    final AtomicReference<DesiredState> desired = new AtomicReference<>(DesiredState.EMPTY);

    @BeforeEach
    void start() throws Exception {
        account = new SimAccount();
        sim = account.sim;
        book = new StatusBook(sim.clock());
        registry = new SimpleMeterRegistry();
        EngineMetrics metrics = new EngineMetrics(registry, sim.clock());
        book.addListener(metrics);
        Reconciler reconciler = account.reconciler((service, m) -> {
            book.measured(service, m);
            metrics.measured(service, m);
        });
        engine = new Engine(desired::get, region -> reconciler, sim.clock(), Engine.Settings.DEFAULT, book,
                Engine.Ownership.ALL, metrics);
    }

    @AfterEach
    void stop() {
        engine.close();
        account.close();
    }

    // ---- defect 1: a rollback blocked by a free-text tag value ---------------------------------------

    /**
     * Defect 1 (main's test of the same name, which makes ECS refuse every TagResource with a fault). Here
     * no fault is injected: the old rollback's first write is TagResource on the service with
     * {@code failed-reason = "GreenUnhealthy: green lost healthy targets while serving traffic (0 of 2 healthy)"},
     * whose parentheses ECS's documented tag-value pattern {@code ^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$} does not
     * allow, so the strict simulator (its model check) answers ValidationException. The fixed code moves both
     * listeners back to blue in that pass all the same; the old code's pass stops at the refused tag.
     */
    @Test
    void aCanaryAtFiftyPercentWhoseGreenTurnsUnhealthyGoesBackToBlueInOnePassWhileEcsRefusesEveryTagWrite() throws Exception {
        Canary canary = canaryShifting(50);
        String green = canary.green();
        String blue = canary.blue();
        BlueGreenService v2 = canary.v2();
        assertThat(weights(PRODUCTION)).containsEntry(green, 50);

        turnUnhealthy(green);

        // One pass of a fresh reconciler (as after a restart): it may fail on its bookkeeping, not before the traffic.
        sim.modelCheck().startRecording();
        sim.requests().startRecording();
        Throwable failed = catchThrowable(() -> account.reconciler().reconcile(v2, Set.of()));
        List<String> refused = refusedTagValues();
        String evidence = "pass failed with: " + (failed == null ? "nothing" : failed.getMessage())
                + "; tag values ECS refused by its pattern: " + refused + "; writes in the pass: " + writes();
        assertThat(refused).as("ECS refused the bookkeeping (" + evidence + ")").isNotEmpty();
        assertThat(failed).as("the pass reports the refused tag write").isNotNull();
        assertThat(weights(PRODUCTION)).as("production after the rollback's pass; " + evidence).containsEntry(blue, 100)
                .allSatisfy((group, weight) -> assertThat(weight == 0 || group.equals(blue)).isTrue());
        assertThat(weights(TEST)).as("test traffic; " + evidence).allSatisfy((group, weight) -> assertThat(weight == 0 || group.equals(blue)).isTrue());
    }

    /**
     * Defect 1, held: the old code's behaviour over time, asserted as it is (this test PASSES on the old
     * code and would fail on the fixed one; it exists to put the held rollback on record). The engine runs
     * for five simulated minutes with green unhealthy; every pass tries the same rollback, its free-text
     * failed-reason is refused by ECS's tag-value pattern each time, no listener is ever modified, and
     * production keeps sending half its traffic to the unhealthy green.
     */
    @Test
    void beforeTheFixTheRefusedFreeTextTagHoldsProductionOnTheUnhealthyGreenPassAfterPass() throws Exception {
        Canary canary = canaryShifting(50);
        String green = canary.green();
        turnUnhealthy(green);

        sim.modelCheck().startRecording();
        sim.requests().startRecording();
        for (int i = 0; i < 60; i++) {
            engine.drain(1000);
            assertThat(weights(PRODUCTION)).as("production after %d s with green unhealthy", i * 5).containsEntry(green, 50);
            sim.clock().advance(Duration.ofSeconds(5));
        }
        List<String> refused = refusedTagValues();
        List<String> writes = writes();
        ServiceReport report = book.get("greeter").orElseThrow();
        System.out.println("[before-fix] defect 1 held: " + refused.size() + " TagResource refused by the pattern, first value: "
                + (refused.isEmpty() ? "-" : refused.get(0)) + "; ModifyListener calls: "
                + writes.stream().filter(w -> w.endsWith("ModifyListener")).count() + "; production " + weights(PRODUCTION)
                + "; status " + report.phase() + " " + report.reason() + ": " + report.message()
                + "; consecutive failures " + report.consecutiveFailures());
        assertThat(refused).as("every pass's rollback tag refused").hasSizeGreaterThanOrEqualTo(5)
                .allSatisfy(v -> assertThat(v).contains("(0 of 2 healthy)").doesNotMatch(TAG_VALUE));
        assertThat(writes).as("no listener write in five minutes").noneMatch(w -> w.endsWith("ModifyListener"));
        assertThat(weights(PRODUCTION)).containsEntry(green, 50);
        assertThat(report.phase()).as("the status never reports the rollback").isEqualTo(Phase.Shifting);
    }

    // ---- defect 8: duplicate task sets -------------------------------------------------------------

    /**
     * Defect 8 (main's test of the same name): a second non-primary task set of green's revision. The
     * fixed code keeps the oldest, deletes the copy and counts it as drift {@code duplicateTaskSet}.
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
        sim.requests().startRecording();
        trail.clear();

        try {
            until("greeter", liveOn(v2));
        } catch (AssertionError stalled) {
            throw new AssertionError(stalled.getMessage() + "; task sets " + describe(taskSets()) + "; production " + weights(PRODUCTION)
                    + "; kept " + kept + ", copy " + copy + "; writes since the copy: " + writesInDetail() + "; status since the copy: " + trail, stalled);
        }
        System.out.println("[before-fix] defect 8: live on v2; primary " + primary().taskSetArn() + " (kept " + kept + ", copy " + copy
                + "); task sets " + describe(taskSets()) + "; writes since the copy: " + writesInDetail() + "; status since the copy: " + trail);
        assertThat(primary().taskSetArn()).as("primary (kept " + kept + ", copy " + copy + ")").isEqualTo(kept);
        assertThat(taskSets()).filteredOn(t -> t.taskSetArn().equals(copy)).allSatisfy(t -> assertThat(t.status()).isEqualTo("DRAINING"));
        var drift = registry.find("bluegreen.drift.corrections").tags("service", "greeter", "kind", "duplicateTaskSet").counter();
        assertThat(drift).as("drift counted; drift counters: " + registry.find("bluegreen.drift.corrections").counters().stream()
                .map(c -> c.getId().getTag("kind") + "=" + c.count()).toList()).isNotNull();
        assertThat(drift.count()).isEqualTo(1.0);
    }

    // ---- helpers -------------------------------------------------------------------------------------

    static Predicate<ServiceReport> liveOn(BlueGreenService s) {
        String r = Revision.of(s.spec()).id();
        return report -> report.converged() && r.equals(report.activeRevision());
    }

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

    void turnUnhealthy(String green) {
        for (TargetStatus t : sim.elb().targetHealth(green)) sim.elb().markTarget(green, t.id(), t.port(), false);
        for (int i = 0; i < 30 && sim.elb().targetHealth(green).stream().noneMatch(t -> t.state() == TargetHealthState.UNHEALTHY); i++) {
            sim.clock().advance(Duration.ofSeconds(1));
        }
        assertThat(sim.elb().targetHealth(green)).extracting(TargetStatus::state).contains(TargetHealthState.UNHEALTHY);
    }

    /** The tag values of ECS TagResource requests the model check refused since it started recording. */
    List<String> refusedTagValues() {
        return sim.modelCheck().recorded().stream()
                .filter(r -> r.service().equals("ecs") && r.operation().equals("TagResource"))
                .flatMap(r -> r.violations().stream()).map(Violation::value).toList();
    }

    /** The write calls (not Describe/List) the simulator saw since recording started, as service:Action. */
    List<String> writes() {
        return sim.requests().recorded().stream().map(RequestLog.Entry::api)
                .filter(a -> !a.action().startsWith("Describe") && !a.action().startsWith("List") && !a.action().startsWith("Get"))
                .map(a -> a.service() + ":" + a.action()).toList();
    }

    /** {@link #writes()} with what each was about: a ModifyListener's listener and weights, a DeleteTaskSet's task set, a TagResource's keys. */
    List<String> writesInDetail() {
        return sim.requests().recorded().stream()
                .filter(e -> !e.api().action().startsWith("Describe") && !e.api().action().startsWith("List") && !e.api().action().startsWith("Get"))
                .map(e -> {
                    String x = java.net.URLDecoder.decode(e.excerpt(), java.nio.charset.StandardCharsets.UTF_8);
                    String about = "";
                    if (e.api().action().equals("ModifyListener")) {
                        java.util.regex.Matcher m = java.util.regex.Pattern.compile("listener/app/demo/[0-9a-f]+/([0-9a-f]{4})|targetgroup/([a-z-]+)/[0-9a-f]+&[^&]*Weight=(\\d+)").matcher(x);
                        StringBuilder b = new StringBuilder();
                        while (m.find()) b.append(m.group(1) != null ? m.group(1) + ":" : " " + m.group(2) + "=" + m.group(3));
                        about = b.toString();
                    } else if (e.api().action().equals("DeleteTaskSet")) {
                        java.util.regex.Matcher m = java.util.regex.Pattern.compile("ecs-svc/(\\d+)").matcher(x);
                        about = m.find() ? m.group(1) : "";
                    } else if (e.api().action().equals("TagResource")) {
                        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"key\":\"ecsbluegreen.io/([a-z-]+)\",\"value\":\"([^\"]*)\"").matcher(x);
                        StringBuilder b = new StringBuilder(x.contains("task-set/") ? "task-set " : "service ");
                        while (m.find()) b.append(m.group(1)).append("=").append(m.group(2)).append(" ");
                        about = b.toString().trim();
                    }
                    return e.api().action() + "(" + about + ")";
                }).toList();
    }

    static Map<String, Long> summary(List<String> calls) {
        return calls.stream().collect(Collectors.groupingBy(c -> c, LinkedHashMap::new, Collectors.counting()));
    }

    static List<String> describe(List<TaskSet> sets) {
        return sets.stream().map(t -> t.taskSetArn().substring(t.taskSetArn().lastIndexOf('/') + 1) + " " + t.status() + " " + t.externalId()
                + " " + t.scale().value() + "% " + t.runningCount() + "/" + t.computedDesiredCount()).toList();
    }

    void declare(BlueGreenService... services) {
        Map<String, DesiredService> map = new LinkedHashMap<>();
        for (BlueGreenService s : services) {
            map.put(s.name(), new DesiredService(s.name(), DesiredService.State.READY, s,
                    new Origin("dir:examples", s.name() + ".yaml", 1, "v1", null), List.of()));
        }
        DesiredState state = new DesiredState(map, List.of());
        desired.set(state);
        engine.desiredChanged(state);
    }

    /** Each change of the service's status seen by {@link #until}: simulated seconds, phase, step, weights, message. */
    final List<String> trail = new java.util.ArrayList<>();
    private String last;

    /** Drains and advances simulated time in 5 s steps until the condition holds; bounded to 20 simulated minutes. */
    ServiceReport until(String name, Predicate<ServiceReport> done) {
        for (int i = 0; i < 240; i++) {
            engine.drain(1000);
            ServiceReport r = book.get(name).orElse(null);
            if (r != null) {
                String now = r.phase() + " " + r.step() + "/" + r.steps() + " " + new java.util.TreeMap<>(r.productionWeights()) + " " + r.message();
                if (!now.equals(last)) trail.add("t=" + sim.clock().instant().getEpochSecond() % 100000 + " " + now);
                last = now;
            }
            if (r != null && done.test(r)) return r;
            sim.clock().advance(Duration.ofSeconds(5));
        }
        throw new AssertionError(name + " never reached the condition in 20 simulated minutes; last report " + book.get(name).orElse(null));
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

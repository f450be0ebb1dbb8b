package io.ecsbluegreen.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.act.Actor;
import io.ecsbluegreen.act.EcsPort;
import io.ecsbluegreen.act.ElbPort;
import io.ecsbluegreen.act.SdkEcsPort;
import io.ecsbluegreen.act.SdkElbPort;
import io.ecsbluegreen.desired.DesiredService;
import io.ecsbluegreen.desired.DesiredState;
import io.ecsbluegreen.desired.Origin;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.model.BlueGreenServiceSpec;
import io.ecsbluegreen.observe.Observer;
import io.ecsbluegreen.plan.Command;
import io.ecsbluegreen.plan.Phase;
import io.ecsbluegreen.plan.Plan;
import io.ecsbluegreen.plan.Revision;
import io.ecsbluegreen.sim.FaultRule;
import io.ecsbluegreen.sim.spi.ImageBehaviour;
import io.ecsbluegreen.spec.SpecParser;
import io.ecsbluegreen.status.ServiceReport;
import io.ecsbluegreen.status.StatusBook;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import software.amazon.awssdk.services.ecs.model.TaskSet;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

/**
 * Hundreds of random scenarios against the simulator on simulated time: spec changes (healthy, never
 * healthy, slow and crashing images; all-at-once, canary and linear; manual promotion; reverts), API
 * faults and throttling, drift (listener weights, task-set scale, a task set deleted out of band),
 * engine restarts and people's commands. Every operator write is checked as it happens:
 * <ol>
 *   <li>production weight is never moved onto a target group without a healthy target (a write that
 *       raises a group's production share is refused by the check unless the group has one);</li>
 *   <li>the primary task set, and a task set whose target group carries production traffic, is never deleted.</li>
 * </ol>
 * And every scenario converges once faults stop: production serves the desired revision (or, for a
 * revision that failed, blue serves everything and no task set of the failed revision is left), no two
 * task sets run one revision, and a last pass plans nothing.
 *
 * <p>A failure prints the scenario; rerun it with the seed jqwik reports ({@code @Property(seed = ...)}).
 */
class RandomizedScenarioTest {
    static final String PRODUCTION = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/demo/5f2b3c4d5e6f7a8b/1a2b3c4d5e6f7081";
    static final String IMAGE = "ghcr.io/ecsbluegreen/greeter:";

    // ---- the scenario language ----------------------------------------------------------------------

    /** One thing that happens to the account, the files or the operator. */
    sealed interface Event permits Deploy, Revert, Advance, Fault, Drift, Restart, Give {}

    /** The file now declares a new image of a behaviour, with a strategy. */
    record Deploy(String behaviour, String strategy, boolean manual) implements Event {}

    /** The file goes back to the spec before the last deploy. */
    record Revert() implements Event {}

    /** Simulated time passes, the loop running all along. */
    record Advance(int seconds) implements Event {}

    /** For the next few passes, an API answers with throttling or a server error. */
    record Fault(String api, boolean throttling) implements Event {}

    /** Something outside the operator changes AWS. */
    record Drift(String kind) implements Event {}

    /** The operator is killed and started again: no memory carried over. */
    record Restart() implements Event {}

    /** A person gives a command (refused when the phase does not allow it). */
    record Give(Command command) implements Event {}

    @Provide
    Arbitrary<List<Event>> scenarios() {
        Arbitrary<Event> deploy = net.jqwik.api.Combinators.combine(
                Arbitraries.of("healthy", "healthy", "healthy", "never-healthy", "slow", "crashing"),
                Arbitraries.of("AllAtOnce", "Canary", "Linear"),
                Arbitraries.of(false, false, false, true)).as(Deploy::new);
        Arbitrary<Event> advance = Arbitraries.integers().between(5, 900).map(Advance::new);
        Arbitrary<Event> fault = net.jqwik.api.Combinators.combine(
                Arbitraries.of("ecs:DescribeServices", "ecs:CreateTaskSet", "ecs:UpdateServicePrimaryTaskSet", "ecs:DeleteTaskSet",
                        "ecs:TagResource", "ecs:RegisterTaskDefinition", "elasticloadbalancing:ModifyListener",
                        "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeTargetHealth"),
                Arbitraries.of(true, false)).as(Fault::new);
        Arbitrary<Event> drift = Arbitraries.of("weights", "scale", "delete-non-primary").map(Drift::new);
        Arbitrary<Event> give = Arbitraries.of(Command.values()).map(Give::new);
        Arbitrary<Event> event = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, deploy), net.jqwik.api.Tuple.of(1, Arbitraries.just(new Revert())),
                net.jqwik.api.Tuple.of(6, advance), net.jqwik.api.Tuple.of(2, fault), net.jqwik.api.Tuple.of(2, drift),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Restart())), net.jqwik.api.Tuple.of(2, give));
        return event.list().ofMinSize(3).ofMaxSize(14);
    }

    // ---- the world ------------------------------------------------------------------------------------

    SimAccount account;
    final List<String> violations = new ArrayList<>();
    final AtomicReference<DesiredState> desired = new AtomicReference<>(DesiredState.EMPTY);
    final Map<String, Plan> lastPlans = new HashMap<>();
    Engine engine;
    StatusBook book;
    String template;
    int version;

    @BeforeProperty
    void readTemplate() throws Exception {
        template = Files.readString(Path.of("examples/greeter/greeter.yaml"));
    }

    @AfterProperty
    void close() {
        if (engine != null) engine.close();
        if (account != null) account.close();
    }

    void startAccount() throws Exception {
        if (engine != null) engine.close();
        if (account != null) account.close();
        account = new SimAccount();
        violations.clear();
        lastPlans.clear();
        version = 0;
        desired.set(DesiredState.EMPTY);
        startEngine();
    }

    void startEngine() {
        if (engine != null) engine.close();
        SdkEcsPort ecs = new SdkEcsPort(account.ecs);
        SdkElbPort elb = new SdkElbPort(account.elb);
        EcsPort checkedEcs = new CheckedEcs(ecs, this);
        ElbPort checkedElb = new CheckedElb(elb, this);
        Reconciler reconciler = new Reconciler(new Observer(ecs, elb), new Actor(checkedEcs, checkedElb), account.sim.clock());
        book = new StatusBook(account.sim.clock());
        engine = new Engine(desired::get, region -> reconciler, account.sim.clock(), Engine.Settings.DEFAULT, book,
                Engine.Ownership.ALL, (service, result, took, plan) -> {
                    if (plan != null) lastPlans.put(service, plan);
                });
        engine.desiredChanged(desired.get());
        engine.enqueueAll();
    }

    BlueGreenService spec(String image, String strategy, boolean manual) {
        String block = switch (strategy) {
            case "AllAtOnce" -> "    type: AllAtOnce\n";
            case "Canary" -> "    type: Canary\n    canary:\n      steps:\n        - weight: 10\n          pause: 1m\n"
                    + "        - weight: 50\n          pause: 1m\n";
            default -> "    type: Linear\n    linear:\n      stepPercent: 25\n      interval: 1m\n";
        };
        block += "    bakeTime: 30s\n    blueRetention: 10m\n    progressDeadline: 5m\n" + (manual ? "    promotion: manual\n" : "");
        String yaml = template.replace("ghcr.io/ecsbluegreen/greeter:1.0.0", image);
        int start = yaml.indexOf("  strategy:\n") + "  strategy:\n".length();
        int end = yaml.indexOf("  tags:\n", start);
        yaml = yaml.substring(0, start) + block + yaml.substring(end);
        var parsed = new SpecParser().parse("greeter.yaml", yaml.getBytes(StandardCharsets.UTF_8));
        assertThat(parsed.errors()).as(yaml).isEmpty();
        return parsed.services().get(0).service();
    }

    void declare(BlueGreenService s) {
        DesiredState state = new DesiredState(Map.of(s.name(), new DesiredService(s.name(), DesiredService.State.READY, s,
                new Origin("dir:examples", "greeter.yaml", 1, "v" + version, null), List.of())), List.of());
        desired.set(state);
        engine.desiredChanged(state);
    }

    /** Runs the loop over {@code seconds} of simulated time in 5 s steps. */
    void run(int seconds) {
        for (int t = 0; t <= seconds; t += 5) {
            engine.drain(50);
            account.sim.clock().advance(Duration.ofSeconds(Math.min(5, Math.max(1, seconds - t))));
        }
        engine.drain(50);
    }

    // ---- the property ---------------------------------------------------------------------------------

    @Property(tries = 200, shrinking = ShrinkingMode.BOUNDED, afterFailure = net.jqwik.api.AfterFailureMode.SAMPLE_FIRST)
    void productionNeverLosesHealthyTargetsAndEveryScenarioConverges(@ForAll("scenarios") List<Event> scenario) throws Exception {
        startAccount();
        List<BlueGreenService> history = new ArrayList<>();
        BlueGreenService first = spec(IMAGE + "1.0.0", "Canary", false);
        history.add(first);
        declare(first);
        run(120);
        for (Event e : scenario) {
            apply(e, history);
            assertThat(violations).as("after %s in %s", e, scenario).isEmpty();
        }
        settle(scenario);
        assertThat(violations).as("in %s", scenario).isEmpty();
    }

    void apply(Event e, List<BlueGreenService> history) {
        if (e instanceof Deploy d) {
            version++;
            String image = IMAGE + version + ".0.0-" + d.behaviour();
            account.sim.imageBehaviours().set(image, switch (d.behaviour()) {
                case "never-healthy" -> ImageBehaviour.neverHealthy();
                case "slow" -> ImageBehaviour.slowStart(Duration.ofMinutes(2));
                case "crashing" -> ImageBehaviour.crashesAfter(Duration.ofMinutes(3));
                default -> ImageBehaviour.healthy();
            });
            BlueGreenService s = spec(image, d.strategy(), d.manual());
            history.add(s);
            declare(s);
            run(30);
        } else if (e instanceof Revert) {
            if (history.size() >= 2) {
                history.add(history.get(history.size() - 2));
                declare(history.get(history.size() - 1));
            }
            run(30);
        } else if (e instanceof Advance a) {
            run(a.seconds());
        } else if (e instanceof Fault f) {
            account.sim.faults().add(FaultRule.errors(f.api(), 1.0).withStatus(f.throttling() ? 400 : 500)
                    .withErrorCode(f.throttling() ? "ThrottlingException" : "ServiceUnavailable"));
            run(20);
            account.sim.faults().clear();
        } else if (e instanceof Drift d) {
            drift(d.kind());
            run(10);
        } else if (e instanceof Restart) {
            startEngine();
            run(10);
        } else if (e instanceof Give g) {
            engine.command("greeter", g.command());
            run(10);
        }
    }

    List<TaskSet> taskSets() {
        var services = account.ecs.describeServices(r -> r.cluster("demo").services("greeter")).services();
        return services.isEmpty() ? List.of() : services.get(0).taskSets();
    }

    Map<String, Integer> productionWeights() {
        var action = account.elb.describeListeners(r -> r.listenerArns(PRODUCTION)).listeners().get(0).defaultActions().get(0);
        Map<String, Integer> out = new HashMap<>();
        if (action.forwardConfig() != null) {
            for (TargetGroupTuple t : action.forwardConfig().targetGroups()) out.put(t.targetGroupArn(), t.weight());
        } else if (action.targetGroupArn() != null) {
            out.put(action.targetGroupArn(), 1);
        }
        return out;
    }

    void drift(String kind) {
        List<TaskSet> sets = taskSets();
        if (sets.isEmpty()) return;
        switch (kind) {
            case "weights" -> {
                Map<String, Integer> w = productionWeights();
                if (w.size() < 2) return;
                List<software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple> tuples = new ArrayList<>();
                w.keySet().forEach(tg -> tuples.add(TargetGroupTuple.builder().targetGroupArn(tg).weight(50).build()));
                account.elb.modifyListener(r -> r.listenerArn(PRODUCTION).defaultActions(a -> a.type("forward")
                        .forwardConfig(f -> f.targetGroups(tuples))));
            }
            case "scale" -> account.ecs.updateTaskSet(r -> r.cluster("demo").service("greeter").taskSet(sets.get(0).id())
                    .scale(s -> s.value(50.0).unit("PERCENT")));
            default -> sets.stream().filter(t -> !"PRIMARY".equals(t.status())).findFirst().ifPresent(t ->
                    account.ecs.deleteTaskSet(r -> r.cluster("demo").service("greeter").taskSet(t.id()).force(true)));
        }
    }

    /** Faults off, time runs; a manual rollout is promoted; the service must come to rest, bounded. */
    void settle(List<Event> scenario) {
        account.sim.faults().clear();
        ServiceReport r = null;
        for (int i = 0; i < 120; i++) {
            engine.enqueueAll();
            run(30);
            r = book.get("greeter").orElse(null);
            if (r == null) continue;
            if (r.phase() == Phase.AwaitingPromotion) engine.command("greeter", Command.PROMOTE);
            if (r.phase() == Phase.Failed && r.consecutiveFailures() == 0) engine.command("greeter", Command.RETRY);
            boolean resting = (r.converged() || r.phase() == Phase.RolledBack) && !r.message().contains("held back");
            Plan last = lastPlans.get("greeter");
            if (resting && last != null && last.actions().isEmpty()) break;
        }
        assertThat(r).as("no report for %s", scenario).isNotNull();
        String wanted = Revision.of(desired.get().services().get("greeter").spec().spec()).id();
        assertThat(r.converged() || r.phase() == Phase.RolledBack).as("%s did not come to rest: %s", scenario, r).isTrue();
        assertThat(lastPlans.get("greeter").actions()).as("a pass at rest plans nothing (%s)", scenario).isEmpty();
        List<TaskSet> sets = taskSets();
        Set<String> revisions = new HashSet<>();
        for (TaskSet t : sets) {
            assertThat(revisions.add(t.externalId())).as("two task sets of %s in %s", t.externalId(), scenario).isTrue();
        }
        TaskSet primary = sets.stream().filter(t -> "PRIMARY".equals(t.status())).findFirst().orElseThrow();
        String primaryTg = primary.loadBalancers().get(0).targetGroupArn();
        Map<String, Integer> weights = productionWeights();
        int total = weights.values().stream().mapToInt(Integer::intValue).sum();
        assertThat(weights.getOrDefault(primaryTg, 0)).as("production all on the primary (%s): %s %s %s", scenario, weights, sets, r).isEqualTo(total);
        if (r.phase() == Phase.RolledBack) {
            assertThat(primary.externalId()).isNotEqualTo(wanted);
            assertThat(revisions).as("the failed revision is gone (%s)", scenario).doesNotContain(wanted);
        } else {
            assertThat(primary.externalId()).isEqualTo(wanted);
        }
    }

    // ---- the write checks -----------------------------------------------------------------------------

    /** Checks a listener change before it is made: no production share moves onto a group without healthy targets. */
    void checkForward(String arn, Map<String, Integer> weights) {
        if (!arn.equals(PRODUCTION)) return;
        Map<String, Integer> before = productionWeights();
        int totalBefore = Math.max(1, before.values().stream().mapToInt(Integer::intValue).sum());
        int totalAfter = Math.max(1, weights.values().stream().mapToInt(Integer::intValue).sum());
        weights.forEach((tg, w) -> {
            double share = w / (double) totalAfter;
            double had = before.getOrDefault(tg, 0) / (double) totalBefore;
            if (share > had + 1e-9) {
                long healthy = account.elb.describeTargetHealth(r -> r.targetGroupArn(tg)).targetHealthDescriptions().stream()
                        .filter(d -> d.targetHealth().stateAsString().equals("healthy")).count();
                if (healthy == 0) violations.add("production share of " + tg + " raised to " + w + " with no healthy target");
            }
        });
    }

    /** Checks a deletion before it is made: never the primary, never a task set production reaches. */
    void checkDelete(String taskSetArn) {
        for (TaskSet t : taskSets()) {
            if (!t.taskSetArn().equals(taskSetArn)) continue;
            if ("PRIMARY".equals(t.status())) violations.add("deleting the primary task set " + t.id());
            String tg = t.loadBalancers().get(0).targetGroupArn();
            if (productionWeights().getOrDefault(tg, 0) > 0) violations.add("deleting " + t.id() + " while production reaches " + tg);
        }
    }

    record CheckedEcs(EcsPort delegate, RandomizedScenarioTest test) implements EcsPort {
        public Map<String, ServiceView> describeServices(String cluster, Collection<String> names) { return delegate.describeServices(cluster, names); }
        public Map<String, Map<String, String>> taskSetTags(String c, String s, Collection<String> arns) { return delegate.taskSetTags(c, s, arns); }
        public String createService(BlueGreenServiceSpec spec, Map<String, String> tags, String token) { return delegate.createService(spec, tags, token); }
        public void updateDesiredCount(String c, String s, int n) { delegate.updateDesiredCount(c, s, n); }
        public Optional<String> findTaskDefinition(String family, Revision revision) { return delegate.findTaskDefinition(family, revision); }
        public String registerTaskDefinition(BlueGreenServiceSpec spec, Revision revision, Map<String, String> tags) { return delegate.registerTaskDefinition(spec, revision, tags); }
        public String createTaskSet(BlueGreenServiceSpec spec, Revision revision, String td, String tg, Map<String, String> tags, String token) { return delegate.createTaskSet(spec, revision, td, tg, tags, token); }
        public void updateTaskSetScale(String c, String s, String ts, double p) { delegate.updateTaskSetScale(c, s, ts, p); }
        public void updatePrimaryTaskSet(String c, String s, String ts) { delegate.updatePrimaryTaskSet(c, s, ts); }
        public void deleteTaskSet(String c, String s, String ts) { test.checkDelete(ts); delegate.deleteTaskSet(c, s, ts); }
        public void tag(String arn, Map<String, String> tags) { delegate.tag(arn, tags); }
        public void untag(String arn, List<String> keys) { delegate.untag(arn, keys); }
    }

    record CheckedElb(ElbPort delegate, RandomizedScenarioTest test) implements ElbPort {
        public Map<String, ForwardState> forwards(Collection<String> l, Collection<String> r) { return delegate.forwards(l, r); }
        public void setForward(String arn, boolean rule, Map<String, Integer> w) { test.checkForward(arn, w); delegate.setForward(arn, rule, w); }
        public Map<String, String> targetGroupArns(Collection<String> names) { return delegate.targetGroupArns(names); }
        public TargetGroupState targetHealth(String arn, String name) { return delegate.targetHealth(arn, name); }
        public Map<String, Map<String, String>> tags(Collection<String> arns) { return delegate.tags(arns); }
        public void addTags(String arn, Map<String, String> tags) { delegate.addTags(arn, tags); }
        public void removeTags(String arn, List<String> keys) { delegate.removeTags(arn, keys); }
    }
}

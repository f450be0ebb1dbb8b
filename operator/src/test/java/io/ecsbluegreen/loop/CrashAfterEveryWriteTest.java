package io.ecsbluegreen.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.aws.Actor;
import io.ecsbluegreen.aws.EcsPort;
import io.ecsbluegreen.aws.ElbPort;
import io.ecsbluegreen.aws.SdkEcsPort;
import io.ecsbluegreen.aws.SdkElbPort;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.model.BlueGreenServiceSpec;
import io.ecsbluegreen.aws.Observer;
import io.ecsbluegreen.plan.Revision;
import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.seed.SeedApplier;
import io.ecsbluegreen.sim.seed.SeedLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * Crash safety: a full canary rollout (v1 live, then v2) is run once to count its AWS writes; then, for
 * every write N, it is run again in a fresh account with the engine killed right after write N and a
 * new engine (new observer, actor and caches: nothing carried over but AWS) started in its place. Every
 * run must end in the same state, never hold two task sets of one revision, and walk production through
 * 10%, 50%, 100% exactly once each, in order. The same with two replicas sharing the service through
 * leases ({@link LeasedCluster}): the one holding the lease dies after write N, the other takes over once
 * the lease lapsed, and no write falls outside its writer's lease (the simulator's request log, each
 * replica naming itself in its user agent, against the lease table's history).
 */
class CrashAfterEveryWriteTest {

    /** Thrown by the crashing ports: the engine dies right after a write AWS has accepted. */
    static final class Crash extends RuntimeException {
        Crash(int write) {
            super("killed after write " + write);
        }
    }

    /** Counts writes and kills the engine after the chosen one. */
    static final class Killer {
        final AtomicInteger writes = new AtomicInteger();
        final int killAfter;

        Killer(int killAfter) {
            this.killAfter = killAfter;
        }

        void wrote() {
            int n = writes.incrementAndGet();
            if (n == killAfter) throw new Crash(n);
        }
    }

    record Outcome(int writes, List<Integer> productionSteps, int maxSameRevision, List<String> finalTaskSets, int finalGreenPercent) {}

    Outcome run(int killAfter) throws Exception {
        try (AwsSimulator sim = AwsSimulator.start()) {
            SeedApplier.apply(SeedLoader.load("seed", Files.readAllBytes(Path.of("../examples/simulator/seed.yaml"))).seed().withoutCommands().withoutEvents(), sim);
            var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"));
            try (EcsClient ecs = EcsClient.builder().endpointOverride(sim.endpoint()).region(Region.US_EAST_1).credentialsProvider(credentials)
                    .httpClient(UrlConnectionHttpClient.create()).build();
                 ElasticLoadBalancingV2Client elb = ElasticLoadBalancingV2Client.builder().endpointOverride(sim.endpoint())
                         .region(Region.US_EAST_1).credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build()) {
                Killer killer = new Killer(killAfter);
                BlueGreenService v1 = ReconcilerOnSimulatorTest.greeter(null);
                BlueGreenService v2 = ReconcilerOnSimulatorTest.greeter("ghcr.io/ecsbluegreen/greeter:2.0.0");
                List<Integer> steps = new ArrayList<>();
                int maxSame = 0;
                Reconciler engine = engine(ecs, elb, killer, sim);
                boolean rolledOutV1 = false;
                for (int i = 0; i < 400; i++) {
                    BlueGreenService wanted = rolledOutV1 ? v2 : v1;
                    Reconciler.Pass pass;
                    try {
                        pass = engine.reconcile(wanted, Set.of());
                    } catch (Crash crash) {
                        engine = engine(ecs, elb, killer, sim); // a restart: fresh objects, only AWS remembers
                        continue;
                    }
                    var taskSets = sim.ecs().taskSets("demo", "greeter");
                    for (String rev : taskSets.stream().map(t -> t.externalId()).distinct().toList()) {
                        maxSame = Math.max(maxSame, (int) taskSets.stream().filter(t -> rev.equals(t.externalId())).count());
                    }
                    if (rolledOutV1) {
                        int green = productionPercent(elb, ReconcilerOnSimulatorTest.GREEN);
                        if (steps.isEmpty() || steps.get(steps.size() - 1) != green) steps.add(green);
                    }
                    boolean done = pass.plan().status().converged() && pass.plan().actions().isEmpty();
                    if (done && !rolledOutV1) {
                        rolledOutV1 = true;
                        continue;
                    }
                    if (done) {
                        List<String> finalSets = taskSets.stream().map(t -> t.externalId() + "/" + t.status()).sorted().toList();
                        return new Outcome(killer.writes.get(), steps, maxSame, finalSets, productionPercent(elb, ReconcilerOnSimulatorTest.GREEN));
                    }
                    Duration wait = pass.plan().requeueAfter() == null ? Duration.ofSeconds(30) : pass.plan().requeueAfter();
                    sim.clock().advance(wait.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : wait);
                }
                throw new AssertionError("did not converge when killed after write " + killAfter);
            }
        }
    }

    static int productionPercent(ElasticLoadBalancingV2Client elb, String tg) {
        var tuples = elb.describeListeners(r -> r.listenerArns(ReconcilerOnSimulatorTest.PROD)).listeners().get(0)
                .defaultActions().get(0).forwardConfig().targetGroups();
        int total = tuples.stream().mapToInt(t -> t.weight()).sum();
        return tuples.stream().filter(t -> t.targetGroupArn().equals(tg)).mapToInt(t -> t.weight()).sum() * 100 / total;
    }

    static Reconciler engine(EcsClient ecs, ElasticLoadBalancingV2Client elb, Killer killer, AwsSimulator sim) {
        EcsPort e = new CrashingEcs(new SdkEcsPort(ecs), killer);
        ElbPort l = new CrashingElb(new SdkElbPort(elb), killer);
        return new Reconciler(new Observer(e, l), new Actor(e, l), sim.clock());
    }

    @Test
    void killedAfterEveryWriteOfACanaryTheEngineResumesToTheSameEndWithoutDuplicatesOrSkippedSteps() throws Exception {
        Outcome clean = run(Integer.MAX_VALUE);
        assertThat(clean.productionSteps()).containsExactly(0, 10, 50, 100);
        assertThat(clean.maxSameRevision()).isEqualTo(1);
        System.out.printf("a clean run makes %d AWS writes; killing the engine after each of them%n", clean.writes());
        for (int n = 1; n <= clean.writes(); n++) {
            Outcome crashed = run(n);
            assertThat(crashed.finalTaskSets()).as("killed after write %d", n).isEqualTo(clean.finalTaskSets());
            assertThat(crashed.finalGreenPercent()).as("killed after write %d", n).isEqualTo(100);
            assertThat(crashed.maxSameRevision()).as("no duplicate task sets, killed after write %d", n).isEqualTo(1);
            assertThat(crashed.productionSteps()).as("steps, killed after write %d", n).containsExactly(0, 10, 50, 100);
        }
    }

    /** Two canary steps with short pauses, on the {@link LeasedCluster} fleet. */
    static final String CANARY = """
                type: Canary
                canary:
                  steps:
                    - weight: 10
                      pause: 1m
                    - weight: 50
                      pause: 1m
                blueRetention: 0s
                progressDeadline: 1h
            """;

    record LeasedOutcome(int writes, List<Integer> productionSteps, int maxSameRevision, List<String> finalTaskSets, List<String> violations) {}

    /**
     * One service, two replicas sharing it through leases on one simulator: v1 goes live, then a canary of v2
     * starts and the replica holding the lease dies right after its {@code killAfter}-th write of the canary;
     * the other replica takes the service over once the lease lapses and must finish the rollout.
     */
    LeasedOutcome runWithTwoReplicas(int killAfter) {
        try (LeasedCluster cluster = new LeasedCluster(1)) {
            var a = cluster.add("replica-a");
            var b = cluster.add("replica-b");
            cluster.declare("1.0.0", EngineBenchmark.ALL_AT_ONCE);
            stepUntil(cluster, () -> cluster.allServe("1.0.0"), 120, killAfter);
            var owner = a.leases.owns("svc0") ? a : b;
            int before = owner.writes();
            owner.killAfterWrites(killAfter);
            String ruleArn = cluster.fleet.ruleArns().get(0);
            cluster.declare(List.of(EngineBenchmark.spec(0, ruleArn, "2.0.0", CANARY)));
            String v2 = Revision.of(cluster.desired.get().services().get("svc0").spec().spec()).id();
            List<Integer> steps = new ArrayList<>();
            int[] maxSame = {0};
            stepUntil(cluster, () -> {
                var taskSets = cluster.sim.ecs().taskSets("bench", "svc0");
                for (String rev : taskSets.stream().map(t -> t.externalId()).distinct().toList()) {
                    maxSame[0] = Math.max(maxSame[0], (int) taskSets.stream().filter(t -> rev.equals(t.externalId())).count());
                }
                String green = taskSets.stream().filter(t -> v2.equals(t.externalId())).map(t -> t.targetGroupArn()).findFirst().orElse(null);
                int percent = productionPercent(cluster.sim.elb().rule(ruleArn).orElseThrow().actions(), green);
                if (steps.isEmpty() || steps.get(steps.size() - 1) != percent) steps.add(percent);
                return cluster.allServe("2.0.0");
            }, 240, killAfter);
            List<String> finalSets = cluster.sim.ecs().taskSets("bench", "svc0").stream().map(t -> t.externalId() + "/" + t.status()).sorted().toList();
            return new LeasedOutcome(owner.writes() - before, steps, maxSame[0], finalSets, cluster.violations());
        }
    }

    /** Steps of 5 s: half a lease round, so renewals stay on time, and few steps for the minutes a canary takes. */
    static void stepUntil(LeasedCluster cluster, java.util.function.BooleanSupplier done, int maxSteps, int killAfter) {
        for (int i = 0; i < maxSteps; i++) {
            if (done.getAsBoolean()) return;
            cluster.step(Duration.ofSeconds(5));
        }
        throw new AssertionError("not reached in " + maxSteps + " steps, killed after write " + killAfter);
    }

    /** The share of a forward's weight on a target group, in percent; 0 for none. */
    static int productionPercent(List<io.ecsbluegreen.sim.elb.Action> actions, String targetGroupArn) {
        var forward = actions.stream().filter(x -> x.type().equals(io.ecsbluegreen.sim.elb.Action.FORWARD)).findFirst().orElseThrow();
        int total = forward.targetGroups().stream().mapToInt(t -> t.weight()).sum();
        int on = forward.targetGroups().stream().filter(t -> t.targetGroupArn().equals(targetGroupArn)).mapToInt(t -> t.weight()).sum();
        return total == 0 ? 0 : on * 100 / total;
    }

    @Test
    void withTwoReplicasKilledAfterEveryWriteOfACanaryTheOtherTakesOverAndFinishesWithoutOverlapOrDuplicates() {
        LeasedOutcome clean = runWithTwoReplicas(Integer.MAX_VALUE);
        assertThat(clean.productionSteps()).containsExactly(0, 10, 50, 100);
        assertThat(clean.maxSameRevision()).isEqualTo(1);
        assertThat(clean.violations()).isEmpty();
        System.out.printf("with two replicas, a clean canary makes %d AWS writes; killing the lease holder after each of them%n", clean.writes());
        for (int n = 1; n <= clean.writes(); n++) {
            LeasedOutcome crashed = runWithTwoReplicas(n);
            assertThat(crashed.writes()).as("the lease holder died right after write %d", n).isEqualTo(n);
            assertThat(crashed.finalTaskSets()).as("killed after write %d", n).isEqualTo(clean.finalTaskSets());
            assertThat(crashed.maxSameRevision()).as("no duplicate task sets, killed after write %d", n).isEqualTo(1);
            assertThat(crashed.productionSteps()).as("steps, killed after write %d", n).containsExactly(0, 10, 50, 100);
            assertThat(crashed.violations()).as("writes outside the writer's lease, killed after write %d", n).isEmpty();
        }
    }

    /** An ECS port that reports each write to the killer after AWS accepted it. */
    record CrashingEcs(EcsPort delegate, Killer killer) implements EcsPort {
        public Map<String, ServiceView> describeServices(String cluster, Collection<String> names) { return delegate.describeServices(cluster, names); }
        public Map<String, Map<String, String>> taskSetTags(String c, String s, Collection<String> arns) { return delegate.taskSetTags(c, s, arns); }
        public String createService(BlueGreenServiceSpec spec, Map<String, String> tags, String token) { String r = delegate.createService(spec, tags, token); killer.wrote(); return r; }
        public void updateDesiredCount(String c, String s, int n) { delegate.updateDesiredCount(c, s, n); killer.wrote(); }
        public Optional<String> findTaskDefinition(String family, Revision revision) { return delegate.findTaskDefinition(family, revision); }
        public String registerTaskDefinition(BlueGreenServiceSpec spec, Revision revision, Map<String, String> tags) { String r = delegate.registerTaskDefinition(spec, revision, tags); killer.wrote(); return r; }
        public String createTaskSet(BlueGreenServiceSpec spec, Revision revision, String td, String tg, Map<String, String> tags, String token) { String r = delegate.createTaskSet(spec, revision, td, tg, tags, token); killer.wrote(); return r; }
        public void updateTaskSetScale(String c, String s, String ts, double p) { delegate.updateTaskSetScale(c, s, ts, p); killer.wrote(); }
        public void updatePrimaryTaskSet(String c, String s, String ts) { delegate.updatePrimaryTaskSet(c, s, ts); killer.wrote(); }
        public void deleteTaskSet(String c, String s, String ts) { delegate.deleteTaskSet(c, s, ts); killer.wrote(); }
        public void tag(String arn, Map<String, String> tags) { delegate.tag(arn, tags); killer.wrote(); }
        public void untag(String arn, List<String> keys) { delegate.untag(arn, keys); killer.wrote(); }
    }

    /** An ELBv2 port that reports each write to the killer after AWS accepted it. */
    record CrashingElb(ElbPort delegate, Killer killer) implements ElbPort {
        public Map<String, ForwardState> forwards(Collection<String> l, Collection<String> r) { return delegate.forwards(l, r); }
        public void setForward(String arn, boolean rule, Map<String, Integer> w) { delegate.setForward(arn, rule, w); killer.wrote(); }
        public Map<String, String> targetGroupArns(Collection<String> names) { return delegate.targetGroupArns(names); }
        public TargetGroupState targetHealth(String arn, String name) { return delegate.targetHealth(arn, name); }
        public Map<String, Map<String, String>> tags(Collection<String> arns) { return delegate.tags(arns); }
        public void addTags(String arn, Map<String, String> tags) { delegate.addTags(arn, tags); killer.wrote(); }
        public void removeTags(String arn, List<String> keys) { delegate.removeTags(arn, keys); killer.wrote(); }
    }
}

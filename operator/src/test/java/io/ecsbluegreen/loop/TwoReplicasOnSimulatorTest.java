package io.ecsbluegreen.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecsbluegreen.aws.Actor;
import io.ecsbluegreen.aws.SdkAlarmPort;
import io.ecsbluegreen.aws.SdkEcsPort;
import io.ecsbluegreen.aws.SdkElbPort;
import io.ecsbluegreen.aws.SdkEndpoints;
import io.ecsbluegreen.aws.SdkLambdaPort;
import io.ecsbluegreen.aws.SdkTaskPort;
import io.ecsbluegreen.analysis.AnalysisPort;
import io.ecsbluegreen.desired.DesiredService;
import io.ecsbluegreen.desired.DesiredState;
import io.ecsbluegreen.desired.Origin;
import io.ecsbluegreen.observed.HookResult;
import io.ecsbluegreen.hooks.HookRunner;
import io.ecsbluegreen.metrics.EngineMetrics;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.aws.Observer;
import io.ecsbluegreen.plan.Command;
import io.ecsbluegreen.plan.OperatorOwnership;
import io.ecsbluegreen.plan.Revision;
import io.ecsbluegreen.plan.Tags;
import io.ecsbluegreen.sim.lambda.LambdaHandler;
import io.ecsbluegreen.status.Condition;
import io.ecsbluegreen.status.ServiceReport;
import io.ecsbluegreen.status.StatusBook;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.DescribeServicesRequest;
import software.amazon.awssdk.services.ecs.model.ListTagsForResourceRequest;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskSet;

/**
 * Two operator replicas (two engines, each with its own reconciler, hook runner, status book, metrics and
 * instance id) on one simulated account and one service, driven by hand on the simulator's clock: what
 * issue 14 §6 saw them do to each other, and the instance guard that keeps the second one off.
 */
class TwoReplicasOnSimulatorTest {
    static final Duration TAKEOVER = Duration.ofMinutes(2);
    static final Duration HEARTBEAT = Duration.ofSeconds(30);
    static final Duration ROUND = Duration.ofSeconds(5);

    SimAccount account;
    final List<Replica> replicas = new ArrayList<>();

    /** One operator process: what a pod or ECS task of the operator has. */
    final class Replica implements AutoCloseable {
        final String id;
        final AtomicReference<DesiredState> desired = new AtomicReference<>(DesiredState.EMPTY);
        final StatusBook book = new StatusBook(account.sim.clock());
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final HookRunner runner;
        final Engine engine;

        Replica(String id) {
            this.id = id;
            EngineMetrics metrics = new EngineMetrics(registry, account.sim.clock());
            book.addListener(metrics);
            AtomicReference<Engine> built = new AtomicReference<>();
            runner = new HookRunner(new SdkLambdaPort(account.lambda), new SdkTaskPort(account.ecs), new SdkEndpoints(account.elb),
                    HttpClient.newHttpClient(), account.sim.clock(), book::hookRan, name -> built.get().enqueue(name), 4,
                    SimAccount.TASK_POLLING);
            SdkEcsPort ecs = new SdkEcsPort(account.ecs);
            SdkElbPort elb = new SdkElbPort(account.elb);
            Reconciler reconciler = new Reconciler(new Observer(ecs, elb, new SdkAlarmPort(account.cloudWatch)),
                    new Actor(ecs, elb, runner), account.sim.clock(), runner, AnalysisPort.NONE,
                    new OperatorOwnership.Self(id, TAKEOVER, HEARTBEAT));
            engine = new Engine(desired::get, region -> reconciler, account.sim.clock(), Engine.Settings.DEFAULT, book,
                    Engine.Ownership.ALL, metrics);
            built.set(engine);
            replicas.add(this);
        }

        void declare(BlueGreenService s) {
            DesiredState state = new DesiredState(Map.of(s.name(), new DesiredService(s.name(), DesiredService.State.READY, s,
                    new Origin("dir:examples", "greeter.yaml", 1, "v", null), List.of())), List.of());
            desired.set(state);
            engine.desiredChanged(state);
        }

        ServiceReport report() {
            return book.get("greeter").orElse(null);
        }

        boolean yields() {
            ServiceReport r = report();
            return r != null && OperatorOwnership.OWNED_BY_ANOTHER_OPERATOR.equals(r.reason());
        }

        double foreignOwnerGauge() {
            return registry.get("bluegreen.service.foreign.owner").tag("service", "greeter").gauge().value();
        }

        boolean hookRunning() {
            return runner.results("greeter").values().stream().anyMatch(h -> h.state() == HookResult.State.RUNNING);
        }

        @Override
        public void close() {
            engine.close();
            runner.close();
        }
    }

    @BeforeEach
    void start() throws Exception {
        account = new SimAccount();
    }

    @AfterEach
    void stop() {
        replicas.forEach(Replica::close);
        account.close();
    }

    /**
     * Rounds of the given replicas, each draining its queue in turn, then the clock moving 5 s (standing
     * while a hook calls out or waits for an answer on a runner's threads), until {@code done}. Paced and
     * bounded by Awaitility: a round every 10 ms of real time, 2000 rounds, 5 minutes.
     */
    void run(BooleanSupplier done, Replica... turn) {
        AtomicInteger rounds = new AtomicInteger();
        try {
            await().atMost(Duration.ofMinutes(5)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).until(() -> {
                if (rounds.incrementAndGet() > 2000) throw new AssertionError("2000 rounds");
                for (Replica r : turn) r.engine.drain(100);
                if (done.getAsBoolean()) return true;
                boolean hooksWaitOnClockOnly = true;
                for (Replica r : turn) hooksWaitOnClockOnly &= r.runner.waitsOnClockOnly();
                if (hooksWaitOnClockOnly) account.sim.clock().advance(ROUND);
                return false;
            });
        } catch (ConditionTimeoutException | AssertionError e) {
            throw new AssertionError("never reached the condition in " + rounds.get() + " rounds; last reports "
                    + replicas.stream().map(r -> r.id + ": " + r.report()).toList(), e);
        }
    }

    static boolean servesRevision(Replica r, BlueGreenService s) {
        ServiceReport report = r.report();
        return report != null && report.converged() && Revision.of(s.spec()).id().equals(report.activeRevision());
    }

    Service service() {
        return account.ecs.describeServices(DescribeServicesRequest.builder().cluster("demo").services("greeter").build()).services().get(0);
    }

    Map<String, String> serviceTags() {
        var tags = account.ecs.listTagsForResource(ListTagsForResourceRequest.builder().resourceArn(service().serviceArn()).build()).tags();
        java.util.Map<String, String> out = new java.util.HashMap<>();
        tags.forEach(t -> out.put(t.key(), t.value()));
        return out;
    }

    long calls(String action) {
        return account.sim.stats().calls("ecs", action);
    }

    /** Replica a alone brings the greeter live on v1 (creating the service); then both replicas exist. */
    BlueGreenService liveOnV1(Replica a, String hooks) throws Exception {
        BlueGreenService v1 = HookedOperator.greeter("greeter:1.0.0", hooks);
        a.declare(v1);
        run(() -> servesRevision(a, v1), a);
        return v1;
    }

    @Test
    void theSecondReplicaRefusesToWriteWhileTheFirstIsLiveSaysSoAndTakesOverAfterTheWindow() throws Exception {
        Replica a = new Replica("replica-a");
        liveOnV1(a, "");
        BlueGreenService v2 = HookedOperator.greeter("greeter:2.0.0", "");
        long createdBefore = calls("CreateTaskSet");
        a.declare(v2);
        a.engine.drain(100);
        assertThat(serviceTags()).containsEntry(Tags.OPERATOR_INSTANCE, "replica-a");
        long beatOfA = Long.parseLong(serviceTags().get(Tags.OPERATOR_HEARTBEAT));

        // replica-a stops here (killed); replica-b starts, reading the same commit
        Replica b = new Replica("replica-b");
        b.declare(v2);
        b.engine.drain(100);
        assertThat(b.yields()).as("b yields: %s", b.report()).isTrue();
        ServiceReport refused = b.report();
        assertThat(refused.message()).contains("replica-a").contains("replica-b");
        assertThat(refused.conditions()).filteredOn(c -> c.type().equals("Reconciling"))
                .extracting(Condition::status, Condition::reason).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(false, OperatorOwnership.OWNED_BY_ANOTHER_OPERATOR));
        assertThat(b.foreignOwnerGauge()).isEqualTo(1.0);
        assertThat(serviceTags()).containsEntry(Tags.OPERATOR_INSTANCE, "replica-a");
        Engine.CommandResult abort = b.engine.command("greeter", Command.ABORT);
        assertThat(abort.accepted()).isFalse();
        assertThat(abort.message()).startsWith("abort refused").contains("replica-a");

        // b waits out a's silence on the simulated clock, writing nothing
        run(() -> !b.yields(), b);
        long silent = account.sim.clock().instant().getEpochSecond() - beatOfA;
        assertThat(silent).isBetween(TAKEOVER.toSeconds(), TAKEOVER.plus(ROUND).plus(ROUND).toSeconds());
        assertThat(serviceTags()).containsEntry(Tags.OPERATOR_INSTANCE, "replica-b");
        assertThat(b.foreignOwnerGauge()).isEqualTo(0.0);
        run(() -> servesRevision(b, v2), b);
        assertThat(calls("CreateTaskSet") - createdBefore).as("one green for v2, whoever created it").isEqualTo(1);
    }

    @Test
    void twoReplicasReadingDifferentCommitsDoNotCreateAndDeleteTaskSetsInTurn() throws Exception {
        Replica a = new Replica("replica-a");
        BlueGreenService v1 = liveOnV1(a, "");
        Replica b = new Replica("replica-b");
        b.declare(v1);
        run(() -> b.report() != null, a, b);
        long created = calls("CreateTaskSet");
        long deleted = calls("DeleteTaskSet");

        // a reads a commit with v2, b an older or newer one with v3: both would roll out their own
        BlueGreenService v2 = HookedOperator.greeter("greeter:2.0.0", "");
        BlueGreenService v3 = HookedOperator.greeter("greeter:3.0.0", "");
        a.declare(v2);
        b.declare(v3);
        AtomicInteger roundsYielded = new AtomicInteger();
        run(() -> {
            if (b.yields()) roundsYielded.incrementAndGet();
            return servesRevision(a, v2);
        }, a, b);

        assertThat(calls("CreateTaskSet") - created).as("task sets created during a's rollout").isEqualTo(1);
        assertThat(calls("DeleteTaskSet") - deleted).as("task sets deleted during a's rollout").isZero();
        assertThat(roundsYielded.get()).isPositive();
        String blue = Revision.of(v1.spec()).id();
        List<TaskSet> taskSets = service().taskSets();
        assertThat(taskSets).filteredOn(t -> blue.equals(t.externalId())).extracting(TaskSet::status)
                .as("blue is kept warm").containsExactly("ACTIVE");
        assertThat(taskSets).filteredOn(t -> Revision.of(v3.spec()).id().equals(t.externalId())).isEmpty();
    }

    @Test
    void twoReplicasReadingTheSameCommitRunEveryHookOnce() throws Exception {
        AtomicInteger invocations = new AtomicInteger();
        account.sim.lambda().register("check", LambdaHandler.ofText((payload, context) -> {
            invocations.incrementAndGet();
            return "{\"status\":\"Succeeded\"}";
        }));
        String hooks = """
                hooks:
                  beforeInstall:
                    - name: migrate
                      lambda: {function: check}
                  afterInstall:
                    - name: warm
                      lambda: {function: check}
                  afterAllowTestTraffic:
                    - name: smoke
                      lambda: {function: check}
                  beforeAllowTraffic:
                    - name: gate
                      lambda: {function: check}
                  afterAllowTraffic:
                    - name: verify
                      lambda: {function: check}
                """;
        Replica a = new Replica("replica-a");
        liveOnV1(a, hooks);
        Replica b = new Replica("replica-b");
        BlueGreenService v1 = HookedOperator.greeter("greeter:1.0.0", hooks);
        b.declare(v1);
        run(() -> b.report() != null, a, b);
        invocations.set(0);

        BlueGreenService v2 = HookedOperator.greeter("greeter:2.0.0", hooks);
        a.declare(v2);
        b.declare(v2);
        run(() -> servesRevision(a, v2) || servesRevision(b, v2), a, b);
        run(() -> !a.hookRunning() && !b.hookRunning(), a, b);
        assertThat(invocations.get()).as("five hooks, each run once").isEqualTo(5);
        assertThat(b.runner.results("greeter")).isEmpty();
    }
}

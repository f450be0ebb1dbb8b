package io.ecsbluegreen.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ecsbluegreen.observed.HookResult;
import io.ecsbluegreen.hooks.HookRun;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.model.Phase;
import io.ecsbluegreen.plan.Revision;
import io.ecsbluegreen.plan.Tags;
import io.ecsbluegreen.sim.lambda.LambdaHandler;
import io.ecsbluegreen.status.RolloutRecord;
import io.ecsbluegreen.status.ServiceReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.ecs.model.TaskSet;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

/**
 * Every lifecycle point times every hook kind (lambda and http), end to end on the simulator: Lambda
 * functions registered here, a real HTTP server on 127.0.0.1, the greeter rolled from v1 to v2. Each
 * scenario (success, failure, timeout, polling, {@code onFailure: ignore}, a restart with a hook in
 * flight) runs at each of the five points with each kind.
 *
 * <p>The rollout runs on the simulator's clock, hooks on the runner's threads in real time: while a hook
 * runs, the drive loop waits in real time (bounded) and leaves the simulated clock alone; otherwise it
 * moves the clock 5 s at a time.
 */
class HookMatrixOnSimulatorTest {

    /** CodeDeploy's lifecycle points, in order. */
    static final List<String> POINTS = List.of("beforeInstall", "afterInstall", "afterAllowTestTraffic",
            "beforeAllowTraffic", "afterAllowTraffic");

    /** A hook's kind, as in the spec, status and metrics. */
    enum Kind {
        LAMBDA, HTTP;

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static Stream<Arguments> pointsAndKinds() {
        return POINTS.stream().flatMap(p -> Stream.of(Arguments.of(p, Kind.LAMBDA), Arguments.of(p, Kind.HTTP)));
    }

    /** What an endpoint answers to one call. */
    enum Answer {
        /** lambda {@code "status": "Succeeded"}; http 200 */
        SUCCEED,
        /** lambda {@code "status": "Failed"}; http 500 */
        FAIL,
        /** lambda {@code "status": "InProgress"}; http 503 */
        NOT_YET,
        /**
         * succeeds once the simulator's clock has moved {@link #SLOW_ANSWER} past the call, longer than any
         * timeout the tests give: slow on the clock that decides timeouts, whatever real time does
         */
        SLOW
    }

    static final Duration SLOW_ANSWER = Duration.ofSeconds(8);

    /** Lets slow answers go at the end of a test, so no endpoint is still busy when the simulator stops. */
    final CountDownLatch released = new CountDownLatch(1);

    /**
     * Where the rollout stood when a hook was called.
     *
     * @param taskSets the ECS service's task sets (2 once green exists)
     * @param productionOnGreen percent of production traffic on green's target group
     * @param testOnGreen percent of test traffic on green's target group
     */
    record Moment(int taskSets, int productionOnGreen, int testOnGreen) {}

    /** What the rollout looks like at each point when its hooks are called: the timeline of docs/hooks.md. */
    static final Map<String, Moment> TIMELINE = Map.of(
            "beforeInstall", new Moment(1, 0, 0),
            "afterInstall", new Moment(2, 0, 0),
            "afterAllowTestTraffic", new Moment(2, 0, 100),
            "beforeAllowTraffic", new Moment(2, 0, 100),
            "afterAllowTraffic", new Moment(2, 100, 100));

    /** A hook's far end: a Lambda function and an HTTP path, both named after the hook, with one script. */
    final class Endpoint {
        final String name;
        final AtomicInteger calls = new AtomicInteger();
        final List<String> payloads = new CopyOnWriteArrayList<>();
        final List<Moment> moments = new CopyOnWriteArrayList<>();
        final IntFunction<Answer> script;

        Endpoint(String name, IntFunction<Answer> script) {
            this.name = name;
            this.script = script;
            account.sim.lambda().register(name, LambdaHandler.ofText((payload, context) -> {
                payloads.add(payload);
                return switch (answer()) {
                    case SUCCEED -> "{\"status\":\"Succeeded\",\"reason\":\"" + name + " is happy\"}";
                    case FAIL -> "{\"status\":\"Failed\",\"reason\":\"" + name + " says no\"}";
                    case NOT_YET -> "{\"status\":\"InProgress\"}";
                    case SLOW -> {
                        holdForSlowAnswer();
                        yield "{\"status\":\"Succeeded\"}";
                    }
                };
            }));
            server.createContext("/" + name, exchange -> {
                try (exchange) {
                    payloads.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                    switch (answer()) {
                        case SUCCEED -> respond(exchange, 200, name + " is happy");
                        case FAIL -> respond(exchange, 500, name + " says no");
                        case NOT_YET -> respond(exchange, 503, "not yet");
                        case SLOW -> {
                            holdForSlowAnswer();
                            respond(exchange, 200, "late");
                        }
                    }
                }
            });
            endpoints.put(name, this);
        }

        private Answer answer() {
            int n = calls.incrementAndGet();
            moments.add(moment());
            return script.apply(n);
        }
    }

    SimAccount account;
    HttpServer server;
    ExecutorService serverThreads;
    String greenTargetGroupArn;
    String productionListenerArn;
    String testListenerArn;
    final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
    HookedOperator operator;

    @BeforeEach
    void start() throws Exception {
        account = new SimAccount();
        serverThreads = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "hook-endpoint");
            t.setDaemon(true);
            return t;
        });
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(serverThreads);
        server.start();
        greenTargetGroupArn = account.elb.describeTargetGroups(r -> r.names("greeter-green")).targetGroups().get(0).targetGroupArn();
        var traffic = HookedOperator.greeter("greeter:1.0.0", "").spec().traffic();
        productionListenerArn = traffic.production().arn();
        testListenerArn = traffic.test().arn();
        operator = new HookedOperator(account);
    }

    @AfterEach
    void stop() throws Exception {
        released.countDown();
        operator.close();
        server.stop(0);
        serverThreads.shutdownNow();
        account.close();
    }

    // ---- the hooks -------------------------------------------------------------------------------

    /** One hook of the spec, calling the endpoint of its name. */
    record Hook(String name, Kind kind, String timeout, boolean ignore, int httpRetries) {
        static Hook of(String name, Kind kind) {
            return new Hook(name, kind, "30s", false, 0);
        }

        Hook timeout(String t) {
            return new Hook(name, kind, t, ignore, httpRetries);
        }

        Hook ignoringFailure() {
            return new Hook(name, kind, timeout, true, httpRetries);
        }

        Hook retries(int n) {
            return new Hook(name, kind, timeout, ignore, n);
        }

        String yaml(int port) {
            String call = kind == Kind.LAMBDA ? "lambda: {function: " + name + ", pollInterval: 1s}"
                    : "http: {url: \"http://127.0.0.1:" + port + "/" + name + "\", retries: " + httpRetries + ", retryBackoff: 100ms}";
            return "- name: " + name + "\n  timeout: " + timeout + "\n" + (ignore ? "  onFailure: ignore\n" : "") + "  " + call + "\n";
        }
    }

    /** The {@code hooks:} block of a spec. */
    String hooks(Map<String, List<Hook>> byPoint) {
        StringBuilder b = new StringBuilder("hooks:\n");
        byPoint.forEach((point, hooks) -> {
            b.append("  ").append(point).append(":\n");
            for (Hook h : hooks) b.append(h.yaml(server.getAddress().getPort()).indent(4));
        });
        return b.toString();
    }

    String hooks(String point, Hook... hooks) {
        return hooks(Map.of(point, List.of(hooks)));
    }

    // ---- driving and looking -----------------------------------------------------------------------

    ServiceReport until(Predicate<ServiceReport> done) throws InterruptedException {
        return operator.until(done);
    }

    ServiceReport until(BooleanSupplier done) throws InterruptedException {
        return operator.until(r -> done.getAsBoolean());
    }

    /** v1 live with these hooks declared: a first deployment, which runs no hook. */
    String liveOnV1(String hooks) throws Exception {
        BlueGreenService v1 = HookedOperator.greeter("greeter:1.0.0", hooks);
        operator.declare(v1);
        until(ServiceReport::converged);
        assertThat(endpoints.values()).as("a service's first deployment runs no hooks").allSatisfy(e -> assertThat(e.calls).hasValue(0));
        return Revision.of(v1.spec()).id();
    }

    /** Declares v2 with these hooks; its revision. */
    String rollOutV2(String hooks) throws Exception {
        BlueGreenService v2 = HookedOperator.greeter("greeter:2.0.0", hooks);
        operator.declare(v2);
        return Revision.of(v2.spec()).id();
    }

    ServiceReport liveOn(String revision) throws InterruptedException {
        return until(r -> r.converged() && revision.equals(r.activeRevision()));
    }

    Moment moment() {
        List<TaskSet> taskSets = account.ecs.describeServices(r -> r.cluster("demo").services("greeter")).services().get(0).taskSets();
        // A deleted task set stays DRAINING for its target group's deregistration delay, as on AWS: it serves nothing.
        long live = taskSets.stream().filter(t -> !"DRAINING".equals(t.status())).count();
        return new Moment((int) live, percentOnGreen(productionListenerArn), percentOnGreen(testListenerArn));
    }

    int percentOnGreen(String listenerArn) {
        List<Action> actions = account.elb.describeListeners(r -> r.listenerArns(listenerArn)).listeners().get(0).defaultActions();
        int total = 0;
        int green = 0;
        for (Action a : actions) {
            if (a.forwardConfig() == null || !a.forwardConfig().hasTargetGroups()) continue;
            for (TargetGroupTuple t : a.forwardConfig().targetGroups()) {
                int w = t.weight() == null ? 1 : t.weight();
                total += w;
                if (t.targetGroupArn().equals(greenTargetGroupArn)) green += w;
            }
        }
        return total == 0 ? 0 : green * 100 / total;
    }

    double runs(String point, Kind kind, String outcome) {
        Counter c = operator.registry.find("bluegreen.hook.runs").tags("service", "greeter", "point", point, "kind", kind.wire(), "outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    long timed(String point, Kind kind) {
        Timer t = operator.registry.find("bluegreen.hook.duration").tags("point", point, "kind", kind.wire()).timer();
        return t == null ? 0 : t.count();
    }

    String serviceTag(String key) {
        String arn = account.ecs.describeServices(r -> r.cluster("demo").services("greeter")).services().get(0).serviceArn();
        return account.ecs.listTagsForResource(r -> r.resourceArn(arn)).tags().stream().filter(t -> t.key().equals(key))
                .map(software.amazon.awssdk.services.ecs.model.Tag::value).findFirst().orElse(null);
    }

    static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /**
     * Holds a call until the simulator's clock has moved {@link #SLOW_ANSWER} on, or the test ends.
     * Bounded by Awaitility (a minute of real time, far more than any test here takes).
     */
    void holdForSlowAnswer() {
        Instant answerAt = account.sim.clock().instant().plus(SLOW_ANSWER);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(5))
                .until(() -> released.getCount() == 0 || !account.sim.clock().instant().isBefore(answerAt));
    }

    // ---- the matrix --------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("pointsAndKinds")
    void aHookThatSucceedsRunsAtItsPointOnceAndTheRolloutCompletesWithTheRunInStatusAndMetrics(String point, Kind kind) throws Exception {
        Endpoint check = new Endpoint("check", n -> Answer.SUCCEED);
        String hooks = hooks(point, Hook.of("check", kind));
        liveOnV1(hooks);
        String r2 = rollOutV2(hooks);

        ServiceReport done = liveOn(r2);
        assertThat(check.calls).hasValue(1);
        assertThat(check.moments).as("where the rollout stood when " + point + " ran").containsExactly(TIMELINE.get(point));
        assertThat(done.hooks()).singleElement().satisfies(run -> {
            assertThat(run.revision()).isEqualTo(r2);
            assertThat(run.point()).isEqualTo(point);
            assertThat(run.name()).isEqualTo("check");
            assertThat(run.kind()).isEqualTo(kind.wire());
            assertThat(run.attempts()).isEqualTo(1);
            assertThat(run.outcome()).isEqualTo("Succeeded");
            assertThat(run.detail()).contains("check is happy");
            // measured on the simulator's clock, which stands while a call is answered
            assertThat(run.duration()).isEqualTo(Duration.ZERO);
        });
        assertThat(done.productionWeights()).isEqualTo(Map.of(r2, 100));
        assertThat(runs(point, kind, "Succeeded")).isEqualTo(1.0);
        assertThat(timed(point, kind)).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("pointsAndKinds")
    void aHookThatFailsRollsTheRevisionBackAndBeforeInstallFailsItBeforeGreenExists(String point, Kind kind) throws Exception {
        Endpoint check = new Endpoint("check", n -> Answer.FAIL);
        String hooks = hooks(point, Hook.of("check", kind));
        String r1 = liveOnV1(hooks);
        long taskSetsCreated = account.sim.stats().calls("ecs", "CreateTaskSet");
        String r2 = rollOutV2(hooks);

        ServiceReport rolledBack = until(r -> r.phase() == Phase.RolledBack);
        assertThat(rolledBack.reason()).isEqualTo("RevisionFailed");
        assertThat(rolledBack.message()).startsWith("HookFailed: " + point + " hook check failed: ").contains("check says no");
        assertThat(check.calls).hasValue(1);
        assertThat(rolledBack.hooks()).singleElement().satisfies(run -> {
            assertThat(run.point()).isEqualTo(point);
            assertThat(run.kind()).isEqualTo(kind.wire());
            assertThat(run.outcome()).isEqualTo("Failed");
            assertThat(run.attempts()).isEqualTo(1);
        });
        assertThat(runs(point, kind, "Failed")).isEqualTo(1.0);
        assertThat(serviceTag(Tags.FAILED_REVISION)).isEqualTo(r2);
        assertThat(rolledBack.activeRevision()).isEqualTo(r1);
        assertThat(rolledBack.productionWeights()).isEqualTo(Map.of(r1, 100));
        assertThat(moment()).as("blue serves alone again").isEqualTo(new Moment(1, 0, 0));
        assertThat(rolledBack.history().get(0).outcome()).isEqualTo(RolloutRecord.Outcome.RolledBack);
        if (point.equals("beforeInstall")) {
            assertThat(account.sim.stats().calls("ecs", "CreateTaskSet")).as("no green task set was ever created").isEqualTo(taskSetsCreated);
        } else {
            assertThat(account.sim.stats().calls("ecs", "CreateTaskSet")).isEqualTo(taskSetsCreated + 1);
            assertThat(account.sim.stats().calls("ecs", "DeleteTaskSet")).isPositive();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("pointsAndKinds")
    void aHookSlowerThanItsTimeoutTimesOutAndRollsBack(String point, Kind kind) throws Exception {
        Endpoint slow = new Endpoint("slow", n -> Answer.SLOW);
        // pollInterval (1s) must be shorter than a lambda hook's timeout
        String timeout = kind == Kind.LAMBDA ? "1500ms" : "1s";
        String hooks = hooks(point, Hook.of("slow", kind).timeout(timeout));
        String r1 = liveOnV1(hooks);
        rollOutV2(hooks);

        // the clock stands until the call reaches the endpoint, then moves on while the call is under way:
        // the endpoint is slow on the clock, which alone decides the timeout
        until(() -> slow.calls.get() == 1);
        ServiceReport rolledBack = operator.until(r -> r.phase() == Phase.RolledBack, true);
        assertThat(rolledBack.message()).startsWith("HookFailed: " + point + " hook slow failed: ");
        // TimedOut, not Succeeded: the timeout ended the hook before the (much later) answer
        assertThat(rolledBack.hooks()).singleElement().satisfies(run -> assertThat(run.outcome()).isEqualTo("TimedOut"));
        assertThat(runs(point, kind, "TimedOut")).isEqualTo(1.0);
        assertThat(rolledBack.productionWeights()).isEqualTo(Map.of(r1, 100));
        assertThat(slow.calls).hasValue(1);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("pointsAndKinds")
    void aHookThatIsNotDoneYetIsAskedAgainUntilItIsLambdaByInProgressHttpByRetries(String point, Kind kind) throws Exception {
        Endpoint migrate = new Endpoint("migrate", n -> n <= 2 ? Answer.NOT_YET : Answer.SUCCEED);
        String hooks = hooks(point, Hook.of("migrate", kind).retries(3));
        liveOnV1(hooks);
        String r2 = rollOutV2(hooks);

        ServiceReport done = liveOn(r2);
        assertThat(migrate.calls).hasValue(3);
        assertThat(done.hooks()).singleElement().satisfies(run -> {
            assertThat(run.attempts()).isEqualTo(3);
            assertThat(run.outcome()).isEqualTo("Succeeded");
        });
        if (kind == Kind.LAMBDA) {
            assertThat(migrate.payloads).extracting(p -> p.replaceAll(".*\"attempt\":(\\d+).*", "$1")).containsExactly("1", "2", "3");
            assertThat(done.hooks().get(0).duration()).as("two poll intervals").isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        }
        assertThat(runs(point, kind, "Succeeded")).isEqualTo(1.0);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("pointsAndKinds")
    void aFailureWithOnFailureIgnoreIsRecordedAndTheRolloutGoesOn(String point, Kind kind) throws Exception {
        Endpoint optional = new Endpoint("optional", n -> Answer.FAIL);
        Endpoint after = new Endpoint("after", n -> Answer.SUCCEED);
        String hooks = hooks(point, Hook.of("optional", kind).ignoringFailure(), Hook.of("after", kind));
        liveOnV1(hooks);
        String r2 = rollOutV2(hooks);

        ServiceReport done = liveOn(r2);
        assertThat(optional.calls).hasValue(1);
        assertThat(after.calls).as("the next hook of the point runs").hasValue(1);
        assertThat(done.hooks()).extracting(HookRun::name, HookRun::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("after", "Succeeded"),
                org.assertj.core.groups.Tuple.tuple("optional", "Failed"));
        assertThat(runs(point, kind, "Failed")).isEqualTo(1.0);
        assertThat(runs(point, kind, "Succeeded")).isEqualTo(1.0);
        assertThat(serviceTag(Tags.FAILED_REVISION)).isNull();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("pointsAndKinds")
    void afterARestartTheHookInFlightRunsAgainAndHooksThatSucceededDoNot(String point, Kind kind) throws Exception {
        int p = POINTS.indexOf(point);
        Endpoint earlier = new Endpoint("earlier", n -> Answer.SUCCEED);
        Endpoint first = new Endpoint("first", n -> Answer.SUCCEED);
        AtomicReference<Answer> held = new AtomicReference<>(Answer.NOT_YET);
        Endpoint second = new Endpoint("second", n -> held.get());
        Map<String, List<Hook>> byPoint = new LinkedHashMap<>();
        if (p > 0) byPoint.put(POINTS.get(p - 1), List.of(Hook.of("earlier", kind)));
        // in flight until released: lambda answers InProgress, http 503 with retries
        byPoint.put(point, List.of(Hook.of("first", kind), Hook.of("second", kind).retries(10)));
        String hooks = hooks(byPoint);
        liveOnV1(hooks);
        String r2 = rollOutV2(hooks);

        until(() -> second.calls.get() >= 1);
        assertThat(operator.runner.results("greeter").values()).extracting(HookResult::state).contains(HookResult.State.RUNNING);
        int secondCallsBefore = second.calls.get();

        operator.restart();
        held.set(Answer.SUCCEED);
        ServiceReport done = liveOn(r2);
        assertThat(first.calls).as("first succeeded before the restart").hasValue(1);
        assertThat(earlier.calls).as("the hooks of the point before").hasValue(p > 0 ? 1 : 0);
        assertThat(second.calls.get()).as("second was in flight").isGreaterThan(secondCallsBefore);
        assertThat(done.hooks()).as("what the restarted operator ran").singleElement().satisfies(run -> {
            assertThat(run.point()).isEqualTo(point);
            assertThat(run.name()).isEqualTo("second");
            assertThat(run.outcome()).isEqualTo("Succeeded");
        });
        assertThat(second.moments.get(second.moments.size() - 1)).isEqualTo(TIMELINE.get(point));
    }
}

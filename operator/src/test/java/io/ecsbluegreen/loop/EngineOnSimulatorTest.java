package io.ecsbluegreen.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecsbluegreen.desired.DesiredService;
import io.ecsbluegreen.desired.DesiredState;
import io.ecsbluegreen.desired.Origin;
import io.ecsbluegreen.metrics.EngineMetrics;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.plan.Command;
import io.ecsbluegreen.model.Phase;
import io.ecsbluegreen.plan.Revision;
import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.FaultRule;
import io.ecsbluegreen.spec.SpecError;
import io.ecsbluegreen.spec.SpecParser;
import io.ecsbluegreen.status.Condition;
import io.ecsbluegreen.status.RolloutRecord;
import io.ecsbluegreen.status.ServiceReport;
import io.ecsbluegreen.status.StatusBook;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * The reconcile loop (work queue, batching, status book, commands, terminal errors, metrics) against the
 * simulator on simulated time, driven with {@link Engine#drain(int)} instead of worker threads.
 */
class EngineOnSimulatorTest {
    SimAccount account;
    AwsSimulator sim;
    ElasticLoadBalancingV2Client elb;
    StatusBook book;
    SimpleMeterRegistry registry;
    Engine engine;
    final AtomicReference<DesiredState> desired = new AtomicReference<>(DesiredState.EMPTY);

    @BeforeEach
    void start() throws Exception {
        account = new SimAccount();
        sim = account.sim;
        elb = account.elb;
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

    static BlueGreenService parse(String file, Map<String, String> edits) throws Exception {
        String yaml = Files.readString(Path.of(file));
        for (Map.Entry<String, String> e : edits.entrySet()) yaml = yaml.replace(e.getKey(), e.getValue());
        return new SpecParser().parse(file, yaml.getBytes(StandardCharsets.UTF_8)).services().get(0).service();
    }

    static BlueGreenService greeter(String image) throws Exception {
        return parse("../examples/greeter/greeter.yaml", Map.of("greeter:1.0.0", image));
    }

    void declare(BlueGreenService... services) {
        Map<String, DesiredService> map = new LinkedHashMap<>();
        for (BlueGreenService s : services) {
            map.put(s.name(), new DesiredService(s.name(), DesiredService.State.READY, s,
                    new Origin("dir:examples", s.name() + ".yaml", 1, "v1", null), List.of()));
        }
        put(map);
    }

    void put(Map<String, DesiredService> map) {
        DesiredState state = new DesiredState(map, List.of());
        desired.set(state);
        engine.desiredChanged(state);
    }

    /**
     * Moves the simulated clock once no hook run waits for an answer (a real HTTP call to the simulator's
     * data plane, say): a timeout on the clock must never outrun an answer on its way.
     */
    void advance(Duration by) {
        await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
                .until(account::hooksWaitOnClockOnly);
        sim.clock().advance(by);
    }

    /** Drains and advances simulated time in 5 s steps until the condition holds; bounded to 2 simulated hours. */
    ServiceReport until(String name, Predicate<ServiceReport> done) {
        return until(name, done, () -> { });
    }

    /** Something done every round of {@link #until(String, Predicate, Round)}, before the loop drains. */
    interface Round {
        void run() throws Exception;
    }

    ServiceReport until(String name, Predicate<ServiceReport> done, Round eachRound) {
        for (int i = 0; i < 1440; i++) {
            try {
                eachRound.run();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            engine.drain(1000);
            ServiceReport r = book.get(name).orElse(null);
            if (r != null && done.test(r)) return r;
            advance(Duration.ofSeconds(5));
        }
        throw new AssertionError(name + " never reached the condition; last report " + book.get(name).orElse(null));
    }

    double gauge(String name, String... tags) {
        var g = registry.find(name).tags(tags).gauge();
        return g == null ? Double.NaN : g.value();
    }

    double counter(String name, String... tags) {
        var c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void revisionsAreLabelledWithTheirImagesAndCommitAndTheActiveImagesSurviveARestart() throws Exception {
        BlueGreenService v1 = greeter("greeter:1.0.0");
        String r1 = Revision.of(v1.spec()).id();
        io.ecsbluegreen.source.Provenance commit = io.ecsbluegreen.source.Provenance.commit(
                "1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d", "Release greeter 1.0.0", "Alice Martin", null);
        put(Map.of("greeter", new DesiredService("greeter", DesiredService.State.READY, v1,
                new Origin("git:repo", "greeter.yaml", 1, "blob", "head", commit), List.of())));
        ServiceReport live = until("greeter", ServiceReport::converged);

        assertThat(live.label(r1).images()).containsExactly("greeter:1.0.0");
        assertThat(live.label(r1).text()).isEqualTo("greeter:1.0.0 from git 1a2b3c4 \"Release greeter 1.0.0\" (Alice Martin)");
        assertThat(gauge("bluegreen.service.revision.info", "service", "greeter", "role", "active", "revision", r1,
                "images", "greeter:1.0.0", "source", "1a2b3c4")).isEqualTo(1.0);

        // A restart: a new book, engine and reconciler (no cache) over the same account; the spec now asks for v2.
        StatusBook restarted = new StatusBook(sim.clock());
        Reconciler fresh = account.reconciler((service, m) -> { });
        try (Engine again = new Engine(desired::get, region -> fresh, sim.clock(), Engine.Settings.DEFAULT, restarted,
                Engine.Ownership.ALL, (service, result, took, plan) -> { })) {
            BlueGreenService v2 = greeter("greeter:2.0.0");
            String r2 = Revision.of(v2.spec()).id();
            DesiredState state = new DesiredState(Map.of("greeter", new DesiredService("greeter", DesiredService.State.READY, v2,
                    new Origin("git:repo", "greeter.yaml", 1, "blob2", "head2"), List.of())), List.of());
            desired.set(state);
            again.desiredChanged(state);
            again.drain(10);
            ServiceReport after = restarted.get("greeter").orElseThrow();
            assertThat(after.activeRevision()).isEqualTo(r1);
            assertThat(after.label(r1).images()).as("recovered from blue's task definition").containsExactly("greeter:1.0.0");
            assertThat(after.label(r2).images()).containsExactly("greeter:2.0.0");
        }
    }

    @Test
    void theGreeterGoesLiveThenCanariesToV2AndTheHistoryAndMetricsTellTheStory() throws Exception {
        BlueGreenService v1 = greeter("greeter:1.0.0");
        BlueGreenService v2 = greeter("greeter:2.0.0");
        String r1 = Revision.of(v1.spec()).id();
        String r2 = Revision.of(v2.spec()).id();
        declare(v1);
        ServiceReport live = until("greeter", ServiceReport::converged);
        assertThat(live.activeRevision()).isEqualTo(r1);
        assertThat(live.productionWeights()).isEqualTo(Map.of(r1, 100));
        assertThat(live.history()).singleElement().satisfies(h -> {
            assertThat(h.revision()).isEqualTo(r1);
            assertThat(h.from()).isNull();
            assertThat(h.outcome()).isEqualTo(RolloutRecord.Outcome.Succeeded);
        });
        assertThat(gauge("bluegreen.service.converged", "service", "greeter")).isEqualTo(1.0);
        assertThat(gauge("bluegreen.service.revision.info", "service", "greeter", "role", "active", "revision", r1)).isEqualTo(1.0);

        declare(v2);
        ServiceReport shifting = until("greeter", r -> r.phase() == Phase.Shifting);
        assertThat(shifting.step()).isEqualTo(1);
        assertThat(shifting.steps()).isEqualTo(3);
        assertThat(shifting.productionWeights()).isEqualTo(Map.of(r1, 90, r2, 10));
        assertThat(shifting.history().get(0).outcome()).isNull();
        assertThat(gauge("bluegreen.traffic.weight", "service", "greeter", "listener", "production", "revision", r2)).isEqualTo(10.0);
        assertThat(gauge("bluegreen.service.phase", "service", "greeter", "phase", "Shifting")).isEqualTo(1.0);
        assertThat(gauge("bluegreen.service.converged", "service", "greeter")).isEqualTo(0.0);
        assertThat(gauge("bluegreen.service.revision.info", "service", "greeter", "role", "desired", "revision", r2)).isEqualTo(1.0);
        assertThat(gauge("bluegreen.service.revision.info", "service", "greeter", "role", "desired", "revision", r1))
                .as("the desired revision's old series is gone").isNaN();
        assertThat(gauge("bluegreen.convergence.lag.seconds", "service", "greeter")).isGreaterThan(0.0);

        ServiceReport done = until("greeter", r -> r.converged() && r2.equals(r.activeRevision()));
        assertThat(done.history()).extracting(RolloutRecord::revision, RolloutRecord::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple(r2, RolloutRecord.Outcome.Succeeded),
                org.assertj.core.groups.Tuple.tuple(r1, RolloutRecord.Outcome.Succeeded));
        // 1 min + 1 min of canary pauses and 30 s of bake: the rollout cannot be shorter.
        assertThat(done.history().get(0).duration(sim.clock().instant())).isGreaterThanOrEqualTo(Duration.ofSeconds(150));
        assertThat(counter("bluegreen.rollouts", "service", "greeter", "outcome", "Succeeded")).isEqualTo(2.0);
        assertThat(gauge("bluegreen.traffic.weight", "service", "greeter", "listener", "production", "revision", r1)).isNaN();
        assertThat(gauge("bluegreen.traffic.weight", "service", "greeter", "listener", "production", "revision", r2)).isEqualTo(100.0);
        assertThat(gauge("bluegreen.convergence.lag.seconds", "service", "greeter")).isEqualTo(0.0);
        assertThat(counter("bluegreen.reconcile", "result", "requeue")).isGreaterThan(5);
        assertThat(registry.find("bluegreen.reconcile.duration").timer().count()).isGreaterThan(5);

        // Blue is kept warm for 15 minutes; a steady pass meanwhile reads no task-set tags and no target health.
        engine.drain(100);
        sim.resetStats();
        engine.enqueueAll();
        engine.drain(100);
        assertThat(sim.stats().calls()).as("steady with a retained blue").containsOnlyKeys(
                new io.ecsbluegreen.sim.ApiAction("ecs", "DescribeServices"),
                new io.ecsbluegreen.sim.ApiAction("elasticloadbalancing", "DescribeListeners"));
        ServiceReport retired = until("greeter", r -> account.ecs.describeServices(q -> q.cluster("demo").services("greeter")).services().get(0).taskSets().size() == 1);
        assertThat(retired.converged()).isTrue();
    }

    // ---- analysis --------------------------------------------------------------------------------

    static final String ERROR_RATE_CHECK = """
              analysis:
                interval: 30s
                checks:
                  - name: error-rate
                    noData: wait
                    targetGroupMetric: {metric: errorRate, max: 0.05}
              strategy:
            """;

    /** The greeter with {@code analysis} (two-space indented, ending with "  strategy:\n") before its strategy. */
    static BlueGreenService greeterWithAnalysis(String image, String analysis) throws Exception {
        return parse("../examples/greeter/greeter.yaml", Map.of("greeter:1.0.0", image, "  strategy:\n", analysis));
    }

    /**
     * Like {@link #until}, with ten requests through the production listener every simulated 5 s; each
     * round waits for the measurements under way (on their own threads) to end before the loop drains.
     */
    ServiceReport untilWithTraffic(String name, Predicate<ServiceReport> done) {
        var listener = elb.describeListeners(r -> r.listenerArns(
                "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/demo/5f2b3c4d5e6f7a8b/1a2b3c4d5e6f7081")).listeners().get(0);
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.URI production = java.net.URI.create("http://127.0.0.1:" + listener.port() + "/");
        return until(name, done, () -> {
            for (int k = 0; k < 10; k++) {
                http.send(java.net.http.HttpRequest.newBuilder(production).timeout(Duration.ofSeconds(5)).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding());
            }
            // the measurements the last pass started end before the next pass reads them: awaited, not timed
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(2)).until(() -> !account.measuring(name));
        });
    }

    @Test
    void anErroringGreenFailsItsAnalysisAndTheCanaryRollsBackNamingTheRateItMeasured() throws Exception {
        BlueGreenService v1 = greeterWithAnalysis("greeter:1.0.0", ERROR_RATE_CHECK);
        declare(v1);
        until("greeter", ServiceReport::converged);
        sim.imageBehaviours().set("ghcr.io/ecsbluegreen/greeter:2.0.0", io.ecsbluegreen.sim.spi.ImageBehaviour.erroring(0.5));
        declare(greeterWithAnalysis("greeter:2.0.0", ERROR_RATE_CHECK));

        ServiceReport rolledBack = untilWithTraffic("greeter", r -> r.phase() == Phase.RolledBack);
        assertThat(rolledBack.message()).startsWith("AnalysisFailed: analysis check error-rate failed 1 of 1 allowed time(s); "
                + "last measurement: ").contains(" outside <= 0.05");
        assertThat(rolledBack.productionWeights()).isEqualTo(Map.of(Revision.of(v1.spec()).id(), 100));
        assertThat(rolledBack.history().get(0).outcome()).isEqualTo(RolloutRecord.Outcome.RolledBack);
        assertThat(rolledBack.analysis()).anySatisfy(m -> {
            assertThat(m.check()).isEqualTo("error-rate");
            assertThat(m.verdict()).isEqualTo(io.ecsbluegreen.observed.Measurement.Verdict.FAILED);
            assertThat(m.value()).as("green answers half its share with 500s").isBetween(0.2, 0.8);
            assertThat(m.threshold()).isEqualTo("<= 0.05");
        });
        assertThat(counter("bluegreen.analysis.measurements", "service", "greeter", "check", "error-rate", "verdict", "FAILED"))
                .isEqualTo(1.0);
    }

    @Test
    void aHealthyGreenPassesItsAnalysisAtEveryStepAndBecomesPrimary() throws Exception {
        declare(greeterWithAnalysis("greeter:1.0.0", ERROR_RATE_CHECK));
        until("greeter", ServiceReport::converged);
        BlueGreenService v2 = greeterWithAnalysis("greeter:2.0.0", ERROR_RATE_CHECK);
        declare(v2);
        ServiceReport live = untilWithTraffic("greeter", r -> r.converged() && r.activeRevision().equals(Revision.of(v2.spec()).id()));
        assertThat(live.history().get(0).outcome()).isEqualTo(RolloutRecord.Outcome.Succeeded);
        // three steps (10%, 50%, the bake at 100%), each judged on a measurement of its own
        assertThat(counter("bluegreen.analysis.measurements", "service", "greeter", "check", "error-rate", "verdict", "PASSED"))
                .isGreaterThanOrEqualTo(3.0);
        assertThat(counter("bluegreen.analysis.measurements", "service", "greeter", "check", "error-rate", "verdict", "FAILED")).isZero();
        // before a step's first whole minute is in CloudWatch a measurement is PENDING, without a value
        assertThat(live.analysis()).allSatisfy(m -> assertThat(m.verdict() == io.ecsbluegreen.observed.Measurement.Verdict.PENDING
                || m.value() <= 0.05).isTrue());
    }

    @Test
    void aPrometheusQueryAboveItsThresholdRollsBackAndTheQueryNamesTheService() throws Exception {
        java.util.List<String> queries = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer prometheus = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        prometheus.createContext("/api/v1/query", exchange -> {
            queries.add(java.net.URLDecoder.decode(exchange.getRequestURI().getRawQuery(), StandardCharsets.UTF_8));
            byte[] body = """
                    {"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1700000000,"7.5"]}]}}"""
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        prometheus.start();
        try {
            String check = """
                      analysis:
                        interval: 30s
                        prometheusAddress: http://127.0.0.1:%d
                        checks:
                          - name: queue-depth
                            prometheus:
                              query: 'max(queue_depth{service="{{service}}"})'
                              max: 5
                      strategy:
                    """.formatted(prometheus.getAddress().getPort());
            declare(greeterWithAnalysis("greeter:1.0.0", check));
            until("greeter", ServiceReport::converged);
            declare(greeterWithAnalysis("greeter:2.0.0", check));
            ServiceReport rolledBack = until("greeter", r -> r.phase() == Phase.RolledBack);
            assertThat(rolledBack.message()).startsWith("AnalysisFailed: analysis check queue-depth failed 1 of 1")
                    .contains("7.5 outside <= 5");
            assertThat(queries).first().asString().isEqualTo("query=max(queue_depth{service=\"greeter\"})");
        } finally {
            prometheus.stop(0);
        }
    }

    @Test
    void aRevisionThatNeverTurnsHealthyRollsBackAndStaysRolledBackUntilRetried() throws Exception {
        declare(greeter("greeter:1.0.0"));
        until("greeter", ServiceReport::converged);
        BlueGreenService broken = greeter("greeter:9.9.9-broken");
        sim.imageBehaviours().set("ghcr.io/ecsbluegreen/greeter:9.9.9-broken", io.ecsbluegreen.sim.spi.ImageBehaviour.neverHealthy());
        declare(broken);
        ServiceReport rolledBack = until("greeter", r -> r.phase() == Phase.RolledBack);
        assertThat(rolledBack.reason()).isEqualTo("RevisionFailed");
        assertThat(rolledBack.message()).startsWith("ProgressDeadlineExceeded");
        assertThat(rolledBack.history().get(0).outcome()).isEqualTo(RolloutRecord.Outcome.RolledBack);
        assertThat(counter("bluegreen.rollouts", "service", "greeter", "outcome", "RolledBack")).isEqualTo(1.0);

        // Resyncs leave it rolled back: no new task set for the failed revision.
        long creates = sim.stats().calls("ecs", "CreateTaskSet");
        for (int i = 0; i < 5; i++) {
            engine.enqueueAll();
            engine.drain(100);
            advance(Duration.ofMinutes(1));
        }
        assertThat(sim.stats().calls("ecs", "CreateTaskSet")).isEqualTo(creates);
        assertThat(engine.command("greeter", Command.PROMOTE).accepted()).isFalse();

        Engine.CommandResult retry = engine.command("greeter", Command.RETRY);
        assertThat(retry.accepted()).as(retry.message()).isTrue();
        until("greeter", r -> r.phase() == Phase.Deploying);
        assertThat(sim.stats().calls("ecs", "CreateTaskSet")).isEqualTo(creates + 1);
    }

    @Test
    void manualPromotionWaitsForPromoteWhichIsRefusedInAnyOtherPhase() throws Exception {
        BlueGreenService catalog = parse("../examples/strategies/canary-manual.yaml", Map.of());
        declare(catalog);
        until("catalog", ServiceReport::converged);
        BlueGreenService next = parse("../examples/strategies/canary-manual.yaml", Map.of("greeter:1.0.0", "greeter:2.0.0"));
        declare(next);
        engine.drain(100);
        Engine.CommandResult early = engine.command("catalog", Command.PROMOTE);
        assertThat(early.accepted()).isFalse();
        assertThat(early.message()).contains("AwaitingPromotion").contains("Deploying");

        ServiceReport waiting = until("catalog", r -> r.phase() == Phase.AwaitingPromotion);
        advance(Duration.ofHours(1));
        engine.enqueueAll();
        engine.drain(100);
        assertThat(book.get("catalog").orElseThrow().phase()).isEqualTo(Phase.AwaitingPromotion);
        assertThat(waiting.testWeights()).isEqualTo(Map.of(Revision.of(next.spec()).id(), 100));

        assertThat(engine.command("catalog", Command.PROMOTE).accepted()).isTrue();
        ServiceReport shifting = until("catalog", r -> r.phase() == Phase.Shifting);
        assertThat(shifting.step()).isEqualTo(1);
        until("catalog", r -> r.converged() && r.activeRevision().equals(Revision.of(next.spec()).id()));
    }

    @Test
    void aRollbackAlarmFiringWhileGreenServesTestTrafficRollsBackAndSteadyServicesCostNoAlarmCalls() throws Exception {
        BlueGreenService v1 = parse("../examples/strategies/canary-manual.yaml", Map.of());
        declare(v1);
        until("catalog", ServiceReport::converged);
        sim.resetStats();
        engine.enqueueAll();
        engine.drain(100);
        assertThat(sim.stats().calls("monitoring", "DescribeAlarms")).as("steady: alarms not read").isZero();

        declare(parse("../examples/strategies/canary-manual.yaml", Map.of("greeter:1.0.0", "greeter:2.0.0")));
        until("catalog", r -> r.phase() == Phase.AwaitingPromotion);
        // The alarm is set by hand and must stay so: no metric evaluation turning it back to OK.
        sim.cloudwatch().alarmEvaluation(false);
        account.cloudWatch.setAlarmState(r -> r.alarmName("catalog-5xx-high").stateValue("ALARM").stateReason("test"));
        ServiceReport rolledBack = until("catalog", r -> r.phase() == Phase.RolledBack);
        assertThat(rolledBack.message()).isEqualTo("AlarmTriggered: alarm catalog-5xx-high is in ALARM");
        assertThat(rolledBack.productionWeights()).isEqualTo(Map.of(Revision.of(v1.spec()).id(), 100));
        assertThat(rolledBack.testWeights()).isEqualTo(Map.of(Revision.of(v1.spec()).id(), 100));
        assertThat(rolledBack.history().get(0).why()).contains("catalog-5xx-high");
    }

    @Test
    void aRollbackAlarmThatDoesNotExistStopsTheServiceBeforeAnythingIsCreated() throws Exception {
        declare(parse("../examples/strategies/canary-manual.yaml", Map.of("catalog-5xx-high", "catalog-typo")));
        engine.drain(100);
        ServiceReport failed = book.get("catalog").orElseThrow();
        assertThat(failed.phase()).isEqualTo(Phase.Failed);
        assertThat(failed.reason()).isEqualTo("AlarmNotFound");
        assertThat(failed.message()).contains("catalog-typo");
        assertThat(sim.stats().calls("ecs", "CreateService")).isZero();
    }

    @Test
    void abortDuringTheShiftPutsProductionBackOnBlueInOnePass() throws Exception {
        BlueGreenService v1 = greeter("greeter:1.0.0");
        declare(v1);
        until("greeter", ServiceReport::converged);
        declare(greeter("greeter:2.0.0"));
        until("greeter", r -> r.phase() == Phase.Shifting);
        assertThat(engine.command("greeter", Command.ABORT).accepted()).isTrue();
        long listenerChanges = sim.stats().calls("elasticloadbalancing", "ModifyListener");
        engine.drain(100);
        ServiceReport rolledBack = book.get("greeter").orElseThrow();
        assertThat(rolledBack.phase()).isEqualTo(Phase.RolledBack);
        // Production and test listeners each changed once.
        assertThat(sim.stats().calls("elasticloadbalancing", "ModifyListener") - listenerChanges).isEqualTo(2);
        assertThat(rolledBack.productionWeights()).isEqualTo(Map.of(Revision.of(v1.spec()).id(), 100));
        assertThat(rolledBack.history().get(0).outcome()).isEqualTo(RolloutRecord.Outcome.Aborted);
    }

    @Test
    void aTerminalOwnershipConflictIsNotRetriedUntilTheSpecChanges() throws Exception {
        String listener = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/demo/5f2b3c4d5e6f7a8b/1a2b3c4d5e6f7081";
        elb.addTags(r -> r.resourceArns(listener).tags(t -> t.key("ecsbluegreen.io/owner").value("someone-else")));
        declare(greeter("greeter:1.0.0"));
        engine.drain(100);
        ServiceReport failed = book.get("greeter").orElseThrow();
        assertThat(failed.phase()).isEqualTo(Phase.Failed);
        assertThat(failed.reason()).isEqualTo("OwnedByAnother");
        assertThat(failed.message()).contains("someone-else");

        long calls = sim.stats().totalCalls();
        for (int i = 0; i < 3; i++) {
            engine.enqueueAll();
            engine.drain(100);
            advance(Duration.ofMinutes(10));
        }
        assertThat(sim.stats().totalCalls()).as("a terminal service costs no AWS call at resync").isEqualTo(calls);
        assertThat(counter("bluegreen.reconcile", "result", "skipped")).isEqualTo(3.0);

        elb.removeTags(r -> r.resourceArns(listener).tagKeys("ecsbluegreen.io/owner"));
        declare(greeter("greeter:1.0.1"));
        until("greeter", ServiceReport::converged);
    }

    @Test
    void invalidAndOrphanedServicesAreReportedWithoutChangingAws() throws Exception {
        Map<String, DesiredService> map = new LinkedHashMap<>();
        map.put("broken", new DesiredService("broken", DesiredService.State.INVALID, null, null,
                List.of(new SpecError("broken.yaml", 7, 3, "spec.desiredCount", "must be at least 0"))));
        BlueGreenService v1 = greeter("greeter:1.0.0");
        map.put("greeter", new DesiredService("greeter", DesiredService.State.ORPHANED, v1,
                new Origin("dir:examples", "greeter.yaml", 1, "v1", null), List.of()));
        put(map);
        engine.drain(100);
        // The orphaned service is observed (it is still watched), never written to; the invalid one not even read.
        assertThat(sim.stats().calls().entrySet()).allSatisfy(e -> assertThat(e.getKey().action()).matches("(Describe|List|Get).*"));
        ServiceReport broken = book.get("broken").orElseThrow();
        assertThat(broken.phase()).isEqualTo(Phase.Invalid);
        assertThat(broken.message()).isEqualTo("broken.yaml:7:3: spec.desiredCount: must be at least 0");
        assertThat(broken.condition(Condition.SPEC_CURRENT).status()).isFalse();
        assertThat(book.get("greeter").orElseThrow().phase()).isEqualTo(Phase.Orphaned);

        put(Map.of());
        engine.drain(100);
        assertThat(book.all()).isEmpty();
        assertThat(registry.find("bluegreen.service.phase").gauges()).isEmpty();
    }

    @Test
    void awsFailuresBackOffKeepTheLastPhaseAndRecover() throws Exception {
        declare(greeter("greeter:1.0.0"));
        until("greeter", ServiceReport::converged);
        sim.faults().add(FaultRule.errors("ecs:DescribeServices", 1.0).withStatus(500).withErrorCode("ServerException"));
        long before = sim.stats().calls("ecs", "DescribeServices");
        engine.enqueueAll();
        for (int i = 0; i < 30; i++) {
            engine.drain(100);
            advance(Duration.ofSeconds(1));
        }
        ServiceReport failing = book.get("greeter").orElseThrow();
        assertThat(failing.phase()).isEqualTo(Phase.Steady);
        assertThat(failing.condition(Condition.RECONCILING).status()).isFalse();
        assertThat(failing.condition(Condition.RECONCILING).reason()).isEqualTo("ServerException");
        // Backoff 1 s, 2 s, 4 s, 8 s, 16 s: five passes in 30 s, not thirty.
        assertThat(failing.consecutiveFailures()).isBetween(4, 5);
        assertThat(counter("bluegreen.reconcile", "result", "error")).isBetween(4.0, 5.0);
        assertThat(sim.stats().calls("ecs", "DescribeServices") - before).isLessThan(30);

        sim.faults().clear();
        ServiceReport recovered = until("greeter", r -> r.consecutiveFailures() == 0);
        assertThat(recovered.condition(Condition.RECONCILING).status()).isTrue();
        assertThat(recovered.converged()).isTrue();
    }

    @Test
    void throttledReadsSlowTheWholeLoopWithoutBackingTheServiceOffAndTheRateRecovers() throws Exception {
        declare(greeter("greeter:1.0.0"));
        until("greeter", ServiceReport::converged);
        double configured = engine.rate();
        sim.faults().add(FaultRule.errors("ecs:DescribeServices", 1.0).withStatus(400).withErrorCode("ThrottlingException"));
        for (int i = 0; i < 10; i++) {
            engine.enqueueAll();
            engine.drain(100);
            advance(Duration.ofSeconds(2));
        }
        assertThat(engine.rate()).as("halved once a second, not below 1").isLessThan(configured / 4).isGreaterThanOrEqualTo(1.0);
        ServiceReport throttled = book.get("greeter").orElseThrow();
        assertThat(throttled.condition(Condition.RECONCILING).reason()).isEqualTo("Throttled");
        assertThat(throttled.phase()).isEqualTo(Phase.Steady);
        assertThat(counter("bluegreen.reconcile", "result", "throttled")).isGreaterThanOrEqualTo(5);
        assertThat(counter("bluegreen.reconcile", "result", "error")).isZero();

        sim.faults().clear();
        for (int i = 0; i < 60 && engine.rate() < configured; i++) {
            engine.enqueueAll();
            engine.drain(100);
            advance(Duration.ofSeconds(1));
        }
        assertThat(engine.rate()).isEqualTo(configured);
        assertThat(book.get("greeter").orElseThrow().condition(Condition.RECONCILING).status()).isTrue();
    }

    @Test
    void servicesQueuedTogetherAreObservedInOneBatch() throws Exception {
        declare(greeter("greeter:1.0.0"), parse("../examples/strategies/all-at-once.yaml", Map.of()),
                parse("../examples/strategies/linear.yaml", Map.of()), parse("../examples/strategies/canary-manual.yaml", Map.of()));
        until("greeter", r -> book.all().size() == 4 && book.all().stream().allMatch(ServiceReport::converged));
        sim.resetStats();
        engine.enqueueAll();
        assertThat(engine.drain(100)).isEqualTo(4);
        assertThat(sim.stats().calls("ecs", "DescribeServices")).isEqualTo(1);
        assertThat(sim.stats().calls("elasticloadbalancing", "DescribeListeners")).isEqualTo(1);
        assertThat(sim.stats().totalCalls()).as("a steady pass over four services: " + sim.stats().calls()).isLessThanOrEqualTo(3);
    }

    /**
     * Issue 10, defect 10 end to end: a spec naming no launch type or capacity provider goes live on a cluster
     * whose default strategy is Fargate, where CreateTaskSet refuses a task definition that does not require
     * FARGATE. The code before the fix stays in Deploying on that refusal (tools/before-fix/A's
     * FargateByClusterDefaultBeforeFixTest plays this scenario on it).
     */
    @Test
    void aSpecWithoutPlacementGoesLiveOnAClusterWhoseDefaultStrategyIsFargate() throws Exception {
        account.ecs.createCluster(b -> b.clusterName("fargate-default").capacityProviders("FARGATE")
                .defaultCapacityProviderStrategy(s -> s.capacityProvider("FARGATE").weight(1)));
        BlueGreenService greeter = parse("../examples/greeter/greeter.yaml",
                Map.of("  launchType: FARGATE\n", "", "cluster: demo", "cluster: fargate-default"));
        assertThat(greeter.spec().launchType()).as("the edit took the placement out").isNull();
        assertThat(greeter.spec().capacityProviderStrategy()).isNullOrEmpty();
        declare(greeter);

        ServiceReport live = until("greeter", ServiceReport::converged);

        assertThat(live.activeRevision()).isEqualTo(Revision.of(greeter.spec()).id());
    }
}

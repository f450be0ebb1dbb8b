package io.ecsbluegreen.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecsbluegreen.desired.DesiredService;
import io.ecsbluegreen.desired.DesiredState;
import io.ecsbluegreen.desired.Origin;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.plan.Command;
import io.ecsbluegreen.model.Phase;
import io.ecsbluegreen.plan.Revision;
import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.lambda.LambdaHandler;
import io.ecsbluegreen.sim.model.ModelCheckRecord;
import io.ecsbluegreen.sim.spi.ImageBehaviour;
import io.ecsbluegreen.spec.SpecParser;
import io.ecsbluegreen.status.ServiceReport;
import io.ecsbluegreen.status.StatusBook;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.NetworkMode;

/**
 * Every request of a full demo rollout, replayed through the simulator's check against the AWS service
 * models: a canary with lifecycle hooks (Lambda, HTTP, ECS task) and analysis, a revert, a rollback and
 * its retry, an abort, a failed analysis, and a manual promotion. The operator must send nothing the models reject.
 */
class ModelCheckReplayOnSimulatorTest {

    static final String PRODUCTION_LISTENER =
            "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/demo/5f2b3c4d5e6f7a8b/1a2b3c4d5e6f7081";
    static final String HOOKS_AND_ANALYSIS = """
              hooks:
                beforeInstall:
                  - name: gate
                    lambda: {function: check}
                afterInstall:
                  - name: migrate
                    task: {taskDefinition: migrate:1}
                afterAllowTestTraffic:
                  - name: smoke
                    http: {url: "{testEndpoint}/", expectStatus: [200]}
                afterAllowTraffic:
                  - name: verify
                    lambda: {function: check}
            """ + EngineOnSimulatorTest.ERROR_RATE_CHECK;

    SimAccount account;
    AwsSimulator sim;
    StatusBook book;
    Engine engine;
    final AtomicReference<DesiredState> desired = new AtomicReference<>(DesiredState.EMPTY);
    final Map<String, DesiredService> declared = new LinkedHashMap<>();
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        account = new SimAccount();
        sim = account.sim;
        sim.modelCheck().startRecording();
        sim.imageBehaviours().set("ghcr.io/ecsbluegreen/migrate:1", ImageBehaviour.exitsAfter(Duration.ofSeconds(20), 0));
        account.ecs.registerTaskDefinition(r -> r.family("migrate").networkMode(NetworkMode.AWSVPC).cpu("256").memory("512")
                .requiresCompatibilitiesWithStrings("FARGATE")
                .containerDefinitions(c -> c.name("migrate").image("ghcr.io/ecsbluegreen/migrate:1").command("migrate", "up")));
        sim.lambda().register("check", LambdaHandler.ofText((payload, context) -> "{\"status\":\"Succeeded\"}"));
        book = new StatusBook(sim.clock());
        Reconciler reconciler = account.reconciler(book::measured);
        // No metrics: this test reads only the status book and the simulator's record.
        engine = new Engine(desired::get, region -> reconciler, sim.clock(), Engine.Settings.DEFAULT, book,
                Engine.Ownership.ALL, (service, result, took, plan) -> { });
    }

    @AfterEach
    void stop() {
        engine.close();
        account.close();
    }

    @Test
    void aFullDemoRolloutSendsNothingTheServiceModelsReject() throws Exception {
        BlueGreenService v1 = greeter("greeter:1.0.0");
        declare(v1);
        until("greeter", liveOn(v1));

        BlueGreenService v2 = greeter("greeter:2.0.0");
        declare(v2);
        until("greeter", liveOn(v2));

        // Revert: the earlier revision declared again rolls out like any other.
        declare(v1);
        until("greeter", liveOn(v1));

        // A revision that never turns healthy rolls back; once its image is fixed, a retry takes it live.
        String broken = "ghcr.io/ecsbluegreen/greeter:9.9.9-broken";
        sim.imageBehaviours().set(broken, ImageBehaviour.neverHealthy());
        BlueGreenService v9 = greeter("greeter:9.9.9-broken");
        declare(v9);
        until("greeter", r -> r.phase() == Phase.RolledBack);
        sim.imageBehaviours().set(broken, ImageBehaviour.healthy());
        assertThat(engine.command("greeter", Command.RETRY).accepted()).isTrue();
        until("greeter", liveOn(v9));

        // An abort during the shift.
        declare(greeter("greeter:3.0.0"));
        until("greeter", r -> r.phase() == Phase.Shifting);
        assertThat(engine.command("greeter", Command.ABORT).accepted()).isTrue();
        until("greeter", r -> r.phase() == Phase.RolledBack);

        // Manual promotion.
        BlueGreenService catalog = parse("../examples/strategies/canary-manual.yaml", Map.of());
        declare(catalog);
        until("catalog", liveOn(catalog));
        BlueGreenService next = parse("../examples/strategies/canary-manual.yaml", Map.of("greeter:1.0.0", "greeter:2.0.0"));
        declare(next);
        until("catalog", r -> r.phase() == Phase.AwaitingPromotion);
        assertThat(engine.command("catalog", Command.PROMOTE).accepted()).isTrue();
        until("catalog", liveOn(next));

        // Last, as a rollback that cannot write its bookkeeping would stop the scenario: a green that
        // answers errors fails its analysis and rolls back.
        sim.imageBehaviours().set("ghcr.io/ecsbluegreen/greeter:4.0.0", ImageBehaviour.erroring(0.5));
        declare(greeter("greeter:4.0.0"));
        until("greeter", r -> r.phase() == Phase.RolledBack && r.message().startsWith("AnalysisFailed"));

        List<ModelCheckRecord> recorded = sim.modelCheck().recorded();
        assertThat(sim.modelCheck().droppedRecords()).isZero();
        assertThat(recorded).extracting(ModelCheckRecord::operation).contains("CreateTaskSet", "UpdateServicePrimaryTaskSet",
                "DeleteTaskSet", "RunTask", "DescribeTasks", "ModifyListener", "DescribeTargetHealth", "Invoke",
                "GetMetricData");
        assertThat(violations()).as("requests the service models reject, of %d checked", recorded.size()).isEmpty();
    }

    static Predicate<ServiceReport> liveOn(BlueGreenService s) {
        return r -> r.converged() && Revision.of(s.spec()).id().equals(r.activeRevision());
    }

    static BlueGreenService parse(String file, Map<String, String> edits) throws Exception {
        String yaml = Files.readString(Path.of(file));
        for (Map.Entry<String, String> e : edits.entrySet()) {
            yaml = yaml.replace(e.getKey(), e.getValue());
        }
        var parsed = new SpecParser().parse(file, yaml.getBytes(StandardCharsets.UTF_8));
        assertThat(parsed.errors()).as(yaml).isEmpty();
        return parsed.services().get(0).service();
    }

    static BlueGreenService greeter(String image) throws Exception {
        return parse("../examples/greeter/greeter.yaml", Map.of("greeter:1.0.0", image, "  strategy:\n", HOOKS_AND_ANALYSIS));
    }

    void declare(BlueGreenService s) {
        declared.put(s.name(), new DesiredService(s.name(), DesiredService.State.READY, s,
                new Origin("dir:examples", s.name() + ".yaml", 1, "v1", null), List.of()));
        DesiredState state = new DesiredState(new LinkedHashMap<>(declared), List.of());
        desired.set(state);
        engine.desiredChanged(state);
    }

    /** The distinct violations of the recorded requests, by operation, for the failure message. */
    Map<String, Set<String>> violations() {
        return sim.modelCheck().recorded().stream().filter(r -> !r.violations().isEmpty())
                .collect(Collectors.groupingBy(r -> r.service() + ":" + r.operation(), LinkedHashMap::new,
                        Collectors.flatMapping(r -> r.violations().stream().map(Object::toString),
                                Collectors.toCollection(LinkedHashSet::new))));
    }

    /**
     * Drains and advances simulated time 5 s a round, sending ten requests through the production
     * listener each round (the analysis measures them), waiting before each pass for the measurements
     * under way on their own threads to end, and before each move of the clock for the hook calls. Bounded to 1440
     * rounds (2 simulated hours).
     */
    ServiceReport until(String name, Predicate<ServiceReport> done) throws Exception {
        var listener = account.elb.describeListeners(r -> r.listenerArns(PRODUCTION_LISTENER)).listeners().get(0);
        URI production = URI.create("http://127.0.0.1:" + listener.port() + "/");
        for (int i = 0; i < 1440; i++) {
            for (int k = 0; k < 10; k++) {
                http.send(HttpRequest.newBuilder(production).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
            }
            // the measurements the last pass started end before this pass reads them: awaited, not timed
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(2)).until(() -> !account.measuring(name));
            engine.drain(1000);
            ServiceReport r = book.get(name).orElse(null);
            if (r != null && done.test(r)) {
                return r;
            }
            // the hooks this pass started end (or wait on the clock alone) before the clock moves, so no answer
            // on its way loses to the clock, which alone decides their timeouts: awaited, not timed
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(2)).until(account::hooksWaitOnClockOnly);
            sim.clock().advance(Duration.ofSeconds(5));
        }
        throw new AssertionError(name + " never reached the condition; last report " + book.get(name).orElse(null)
                + "; of " + sim.modelCheck().recorded().size() + " checked requests, the service models rejected: " + violations());
    }
}

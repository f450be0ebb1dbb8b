package io.ecsbluegreen.loop;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.ecsbluegreen.hooks.HookRun;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.model.Phase;
import io.ecsbluegreen.plan.Revision;
import io.ecsbluegreen.sim.lambda.LambdaHandler;
import io.ecsbluegreen.status.ServiceReport;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lifecycle hooks end to end on the simulator: Lambda functions registered by the test, a real local
 * HTTP server, and the greeter's test listener behind {@code {testEndpoint}}. Hooks run on the runner's
 * own threads in real time while the rollout runs on simulated time.
 */
class HooksOnSimulatorTest {
    SimAccount account;
    HookedOperator operator;
    HttpServer server;
    final AtomicInteger serverCalls = new AtomicInteger();
    final AtomicInteger serverStatus = new AtomicInteger(200);
    final List<String> payloads = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        account = new SimAccount();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/check", exchange -> {
            serverCalls.incrementAndGet();
            byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(serverStatus.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        operator = new HookedOperator(account);
    }

    @AfterEach
    void stop() throws Exception {
        operator.close();
        server.stop(0);
        account.close();
    }

    /** A function answering {@code answer} and recording each payload it gets. */
    void function(String name, String... answers) {
        AtomicInteger calls = new AtomicInteger();
        account.sim.lambda().register(name, LambdaHandler.ofText((payload, context) -> {
            payloads.add(payload);
            int n = calls.getAndIncrement();
            return answers[Math.min(n, answers.length - 1)];
        }));
    }

    BlueGreenService greeter(String image, String hooks) throws Exception {
        return HookedOperator.greeter(image, hooks);
    }

    void declare(BlueGreenService s) {
        operator.declare(s);
    }

    ServiceReport until(Predicate<ServiceReport> done) throws InterruptedException {
        return operator.until(done);
    }

    void liveOnV1(String hooks) throws Exception {
        declare(greeter("greeter:1.0.0", hooks));
        until(ServiceReport::converged);
    }

    static final String ALL_POINTS = """
            hooks:
              beforeInstall:
                - name: migrate
                  lambda: {function: check}
              afterInstall:
                - name: warm
                  lambda: {function: check}
              afterAllowTestTraffic:
                - name: smoke
                  http: {url: "{testEndpoint}/", expectStatus: [200], bodyPattern: "greeter:2.0.0"}
                - name: external
                  http: {url: "http://127.0.0.1:PORT/check", retries: 0}
              beforeAllowTraffic:
                - name: gate
                  lambda: {function: check}
              afterAllowTraffic:
                - name: verify
                  lambda: {function: check}
            """;

    @Test
    void hooksAtAllFivePointsRunInCodeDeploysOrderAndAreRecorded() throws Exception {
        function("check", "{\"status\":\"Succeeded\"}");
        String hooks = ALL_POINTS.replace("PORT", String.valueOf(server.getAddress().getPort()));
        liveOnV1(hooks);
        payloads.clear();
        BlueGreenService v2 = greeter("greeter:2.0.0", hooks);
        declare(v2);
        ServiceReport done = until(r -> r.converged() && r.activeRevision().equals(Revision.of(v2.spec()).id()));
        assertThat(done.hooks()).extracting(HookRun::point, HookRun::name, HookRun::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("afterAllowTraffic", "verify", "Succeeded"),
                org.assertj.core.groups.Tuple.tuple("beforeAllowTraffic", "gate", "Succeeded"),
                org.assertj.core.groups.Tuple.tuple("afterAllowTestTraffic", "external", "Succeeded"),
                org.assertj.core.groups.Tuple.tuple("afterAllowTestTraffic", "smoke", "Succeeded"),
                org.assertj.core.groups.Tuple.tuple("afterInstall", "warm", "Succeeded"),
                org.assertj.core.groups.Tuple.tuple("beforeInstall", "migrate", "Succeeded"));
        assertThat(payloads).hasSize(4);
        assertThat(payloads.get(0)).contains("\"hookPoint\":\"beforeInstall\"").contains("\"taskSet\":null")
                .contains("\"revision\":\"" + Revision.of(v2.spec()).id() + "\"").contains("\"attempt\":1")
                .contains("\"testEndpoint\":\"http://127.0.0.1:");
        assertThat(payloads.get(1)).contains("\"hookPoint\":\"afterInstall\"").contains("\"taskSet\":\"arn:aws:ecs:");
        assertThat(serverCalls.get()).isEqualTo(1);
        assertThat(operator.registry.find("bluegreen.hook.runs").tags("point", "afterAllowTestTraffic", "kind", "http", "outcome", "Succeeded")
                .counter().count()).isEqualTo(2.0);
    }

    @Test
    void aFailingHookAfterTestTrafficRollsBackAndSaysWhich() throws Exception {
        function("check", "{\"status\":\"Failed\",\"reason\":\"checkout broken\"}");
        String hooks = """
                hooks:
                  afterAllowTestTraffic:
                    - name: smoke
                      lambda: {function: check}
                """;
        liveOnV1(hooks);
        declare(greeter("greeter:2.0.0", hooks));
        ServiceReport rolledBack = until(r -> r.phase() == Phase.RolledBack);
        assertThat(rolledBack.message()).startsWith("HookFailed: afterAllowTestTraffic hook smoke failed: ")
                .contains("checkout broken");
        assertThat(rolledBack.hooks().get(0).outcome()).isEqualTo("Failed");
    }

    @Test
    void aFailureWithOnFailureIgnoreLetsTheRolloutGoOn() throws Exception {
        serverStatus.set(503);
        String hooks = """
                hooks:
                  afterInstall:
                    - name: optional
                      onFailure: ignore
                      http: {url: "http://127.0.0.1:PORT/check", retries: 1, retryBackoff: 100ms}
                """.replace("PORT", String.valueOf(server.getAddress().getPort()));
        liveOnV1(hooks);
        BlueGreenService v2 = greeter("greeter:2.0.0", hooks);
        declare(v2);
        ServiceReport done = until(r -> r.converged() && r.activeRevision().equals(Revision.of(v2.spec()).id()));
        assertThat(done.hooks().get(0).outcome()).isEqualTo("Failed");
        assertThat(done.hooks().get(0).attempts()).isEqualTo(2);
        assertThat(done.hooks().get(0).detail()).startsWith("HTTP 503");
    }

    @Test
    void aFailedBeforeInstallHookStopsTheRevisionBeforeGreenExists() throws Exception {
        account.sim.lambda().register("check", (payload, context) -> {
            throw new IllegalStateException("migration refused");
        });
        String hooks = """
                hooks:
                  beforeInstall:
                    - name: migrate
                      lambda: {function: check}
                """;
        liveOnV1(hooks);
        long taskSets = account.sim.stats().calls("ecs", "CreateTaskSet");
        declare(greeter("greeter:2.0.0", hooks));
        ServiceReport failed = until(r -> r.phase() == Phase.RolledBack);
        assertThat(failed.message()).contains("beforeInstall hook migrate failed: function error Unhandled");
        assertThat(account.sim.stats().calls("ecs", "CreateTaskSet")).isEqualTo(taskSets);
    }

    @Test
    void anInProgressAnswerIsPolledUntilTheFunctionIsDone() throws Exception {
        function("slow", "{\"status\":\"InProgress\"}", "{\"status\":\"InProgress\"}", "{\"status\":\"Succeeded\"}");
        String hooks = """
                hooks:
                  afterInstall:
                    - name: migrate
                      lambda: {function: slow, pollInterval: 1s}
                """;
        liveOnV1(hooks);
        payloads.clear();
        BlueGreenService v2 = greeter("greeter:2.0.0", hooks);
        declare(v2);
        ServiceReport done = until(r -> r.converged() && r.activeRevision().equals(Revision.of(v2.spec()).id()));
        assertThat(done.hooks().get(0).attempts()).isEqualTo(3);
        assertThat(payloads).extracting(p -> p.replaceAll(".*\"attempt\":(\\d+).*", "$1")).containsExactly("1", "2", "3");
    }

    @Test
    void aHookThatSucceededIsNotRunAgainAfterARestart() throws Exception {
        AtomicInteger warm = new AtomicInteger();
        account.sim.lambda().register("warm", (payload, context) -> {
            warm.incrementAndGet();
            return "{}".getBytes(StandardCharsets.UTF_8);
        });
        function("gate", "{\"status\":\"InProgress\"}");
        String hooks = """
                hooks:
                  afterInstall:
                    - name: warm
                      lambda: {function: warm}
                  afterAllowTestTraffic:
                    - name: gate
                      timeout: 1h
                      lambda: {function: gate, pollInterval: 1s}
                """;
        liveOnV1(hooks);
        declare(greeter("greeter:2.0.0", hooks));
        until(r -> r.message() != null && r.message().contains("afterAllowTestTraffic hook gate"));
        assertThat(warm.get()).isEqualTo(1);

        // Killed while gate is in flight: warm's success is on green's tag, gate runs again.
        int gateCallsBefore = payloads.size();
        operator.restart();
        function("gate", "{\"status\":\"Succeeded\"}");
        ServiceReport done = until(ServiceReport::converged);
        assertThat(warm.get()).as("warm is not run again").isEqualTo(1);
        assertThat(payloads.size()).isGreaterThan(gateCallsBefore);
        assertThat(done.hooks()).extracting(HookRun::name).containsExactly("gate");
    }
}

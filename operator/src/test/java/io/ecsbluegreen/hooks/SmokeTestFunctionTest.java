package io.ecsbluegreen.hooks;

import io.ecsbluegreen.plan.HookCall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.ecsbluegreen.model.FailurePolicy;
import io.ecsbluegreen.model.HookSpec;
import io.ecsbluegreen.model.LambdaHook;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The example Lambda function of examples/hooks/ run with python3 on payloads the real runner builds,
 * against a real HTTP server on 127.0.0.1 standing in for the load balancer. Skipped without python3.
 */
class SmokeTestFunctionTest {
    static final String FUNCTION = "../examples/hooks/smoke_test.py";
    static final String PRODUCTION = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/demo/5f2b3c4d5e6f7a8b/1a2b3c4d5e6f7081/00000000000000c1";
    static final String TEST = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/demo/5f2b3c4d5e6f7a8b/9a8b7c6d5e4f3021/00000000000000c2";

    static String python;

    HttpServer server;
    HookRunner runner;
    final AtomicInteger status = new AtomicInteger(200);
    final List<String> hosts = new CopyOnWriteArrayList<>();
    final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void findPython() {
        python = runs("python3") ? "python3" : null;
        assumeTrue(python != null, "python3 is not on PATH, so the example function in " + FUNCTION + " is not run");
    }

    static boolean runs(String command) {
        try {
            Process p = new ProcessBuilder(command, "--version").redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                hosts.add(exchange.getRequestHeaders().getFirst("Host"));
                byte[] body = (exchange.getRequestURI().getPath().equals("/health") ? "ok" : "<h1>Bonjour</h1>")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status.get(), body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        // the load balancer's rules: production and test match different hosts, so the test sees which was used
        EndpointResolver listeners = arn -> new EndpointResolver.Endpoint(base,
                arn.equals(PRODUCTION) ? "orders.example.com" : "orders-test.example.com");
        runner = new HookRunner((function, qualifier, payload) -> {
            throw new UnsupportedOperationException("not invoked here");
        }, null /* no task hooks here */, listeners, HttpClient.newHttpClient(), Clock.systemUTC(), (service, run) -> { }, service -> { }, 1);
    }

    @AfterEach
    void stop() {
        runner.close();
        server.stop(0);
    }

    /** The payload the operator sends for the hook {@code smoke} at this point. */
    String payload(String point, int attempt) {
        HookSpec smoke = new HookSpec("smoke", Duration.ofMinutes(3), FailurePolicy.ROLLBACK,
                new LambdaHook("orders-smoke-test", null, Duration.ofSeconds(20)), null, null);
        String taskSet = point.equals("beforeInstall") ? null
                : "arn:aws:ecs:us-east-1:000000000000:task-set/demo/orders/ecs-svc/7041284513937480541";
        return runner.payload(new HookCall("orders", "r-5d41402abc4b", point, 0, smoke, "demo", "orders", taskSet, PRODUCTION, TEST, null),
                attempt);
    }

    /** Runs the function on a payload; its answer. Bounded: the process gets 30 s. */
    JsonNode call(String payload, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(python, FUNCTION);
        pb.environment().keySet().removeAll(List.of("CHECK_PATHS", "EXPECT_STATUS", "EXPECT_BODY", "REQUEST_TIMEOUT", "MAX_ATTEMPTS"));
        pb.environment().putAll(env);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(payload.getBytes(StandardCharsets.UTF_8));
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(FUNCTION + " did not answer within 30 s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        return json.readTree(out);
    }

    @Test
    void whenGreenPassesTheFunctionAnswersSucceededAfterCallingTheTestRuleWithItsHost() throws Exception {
        JsonNode answer = call(payload("afterAllowTestTraffic", 1), Map.of("CHECK_PATHS", "/health,/", "EXPECT_BODY", "ok|Bonjour"));

        assertThat(answer.path("status").asText()).isEqualTo("Succeeded");
        assertThat(answer.path("reason").asText()).startsWith("2 check(s) passed on http://127.0.0.1:");
        assertThat(hosts).containsExactly("orders-test.example.com", "orders-test.example.com");
    }

    @Test
    void whenACheckKeepsFailingTheFunctionAnswersInProgressThenFailedAtTheLastAttempt() throws Exception {
        status.set(503);

        JsonNode first = call(payload("beforeAllowTraffic", 1), Map.of());
        JsonNode last = call(payload("beforeAllowTraffic", 3), Map.of());

        assertThat(first.path("status").asText()).isEqualTo("InProgress");
        assertThat(first.path("reason").asText()).startsWith("attempt 1 of 3: GET http://127.0.0.1:").contains("/health answered 503");
        assertThat(last.path("status").asText()).isEqualTo("Failed");
        assertThat(last.path("reason").asText()).contains("/health answered 503: ok");
    }

    @Test
    void aBodyThatDoesNotMatchFailsAtOnceWithOneAttempt() throws Exception {
        JsonNode answer = call(payload("afterAllowTestTraffic", 1), Map.of("CHECK_PATHS", "/", "EXPECT_BODY", "Hello", "MAX_ATTEMPTS", "1"));

        assertThat(answer.path("status").asText()).isEqualTo("Failed");
        assertThat(answer.path("reason").asText()).contains("body does not match /Hello/: <h1>Bonjour</h1>");
    }

    @Test
    void afterAllowTrafficItChecksProductionWithTheProductionRulesHost() throws Exception {
        JsonNode answer = call(payload("afterAllowTraffic", 1), Map.of());

        assertThat(answer.path("status").asText()).isEqualTo("Succeeded");
        assertThat(hosts).containsExactly("orders.example.com");
    }

    @Test
    void atAPointWhereNoListenerServesGreenItFailsAndCallsNothing() throws Exception {
        for (String point : List.of("beforeInstall", "afterInstall")) {
            JsonNode answer = call(payload(point, 1), Map.of());
            assertThat(answer.path("status").asText()).as(point).isEqualTo("Failed");
            assertThat(answer.path("reason").asText()).as(point).startsWith("no listener serves green at " + point);
        }
        assertThat(hosts).isEmpty();
    }
}

package io.ecsbluegreen.sim.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.SimulatorConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/** Functions whose code is a local HTTP endpoint, exercised against a real server on loopback. */
class UrlFunctionTest {

    /** One canned answer of the local hook server. */
    private record Answer(int status, String body, Map<String, String> headers) {}

    private AwsSimulator sim;
    private LambdaClient lambda;
    private HttpServer hookServer;
    private ExecutorService hookThreads;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<Map<String, String>> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        sim = AwsSimulator.start(SimulatorConfig.defaults());
        lambda = LambdaServiceTest.client(sim);
        hookServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        hookThreads = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "hook-server");
            t.setDaemon(true);
            return t;
        });
        hookServer.setExecutor(hookThreads);
        hookServer.createContext("/", this::serve);
        hookServer.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        lambda.close();
        sim.close();
        hookServer.stop(0);
        hookThreads.shutdownNow();
    }

    private void serve(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.add(Map.of(
                "path", exchange.getRequestURI().getPath(),
                "method", exchange.getRequestMethod(),
                "body", body,
                "requestId", String.valueOf(exchange.getRequestHeaders().getFirst("Lambda-Runtime-Aws-Request-Id")),
                "arn", String.valueOf(exchange.getRequestHeaders().getFirst("Lambda-Runtime-Invoked-Function-Arn")),
                "deadline", String.valueOf(exchange.getRequestHeaders().getFirst("Lambda-Runtime-Deadline-Ms"))));
        if (exchange.getRequestURI().getPath().equals("/slow")) {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Answer answer = answers.getOrDefault(exchange.getRequestURI().getPath(), new Answer(404, "no such hook", Map.of()));
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        answer.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        try (OutputStream out = exchange.getResponseBody()) {
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            out.write(bytes);
        } catch (IOException e) {
            // the simulator gave up waiting: nothing to answer
        }
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + hookServer.getAddress().getPort() + path);
    }

    private InvokeResponse invoke(String function, String payload) {
        return lambda.invoke(b -> b.functionName(function).payload(SdkBytes.fromUtf8String(payload)));
    }

    @Test
    void aUrlFunctionForwardsThePayloadAndAnswersTheResponseBody() {
        answers.put("/hook", new Answer(200, "{\"status\":\"Succeeded\"}", Map.of()));
        sim.lambda().registerUrl("url-hook", url("/hook"));

        InvokeResponse response = invoke("url-hook", "{\"deploymentId\":\"d-7\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.functionError()).isNull();
        assertThat(response.payload().asUtf8String()).isEqualTo("{\"status\":\"Succeeded\"}");
        assertThat(received).singleElement().satisfies(r -> {
            assertThat(r).containsEntry("method", "POST").containsEntry("body", "{\"deploymentId\":\"d-7\"}")
                    .containsEntry("requestId", response.responseMetadata().requestId())
                    .containsEntry("arn", "arn:aws:lambda:eu-west-1:000000000000:function:url-hook");
            assertThat(Long.parseLong(r.get("deadline")))
                    .isEqualTo(sim.clock().instant().plusSeconds(3).toEpochMilli());
        });
        assertThat(sim.lambda().invocations("url-hook")).singleElement()
                .satisfies(i -> assertThat(i.payloadAsString()).isEqualTo("{\"deploymentId\":\"d-7\"}"));
    }

    @Test
    void aNon2xxAnswerIsAnUnhandledFunctionError() {
        answers.put("/hook", new Answer(500, "boom", Map.of()));
        sim.lambda().registerUrl("url-hook", url("/hook"));

        InvokeResponse response = invoke("url-hook", "{}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.functionError()).isEqualTo("Unhandled");
        assertThat(response.payload().asUtf8String()).isEqualTo("{\"errorMessage\":\"POST " + url("/hook")
                + " answered HTTP 500: boom\",\"errorType\":\"Simulator.UrlFunctionHttpError\"}");
    }

    @Test
    void aNon2xxAnswerShapedAsALambdaErrorPassesThrough() {
        String error = "{\"errorMessage\":\"canary failed\",\"errorType\":\"HookFailed\"}";
        answers.put("/hook", new Answer(502, error, Map.of()));
        sim.lambda().registerUrl("url-hook", url("/hook"));

        InvokeResponse response = invoke("url-hook", "{}");

        assertThat(response.functionError()).isEqualTo("Unhandled");
        assertThat(response.payload().asUtf8String()).isEqualTo(error);
    }

    @Test
    void aSuccessfulAnswerDeclaringAFunctionErrorIsHandled() {
        String error = "{\"errorMessage\":\"not yet\",\"errorType\":\"Retry\"}";
        answers.put("/hook", new Answer(200, error, Map.of("X-Amz-Function-Error", "Handled")));
        sim.lambda().registerUrl("url-hook", url("/hook"));

        InvokeResponse response = invoke("url-hook", "{}");

        assertThat(response.functionError()).isEqualTo("Handled");
        assertThat(response.payload().asUtf8String()).isEqualTo(error);
    }

    @Test
    void aConnectionFailureIsAnUnhandledFunctionError() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        sim.lambda().registerUrl("gone", URI.create("http://127.0.0.1:" + closedPort + "/hook"));

        InvokeResponse response = invoke("gone", "{}");

        assertThat(response.functionError()).isEqualTo("Unhandled");
        assertThat(response.payload().asUtf8String())
                .contains("\"errorType\":\"Simulator.UrlFunctionUnreachable\"")
                .contains("POST http://127.0.0.1:" + closedPort + "/hook failed");
    }

    @Test
    void aUrlThatAnswersTooLateTimesOut() {
        answers.put("/slow", new Answer(200, "{}", Map.of()));
        sim.lambda().registerUrl("slow-hook", url("/slow")).timeout(Duration.ofMillis(300));

        InvokeResponse response = invoke("slow-hook", "{}");

        assertThat(response.functionError()).isEqualTo("Unhandled");
        assertThat(response.payload().asUtf8String()).contains("Task timed out after 0.30 seconds")
                .contains("Sandbox.Timedout");
    }
}

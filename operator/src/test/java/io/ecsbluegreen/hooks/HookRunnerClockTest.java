package io.ecsbluegreen.hooks;

import io.ecsbluegreen.plan.HookCall;
import io.ecsbluegreen.plan.TaskPlacement;
import io.ecsbluegreen.observed.HookResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ecsbluegreen.model.FailurePolicy;
import io.ecsbluegreen.model.HookSpec;
import io.ecsbluegreen.model.HttpHook;
import io.ecsbluegreen.model.HttpMethod;
import io.ecsbluegreen.model.LambdaHook;
import io.ecsbluegreen.sim.SimClock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lambda and http hooks of {@link HookRunner} on a virtual clock: their timeouts, polls and retry backoffs
 * are decided by the runner's clock alone. Real time runs on while the clock stands (Awaitility's
 * {@code during}) and changes nothing; moving the clock does.
 */
class HookRunnerClockTest {
    static final HookRunner.TaskPolling LOOK_OFTEN = new HookRunner.TaskPolling(Duration.ofSeconds(5), Duration.ofMillis(5));
    /** Real time the tests let pass while the clock stands, many times every timeout the hooks have on the clock. */
    static final Duration STANDING = Duration.ofMillis(400);

    final SimClock clock = SimClock.virtual(Instant.parse("2025-01-01T00:00:00Z"));
    final List<HookRun> finished = new CopyOnWriteArrayList<>();
    final AtomicInteger calls = new AtomicInteger();
    /** Lets held calls go at the end of a test. */
    final CountDownLatch released = new CountDownLatch(1);
    HookRunner runner;
    HttpServer server;
    ExecutorService serverThreads;

    @BeforeEach
    void start() throws IOException {
        serverThreads = Executors.newFixedThreadPool(2);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(serverThreads);
        server.start();
    }

    @AfterEach
    void stop() {
        released.countDown();
        if (runner != null) runner.close();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    void runner(LambdaPort lambda) {
        runner = new HookRunner(lambda, null, arn -> new EndpointResolver.Endpoint("http://127.0.0.1:1", null),
                HttpClient.newHttpClient(), clock, (service, run) -> finished.add(run), service -> { }, 2, LOOK_OFTEN);
    }

    /** An endpoint at {@code /hook} answering the status {@code script} gives for the n-th call; 0 holds the call. */
    String endpoint(IntUnaryOperator script) {
        server.createContext("/hook", exchange -> {
            try (exchange) {
                int status = script.applyAsInt(calls.incrementAndGet());
                if (status == 0) {
                    hold();
                    status = 200;
                }
                respond(exchange, status);
            }
        });
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    static void respond(HttpExchange exchange, int status) throws IOException {
        byte[] body = ("answer " + status).getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    /** Holds a call until the test ends (bounded: a minute of real time). */
    void hold() {
        try {
            released.await(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static HookCall call(Duration timeout, LambdaHook lambda, HttpHook http) {
        HookSpec hook = new HookSpec("gate", timeout, FailurePolicy.ROLLBACK, lambda, http, null);
        return new HookCall("orders", "r-1", "afterAllowTestTraffic", 0, hook, "demo", "orders", "arn:task-set", "arn:listener",
                null, TaskPlacement.DEFAULT);
    }

    static HttpHook http(String url, int retries, Duration backoff) {
        return new HttpHook(HttpMethod.GET, url, Map.of(), null, List.of(), null, retries, backoff);
    }

    /** The run stays RUNNING, unfinished, while real time passes and the clock stands. */
    void heldWhileTheClockStands(HookCall call) {
        await().during(STANDING).atMost(Duration.ofSeconds(10))
                .until(() -> finished.isEmpty() && runner.results("orders").get(call.key()) == HookResult.RUNNING);
    }

    /**
     * Starts a call with a 50 ms timeout to an endpoint that holds it: the run waits for the answer while
     * the clock stands, however long real time runs on, and times out once the clock moves 50 ms.
     */
    HookRun timesOutOnlyWhenTheClockMoves(HookCall call) {
        runner.start(call);
        await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 1);
        heldWhileTheClockStands(call);
        assertThat(runner.waitsOnClockOnly()).as("waiting for an answer, not for the clock").isFalse();

        clock.advance(Duration.ofMillis(50));
        HookRun run = finishedRun();
        assertThat(run.outcome()).isEqualTo("TimedOut");
        assertThat(run.duration()).as("measured on the virtual clock").isEqualTo(Duration.ofMillis(50));
        return run;
    }

    HookRun finishedRun() {
        await().atMost(Duration.ofSeconds(10)).until(() -> finished.size() == 1);
        return finished.get(0);
    }

    @Test
    void aLambdaHookWithoutAnAnswerTimesOutWhenTheVirtualClockPassesItsTimeoutAndNeverOnRealTime() {
        runner((function, qualifier, payload) -> {
            calls.incrementAndGet();
            hold();
            return new LambdaPort.Answer(null, "{\"status\":\"Succeeded\"}");
        });
        HookRun run = timesOutOnlyWhenTheClockMoves(call(Duration.ofMillis(50), new LambdaHook("slow", null, Duration.ofSeconds(1)), null));
        assertThat(run.detail()).isEqualTo("no answer from slow to call 1 within the 50ms timeout");
        assertThat(calls).hasValue(1);
    }

    @Test
    void aLambdaHookInProgressIsCalledAgainOnlyWhenTheVirtualClockHasMovedByItsPollInterval() {
        runner((function, qualifier, payload) -> new LambdaPort.Answer(null,
                calls.incrementAndGet() == 1 ? "{\"status\":\"InProgress\"}" : "{\"status\":\"Succeeded\"}"));
        HookCall call = call(Duration.ofMinutes(5), new LambdaHook("migrate", null, Duration.ofSeconds(30)), null);
        secondCallOnlyAfterTheClockMoves(call, Duration.ofSeconds(30));
    }

    @Test
    void aLambdaHookStillInProgressWhenTheVirtualClockJumpsPastItsTimeoutTimesOutWithoutAnotherCall() {
        runner((function, qualifier, payload) -> {
            calls.incrementAndGet();
            return new LambdaPort.Answer(null, "{\"status\":\"InProgress\"}");
        });
        HookCall call = call(Duration.ofSeconds(90), new LambdaHook("migrate", null, Duration.ofSeconds(30)), null);
        runner.start(call);
        await().atMost(Duration.ofSeconds(10)).until(runner::waitsOnClockOnly);

        clock.advance(Duration.ofMinutes(2));
        HookRun run = finishedRun();
        assertThat(run.outcome()).isEqualTo("TimedOut");
        assertThat(run.detail()).isEqualTo("still InProgress after 1 call(s) when the 1m30s timeout ran out");
        assertThat(calls).hasValue(1);
    }

    @Test
    void anHttpHookWithoutAnAnswerTimesOutWhenTheVirtualClockPassesItsTimeoutAndNeverOnRealTime() {
        runner((function, qualifier, payload) -> new LambdaPort.Answer(null, "{}"));
        String url = endpoint(n -> 0);
        HookRun run = timesOutOnlyWhenTheClockMoves(call(Duration.ofMillis(50), null, http(url, 3, Duration.ofMillis(10))));
        assertThat(run.detail()).isEqualTo("no answer from " + url + " within the 50ms timeout");
        assertThat(run.attempts()).as("no retry after the timeout").isEqualTo(1);
    }

    @Test
    void anHttpHookRetriesOnlyWhenTheVirtualClockHasMovedByItsBackoff() {
        runner((function, qualifier, payload) -> new LambdaPort.Answer(null, "{}"));
        String url = endpoint(n -> n == 1 ? 503 : 200);
        HookCall call = call(Duration.ofMinutes(5), null, http(url, 2, Duration.ofSeconds(20)));
        secondCallOnlyAfterTheClockMoves(call, Duration.ofSeconds(20));
    }

    /**
     * Starts {@code call}, whose first call does not finish it, and checks that the second call waits for
     * the virtual clock to move by {@code wait}: none while it stands, then success on that second call.
     */
    private void secondCallOnlyAfterTheClockMoves(HookCall call, Duration wait) {
        runner.start(call);
        await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 1 && runner.waitsOnClockOnly());
        heldWhileTheClockStands(call);
        assertThat(calls).as("no second call while the clock stands").hasValue(1);

        clock.advance(wait);
        HookRun run = finishedRun();
        assertThat(run.outcome()).isEqualTo("Succeeded");
        assertThat(run.attempts()).isEqualTo(2);
        assertThat(run.duration()).isEqualTo(wait);
    }
}

package io.ecsbluegreen.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbluegreen.model.HttpHook;
import io.ecsbluegreen.model.LambdaHook;
import io.ecsbluegreen.spec.Durations;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Runs hooks on a small pool of its own threads, so a slow hook never holds a reconcile worker. Each
 * run has the hook's timeout, polls and retries included; when it ends, the result is kept for the
 * planner, reported to the listener (status, metrics) and the service is woken for its next pass.
 *
 * <ul>
 *   <li>{@code lambda}: a synchronous invoke with the payload of docs/hooks.md. A function error, no
 *       answer within the hook's timeout or {@code "status": "Failed"} fails; {@code "status": "InProgress"} calls again after
 *       {@code pollInterval}; any other answer succeeds.</li>
 *   <li>{@code http}: the request, with {@code {testEndpoint}} and {@code {productionEndpoint}} resolved
 *       from the listeners (and, for a listener rule matching a host header, that {@code Host} sent
 *       unless the hook sets its own); success is an expected status (any 2xx by default) and, when given, a body
 *       matching {@code bodyPattern}; failures are retried with doubling backoff.</li>
 *   <li>{@code task}: not supported yet; such a hook fails with that reason.</li>
 * </ul>
 */
public final class HookRunner implements HookPort, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HookRunner.class);

    /**
     * The JDK HTTP client's switch for headers it sets itself; http hooks need {@code host} to reach a
     * listener rule that matches on the host header. It is read once, when the client first loads.
     */
    public static final String RESTRICTED_HEADERS = "jdk.httpclient.allowRestrictedHeaders";

    /** Hears of finished runs. */
    public interface Listener {
        void finished(String service, HookRun run);
    }

    private final LambdaPort lambda;
    private final EndpointResolver endpoints;
    private final HttpClient http;
    private final Clock clock;
    private final Listener listener;
    private final Consumer<String> wake;
    private final ExecutorService pool;
    /** Lambda invokes, so that a run waits for one no longer than its timeout. */
    private final ExecutorService invokes;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Map<String, HookResult>> results = new ConcurrentHashMap<>();

    /**
     * @param wake queues a service for a pass at once (the engine's), called when one of its hooks ends
     * @param threads hooks running at once at most
     */
    public HookRunner(LambdaPort lambda, EndpointResolver endpoints, HttpClient http, Clock clock, Listener listener,
                      Consumer<String> wake, int threads) {
        this.lambda = lambda;
        this.endpoints = endpoints;
        this.http = http;
        this.clock = clock;
        this.listener = listener;
        this.wake = wake;
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "hook-runner");
            t.setDaemon(true);
            return t;
        });
        this.invokes = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "hook-invoke");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void start(HookCall call) {
        Map<String, HookResult> mine = results.computeIfAbsent(call.service(), k -> new ConcurrentHashMap<>());
        if (mine.putIfAbsent(call.key(), HookResult.RUNNING) != null) return;
        pool.submit(() -> run(call));
    }

    @Override
    public Map<String, HookResult> results(String service) {
        return Map.copyOf(results.getOrDefault(service, Map.of()));
    }

    @Override
    public void retain(String service, String revision) {
        Map<String, HookResult> mine = results.get(service);
        if (mine != null) mine.keySet().removeIf(k -> !k.startsWith(revision + "|"));
    }

    @Override
    public void close() {
        pool.shutdownNow();
        invokes.shutdownNow();
    }

    /** The outcome of one run before it is recorded. */
    private record Outcome(boolean success, String outcome, String detail, int attempts) {}

    private void run(HookCall call) {
        Instant startedAt = clock.instant();
        long start = System.nanoTime();
        long deadline = start + call.hook().timeout().toNanos();
        Outcome outcome;
        try {
            if (call.hook().lambda() != null) outcome = lambda(call, call.hook().lambda(), deadline);
            else if (call.hook().http() != null) outcome = http(call, call.hook().http(), deadline);
            else outcome = new Outcome(false, "Failed", "task hooks are not supported yet; use a lambda or http hook", 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            outcome = new Outcome(false, "Failed", e.getClass().getSimpleName() + ": " + e.getMessage(), 1);
        }
        // closed mid-run (shutdown): no result, as after a crash; the next operator runs the hook again
        if (pool.isShutdown()) return;
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        HookRun run = new HookRun(call.revision(), call.point(), call.hook().name(), call.kind(), outcome.attempts(), startedAt,
                took, outcome.outcome(), HookRun.excerpt(outcome.detail()));
        Map<String, HookResult> mine = results.get(call.service());
        if (mine != null && mine.containsKey(call.key())) {
            mine.put(call.key(), new HookResult(outcome.success() ? HookResult.State.SUCCEEDED : HookResult.State.FAILED,
                    run.detail()));
        }
        LOG.infof("%s: %s hook %s (%s) %s after %d attempt(s) in %d ms%s", call.service(), call.point(), call.hook().name(),
                call.kind(), outcome.outcome(), outcome.attempts(), took.toMillis(), outcome.success() ? "" : ": " + run.detail());
        listener.finished(call.service(), run);
        wake.accept(call.service());
    }

    private Outcome lambda(HookCall call, LambdaHook hook, long deadline) throws InterruptedException {
        int attempt = 0;
        while (true) {
            attempt++;
            LambdaPort.Answer answer;
            try {
                answer = invoke(hook, payload(call, attempt), deadline);
            } catch (TimeoutException e) {
                return new Outcome(false, "TimedOut", "no answer from " + hook.function() + " to call " + attempt + " within the "
                        + Durations.format(call.hook().timeout()) + " timeout", attempt);
            }
            if (answer.functionError() != null) {
                return new Outcome(false, "Failed", "function error " + answer.functionError() + ": " + answer.payload(), attempt);
            }
            String status = status(answer.payload());
            if ("Failed".equalsIgnoreCase(status)) return new Outcome(false, "Failed", answer.payload(), attempt);
            if (!"InProgress".equalsIgnoreCase(status)) return new Outcome(true, "Succeeded", answer.payload(), attempt);
            long wait = hook.pollInterval().toNanos();
            if (System.nanoTime() + wait > deadline) {
                return new Outcome(false, "TimedOut", "still InProgress after " + attempt + " call(s) when the "
                        + Durations.format(call.hook().timeout()) + " timeout ran out", attempt);
            }
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    /**
     * One synchronous invoke, given what is left of the hook's timeout: a function slower than that times
     * the hook out (the call is abandoned; Lambda cannot stop a running invocation).
     */
    private LambdaPort.Answer invoke(LambdaHook hook, String payload, long deadline) throws InterruptedException, TimeoutException {
        Future<LambdaPort.Answer> answer = invokes.submit(() -> lambda.invoke(hook.function(), hook.qualifier(), payload));
        try {
            return answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } finally {
            answer.cancel(true);
        }
    }

    /** The payload documented in docs/hooks.md. */
    String payload(HookCall call, int attempt) {
        ObjectNode p = json.createObjectNode();
        p.put("service", call.service()).put("revision", call.revision()).put("hookPoint", call.point())
                .put("hook", call.hook().name()).put("cluster", call.cluster()).put("ecsService", call.ecsService())
                .put("taskSet", call.taskSetArn()).put("attempt", attempt);
        EndpointResolver.Endpoint production = endpoint(call.productionArn());
        EndpointResolver.Endpoint test = call.testArn() == null ? null : endpoint(call.testArn());
        p.put("productionEndpoint", production == null ? null : production.baseUrl());
        p.put("productionHost", production == null ? null : production.host());
        p.put("testEndpoint", test == null ? null : test.baseUrl());
        p.put("testHost", test == null ? null : test.host());
        return p.toString();
    }

    private EndpointResolver.Endpoint endpoint(String arn) {
        try {
            return endpoints.resolve(arn);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private String status(String payload) {
        if (payload == null || payload.isBlank()) return null;
        try {
            JsonNode node = json.readTree(payload);
            return node != null && node.isObject() && node.hasNonNull("status") ? node.get("status").asText() : null;
        } catch (IOException e) {
            return null; // a function may answer anything; only a JSON status decides
        }
    }

    private Outcome http(HookCall call, HttpHook hook, long deadline) throws InterruptedException {
        String url = hook.url();
        // a listener rule matches on its host header, so a request to its listener names that host
        String host = null;
        if (url.contains("{testEndpoint}")) {
            if (call.testArn() == null) return new Outcome(false, "Failed", "{testEndpoint} used but the service has no test listener", 0);
            EndpointResolver.Endpoint test = endpoints.resolve(call.testArn());
            url = url.replace("{testEndpoint}", test.baseUrl());
            host = test.host();
        }
        if (url.contains("{productionEndpoint}")) {
            EndpointResolver.Endpoint production = endpoints.resolve(call.productionArn());
            url = url.replace("{productionEndpoint}", production.baseUrl());
            if (host == null) host = production.host();
        }
        if (hook.headers() != null && hook.headers().keySet().stream().anyMatch("host"::equalsIgnoreCase)) host = null;
        Pattern body = hook.bodyPattern() == null ? null : Pattern.compile(hook.bodyPattern());
        String reason = null;
        int attempts = 0;
        for (int i = 0; i <= hook.retries(); i++) {
            long left = deadline - System.nanoTime();
            if (left <= 0) break;
            attempts++;
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofNanos(left))
                        .method(hook.method().wire(), hook.body() == null ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(hook.body()));
                if (hook.headers() != null) hook.headers().forEach(request::header);
                if (host != null) request.header("Host", host);
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                boolean statusOk = hook.expectStatus() == null || hook.expectStatus().isEmpty() ? response.statusCode() / 100 == 2
                        : hook.expectStatus().contains(response.statusCode());
                if (!statusOk) {
                    reason = "HTTP " + response.statusCode() + " from " + url + ": " + response.body();
                } else if (body != null && !body.matcher(response.body()).find()) {
                    reason = "the body of " + url + " does not match /" + hook.bodyPattern() + "/: " + response.body();
                } else {
                    return new Outcome(true, "Succeeded", "HTTP " + response.statusCode() + ": " + response.body(), attempts);
                }
            } catch (IOException e) {
                reason = e.getClass().getSimpleName() + " calling " + url + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
                // the JDK's client refuses a Host header unless the JVM allows it (Main does; see RESTRICTED_HEADERS)
                return new Outcome(false, "Failed", "cannot send the request to " + url + ": " + e.getMessage()
                        + " (start the JVM with -D" + RESTRICTED_HEADERS + "=host)", attempts);
            }
            long backoff = hook.retryBackoff().toNanos() << Math.min(i, 20);
            if (i < hook.retries()) {
                if (System.nanoTime() + backoff > deadline) break;
                TimeUnit.NANOSECONDS.sleep(backoff);
            }
        }
        boolean timedOut = System.nanoTime() >= deadline;
        return new Outcome(false, timedOut ? "TimedOut" : "Failed", reason == null ? "no attempt before the timeout" : reason, attempts);
    }
}

package io.ecsbluegreen.hooks;

import io.ecsbluegreen.plan.HookCall;
import io.ecsbluegreen.plan.TaskPlacement;
import io.ecsbluegreen.observed.HookResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbluegreen.model.HttpHook;
import io.ecsbluegreen.model.LambdaHook;
import io.ecsbluegreen.spec.Durations;
import io.ecsbluegreen.model.TaskHook;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
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
 *       from the listeners (and, for a listener rule matching a host header or a listener with a
 *       {@code serverName}, that {@code Host} sent unless the hook sets its own; to an HTTPS listener, TLS
 *       with SNI for that host and the certificate verified against it, see {@link ListenerHttps}); success is an expected status (any 2xx by default) and, when given, a body
 *       matching {@code bodyPattern}; failures are retried with doubling backoff.</li>
 *   <li>{@code task}: an ECS RunTask of the hook's task definition in the service's cluster, capacity and
 *       network ({@link TaskPlacement}), with {@code startedBy} {@code bluegreen/SERVICE}, group
 *       {@code bluegreen:SERVICE} and the container override; DescribeTasks every {@link TaskPolling#interval()}
 *       until it is STOPPED. Success is every essential container exiting 0; a task still running at the
 *       timeout is stopped (StopTask). Its client token comes from the run's key, so a run started again
 *       after a restart finds the task the first one started instead of starting another. Its timeout and
 *       polls follow the runner's clock, like the task itself.</li>
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

    /**
     * How a task hook watches its task.
     *
     * @param interval time between two DescribeTasks calls, on the runner's clock
     * @param sleep the longest real sleep before the runner looks at its clock again, while it waits for the
     *     clock to move (a task's next poll, a Lambda hook's {@code pollInterval}, an http hook's
     *     {@code retryBackoff}) or for an answer before the hook's timeout: with the wall clock one sleep of
     *     what is left; a simulator's clock moves when its test moves it, so tests look at it often
     */
    public record TaskPolling(Duration interval, Duration sleep) {
        public static final TaskPolling DEFAULT = new TaskPolling(Duration.ofSeconds(5), Duration.ofSeconds(5));

        public TaskPolling {
            if (interval.isZero() || interval.isNegative() || sleep.isZero() || sleep.isNegative()) {
                throw new IllegalArgumentException("interval and sleep must be positive");
            }
        }
    }

    /** Consecutive DescribeTasks calls that may fail (throttled, unavailable) before a task hook fails. */
    static final int FAILED_POLLS = 5;
    /** Consecutive polls that may not find a task just started (DescribeTasks is eventually consistent). */
    static final int MISSING_POLLS = 3;
    /**
     * The time an http hook's request has of its own: the longest timeout a hook may have (docs/hooks.md).
     * The runner's clock ends the request sooner (at the hook's timeout); this bound only frees the thread
     * of a request abandoned to an endpoint that never answers (an HTTPS listener's socket reads do not
     * answer to the cancel).
     */
    static final Duration REQUEST_BOUND = Duration.ofHours(1);
    /** Client-token generations remembered per service; older ones go first. */
    static final int GENERATIONS_KEPT = 256;

    private final LambdaPort lambda;
    private final TaskPort tasks;
    private final TaskPolling polling;
    private final EndpointResolver endpoints;
    private final EndpointHttp http;
    private final Clock clock;
    private final Listener listener;
    private final Consumer<String> wake;
    private final ExecutorService pool;
    /** Lambda invokes, so that a run waits for one no longer than its timeout. */
    private final ExecutorService invokes;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Map<String, HookResult>> results = new ConcurrentHashMap<>();
    /** How many runs of each key this runner started, by service: a retried run needs a client token of its own. */
    private final Map<String, Map<String, Integer>> generations = new ConcurrentHashMap<>();
    /**
     * Runs started and not ended that are not waiting on the clock alone: queued, calling out, or waiting
     * for an answer. See {@link #waitsOnClockOnly()}.
     */
    private final AtomicInteger busy = new AtomicInteger();

    /**
     * @param wake queues a service for a pass at once (the engine's), called when one of its hooks ends
     * @param threads hooks running at once at most
     */
    public HookRunner(LambdaPort lambda, TaskPort tasks, EndpointResolver endpoints, HttpClient http, Clock clock, Listener listener,
                      Consumer<String> wake, int threads) {
        this(lambda, tasks, endpoints, http, clock, listener, wake, threads, TaskPolling.DEFAULT);
    }

    /** @param polling how task hooks watch their task */
    public HookRunner(LambdaPort lambda, TaskPort tasks, EndpointResolver endpoints, HttpClient http, Clock clock, Listener listener,
                      Consumer<String> wake, int threads, TaskPolling polling) {
        this.lambda = lambda;
        this.tasks = tasks;
        this.polling = polling;
        this.endpoints = endpoints;
        this.http = new EndpointHttp(http, clock);
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
        int generation = generation(call);
        busy.incrementAndGet();
        pool.submit(() -> {
            try {
                run(call, generation);
            } finally {
                busy.decrementAndGet();
            }
        });
    }

    /**
     * Whether every run under way waits for this runner's clock alone to move (a task's next poll, a Lambda
     * hook's {@code pollInterval}, an http hook's {@code retryBackoff}), true when none is under way. A run
     * that is queued, calling out or waiting for an answer is not: moving a virtual clock then could time
     * it out before an answer that is on its way. Every wait and every timeout of a run is on the runner's
     * clock, so a test on virtual time moves its clock when this holds, and real time never decides.
     */
    public boolean waitsOnClockOnly() {
        return busy.get() == 0;
    }

    /**
     * 0 for the first run of a key in this process, 1 for the next (after a retry forgot the first)...
     * A restarted process starts again at 0, so it finds the task its predecessor's first run started.
     */
    private int generation(HookCall call) {
        Map<String, Integer> mine = generations.computeIfAbsent(call.service(), k -> Collections.synchronizedMap(
                new LinkedHashMap<>(16, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
                        return size() > GENERATIONS_KEPT;
                    }
                }));
        return mine.merge(call.key(), 1, Integer::sum) - 1;
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

    private void run(HookCall call, int generation) {
        // every wait and the timeout are on the runner's clock (a simulator's in tests): real time passing
        // never times a run out, and the duration recorded is the clock's
        Instant startedAt = clock.instant();
        Instant deadline = startedAt.plus(call.hook().timeout());
        Outcome outcome;
        try {
            if (call.hook().lambda() != null) outcome = lambda(call, call.hook().lambda(), deadline);
            else if (call.hook().http() != null) outcome = http(call, call.hook().http(), deadline);
            else outcome = task(call, call.hook().task(), deadline, generation);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            outcome = new Outcome(false, "Failed", e.getClass().getSimpleName() + ": " + e.getMessage(), 1);
        }
        // closed mid-run (shutdown): no result, as after a crash; the next operator runs the hook again
        if (pool.isShutdown()) return;
        Duration took = Duration.between(startedAt, clock.instant());
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

    private Outcome lambda(HookCall call, LambdaHook hook, Instant deadline) throws InterruptedException {
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
            // no call after the timeout: neither when the next poll would come after it, nor when the clock
            // passed it while waiting for the poll (a virtual clock moves in steps)
            if (clock.instant().plus(hook.pollInterval()).isAfter(deadline)
                    || !awaitClock(hook.pollInterval(), deadline).isBefore(deadline)) {
                return new Outcome(false, "TimedOut", "still InProgress after " + attempt + " call(s) when the "
                        + Durations.format(call.hook().timeout()) + " timeout ran out", attempt);
            }
        }
    }

    /**
     * One synchronous invoke, given what is left of the hook's timeout: a function slower than that times
     * the hook out (the call is abandoned; Lambda cannot stop a running invocation).
     */
    private LambdaPort.Answer invoke(LambdaHook hook, String payload, Instant deadline) throws InterruptedException, TimeoutException {
        Future<LambdaPort.Answer> answer = invokes.submit(() -> lambda.invoke(hook.function(), hook.qualifier(), payload));
        try {
            return answerBefore(answer, deadline);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * The answer of a call under way, if it comes before the clock reaches {@code deadline}; looks at the
     * clock every {@link TaskPolling#sleep()} at most (with the wall clock, waits exactly what is left).
     * A call still under way at the deadline is abandoned (cancelled).
     */
    private <T> T answerBefore(Future<T> answer, Instant deadline) throws InterruptedException, TimeoutException, ExecutionException {
        try {
            while (true) {
                Duration left = Duration.between(clock.instant(), deadline);
                if (left.isNegative() || left.isZero()) throw new TimeoutException("the clock passed " + deadline);
                try {
                    return answer.get(Math.min(left.toNanos(), polling.sleep().toNanos()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    // not yet: look at the clock again
                }
            }
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
        EndpointResolver.Endpoint production = endpoint(call.productionArn(), call.serverNames().production());
        EndpointResolver.Endpoint test = call.testArn() == null ? null : endpoint(call.testArn(), call.serverNames().test());
        p.put("productionEndpoint", production == null ? null : production.baseUrl());
        p.put("productionHost", production == null ? null : production.host());
        p.put("testEndpoint", test == null ? null : test.baseUrl());
        p.put("testHost", test == null ? null : test.host());
        return p.toString();
    }

    private EndpointResolver.Endpoint endpoint(String arn, String serverName) {
        try {
            return endpoints.resolve(arn).named(serverName);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** For an HTTPS listener, the host TLS verified: a failure there names it. */
    private static String via(EndpointResolver.Request target) {
        return target.serverName() == null ? "" : " as " + target.serverName();
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

    private Outcome http(HookCall call, HttpHook hook, Instant deadline) throws InterruptedException {
        EndpointResolver.Request target;
        try {
            target = endpoints.expand(hook.url(), call.testArn(), call.productionArn(), call.serverNames());
        } catch (IllegalArgumentException e) {
            return new Outcome(false, "Failed", e.getMessage(), 0);
        }
        String url = target.url();
        Map<String, String> headers = hook.headers() == null ? Map.of() : hook.headers();
        Pattern body = hook.bodyPattern() == null ? null : Pattern.compile(hook.bodyPattern());
        String reason = null;
        int attempts = 0;
        for (int i = 0; i <= hook.retries(); i++) {
            if (!clock.instant().isBefore(deadline)) break;
            attempts++;
            try {
                EndpointHttp.Answer response = send(target, hook, headers, deadline);
                if (response == null) {
                    reason = "no answer from " + url + via(target) + " within the " + Durations.format(call.hook().timeout()) + " timeout";
                    break;
                }
                boolean statusOk = hook.expectStatus() == null || hook.expectStatus().isEmpty() ? response.status() / 100 == 2
                        : hook.expectStatus().contains(response.status());
                if (!statusOk) {
                    reason = "HTTP " + response.status() + " from " + url + ": " + response.body();
                } else if (body != null && !body.matcher(response.body()).find()) {
                    reason = "the body of " + url + " does not match /" + hook.bodyPattern() + "/: " + response.body();
                } else {
                    return new Outcome(true, "Succeeded", "HTTP " + response.status() + ": " + response.body(), attempts);
                }
            } catch (IOException e) {
                reason = e.getClass().getSimpleName() + " calling " + url + via(target) + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
                // the JDK's client refuses a Host header unless the JVM allows it (Main does; see RESTRICTED_HEADERS)
                return new Outcome(false, "Failed", "cannot send the request to " + url + ": " + e.getMessage()
                        + " (start the JVM with -D" + RESTRICTED_HEADERS + "=host)", attempts);
            }
            Duration backoff = hook.retryBackoff().multipliedBy(1L << Math.min(i, 20));
            if (i < hook.retries()) {
                if (clock.instant().plus(backoff).isAfter(deadline)) break;
                awaitClock(backoff, deadline);
            }
        }
        boolean timedOut = !clock.instant().isBefore(deadline);
        return new Outcome(false, timedOut ? "TimedOut" : "Failed", reason == null ? "no attempt before the timeout" : reason, attempts);
    }

    /**
     * One request of an http hook, sent on the invokes pool so that the runner's clock alone decides its
     * timeout: null when the clock passes {@code deadline} first; the request is then abandoned (cancelled:
     * the JDK client aborts it). Its own time is {@link #REQUEST_BOUND}, never the hook's timeout: a request
     * timing out on real time would let real time decide against a virtual clock.
     */
    private EndpointHttp.Answer send(EndpointResolver.Request target, HttpHook hook, Map<String, String> headers,
                                     Instant deadline) throws IOException, InterruptedException {
        Future<EndpointHttp.Answer> answer = invokes.submit(() -> http.send(target, hook.method().wire(), headers, hook.body(),
                REQUEST_BOUND, true));
        try {
            return answerBefore(answer, deadline);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        }
    }

    // ---- task hooks -----------------------------------------------------------------------------------

    /** The RunTask client token of a run: the SHA-256 of service, key and generation, 64 hex digits (RunTask's limit). */
    static String clientToken(HookCall call, int generation) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((call.service() + "|" + call.key() + "|" + generation)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private Outcome task(HookCall call, TaskHook hook, Instant deadline, int generation) throws InterruptedException {
        // a virtual clock that stands still holds the run (until the clock moves or the runner closes)
        String arn = tasks.run(new TaskPort.Run(call.cluster(), hook.taskDefinition(),
                call.placement() == null ? TaskPlacement.DEFAULT : call.placement(), hook.containerName(), hook.command(),
                hook.environment(), "bluegreen/" + call.service(), "bluegreen:" + call.service(), clientToken(call, generation)));
        String id = arn.substring(arn.lastIndexOf('/') + 1);
        int calls = 1;
        int missing = 0;
        int failed = 0;
        TaskPort.TaskState last = null;
        while (true) {
            calls++;
            try {
                TaskPort.TaskState state = tasks.describe(call.cluster(), List.of(arn)).get(arn);
                failed = 0;
                if (state == null) {
                    if (++missing > MISSING_POLLS) {
                        return new Outcome(false, "Failed", "task " + id + " is not found (DescribeTasks answers MISSING)", calls);
                    }
                } else {
                    missing = 0;
                    last = state;
                    if (state.stopped()) return verdict(id, state, calls);
                }
            } catch (RuntimeException e) {
                // a throttled or failing poll is tried again at the next one; only a run of them fails the hook
                if (++failed > FAILED_POLLS) {
                    return new Outcome(false, "Failed", "DescribeTasks of task " + id + " keeps failing: "
                            + e.getClass().getSimpleName() + ": " + e.getMessage(), calls);
                }
            }
            if (!clock.instant().isBefore(deadline)) {
                // a task already stopping whose essential containers all exited has its verdict: deprovisioning
                // (its network interface going away) is no reason to call it timed out
                if (last != null && last.stopCode() != null && essentialExited(last)) return verdict(id, last, calls);
                String detail = "task " + id + " still " + (last == null ? "unseen" : last.lastStatus()) + " when the "
                        + call.hook().timeout() + " timeout ran out";
                try {
                    tasks.stop(call.cluster(), arn, "bluegreen: " + call.point() + " hook " + call.hook().name() + " timed out after "
                            + call.hook().timeout());
                    detail += "; stopped it";
                } catch (RuntimeException e) {
                    detail += "; StopTask failed: " + e.getClass().getSimpleName() + ": " + e.getMessage();
                }
                return new Outcome(false, "TimedOut", detail, calls + 1);
            }
            awaitClock(polling.interval(), deadline);
        }
    }

    private static boolean essentialExited(TaskPort.TaskState state) {
        return state.containers().stream().filter(TaskPort.ContainerState::essential).allMatch(c -> c.exitCode() != null);
    }

    /** Success when every essential container exited 0; otherwise which did not, and why the task stopped. */
    private static Outcome verdict(String id, TaskPort.TaskState state, int calls) {
        List<String> essential = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (TaskPort.ContainerState c : state.containers()) {
            if (!c.essential()) continue;
            essential.add(c.name());
            String reason = c.reason() == null ? "" : " (" + c.reason() + ")";
            if (c.exitCode() == null) failures.add("container " + c.name() + " did not exit" + reason);
            else if (c.exitCode() != 0) failures.add("container " + c.name() + " exited " + c.exitCode() + reason);
        }
        if (essential.isEmpty()) failures.add("no essential container");
        String stopped = "task " + id + " stopped" + (state.stopCode() == null ? "" : " (" + state.stopCode() + ")")
                + (state.stoppedReason() == null ? "" : ": " + state.stoppedReason());
        if (failures.isEmpty()) return new Outcome(true, "Succeeded", "every essential container exited 0 ("
                + String.join(", ", essential) + "); " + stopped, calls);
        return new Outcome(false, "Failed", String.join("; ", failures) + "; " + stopped, calls);
    }

    /**
     * Waits until the clock has moved by {@code d} (or reached {@code until}), looking at it every
     * {@link TaskPolling#sleep()} at most. Only the clock ends the wait: with the wall clock that is one
     * sleep of {@code d}; a virtual clock ends it when its test moves it (or the runner closes). The run
     * counts as waiting on the clock alone meanwhile ({@link #waitsOnClockOnly()}).
     *
     * @return the clock's time when the wait ended
     */
    private Instant awaitClock(Duration d, Instant until) throws InterruptedException {
        Instant target = clock.instant().plus(d);
        if (target.isAfter(until)) target = until;
        busy.decrementAndGet();
        try {
            while (true) {
                Instant now = clock.instant();
                if (!now.isBefore(target)) return now;
                long clockLeft = Duration.between(now, target).toNanos();
                TimeUnit.NANOSECONDS.sleep(Math.min(clockLeft, polling.sleep().toNanos()));
            }
        } finally {
            busy.incrementAndGet();
        }
    }
}

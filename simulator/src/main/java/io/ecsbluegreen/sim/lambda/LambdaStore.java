package io.ecsbluegreen.sim.lambda;

import io.ecsbluegreen.sim.SimClock;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The simulated Lambda state: the functions tests register from Java (or CreateFunction creates), the
 * invocations they received, and the machinery that runs them with their timeouts.
 *
 * <pre>{@code
 * sim.lambda().register("pre-traffic-hook", (payload, ctx) -> "{\"status\":\"Succeeded\"}".getBytes());
 * sim.lambda().registerUrl("post-traffic-hook", URI.create("http://127.0.0.1:8081/hook"));
 * // ... the code under test invokes them through LambdaClient ...
 * assertThat(sim.lambda().invocations("pre-traffic-hook")).hasSize(1);
 * }</pre>
 */
public final class LambdaStore implements AutoCloseable {

    /** Lambda's default function timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);
    /** The largest response payload of a synchronous invocation. */
    static final int MAX_RESPONSE_BYTES = 6_291_556;

    private static final System.Logger LOG = System.getLogger(LambdaStore.class.getName());
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9-_]{1,64}");
    private static final int MAX_LOG_TAIL = 4096;

    private final SimClock clock;
    private final String accountId;
    private final ConcurrentSkipListMap<String, LambdaFunction> functions = new ConcurrentSkipListMap<>();
    private final ConcurrentMap<String, List<Invocation>> invocations = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor executor;

    public LambdaStore(SimClock clock, String accountId) {
        this.clock = clock;
        this.accountId = accountId;
        AtomicInteger count = new AtomicInteger();
        // A cached pool: every invocation runs on its own thread so that a timed-out one can be abandoned.
        this.executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, TimeUnit.SECONDS, new SynchronousQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "aws-sim-lambda-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    public String accountId() {
        return accountId;
    }

    /**
     * Defines a function backed by Java code, replacing any function of that name (with its versions and
     * aliases). It gets Lambda's defaults: timeout 3 s, 128 MiB.
     *
     * @param name a function name ({@code [a-zA-Z0-9-_]{1,64}})
     */
    public LambdaFunction register(String name, LambdaHandler handler) {
        return define(name, handler, null);
    }

    /**
     * Defines a function whose code is a local HTTP endpoint: each invocation POSTs the payload to
     * {@code url} and answers the response body. A non-2xx answer or a failed connection is an
     * {@code Unhandled} function error; a 2xx answer carrying {@code X-Amz-Function-Error} makes the body
     * the error payload. The request carries {@code Lambda-Runtime-Aws-Request-Id},
     * {@code Lambda-Runtime-Invoked-Function-Arn} and {@code Lambda-Runtime-Deadline-Ms}.
     *
     * @param url an {@code http} URL on a loopback address
     * @throws IllegalArgumentException when the URL is not a loopback HTTP URL
     */
    public LambdaFunction registerUrl(String name, URI url) {
        return define(name, new UrlHandler(checkLoopback(url)), url);
    }

    /** The function called {@code name}. */
    public Optional<LambdaFunction> function(String name) {
        return Optional.ofNullable(functions.get(name));
    }

    /** The names of all functions, sorted. */
    public List<String> functionNames() {
        return List.copyOf(functions.keySet());
    }

    /** Deletes a function; its recorded invocations stay. True when it existed. */
    public boolean remove(String name) {
        return functions.remove(name) != null;
    }

    /**
     * The invocations a function received (RequestResponse and Event, whatever their outcome), oldest
     * first, across all its versions and aliases.
     */
    public List<Invocation> invocations(String name) {
        return List.copyOf(invocations.getOrDefault(name, List.of()));
    }

    /** How many invocations a function received. */
    public int invocationCount(String name) {
        return invocations.getOrDefault(name, List.of()).size();
    }

    /** Forgets recorded invocations, keeping the functions. */
    public void clearInvocations() {
        invocations.clear();
    }

    /** Removes every function and recorded invocation. */
    public void clear() {
        functions.clear();
        invocations.clear();
    }

    /** Stops running invocations; called when the simulator closes. */
    @Override
    public void close() {
        executor.shutdownNow();
    }

    // ---- used by LambdaService ----

    LambdaFunction create(String name, FunctionVersion latest, Map<String, String> tags) {
        LambdaFunction function = new LambdaFunction(name, latest, tags, clock);
        return functions.putIfAbsent(name, function) == null ? function : null;
    }

    String functionArn(String region, String name) {
        return "arn:aws:lambda:" + region + ":" + accountId + ":function:" + name;
    }

    SimClock clock() {
        return clock;
    }

    void record(Invocation invocation) {
        invocations.computeIfAbsent(invocation.functionName(), k -> new CopyOnWriteArrayList<>()).add(invocation);
    }

    /** Runs an Event invocation in the background; its outcome goes only to the log. */
    void invokeAsync(InvocationContext context, FunctionVersion version, byte[] payload) {
        try {
            executor.execute(() -> {
                Result result = invoke(context, version, payload);
                if (result.functionError() != null) {
                    LOG.log(Level.DEBUG, "asynchronous invocation {0} of {1} failed: {2}", context.requestId(),
                            context.functionName(), new String(result.payload(), StandardCharsets.UTF_8));
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.log(Level.DEBUG, "simulator closing: event for {0} dropped", context.functionName());
        }
    }

    /** The outcome of one invocation, as Invoke reports it. */
    record Result(byte[] payload, String functionError, String logTail) {}

    /** Runs a function version synchronously, enforcing its timeout. */
    Result invoke(InvocationContext context, FunctionVersion version, byte[] payload) {
        Duration timeout = version.timeout();
        Future<byte[]> future;
        try {
            future = executor.submit(() -> version.handler().handle(payload.clone(), context));
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("the simulator is closing", e);
        }
        byte[] response;
        try {
            response = future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (context.elapsed().compareTo(timeout) > 0) {
                return timedOut(context, timeout);
            }
        } catch (TimeoutException e) {
            future.cancel(true);
            return timedOut(context, timeout);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + context.functionName(), e);
        } catch (ExecutionException e) {
            return failed(context, e.getCause());
        }
        if (response == null) {
            response = "null".getBytes(StandardCharsets.UTF_8);
        }
        if (response.length > MAX_RESPONSE_BYTES) {
            return error(context, "Unhandled", errorPayload("Function.ResponseSizeTooLarge",
                    "Response payload size exceeded maximum allowed payload size (" + MAX_RESPONSE_BYTES + " bytes)."));
        }
        return new Result(response, null, logTail(context, null));
    }

    private Result failed(InvocationContext context, Throwable cause) {
        if (cause instanceof InvocationContext.TimedOut) {
            return timedOut(context, context.timeout());
        }
        if (cause instanceof UrlHandler.RawFunctionError raw) {
            return error(context, raw.handled ? "Handled" : "Unhandled", raw.payload);
        }
        if (cause instanceof FunctionError error) {
            return error(context, error.isHandled() ? "Handled" : "Unhandled",
                    errorPayload(error.errorType(), error.getMessage()));
        }
        String message = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getName();
        return error(context, "Unhandled", errorPayload(cause.getClass().getName(), message));
    }

    private Result error(InvocationContext context, String kind, byte[] payload) {
        String line = new String(payload, StandardCharsets.UTF_8);
        return new Result(payload, kind, logTail(context, line));
    }

    private Result timedOut(InvocationContext context, Duration timeout) {
        String seconds = String.format(Locale.ROOT, "%.2f", timeout.toNanos() / 1e9);
        byte[] payload = errorPayload("Sandbox.Timedout",
                "RequestId: " + context.requestId() + " Error: Task timed out after " + seconds + " seconds");
        String line = context.startTime().plus(timeout) + " " + context.requestId() + " Task timed out after "
                + seconds + " seconds";
        return new Result(payload, "Unhandled", logTail(context, line));
    }

    static byte[] errorPayload(String errorType, String errorMessage) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("errorMessage", errorMessage);
        error.put("errorType", errorType);
        return JsonWriter.write(error).getBytes(StandardCharsets.UTF_8);
    }

    /** The last 4 KB of what CloudWatch Logs would hold for the invocation, base64 as X-Amz-Log-Result. */
    private String logTail(InvocationContext context, String errorLine) {
        double millis = context.elapsed().toNanos() / 1e6;
        StringBuilder log = new StringBuilder()
                .append("START RequestId: ").append(context.requestId())
                .append(" Version: ").append(context.executedVersion()).append('\n')
                .append(context.logText());
        if (errorLine != null) {
            log.append(errorLine).append('\n');
        }
        log.append("END RequestId: ").append(context.requestId()).append('\n')
                .append("REPORT RequestId: ").append(context.requestId())
                .append(String.format(Locale.ROOT, "\tDuration: %.2f ms\tBilled Duration: %d ms", millis,
                        (long) Math.ceil(millis)))
                .append("\tMemory Size: 128 MB\tMax Memory Used: 64 MB\t\n");
        byte[] bytes = log.toString().getBytes(StandardCharsets.UTF_8);
        int from = Math.max(0, bytes.length - MAX_LOG_TAIL);
        return Base64.getEncoder().encodeToString(Arrays.copyOfRange(bytes, from, bytes.length));
    }

    private LambdaFunction define(String name, LambdaHandler handler, URI url) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid function name: " + name);
        }
        FunctionVersion latest = new FunctionVersion(LambdaFunction.LATEST, handler, url, DEFAULT_TIMEOUT, "",
                "provided.al2023", "bootstrap", "arn:aws:iam::" + accountId + ":role/simulated-lambda-role", 128,
                Map.of(), sha256Base64(name.getBytes(StandardCharsets.UTF_8)), 0, clock.instant(),
                UUID.randomUUID().toString());
        LambdaFunction function = new LambdaFunction(name, latest, Map.of(), clock);
        functions.put(name, function);
        return function;
    }

    static String sha256Base64(byte[] bytes) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Accepts only {@code http} URLs on a loopback address: the simulator never calls out. */
    static URI checkLoopback(URI url) {
        if (url == null || !"http".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("a URL function needs an http://127.0.0.1:PORT/... URL: " + url);
        }
        try {
            String host = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1)
                    : url.getHost();
            if (!host.equalsIgnoreCase("localhost") && !InetAddress.getByName(host).isLoopbackAddress()) {
                throw new IllegalArgumentException("a URL function must be on a loopback address: " + url);
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host in " + url, e);
        }
        return url;
    }

    List<LambdaFunction> functions() {
        return new ArrayList<>(functions.values());
    }
}

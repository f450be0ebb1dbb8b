package io.ecsbluegreen.sim.lambda;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a {@link LambdaHandler} knows about its invocation, like the context object of a Lambda runtime.
 */
public final class InvocationContext {

    /** Thrown out of {@link #simulateWork} when the declared work exceeds the function's timeout. */
    static final class TimedOut extends Error {
        TimedOut() {
            super("simulated work exceeded the function timeout", null, false, false);
        }
    }

    private final String functionName;
    private final String invokedFunctionArn;
    private final String qualifier;
    private final String executedVersion;
    private final String requestId;
    private final InvocationType invocationType;
    private final Duration timeout;
    private final Instant startTime;
    private final long startNanos = System.nanoTime();
    private final AtomicLong simulatedNanos = new AtomicLong();
    private final StringBuilder log = new StringBuilder();

    InvocationContext(String functionName, String invokedFunctionArn, String qualifier, String executedVersion,
            String requestId, InvocationType invocationType, Duration timeout, Instant startTime) {
        this.functionName = functionName;
        this.invokedFunctionArn = invokedFunctionArn;
        this.qualifier = qualifier;
        this.executedVersion = executedVersion;
        this.requestId = requestId;
        this.invocationType = invocationType;
        this.timeout = timeout;
        this.startTime = startTime;
    }

    /** The function's name, without qualifier. */
    public String functionName() {
        return functionName;
    }

    /** The ARN the caller invoked, with the qualifier when it named one. */
    public String invokedFunctionArn() {
        return invokedFunctionArn;
    }

    /** The qualifier the caller named (version or alias), or null for the unqualified function. */
    public String qualifier() {
        return qualifier;
    }

    /** The version that runs: {@code $LATEST} or a published version number. */
    public String executedVersion() {
        return executedVersion;
    }

    /** The invocation's request id, as the caller sees it in {@code x-amzn-RequestId}. */
    public String requestId() {
        return requestId;
    }

    public InvocationType invocationType() {
        return invocationType;
    }

    /** The function's configured timeout. */
    public Duration timeout() {
        return timeout;
    }

    /** When the invocation started, on the simulator's clock. */
    public Instant startTime() {
        return startTime;
    }

    /** Time left before the invocation times out: the timeout minus real and simulated time spent. */
    public Duration remainingTime() {
        Duration left = timeout.minus(elapsed());
        return left.isNegative() ? Duration.ZERO : left;
    }

    /**
     * Declares that the function spends {@code duration} working, without sleeping: a deterministic way
     * to make a function slow or time out under a virtual clock. The simulator clock does not move.
     * When the total exceeds the timeout, the invocation ends at once as timed out.
     */
    public void simulateWork(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("negative work: " + duration);
        }
        simulatedNanos.addAndGet(duration.toNanos());
        if (elapsed().compareTo(timeout) > 0) {
            throw new TimedOut();
        }
    }

    /** Writes a line to the function's log ({@code X-Amz-Log-Result} with {@code LogType=Tail}). */
    public void log(String line) {
        synchronized (log) {
            log.append(line);
            if (!line.endsWith("\n")) {
                log.append('\n');
            }
        }
    }

    /** Real time since the invocation started plus the simulated work declared so far. */
    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos + simulatedNanos.get());
    }

    Duration simulatedWork() {
        return Duration.ofNanos(simulatedNanos.get());
    }

    String logText() {
        synchronized (log) {
            return log.toString();
        }
    }
}

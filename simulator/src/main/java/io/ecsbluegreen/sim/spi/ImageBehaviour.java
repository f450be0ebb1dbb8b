package io.ecsbluegreen.sim.spi;

import java.time.Duration;
import java.util.List;

/**
 * How a simulated image behaves once its task runs. Times are measured from the task's start on the
 * simulator's clock.
 *
 * <p>A service's task (one of a task set) runs until it crashes ({@code crashAfter}) or is stopped. A
 * one-off task (RunTask: a migration, a smoke test) also ends on its own: its container exits with
 * {@code exitCode} after {@code runFor}, or with 1 at {@code crashAfter} if that comes first.
 *
 * @param passesHealthChecks whether the app ever answers its health check
 * @param readyAfter how long the app takes to start answering health checks (a slow start)
 * @param crashAfter when the task's essential container exits; null for never
 * @param errorRate the share of data-plane requests answered with a 5xx, from 0 to 1
 * @param latency added to every data-plane answer
 * @param runFor how long the container of a one-off task runs before it exits on its own; null for
 *     until stopped
 * @param exitCode the container's exit code when it exits after {@code runFor}
 * @param startFailure why a one-off task of this image cannot start (stop code
 *     {@code TaskFailedToStart}), such as a {@code CannotPullContainerError}; null when it starts
 * @param command a local command that each service task of this image runs as a real process on its own
 *     loopback port (see {@link TaskProcesses}): the data plane forwards to it and health checks ask it;
 *     null for a simulated app, whose answers follow the other fields
 */
public record ImageBehaviour(boolean passesHealthChecks, Duration readyAfter, Duration crashAfter, double errorRate, Duration latency,
                             Duration runFor, int exitCode, String startFailure, List<String> command) {

    /** How long a one-off task of an image without a behaviour of its own runs before it exits 0. */
    public static final Duration ONE_OFF_RUN = Duration.ofSeconds(10);

    public ImageBehaviour {
        if (errorRate < 0 || errorRate > 1) throw new IllegalArgumentException("errorRate must be within 0..1");
        if (readyAfter.isNegative() || latency.isNegative()) throw new IllegalArgumentException("durations must not be negative");
        if (runFor != null && runFor.isNegative()) throw new IllegalArgumentException("runFor must not be negative");
        if (exitCode < 0 || exitCode > 255) throw new IllegalArgumentException("exitCode must be within 0..255");
        if (command != null) {
            if (command.isEmpty()) throw new IllegalArgumentException("command must not be empty");
            command = List.copyOf(command);
        }
    }

    /** A behaviour of a simulated app (no {@link #command}). */
    public ImageBehaviour(boolean passesHealthChecks, Duration readyAfter, Duration crashAfter, double errorRate, Duration latency,
                          Duration runFor, int exitCode, String startFailure) {
        this(passesHealthChecks, readyAfter, crashAfter, errorRate, latency, runFor, exitCode, startFailure, null);
    }

    /** A behaviour whose one-off tasks exit 0 after {@link #ONE_OFF_RUN}. */
    public ImageBehaviour(boolean passesHealthChecks, Duration readyAfter, Duration crashAfter, double errorRate, Duration latency) {
        this(passesHealthChecks, readyAfter, crashAfter, errorRate, latency, ONE_OFF_RUN, 0, null);
    }

    /** Starts at once and stays healthy: the default of every image. */
    public static ImageBehaviour healthy() {
        return new ImageBehaviour(true, Duration.ZERO, null, 0, Duration.ZERO);
    }

    /**
     * Each task runs {@code command} as a real process on a loopback port of its own; its health and its
     * answers are the process's own.
     */
    public static ImageBehaviour runs(List<String> command) {
        return new ImageBehaviour(true, Duration.ZERO, null, 0, Duration.ZERO, ONE_OFF_RUN, 0, null, command);
    }

    /** Whether tasks of this image are real local processes. */
    public boolean realProcess() {
        return command != null;
    }

    /** Runs but never passes a health check. */
    public static ImageBehaviour neverHealthy() {
        return new ImageBehaviour(false, Duration.ZERO, null, 0, Duration.ZERO);
    }

    /** Healthy only after {@code delay}. */
    public static ImageBehaviour slowStart(Duration delay) {
        return new ImageBehaviour(true, delay, null, 0, Duration.ZERO);
    }

    /** Healthy, then its essential container exits after {@code after}. */
    public static ImageBehaviour crashesAfter(Duration after) {
        return new ImageBehaviour(true, Duration.ZERO, after, 0, Duration.ZERO);
    }

    /** Healthy to health checks, but answers {@code rate} of real requests with a 500. */
    public static ImageBehaviour erroring(double rate) {
        return new ImageBehaviour(true, Duration.ZERO, null, rate, Duration.ZERO);
    }

    /** Healthy; as a one-off task its container exits with {@code code} after {@code after}. */
    public static ImageBehaviour exitsAfter(Duration after, int code) {
        return healthy().withOneOffRun(after, code);
    }

    /** Healthy; as a one-off task it runs until it is stopped (StopTask). */
    public static ImageBehaviour neverExits() {
        return healthy().withOneOffRun(null, 0);
    }

    /** A one-off task of this image stops before it runs: {@code TaskFailedToStart}, the containers carry {@code reason}. */
    public static ImageBehaviour failsToStart(String reason) {
        return new ImageBehaviour(true, Duration.ZERO, null, 0, Duration.ZERO, ONE_OFF_RUN, 0, reason);
    }

    public ImageBehaviour withLatency(Duration latency) {
        return new ImageBehaviour(passesHealthChecks, readyAfter, crashAfter, errorRate, latency, runFor, exitCode, startFailure,
                command);
    }

    /** This behaviour, with one-off tasks exiting {@code code} after {@code after} (null: running until stopped). */
    public ImageBehaviour withOneOffRun(Duration after, int code) {
        return new ImageBehaviour(passesHealthChecks, readyAfter, crashAfter, errorRate, latency, after, code, startFailure,
                command);
    }

    /**
     * When and how the container of a one-off task exits on its own.
     *
     * @param after time from the task's start
     * @param code the exit code
     */
    public record Exit(Duration after, int code) {}

    /** The exit of a one-off task's container: a crash (code 1) or the end of its run, whichever comes first; null for never. */
    public Exit oneOffExit() {
        if (crashAfter != null && (runFor == null || crashAfter.compareTo(runFor) < 0)) return new Exit(crashAfter, 1);
        return runFor == null ? null : new Exit(runFor, exitCode);
    }
}

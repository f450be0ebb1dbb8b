package io.ecsbluegreen.sim.spi;

import java.time.Duration;

/**
 * How a simulated image behaves once its task runs. Times are measured from the task's start on the
 * simulator's clock.
 *
 * @param passesHealthChecks whether the app ever answers its health check
 * @param readyAfter how long the app takes to start answering health checks (a slow start)
 * @param crashAfter when the task's essential container exits; null for never
 * @param errorRate the share of data-plane requests answered with a 5xx, from 0 to 1
 * @param latency added to every data-plane answer
 */
public record ImageBehaviour(boolean passesHealthChecks, Duration readyAfter, Duration crashAfter, double errorRate, Duration latency) {

    public ImageBehaviour {
        if (errorRate < 0 || errorRate > 1) throw new IllegalArgumentException("errorRate must be within 0..1");
        if (readyAfter.isNegative() || latency.isNegative()) throw new IllegalArgumentException("durations must not be negative");
    }

    /** Starts at once and stays healthy: the default of every image. */
    public static ImageBehaviour healthy() {
        return new ImageBehaviour(true, Duration.ZERO, null, 0, Duration.ZERO);
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

    public ImageBehaviour withLatency(Duration latency) {
        return new ImageBehaviour(passesHealthChecks, readyAfter, crashAfter, errorRate, latency);
    }
}

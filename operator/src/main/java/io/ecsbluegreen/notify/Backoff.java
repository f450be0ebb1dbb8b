package io.ecsbluegreen.notify;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Waits between attempts: {@code base × 2^(attempt-1)} capped at {@code max}, of which a random half is
 * taken off ("equal jitter", so receivers that failed together do not come back in step), but never
 * less than a {@code Retry-After} the receiver asked for (itself capped at {@code max}).
 *
 * @param base the wait after the first failed attempt, before jitter
 * @param max the longest wait
 * @param random numbers in [0, 1) for the jitter
 */
public record Backoff(Duration base, Duration max, DoubleSupplier random) {

    public Backoff {
        if (base.isNegative() || base.isZero()) throw new IllegalArgumentException("backoff base must be positive: " + base);
        if (max.compareTo(base) < 0) throw new IllegalArgumentException("backoff max " + max + " is below its base " + base);
    }

    /** With {@link ThreadLocalRandom} jitter. */
    public static Backoff of(Duration base, Duration max) {
        return new Backoff(base, max, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** The wait after failed attempt number {@code attempt} (1 for the first). */
    public Duration delay(int attempt, Duration retryAfter) {
        long baseNanos = base.toNanos();
        long maxNanos = max.toNanos();
        int doublings = Math.min(Math.max(attempt - 1, 0), 62);
        long full = doublings >= Long.numberOfLeadingZeros(baseNanos) - 1 ? maxNanos : Math.min(maxNanos, baseNanos << doublings);
        long jittered = full / 2 + (long) (random.getAsDouble() * (full - full / 2));
        if (retryAfter != null && !retryAfter.isNegative()) {
            jittered = Math.max(jittered, Math.min(retryAfter.toNanos(), maxNanos));
        }
        return Duration.ofNanos(jittered);
    }
}

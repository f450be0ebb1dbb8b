package io.ecsbluegreen.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulator's clock. Every time the simulator reports (S3 {@code LastModified}, STS expirations)
 * and every token-bucket refill reads it, so a test controls simulated time with {@link #advance}.
 *
 * <p>In {@link ClockMode#VIRTUAL} mode time stands still until advanced; in {@link ClockMode#WALL} mode it
 * follows the system clock and {@link #advance} adds an offset, so demos can skip ahead too. The clock
 * never goes backwards. It is thread-safe, and {@link #withZone} views share its time.
 */
public final class SimClock extends Clock {

    private final ClockMode mode;
    private final Instant origin;
    private final AtomicLong offsetNanos;
    private final ZoneId zone;

    private SimClock(ClockMode mode, Instant origin, AtomicLong offsetNanos, ZoneId zone) {
        this.mode = mode;
        this.origin = origin;
        this.offsetNanos = offsetNanos;
        this.zone = zone;
    }

    /** A clock that stands at {@code start} until advanced. */
    public static SimClock virtual(Instant start) {
        return new SimClock(ClockMode.VIRTUAL, Objects.requireNonNull(start, "start"), new AtomicLong(), ZoneOffset.UTC);
    }

    /** A clock that follows the system clock. */
    public static SimClock wall() {
        return new SimClock(ClockMode.WALL, null, new AtomicLong(), ZoneOffset.UTC);
    }

    public ClockMode mode() {
        return mode;
    }

    /**
     * Moves simulated time forward by {@code amount}.
     *
     * @throws IllegalArgumentException when {@code amount} is negative: buckets and expirations assume
     *     time only moves forward
     */
    public void advance(Duration amount) {
        if (amount.isNegative()) {
            throw new IllegalArgumentException("the simulator clock cannot go backwards: " + amount);
        }
        offsetNanos.addAndGet(amount.toNanos());
    }

    /** The total amount {@link #advance} has added since the clock was created. */
    public Duration advanced() {
        return Duration.ofNanos(offsetNanos.get());
    }

    @Override
    public Instant instant() {
        Instant base = mode == ClockMode.VIRTUAL ? origin : Instant.now();
        return base.plusNanos(offsetNanos.get());
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** A view in another zone that shares this clock's time and advances with it. */
    @Override
    public SimClock withZone(ZoneId newZone) {
        return new SimClock(mode, origin, offsetNanos, newZone);
    }

    @Override
    public String toString() {
        return "SimClock[" + mode + ", " + instant() + "]";
    }
}

package io.ecsbluegreen.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket for the health watch's own DescribeTargetHealth calls. ELBv2 throttles its Describe*
 * calls per account and Region (about 10 a second, with a small burst) and the reconcile passes share
 * that budget, so the watch spends only a fixed share of it: {@code perSecond} tokens a second, at most
 * {@code burst} saved up. A watch round that finds no token reads no target health and relies on ECS's
 * batched signals alone. Thread-safe.
 */
public final class HealthReadBudget {

    /** No target-health reads between passes: the watch looks at ECS's task-set signals only. */
    public static final HealthReadBudget NONE = new HealthReadBudget(Clock.systemUTC(), 0, 0);

    private final Clock clock;
    private final double perSecond;
    private final double burst;
    private double tokens;
    private Instant refilledAt;

    /**
     * @param clock the clock tokens refill on (the simulator's in tests)
     * @param perSecond tokens added a second; 0 for none
     * @param burst tokens saved up at most (the bucket starts full)
     */
    public HealthReadBudget(Clock clock, double perSecond, int burst) {
        this.clock = clock;
        this.perSecond = Math.max(0, perSecond);
        this.burst = Math.max(0, burst);
        this.tokens = this.burst;
        this.refilledAt = clock.instant();
    }

    /** Takes a token when there is one. */
    public synchronized boolean tryTake() {
        Instant now = clock.instant();
        if (now.isAfter(refilledAt)) {
            tokens = Math.min(burst, tokens + Duration.between(refilledAt, now).toNanos() / 1e9 * perSecond);
            refilledAt = now;
        }
        if (tokens < 1) return false;
        tokens -= 1;
        return true;
    }
}

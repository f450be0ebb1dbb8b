package io.ecsbluegreen.sim;

import java.time.Duration;
import java.time.Instant;

/** A token bucket refilled continuously from the simulator clock. Guarded by {@link Throttling}'s lock. */
final class TokenBucket {

    private final ThrottleRule rule;
    private double tokens;
    private Instant refilledAt;

    TokenBucket(ThrottleRule rule, Instant now) {
        this.rule = rule;
        this.tokens = rule.burst();
        this.refilledAt = now;
    }

    ThrottleRule rule() {
        return rule;
    }

    boolean hasToken(Instant now) {
        refill(now);
        return tokens >= 1;
    }

    void take() {
        tokens -= 1;
    }

    double tokens(Instant now) {
        refill(now);
        return tokens;
    }

    private void refill(Instant now) {
        if (now.isAfter(refilledAt)) {
            double seconds = Duration.between(refilledAt, now).toNanos() / 1e9;
            tokens = Math.min(rule.burst(), tokens + seconds * rule.refillPerSecond());
            refilledAt = now;
        }
    }
}

package io.ecsbluegreen.sim;

import java.util.Objects;

/**
 * A token bucket shared by a group of API actions, as AWS throttles per API group (ELBv2's
 * {@code Describe*} calls share a bucket of 40 tokens refilled at 10 per second). Each matching call
 * takes one token; a call that finds the bucket empty gets the service's throttling error.
 *
 * <p>Buckets refill with the {@link SimClock}: under a virtual clock they refill only when a test
 * advances the clock, which keeps throttling tests deterministic.
 *
 * @param name the group's name, unique among the rules; replacing a rule resets its bucket
 * @param matcher the actions that share the bucket
 * @param burst the bucket's capacity and initial tokens, at least 1
 * @param refillPerSecond tokens added per simulated second, 0 for a bucket that never refills
 */
public record ThrottleRule(String name, ApiMatcher matcher, int burst, double refillPerSecond) {

    public ThrottleRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(matcher, "matcher");
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1: " + burst);
        }
        if (!(refillPerSecond >= 0) || Double.isInfinite(refillPerSecond)) {
            throw new IllegalArgumentException("refillPerSecond must be finite and non-negative: " + refillPerSecond);
        }
    }

    /** A rule for the actions {@code matcher} names ({@code service:ActionGlob}). */
    public static ThrottleRule of(String name, String matcher, int burst, double refillPerSecond) {
        return new ThrottleRule(name, ApiMatcher.parse(matcher), burst, refillPerSecond);
    }
}

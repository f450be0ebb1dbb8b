package io.ecsbluegreen.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulator's throttling rules, changeable while it runs. A call takes one token from the bucket
 * of every rule that matches it, or from none if any of them is empty; such a call is answered with
 * the service's throttling error ({@code Throttling}, {@code ThrottlingException}, {@code SlowDown}, ...).
 */
public final class Throttling {

    private final SimClock clock;
    // One lock for all buckets keeps "take from every matching bucket or from none" atomic; the
    // critical section is a few arithmetic operations.
    private final Object lock = new Object();
    private final Map<String, TokenBucket> buckets = new LinkedHashMap<>();

    Throttling(SimClock clock, List<ThrottleRule> initialRules) {
        this.clock = clock;
        initialRules.forEach(this::set);
    }

    /** Adds a rule, or replaces the rule of the same name with a full bucket. */
    public void set(ThrottleRule rule) {
        synchronized (lock) {
            buckets.put(rule.name(), new TokenBucket(rule, clock.instant()));
        }
    }

    /** Removes the rule of that name, if any. */
    public void remove(String name) {
        synchronized (lock) {
            buckets.remove(name);
        }
    }

    /** Removes every rule: nothing is throttled. */
    public void clear() {
        synchronized (lock) {
            buckets.clear();
        }
    }

    /** The rules in force. */
    public List<ThrottleRule> rules() {
        synchronized (lock) {
            return buckets.values().stream().map(TokenBucket::rule).toList();
        }
    }

    /** The tokens left in the named rule's bucket now, after refill; for tests and diagnostics. */
    public double tokens(String name) {
        synchronized (lock) {
            TokenBucket bucket = buckets.get(name);
            if (bucket == null) {
                throw new IllegalArgumentException("no throttle rule named " + name);
            }
            return bucket.tokens(clock.instant());
        }
    }

    /** Takes a token for {@code api} from every matching bucket; false when one of them is empty. */
    boolean tryAcquire(ApiAction api) {
        synchronized (lock) {
            if (buckets.isEmpty()) {
                return true;
            }
            var now = clock.instant();
            List<TokenBucket> matching = new ArrayList<>(2);
            for (TokenBucket bucket : buckets.values()) {
                if (bucket.rule().matcher().matches(api)) {
                    if (!bucket.hasToken(now)) {
                        return false;
                    }
                    matching.add(bucket);
                }
            }
            matching.forEach(TokenBucket::take);
            return true;
        }
    }
}

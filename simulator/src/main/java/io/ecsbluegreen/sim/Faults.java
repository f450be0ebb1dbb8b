package io.ecsbluegreen.sim;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The simulator's fault rules, changeable while it runs. For a call, the latencies of all matching
 * rules add up, and the first matching rule whose error rate fires decides the injected error.
 */
public final class Faults {

    private final List<FaultRule> rules = new CopyOnWriteArrayList<>();
    private final Random random;

    Faults(List<FaultRule> initialRules, long seed) {
        this.rules.addAll(initialRules);
        // A seeded source makes a fractional error rate fail the same calls on every run.
        this.random = new Random(seed);
    }

    /** Adds a rule. */
    public void add(FaultRule rule) {
        rules.add(rule);
    }

    /** Removes every rule. */
    public void clear() {
        rules.clear();
    }

    /** The rules in force, in the order they were added. */
    public List<FaultRule> rules() {
        return List.copyOf(rules);
    }

    /** What to do to one call of {@code api}. */
    Decision decide(ApiAction api) {
        Duration latency = Duration.ZERO;
        FaultRule error = null;
        for (FaultRule rule : rules) {
            if (rule.matcher().matches(api)) {
                latency = latency.plus(rule.latency());
                if (error == null && rule.errorRate() > 0 && random.nextDouble() < rule.errorRate()) {
                    error = rule;
                }
            }
        }
        return new Decision(latency, error);
    }

    /**
     * @param latency how long to wait before answering
     * @param error the rule whose error to answer with, or null to perform the call
     */
    record Decision(Duration latency, FaultRule error) {}
}

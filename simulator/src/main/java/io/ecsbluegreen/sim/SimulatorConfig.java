package io.ecsbluegreen.sim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How to start an {@link AwsSimulator}. Start from {@link #defaults()} and change what you need with
 * the {@code with...} methods:
 *
 * <pre>{@code
 * SimulatorConfig.defaults()
 *         .withClockMode(ClockMode.WALL)
 *         .withThrottle(ThrottleRule.of("elb-describe", "elasticloadbalancing:Describe*", 40, 10))
 * }</pre>
 *
 * @param port the TCP port, 0 for an ephemeral one
 * @param clockMode virtual (tests) or wall (demos) time
 * @param clockStart where a virtual clock starts; null for the moment the simulator starts
 * @param accountId the 12-digit AWS account the simulator pretends to be
 * @param threads the size of the server's thread pool
 * @param throttleRules token buckets in force from the start; more can be set at run time
 * @param faultRules faults in force from the start; more can be set at run time
 * @param randomSeed the seed of the random source that decides which calls an error rate fails
 * @param listenerPortMode which port simulated ELBv2 listeners bind: their own or an ephemeral one
 */
public record SimulatorConfig(
        int port,
        ClockMode clockMode,
        Instant clockStart,
        String accountId,
        int threads,
        List<ThrottleRule> throttleRules,
        List<FaultRule> faultRules,
        long randomSeed,
        ListenerPortMode listenerPortMode) {

    /** The only address the simulator binds: it is a test double and must never be reachable remotely. */
    public static final String HOST = "127.0.0.1";

    public SimulatorConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        Objects.requireNonNull(clockMode, "clockMode");
        Objects.requireNonNull(listenerPortMode, "listenerPortMode");
        if (accountId == null || !accountId.matches("\\d{12}")) {
            throw new IllegalArgumentException("accountId must be 12 digits: " + accountId);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        throttleRules = List.copyOf(throttleRules);
        faultRules = List.copyOf(faultRules);
    }

    /**
     * Ephemeral port, virtual clock starting now, account {@code 000000000000}, 8 threads, no throttling or
     * faults, load balancer listeners on ephemeral ports.
     */
    public static SimulatorConfig defaults() {
        return new SimulatorConfig(0, ClockMode.VIRTUAL, null, "000000000000", 8, List.of(), List.of(), 42L,
                ListenerPortMode.EPHEMERAL);
    }

    /** Always {@value #HOST}. */
    public String host() {
        return HOST;
    }

    public SimulatorConfig withPort(int newPort) {
        return new SimulatorConfig(newPort, clockMode, clockStart, accountId, threads, throttleRules, faultRules, randomSeed,
                listenerPortMode);
    }

    public SimulatorConfig withClockMode(ClockMode newMode) {
        return new SimulatorConfig(port, newMode, clockStart, accountId, threads, throttleRules, faultRules, randomSeed,
                listenerPortMode);
    }

    /** Starts a virtual clock at {@code start} instead of the current time. */
    public SimulatorConfig withClockStart(Instant start) {
        return new SimulatorConfig(port, clockMode, start, accountId, threads, throttleRules, faultRules, randomSeed,
                listenerPortMode);
    }

    public SimulatorConfig withAccountId(String newAccountId) {
        return new SimulatorConfig(port, clockMode, clockStart, newAccountId, threads, throttleRules, faultRules, randomSeed,
                listenerPortMode);
    }

    public SimulatorConfig withThreads(int newThreads) {
        return new SimulatorConfig(port, clockMode, clockStart, accountId, newThreads, throttleRules, faultRules, randomSeed,
                listenerPortMode);
    }

    /** Adds a throttling rule. */
    public SimulatorConfig withThrottle(ThrottleRule rule) {
        List<ThrottleRule> rules = new ArrayList<>(throttleRules);
        rules.add(rule);
        return new SimulatorConfig(port, clockMode, clockStart, accountId, threads, rules, faultRules, randomSeed,
                listenerPortMode);
    }

    /** Adds a fault rule. */
    public SimulatorConfig withFault(FaultRule rule) {
        List<FaultRule> rules = new ArrayList<>(faultRules);
        rules.add(rule);
        return new SimulatorConfig(port, clockMode, clockStart, accountId, threads, throttleRules, rules, randomSeed,
                listenerPortMode);
    }

    public SimulatorConfig withRandomSeed(long seed) {
        return new SimulatorConfig(port, clockMode, clockStart, accountId, threads, throttleRules, faultRules, seed,
                listenerPortMode);
    }

    /** Which port simulated ELBv2 listeners bind: {@link ListenerPortMode#EPHEMERAL} (default) or their own. */
    public SimulatorConfig withListenerPortMode(ListenerPortMode mode) {
        return new SimulatorConfig(port, clockMode, clockStart, accountId, threads, throttleRules, faultRules, randomSeed,
                mode);
    }
}

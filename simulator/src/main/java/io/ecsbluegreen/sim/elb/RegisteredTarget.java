package io.ecsbluegreen.sim.elb;

import io.ecsbluegreen.sim.spi.ImageBehaviour;
import io.ecsbluegreen.sim.spi.SimTask;
import io.ecsbluegreen.sim.spi.TargetHealthState;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * A target registered in a target group, with its health derived lazily from the simulator clock.
 *
 * <p>Health checks happen at {@code start + k × interval} (k = 1, 2, ...) from the moment checks start
 * (registration, or the moment the target group comes into use). What each check would see follows
 * from a piecewise-constant function of time: the simulated task's {@link ImageBehaviour} (not started
 * yet, not ready yet, crashed, never healthy) and any marks a test set through the Java API. The state
 * machine (initial → healthy after {@code healthyThreshold} consecutive successes, → unhealthy after
 * {@code unhealthyThreshold} consecutive failures) is advanced only when someone asks, one stretch of
 * constant outcome at a time, so that advancing the clock by a day costs nothing. Not thread-safe: the
 * store guards it.
 */
final class RegisteredTarget {

    /** What one health check would see. */
    enum Probe {
        PASS,
        /** Connection refused or reset: {@code Target.FailedHealthChecks}. */
        REFUSED,
        /** The app answered with a status the matcher rejects: {@code Target.ResponseCodeMismatch}. */
        BAD_STATUS
    }

    /** Checks counted one by one per stretch of constant outcome; beyond this the state cannot change. */
    private static final int SATURATION = 25;

    final String id;
    final int port;
    final Instant registeredAt;
    final SimTask task;
    private final TreeMap<Instant, Probe> marks = new TreeMap<>();
    Instant deregisteredAt;
    Instant drainUntil;

    private TargetHealthState state = TargetHealthState.INITIAL;
    private int successes;
    private int failures;
    private Probe lastProbe;
    private Instant nextCheck;

    RegisteredTarget(String id, int port, Instant registeredAt, SimTask task) {
        this.id = id;
        this.port = port;
        this.registeredAt = registeredAt;
        this.task = task;
    }

    static String key(String id, int port) {
        return id + ":" + port;
    }

    String key() {
        return key(id, port);
    }

    boolean draining() {
        return deregisteredAt != null;
    }

    /** From now on, health checks see {@code probe} (a test marking the target healthy or not). */
    void mark(Instant at, Probe probe) {
        marks.put(at, probe);
    }

    /** Health checks (re)start: the target is {@code initial} and is first checked one interval later. */
    void restartChecks(Instant from, Duration interval) {
        state = TargetHealthState.INITIAL;
        successes = 0;
        failures = 0;
        lastProbe = null;
        nextCheck = from.plus(interval);
    }

    /** New health check settings: the next check comes no later than {@code latest}. */
    void checkNoLaterThan(Instant latest) {
        if (nextCheck != null && nextCheck.isAfter(latest)) {
            nextCheck = latest;
        }
    }

    /** Runs every health check due up to {@code now} with the given settings; returns the state. */
    TargetHealthState advance(Instant now, HealthCheck settings) {
        if (nextCheck == null) {
            restartChecks(registeredAt, Duration.ofSeconds(settings.intervalSeconds()));
        }
        long intervalNanos = Duration.ofSeconds(settings.intervalSeconds()).toNanos();
        while (!nextCheck.isAfter(now)) {
            Probe probe = probe(nextCheck);
            Instant change = nextChange(nextCheck);
            long due = Duration.between(nextCheck, now).toNanos() / intervalNanos + 1;
            if (change != null) {
                long beforeChange = ceilDiv(Duration.between(nextCheck, change).toNanos(), intervalNanos);
                due = Math.min(due, beforeChange);
            }
            for (long i = 0; i < Math.min(due, SATURATION); i++) {
                apply(probe, settings);
            }
            nextCheck = nextCheck.plusNanos(due * intervalNanos);
        }
        return state;
    }

    TargetHealthState state() {
        return state;
    }

    Probe lastProbe() {
        return lastProbe;
    }

    private void apply(Probe probe, HealthCheck settings) {
        lastProbe = probe;
        if (probe == Probe.PASS) {
            successes = Math.min(successes + 1, 1000);
            failures = 0;
            if (state != TargetHealthState.HEALTHY && successes >= settings.healthyThreshold()) {
                state = TargetHealthState.HEALTHY;
            }
        } else {
            failures = Math.min(failures + 1, 1000);
            successes = 0;
            if (state != TargetHealthState.UNHEALTHY && failures >= settings.unhealthyThreshold()) {
                state = TargetHealthState.UNHEALTHY;
            }
        }
    }

    /** What a health check at {@code t} sees. */
    Probe probe(Instant t) {
        Map.Entry<Instant, Probe> mark = marks.floorEntry(t);
        if (mark != null) {
            return mark.getValue();
        }
        if (task == null) {
            return Probe.PASS;
        }
        return appProbe(task, t);
    }

    /** What the simulated task's app does at {@code t}: not started, starting, crashed, never healthy, fine. */
    static Probe appProbe(SimTask task, Instant t) {
        ImageBehaviour behaviour = task.behaviour();
        Instant started = task.startedAt();
        if (t.isBefore(started)) {
            return Probe.REFUSED;
        }
        if (behaviour.crashAfter() != null && !t.isBefore(started.plus(behaviour.crashAfter()))) {
            return Probe.REFUSED;
        }
        if (t.isBefore(started.plus(behaviour.readyAfter()))) {
            return Probe.REFUSED;
        }
        return behaviour.passesHealthChecks() ? Probe.PASS : Probe.BAD_STATUS;
    }

    /** The first instant after {@code t} at which {@link #probe} may answer differently; null for never. */
    private Instant nextChange(Instant t) {
        Instant next = marks.higherKey(t);
        if (task != null && marks.floorKey(t) == null) {
            Instant started = task.startedAt();
            ImageBehaviour behaviour = task.behaviour();
            next = earliestAfter(t, next, started);
            next = earliestAfter(t, next, started.plus(behaviour.readyAfter()));
            if (behaviour.crashAfter() != null) {
                next = earliestAfter(t, next, started.plus(behaviour.crashAfter()));
            }
        }
        return next;
    }

    private static Instant earliestAfter(Instant t, Instant current, Instant candidate) {
        if (!candidate.isAfter(t)) {
            return current;
        }
        return current == null || candidate.isBefore(current) ? candidate : current;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}

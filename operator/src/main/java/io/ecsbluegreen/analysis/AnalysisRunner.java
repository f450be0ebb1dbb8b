package io.ecsbluegreen.analysis;

import io.ecsbluegreen.observed.CheckState;
import io.ecsbluegreen.observed.Measurement;
import io.ecsbluegreen.plan.AnalysisTarget;
import io.ecsbluegreen.observed.Measurement.Verdict;
import io.ecsbluegreen.model.AnalysisCheck;
import io.ecsbluegreen.model.AnalysisSpec;
import io.ecsbluegreen.model.NoDataPolicy;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Measures analysis checks on a small pool of its own (daemon) threads, so a slow query never holds a
 * reconcile worker, and keeps each check's state per service and rollout.
 *
 * <p>A check is due when it was never measured or its interval (the check's, else the spec's) has passed
 * on the runner's clock since its last measurement began; a check that is measuring is never started
 * again. When a measurement ends, the check's no-data policy is applied:
 *
 * <ul>
 *   <li>PASSED counts as a pass; FAILED and ERROR (a measurement that could not be made) as failures;</li>
 *   <li>NO_DATA under {@code noData: pass} counts as a pass, under {@code fail} as a failure, and under
 *       {@code wait} not at all: {@link CheckState#lastCountedAt()} keeps its value and the check is
 *       measured again at its next interval;</li>
 *   <li>PENDING (no whole metric period to judge yet) not at all, whatever the no-data policy.</li>
 * </ul>
 *
 * <p>Then the listener hears of the measurement and the service is woken for its next pass. Thread-safe.
 * After {@link #close()} nothing runs: due checks are not started and measurements under way are dropped.
 */
public final class AnalysisRunner implements AnalysisPort, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AnalysisRunner.class);

    /** Hears of finished measurements (for status and metrics); called on a runner thread, must not block. */
    public interface Listener {
        /** Hears nothing. */
        Listener NONE = (service, measurement) -> { };

        void measured(String service, Measurement measurement);
    }

    private final Measurer targetGroupMetrics;
    private final Measurer prometheus;
    private final Measurer httpProbe;
    private final Clock clock;
    private final Listener listener;
    private final Consumer<String> wake;
    private final ExecutorService pool;
    private final Object lock = new Object();
    /** service → rollout key → check name → state; guarded by {@link #lock}. */
    private final Map<String, Map<String, Map<String, Slot>>> rollouts = new HashMap<>();
    private volatile boolean closed;

    /**
     * @param targetGroupMetrics measures {@code targetGroupMetric} checks
     * @param prometheus measures {@code prometheus} checks
     * @param httpProbe measures {@code httpProbe} checks
     * @param clock when checks are due and {@link Measurement#at()} (the simulator's in tests)
     * @param listener hears of every finished measurement
     * @param wake queues a service for a pass at once (the engine's), called when one of its measurements ends
     * @param threads measurements running at once at most
     */
    public AnalysisRunner(Measurer targetGroupMetrics, Measurer prometheus, Measurer httpProbe, Clock clock,
                          Listener listener, Consumer<String> wake, int threads) {
        this.targetGroupMetrics = targetGroupMetrics;
        this.prometheus = prometheus;
        this.httpProbe = httpProbe;
        this.clock = clock;
        this.listener = listener;
        this.wake = wake;
        AtomicInteger count = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "analysis-runner-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** One check of one rollout; guarded by the runner's lock. */
    private static final class Slot {
        final String check;
        int measurements;
        int failures;
        int failureLimit = 1;
        Measurement last;
        Instant lastStartedAt;
        Instant lastCountedAt;
        boolean measuring;

        Slot(String check) {
            this.check = check;
        }

        CheckState state() {
            return new CheckState(check, measurements, failures, failureLimit, last, lastStartedAt, lastCountedAt, measuring);
        }
    }

    @Override
    public void measureDue(AnalysisTarget target, AnalysisSpec spec) {
        if (closed || spec == null) return;
        Instant now = clock.instant();
        List<Runnable> starts = new ArrayList<>();
        synchronized (lock) {
            Map<String, Slot> checks = rollouts.computeIfAbsent(target.service(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(target.key(), k -> new LinkedHashMap<>());
            for (AnalysisCheck check : Checks.of(spec)) {
                if (check == null || check.name() == null) continue;
                Slot slot = checks.computeIfAbsent(check.name(), Slot::new);
                slot.failureLimit = Checks.failureLimit(check);
                if (slot.measuring) continue;
                if (slot.lastStartedAt != null && now.isBefore(slot.lastStartedAt.plus(Checks.interval(check, spec)))) continue;
                Instant previous = slot.lastStartedAt;
                slot.measuring = true;
                slot.lastStartedAt = now;
                starts.add(() -> {
                    try {
                        pool.execute(() -> run(target, spec, check, slot, now));
                    } catch (RejectedExecutionException e) {
                        synchronized (lock) { // closed meanwhile: as if never started
                            slot.measuring = false;
                            slot.lastStartedAt = previous;
                        }
                    }
                });
            }
        }
        starts.forEach(Runnable::run);
    }

    @Override
    public Map<String, Map<String, CheckState>> states(String service) {
        synchronized (lock) {
            Map<String, Map<String, Slot>> mine = rollouts.get(service);
            if (mine == null) return Map.of();
            Map<String, Map<String, CheckState>> out = new LinkedHashMap<>();
            mine.forEach((key, checks) -> {
                Map<String, CheckState> states = new LinkedHashMap<>();
                checks.forEach((name, slot) -> states.put(name, slot.state()));
                out.put(key, Collections.unmodifiableMap(states));
            });
            return Collections.unmodifiableMap(out);
        }
    }

    @Override
    public void retain(String service, String rolloutKey) {
        synchronized (lock) {
            if (rolloutKey == null) {
                rollouts.remove(service);
                return;
            }
            Map<String, Map<String, Slot>> mine = rollouts.get(service);
            if (mine != null) mine.keySet().removeIf(k -> !k.equals(rolloutKey));
        }
    }

    /** Stops: nothing is started after, and measurements under way are interrupted and dropped. */
    @Override
    public void close() {
        closed = true;
        pool.shutdownNow();
    }

    private void run(AnalysisTarget target, AnalysisSpec spec, AnalysisCheck check, Slot slot, Instant startedAt) {
        if (closed) return;
        String kind = Checks.kind(check);
        Measurement m;
        try {
            Measurer measurer = measurer(kind);
            m = measurer == null ? null : measurer.measure(check, spec, target, startedAt);
            if (m == null) {
                m = error(check, kind, startedAt, measurer == null ? "a check of no kind cannot be measured"
                        : "the " + kind + " measurer returned nothing");
            }
        } catch (RuntimeException e) {
            m = error(check, kind, startedAt, "the " + kind + " measurer failed: " + Checks.describe(e));
        }
        synchronized (lock) {
            if (closed) return;
            Map<String, Map<String, Slot>> mine = rollouts.get(target.service());
            Map<String, Slot> checks = mine == null ? null : mine.get(target.key());
            if (checks == null || checks.get(check.name()) != slot) return; // the rollout was forgotten meanwhile
            record(slot, m, Checks.noData(check), startedAt);
        }
        if (m.verdict() == Verdict.PASSED) {
            LOG.debugf("%s: check %s %s: %s", target.service(), check.name(), m.verdict(), m.detail());
        } else {
            LOG.infof("%s: check %s %s (%s, threshold %s): %s", target.service(), check.name(), m.verdict(),
                    m.value() == null ? "no value" : Threshold.display(m.value()), m.threshold(), m.detail());
        }
        try {
            listener.measured(target.service(), m);
        } catch (RuntimeException e) {
            LOG.warnf(e, "%s: the analysis listener failed", target.service());
        }
        try {
            wake.accept(target.service());
        } catch (RuntimeException e) {
            LOG.warnf(e, "%s: waking the service after a measurement failed", target.service());
        }
    }

    /** Applies the no-data policy; ERROR counts as a failure. */
    private static void record(Slot slot, Measurement m, NoDataPolicy noData, Instant startedAt) {
        slot.measuring = false;
        slot.measurements++;
        slot.last = m;
        boolean counted = true;
        boolean failed;
        Verdict verdict = m.verdict() == null ? Verdict.ERROR : m.verdict();
        if (verdict == Verdict.PASSED) {
            failed = false;
        } else if (verdict == Verdict.PENDING) {
            failed = false;
            counted = false;
        } else if (verdict == Verdict.NO_DATA) {
            failed = noData == NoDataPolicy.FAIL;
            counted = noData != NoDataPolicy.WAIT;
        } else {
            failed = true; // FAILED, and ERROR: a rollout that cannot be verified is not promoted
        }
        if (counted) {
            slot.lastCountedAt = startedAt;
            if (failed) slot.failures++;
        }
    }

    private Measurer measurer(String kind) {
        if (Checks.TARGET_GROUP_METRIC.equals(kind)) return targetGroupMetrics;
        if (Checks.PROMETHEUS.equals(kind)) return prometheus;
        if (Checks.HTTP_PROBE.equals(kind)) return httpProbe;
        return null;
    }

    private static Measurement error(AnalysisCheck check, String kind, Instant at, String detail) {
        return new Measurement(check.name(), kind, at, null, Checks.threshold(check).text(), Verdict.ERROR, Checks.detail(detail));
    }
}

package io.ecsbluegreen.status;

import io.ecsbluegreen.observed.Measurement;
import io.ecsbluegreen.hooks.HookRun;
import io.ecsbluegreen.model.Phase;
import io.ecsbluegreen.plan.ServiceStatus;
import io.ecsbluegreen.status.RolloutRecord.Outcome;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The operator's report of every service: the latest {@link ServiceReport} per name, built from each
 * pass's planner status plus what only time shows (when the phase changed, since when the desired
 * revision waits, the rollout history). A report is replaced only when something in it changed, and
 * listeners (metrics, events) hear only of real changes.
 *
 * <p>Nothing here is needed to resume a rollout; AWS holds that. The history and the transition times
 * start afresh when the operator restarts.
 */
public final class StatusBook {

    /** Hears of report changes; called on the reconciling thread, so it must be quick. */
    public interface Listener {
        /** A service's report changed; {@code before} is null for a service seen the first time. */
        void changed(ServiceReport before, ServiceReport after);

        /** A service is no longer reported. */
        void removed(ServiceReport last);

        /** A rollout ended (succeeded, rolled back, aborted or superseded). */
        void rolloutEnded(String service, RolloutRecord rollout);
    }

    /** A condition as a pass computes it; the book adds its transition time. */
    public record Check(boolean status, String reason, String message) {
        public static Check ok(String reason) {
            return new Check(true, reason, null);
        }
    }

    static final int HISTORY = 10;
    static final int HOOK_RUNS = 20;
    static final int MEASUREMENTS = 30;

    private final Clock clock;
    private final Map<String, ServiceReport> reports = new ConcurrentSkipListMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    /** What the revisions of each service run and where they came from, for the revisions its report names. */
    private final Map<String, Map<String, RevisionLabel>> labels = new ConcurrentHashMap<>();
    /** Who acts for each service that assumes a role; absent means the operator's own credentials. */
    private final Map<String, String> identities = new ConcurrentHashMap<>();
    /** Bumped on every real change (not on a pass that only moved its time), so readers can skip a rebuild. */
    private final AtomicLong version = new AtomicLong();

    public StatusBook(Clock clock) {
        this.clock = clock;
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /**
     * Notes who acts in AWS for a service from its next recorded pass on: a role ARN, or
     * {@link ServiceReport#OPERATOR}.
     */
    public void actingAs(String name, String identity) {
        if (identity == null || identity.equals(ServiceReport.OPERATOR)) identities.remove(name);
        else identities.put(name, identity);
    }

    /**
     * Notes what a revision of a service runs and where it came from, shown from the service's next
     * recorded report on; what an earlier label knew and this one does not (the images of a revision whose
     * task definition was read once, the commit of its file) is kept. Labels of revisions no report names
     * any more are dropped, so a service keeps a handful.
     */
    public synchronized void labelled(String name, RevisionLabel label) {
        if (label == null) return;
        labels.computeIfAbsent(name, k -> new ConcurrentHashMap<>()).merge(label.revision(), label, (old, fresh) -> fresh.or(old));
    }

    /** The labels of the revisions a report names; the others are forgotten. */
    private Map<String, RevisionLabel> labelsFor(String name, ServiceStatus status, List<RolloutRecord> history) {
        Map<String, RevisionLabel> known = labels.get(name);
        if (known == null) return Map.of();
        java.util.Set<String> named = new java.util.HashSet<>();
        if (status.activeRevision() != null) named.add(status.activeRevision());
        if (status.desiredRevision() != null) named.add(status.desiredRevision());
        named.addAll(status.productionWeights().keySet());
        named.addAll(status.testWeights().keySet());
        for (RolloutRecord r : history) {
            named.add(r.revision());
            if (r.from() != null) named.add(r.from());
        }
        known.keySet().retainAll(named);
        return Map.copyOf(known);
    }

    /** The replica holding each service's lease, with leases on; absent without leases or owner. */
    private final Map<String, String> owners = new ConcurrentHashMap<>();

    /**
     * Notes which operator replica holds the service's lease (null: none, or no leases); a report that
     * exists shows it at once, as this replica may not pass the service again while another owns it.
     */
    public synchronized void ownedBy(String name, String owner) {
        String before = owner == null ? owners.remove(name) : owners.put(name, owner);
        if (java.util.Objects.equals(before, owner)) return;
        ServiceReport report = reports.get(name);
        if (report != null) publish(report, report.withOwner(owner), List.of());
        // A service another replica owns has no report here: the overview still shows its owner.
        else version.incrementAndGet();
    }

    /** The replica holding the service's lease as the last lease round read it; null without leases or owner. */
    public String owner(String name) {
        return owners.get(name);
    }

    private String identity(String name) {
        return identities.getOrDefault(name, ServiceReport.OPERATOR);
    }

    public Optional<ServiceReport> get(String name) {
        return Optional.ofNullable(reports.get(name));
    }

    /**
     * A counter that moves whenever a report changes in anything but the time of its pass, or a service
     * stops being reported. Read it before the reports: a change after the read moves it again.
     */
    public long version() {
        return version.get();
    }

    /** Every report, by name. */
    public List<ServiceReport> all() {
        return List.copyOf(reports.values());
    }

    /**
     * Records the status a pass computed (or the engine concluded without AWS: invalid, orphaned).
     *
     * @param specCurrent whether the spec in force is the one the files declare now
     * @param reconciling whether the pass reached AWS and ran its actions
     */
    public synchronized ServiceReport record(String name, ServiceStatus status, Check specCurrent, Check reconciling) {
        Instant now = clock.instant();
        ServiceReport before = reports.get(name);
        List<RolloutRecord> history = before == null ? new ArrayList<>() : new ArrayList<>(before.history());
        List<RolloutRecord> ended = trackRollouts(history, before, status, now);
        Instant waiting = waitingSince(before, status, now);
        Condition converged = status.converged()
                ? new Condition(Condition.CONVERGED, true, "Converged", "production runs " + status.activeRevision(), now)
                : new Condition(Condition.CONVERGED, false, status.reason(), status.message(), now);
        List<Condition> conditions = List.of(
                converged.since(before == null ? null : before.condition(Condition.CONVERGED)),
                condition(Condition.SPEC_CURRENT, specCurrent, now, before),
                condition(Condition.RECONCILING, reconciling, now, before));
        ServiceReport next = new ServiceReport(name, status.phase(), status.activeRevision(), status.desiredRevision(),
                status.productionWeights(), status.testWeights(), status.step(), status.steps(), status.reason(),
                status.message(), conditions, transition(before, status.phase(), now), now, waiting,
                reconciling.status() ? 0 : (before == null ? 1 : before.consecutiveFailures() + 1), history,
                before == null ? List.of() : before.hooks(), before == null ? List.of() : before.analysis(), identity(name),
                labelsFor(name, status, history), owners.get(name));
        return publish(before, next, ended);
    }

    /**
     * Records a pass that failed before it could plan (AWS unreachable, throttled past retries): the last
     * known phase stays, the {@code Reconciling} condition turns false and the failure is counted.
     */
    public synchronized ServiceReport failed(String name, String desiredRevision, String reason, String message) {
        Instant now = clock.instant();
        ServiceReport before = reports.get(name);
        Check failing = new Check(false, reason, message);
        if (before == null) {
            ServiceStatus unknown = new ServiceStatus(Phase.Failed, null, desiredRevision, Map.of(), Map.of(), 0, 0, reason, message);
            return record(name, unknown, Check.ok("Valid"), failing);
        }
        List<Condition> conditions = new ArrayList<>();
        for (Condition c : before.conditions()) {
            conditions.add(c.type().equals(Condition.RECONCILING) ? condition(Condition.RECONCILING, failing, now, before) : c);
        }
        if (before.condition(Condition.RECONCILING) == null) {
            // A service only ever Queued has had no pass yet: its first failure brings the condition.
            conditions.add(condition(Condition.RECONCILING, failing, now, before));
        }
        ServiceReport next = new ServiceReport(name, before.phase(), before.activeRevision(), before.desiredRevision(),
                before.productionWeights(), before.testWeights(), before.step(), before.steps(), before.reason(),
                before.message(), conditions, before.lastTransitionTime(), now, before.waitingSince(),
                before.consecutiveFailures() + 1, before.history(), before.hooks(), before.analysis(), identity(name),
                before.revisions(), owners.get(name));
        return publish(before, next, List.of());
    }

    /** The reason of a {@link Phase#Queued} report. */
    public static final String SPEC_CHANGED = "SpecChanged";

    /**
     * Shows at once that a service waits for its pass with a new desired revision ({@link Phase#Queued}):
     * called when the desired state changes, before the service is queued, so that status never shows the
     * old revision as wanted while the queue works through a large change. What the last pass saw stays
     * (active revision, traffic, the Reconciling and SpecCurrent conditions, hooks, analysis); a rollout
     * still open for another revision ends as superseded. Nothing is written when the report already
     * shows this desired revision; the service's next pass replaces the report.
     */
    public synchronized ServiceReport queued(String name, String desiredRevision) {
        ServiceReport before = reports.get(name);
        if (before != null && desiredRevision.equals(before.desiredRevision())) return before;
        Instant now = clock.instant();
        String message = "waiting in the reconcile queue for its pass: the spec asks for " + desiredRevision
                + (before == null || before.activeRevision() == null ? "" : "; production runs " + before.activeRevision());
        ServiceStatus status = new ServiceStatus(Phase.Queued, before == null ? null : before.activeRevision(), desiredRevision,
                before == null ? Map.of() : before.productionWeights(), before == null ? Map.of() : before.testWeights(),
                0, 0, SPEC_CHANGED, message);
        List<RolloutRecord> history = before == null ? new ArrayList<>() : new ArrayList<>(before.history());
        List<RolloutRecord> ended = trackRollouts(history, before, status, now);
        List<Condition> conditions = new ArrayList<>();
        conditions.add(new Condition(Condition.CONVERGED, false, SPEC_CHANGED, message, now)
                .since(before == null ? null : before.condition(Condition.CONVERGED)));
        if (before != null) before.conditions().stream().filter(c -> !c.type().equals(Condition.CONVERGED)).forEach(conditions::add);
        ServiceReport next = new ServiceReport(name, Phase.Queued, status.activeRevision(), desiredRevision,
                status.productionWeights(), status.testWeights(), 0, 0, SPEC_CHANGED, message, conditions,
                transition(before, Phase.Queued, now), before == null ? null : before.lastReconcileTime(),
                waitingSince(before, status, now), before == null ? 0 : before.consecutiveFailures(), history,
                before == null ? List.of() : before.hooks(), before == null ? List.of() : before.analysis(), identity(name),
                labelsFor(name, status, history), owners.get(name));
        return publish(before, next, ended);
    }

    /** Adds a finished hook run to a service's report (kept: the latest {@value #HOOK_RUNS}). */
    public synchronized void hookRan(String name, HookRun run) {
        ServiceReport before = reports.get(name);
        if (before != null) publish(before, before.withHooks(newestFirst(run, before.hooks(), HOOK_RUNS)), List.of());
    }

    /**
     * Adds a finished analysis measurement to a service's report (kept: the latest {@value #MEASUREMENTS},
     * newest first), so a failed step shows which number failed against which threshold.
     */
    public synchronized void measured(String name, Measurement measurement) {
        ServiceReport before = reports.get(name);
        if (before != null) publish(before, before.withAnalysis(newestFirst(measurement, before.analysis(), MEASUREMENTS)), List.of());
    }

    private static <T> List<T> newestFirst(T newest, List<T> older, int kept) {
        List<T> out = new ArrayList<>(Math.min(older.size() + 1, kept));
        out.add(newest);
        for (int i = 0; i < older.size() && out.size() < kept; i++) out.add(older.get(i));
        return out;
    }

    /**
     * Whether the passes so far found nothing of the service's own in AWS and wrote nothing there: every
     * pass ended in a refusal ({@link Phase#Failed}: a missing target group, listener or alarm, a foreign
     * controller) with no active revision, no traffic and no rollout ever opened. Such a service has
     * nothing to watch once its file is gone. False when no pass has looked yet, or when the last one
     * failed on AWS itself (unreachable, throttled): then nobody knows. Like the reports, this starts
     * afresh when the operator restarts.
     */
    public boolean foundNothingInAws(String name) {
        ServiceReport r = reports.get(name);
        if (r == null || r.phase() != Phase.Failed || r.activeRevision() != null || !r.history().isEmpty()
                || !r.productionWeights().isEmpty() || !r.testWeights().isEmpty()) {
            return false;
        }
        Condition reconciling = r.condition(Condition.RECONCILING);
        // a plan was made (UpToDate: a refusal without actions) or the observation missed a resource
        return reconciling != null && (reconciling.status() ? "UpToDate".equals(reconciling.reason())
                : "MissingResource".equals(reconciling.reason()));
    }

    /** Stops reporting a service (no file declares it and it holds nothing). */
    public synchronized void remove(String name) {
        identities.remove(name);
        labels.remove(name);
        owners.remove(name);
        ServiceReport last = reports.remove(name);
        if (last != null) version.incrementAndGet();
        if (last != null) listeners.forEach(l -> l.removed(last));
    }

    private ServiceReport publish(ServiceReport before, ServiceReport next, List<RolloutRecord> ended) {
        if (next.sameAs(before)) {
            // Only the pass time moved: keep the report (and its listeners) quiet, just note the time.
            ServiceReport touched = before.withLastReconcileTime(next.lastReconcileTime());
            reports.put(next.name(), touched);
            return touched;
        }
        reports.put(next.name(), next);
        version.incrementAndGet();
        for (Listener l : listeners) {
            l.changed(before, next);
            for (RolloutRecord r : ended) l.rolloutEnded(next.name(), r);
        }
        return next;
    }

    private static Condition condition(String type, Check check, Instant now, ServiceReport before) {
        Condition c = new Condition(type, check.status(), check.reason(), check.message(), now);
        return c.since(before == null ? null : before.condition(type));
    }

    private static Instant transition(ServiceReport before, Phase phase, Instant now) {
        return before != null && before.phase() == phase ? before.lastTransitionTime() : now;
    }

    private static Instant waitingSince(ServiceReport before, ServiceStatus status, Instant now) {
        if (status.converged() || status.desiredRevision() == null) return null;
        if (before != null && before.waitingSince() != null && Objects.equals(before.desiredRevision(), status.desiredRevision())) {
            return before.waitingSince();
        }
        return now;
    }

    /**
     * Opens, ends and supersedes rollouts in {@code history} (newest first) from the change between two
     * passes; returns the rollouts that ended.
     */
    private static List<RolloutRecord> trackRollouts(List<RolloutRecord> history, ServiceReport before, ServiceStatus status,
                                                     Instant now) {
        List<RolloutRecord> ended = new ArrayList<>();
        RolloutRecord open = !history.isEmpty() && history.get(0).outcome() == null ? history.get(0) : null;
        String desired = status.desiredRevision();
        if (open != null && !open.revision().equals(desired)) {
            RolloutRecord done = open.end(now, Outcome.Superseded, "replaced by " + desired + " before it finished");
            history.set(0, done);
            ended.add(done);
            open = null;
        }
        Phase phase = status.phase();
        if (open != null) {
            Outcome outcome = null;
            if (status.converged()) outcome = Outcome.Succeeded;
            else if (phase == Phase.RolledBack) {
                outcome = status.message() != null && status.message().startsWith("Aborted") ? Outcome.Aborted : Outcome.RolledBack;
            }
            if (outcome != null) {
                RolloutRecord done = open.end(now, outcome, outcome == Outcome.Succeeded ? status.reason() : status.message());
                history.set(0, done);
                ended.add(done);
            }
        } else if (desired != null && inRollout(phase) && !desired.equals(status.activeRevision())) {
            history.add(0, new RolloutRecord(desired, status.activeRevision(), now, null, null, null));
        } else if (status.converged() && before != null && before.activeRevision() != null
                && !before.activeRevision().equals(status.activeRevision())) {
            // Served in one pass (an instant rollback to a revision blue still ran): a rollout of no duration.
            RolloutRecord instant = new RolloutRecord(desired, before.activeRevision(), now, now, Outcome.Succeeded, status.reason());
            history.add(0, instant);
            ended.add(instant);
        }
        while (history.size() > HISTORY) history.remove(history.size() - 1);
        return ended;
    }

    private static boolean inRollout(Phase phase) {
        return switch (phase) {
            case Deploying, TestTraffic, AwaitingPromotion, Shifting, Baking, RollingBack -> true;
            default -> false;
        };
    }
}

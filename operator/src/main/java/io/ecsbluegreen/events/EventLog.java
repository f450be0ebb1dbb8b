package io.ecsbluegreen.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbluegreen.observed.Measurement;
import io.ecsbluegreen.desired.DesiredState;
import io.ecsbluegreen.desired.SourceStatus;
import io.ecsbluegreen.hooks.HookRun;
import io.ecsbluegreen.loop.Engine;
import io.ecsbluegreen.plan.Plan;
import io.ecsbluegreen.status.RevisionLabel;
import io.ecsbluegreen.status.RolloutRecord;
import io.ecsbluegreen.status.ServiceReport;
import io.ecsbluegreen.status.StatusBook;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Turns what the engine, the runners and the sources report into {@link Event}s: each is logged as one
 * JSON line (logger {@code io.ecsbluegreen.events}), kept in a bounded per-service history for
 * {@code GET /api/v1/services/{name}/events}, and handed to subscribers (notifications), which must not
 * block.
 */
public final class EventLog implements StatusBook.Listener, Engine.PassListener {
    private static final Logger LOG = Logger.getLogger("io.ecsbluegreen.events");

    /** The reason of the {@link Event.Type#SourceHeld} event that ends a hold (confirmed, or the files returned). */
    public static final String HOLD_RELEASED = "HoldReleased";

    /** Events kept per service (and per source). */
    public static final int KEPT = 100;

    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Deque<Event>> byService = new ConcurrentHashMap<>();
    private final List<Consumer<Event>> subscribers = new CopyOnWriteArrayList<>();
    private final Map<String, String> sourceErrors = new HashMap<>();
    /** The revision labels of each service's latest report, to label its events. */
    private final Map<String, Map<String, RevisionLabel>> labels = new ConcurrentHashMap<>();
    /** Per held source, what it is held for (reason and names): one event per hold, not per poll. */
    private final Map<String, String> sourceHolds = new HashMap<>();

    public EventLog(Clock clock) {
        this.clock = clock;
    }

    /** Hears every event after it is recorded; called on the reporting thread, so it must be quick. */
    public void subscribe(Consumer<Event> subscriber) {
        subscribers.add(subscriber);
    }

    /** The service's events, newest first (at most {@value #KEPT}). */
    public List<Event> events(String service) {
        Deque<Event> events = byService.get(service);
        if (events == null) return List.of();
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** Records an event: history, one JSON log line, subscribers. */
    public void record(Event event) {
        Deque<Event> events = byService.computeIfAbsent(event.service(), k -> new ArrayDeque<>());
        synchronized (events) {
            events.addFirst(event);
            while (events.size() > KEPT) events.removeLast();
        }
        LOG.info(line(event));
        for (Consumer<Event> s : subscribers) {
            try {
                s.accept(event);
            } catch (RuntimeException e) {
                LOG.warnf("an event subscriber failed on %s: %s", event.type(), e.toString());
            }
        }
    }

    /** The JSON log line: flat, so log tools index every field. */
    String line(Event e) {
        ObjectNode n = json.createObjectNode();
        n.put("event", e.type().name()).put("at", e.at().toString()).put("service", e.service());
        if (e.revision() != null) n.put("revision", e.revision());
        if (e.label() != null && !e.label().images().isEmpty()) n.put("images", e.label().imageList());
        if (e.label() != null && e.label().source() != null) n.put("source", e.label().source().display());
        if (e.phase() != null) n.put("phase", e.phase());
        if (e.reason() != null) n.put("reason", e.reason());
        if (e.message() != null) n.put("message", e.message());
        return n.toString();
    }

    // ---- what is listened to ---------------------------------------------------------------------

    @Override
    public void changed(ServiceReport before, ServiceReport after) {
        labels.put(after.name(), after.revisions());
        if (before != null && before.phase() == after.phase()) return;
        record(new Event(clock.instant(), Event.Type.PhaseChanged, after.name(), after.desiredRevision(),
                after.phase() == null ? null : after.phase().name(), after.reason(),
                (before == null || before.phase() == null ? "" : before.phase() + " -> " + after.phase() + ": ")
                        + Objects.requireNonNullElse(after.message(), ""), label(after.name(), after.desiredRevision())));
    }

    @Override
    public void removed(ServiceReport last) {
        byService.remove(last.name());
        labels.remove(last.name());
    }

    /** What a revision of a service runs, as its latest report knows; null when unknown. */
    private RevisionLabel label(String service, String revision) {
        if (revision == null) return null;
        return labels.getOrDefault(service, Map.of()).get(revision);
    }

    @Override
    public void rolloutEnded(String service, RolloutRecord rollout) {
        boolean ok = rollout.outcome() == RolloutRecord.Outcome.Succeeded;
        record(new Event(clock.instant(), ok ? Event.Type.RolloutSucceeded : Event.Type.RolloutFailed, service,
                rollout.revision(), null, rollout.outcome().name(),
                (ok ? "production serves " : rollout.outcome() + ": ") + rollout.revision()
                        + (rollout.why() == null || ok ? "" : " (" + rollout.why() + ")"), label(service, rollout.revision())));
    }

    @Override
    public void passed(String service, String result, Duration took, Plan plan) {
        if (plan == null) return;
        for (Plan.Drift d : plan.drift()) {
            record(new Event(clock.instant(), Event.Type.DriftCorrected, service, plan.status().desiredRevision(),
                    plan.status().phase().name(), d.kind(), d.detail(), label(service, plan.status().desiredRevision())));
        }
    }

    /** A lifecycle hook ended. */
    public void hookRan(String service, HookRun run) {
        boolean ok = "Succeeded".equals(run.outcome());
        record(new Event(clock.instant(), ok ? Event.Type.HookSucceeded : Event.Type.HookFailed, service, run.revision(), null,
                run.outcome(), run.point() + " " + run.kind() + " hook " + run.name() + " " + run.outcome()
                        + " after " + run.attempts() + " attempt(s)" + (ok || run.detail() == null ? "" : ": " + run.detail()),
                label(service, run.revision())));
    }

    /** An analysis measurement ended; only failures and errors are events (passes are metrics). */
    public void measured(String service, Measurement m) {
        if (m.verdict() != Measurement.Verdict.FAILED && m.verdict() != Measurement.Verdict.ERROR) return;
        record(new Event(clock.instant(), Event.Type.AnalysisFailed, service, null, null, m.verdict().name(),
                "check " + m.check() + ": " + (m.value() == null ? "no value" : m.value() + " outside " + m.threshold())
                        + (m.detail() == null ? "" : " (" + m.detail() + ")")));
    }

    /** A new desired state: a source that turned unreadable or got invalid files, or recovered. */
    public synchronized void desiredChanged(DesiredState state) {
        for (SourceStatus s : state.sources()) {
            // not read yet (start-up): no error to report, nor a recovery to notify a minute later
            if (s.lastAttempt() == null) continue;
            held(s);
            String problem = problem(s);
            String before = sourceErrors.get(s.source());
            if (Objects.equals(problem, before)) continue;
            if (problem == null) {
                sourceErrors.remove(s.source());
                record(new Event(clock.instant(), Event.Type.SourceRecovered, s.source(), s.revision(), null, "Healthy",
                        "source " + s.source() + " is read cleanly again"));
            } else {
                sourceErrors.put(s.source(), problem);
                record(new Event(clock.instant(), Event.Type.SourceError, s.source(), s.revision(), null,
                        s.healthy() ? "InvalidFile" : "Unreadable", problem));
            }
        }
    }

    /** A hold of the removal guard began, changed or ended. */
    private void held(SourceStatus s) {
        String hold = s.held() ? s.hold().reason() + " " + s.hold().removed() : null;
        String before = hold == null ? sourceHolds.remove(s.source()) : sourceHolds.put(s.source(), hold);
        if (Objects.equals(hold, before)) return;
        if (hold != null) {
            record(new Event(clock.instant(), Event.Type.SourceHeld, s.source(), s.hold().revision(), null, s.hold().reason(),
                    s.hold().message() + "; confirm with `bluegreen sources confirm " + s.source() + "`"));
        } else if (before != null) {
            record(new Event(clock.instant(), Event.Type.SourceHeld, s.source(), s.revision(), null, HOLD_RELEASED,
                    "source " + s.source() + " is no longer held: its snapshot at " + s.revision() + " is in force"));
        }
    }

    private static String problem(SourceStatus s) {
        if (!s.healthy() || s.error() != null) return "source " + s.source() + " cannot be read: " + s.error();
        if (s.invalidFiles().isEmpty()) return null;
        List<String> files = new ArrayList<>();
        for (SourceStatus.InvalidFile f : s.invalidFiles()) {
            files.add(f.file() + (f.errors().isEmpty() ? "" : " (" + f.errors().get(0) + ")"));
        }
        return "invalid file(s) kept on their last good version: " + String.join("; ", files);
    }
}

package io.ecsbluegreen.api;

import io.ecsbluegreen.api.DashboardResource.QueueView;
import io.ecsbluegreen.desired.DesiredService;
import io.ecsbluegreen.desired.DesiredState;
import io.ecsbluegreen.desired.SourceStatus;
import io.ecsbluegreen.loop.WorkQueue;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.model.Phase;
import io.ecsbluegreen.status.RevisionLabel;
import io.ecsbluegreen.status.ServiceReport;
import io.ecsbluegreen.status.StatusBook;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The dashboard's first screen for any number of services: one compact row per service, versioned so
 * that a page polling every two seconds gets only what changed since the version it holds (the rows that
 * changed and the names that went), or nothing at all ({@code 304}) when nothing did.
 *
 * <p>The version is a counter of this overview, moved once per rebuild that changed something; a rebuild
 * happens only when the {@link StatusBook}'s own change counter moved, the desired state is another
 * snapshot, or the sources or the queue read differently. Versions are spelled {@code EPOCH-N}: a
 * restarted operator has another epoch, so a page that held an older one gets everything again.
 */
public final class Overview {

    /** Phases in which the operator waits for a person: these rows come first. */
    public static final Set<Phase> NEEDS_A_PERSON = EnumSet.of(Phase.AwaitingPromotion, Phase.Failed, Phase.RolledBack, Phase.Invalid);

    /** How many removed names are remembered for deltas; a page older than that gets a full answer. */
    static final int KEPT_REMOVALS = 10_000;

    /**
     * One service as the overview shows it: nothing that moves without a change (no pass time).
     *
     * @param phase null until the service's first pass
     * @param state null for a service no file declares any more
     * @param since when the phase last changed
     * @param attention whether the phase waits for a person ({@link #NEEDS_A_PERSON})
     * @param active what the active revision runs; null when there is none or nothing is known of it
     * @param desired what the desired revision runs; null when there is none, nothing is known of it, or it
     *     is the active revision (then {@code active} says it: a steady row does not send its label twice)
     * @param owner the operator replica holding the service's lease (docs/operating.md#replicas); null with
     *     leases off or while no replica holds it
     */
    public record Row(String name, Phase phase, DesiredService.State state, Map<String, String> labels, String activeRevision,
                      String desiredRevision, Map<String, Integer> productionWeights, int step, int steps, Instant since,
                      String reason, String promotion, boolean attention, Label active, Label desired, String owner) {}

    /**
     * A revision as a row shows it (see {@link RevisionLabel}): compact enough for a table cell, with the
     * whole label for a tooltip.
     *
     * @param images the short image references, comma-separated ({@code greeter:2.0.0}); empty when unknown
     * @param source where the spec came from, shortly: the commit's short SHA, the S3 object's version id
     *     (or ETag), a file's content hash; empty when unknown
     * @param text the revision id with everything known of it, e.g.
     *     {@code r-33d789593ac0 [greeter:2.0.0 from git 1a2b3c4 "Bump greeter" (Alice)]}
     */
    public record Label(String images, String source, String text) {
        static Label of(ServiceReport report, String revision) {
            if (report == null || revision == null) return null;
            RevisionLabel label = report.label(revision);
            return label.text().isEmpty() ? null : new Label(String.join(", ", label.images()), label.sourceRef(), label.describe());
        }
    }

    /**
     * The answer to one poll.
     *
     * @param version what to send as {@code since} next time (also the ETag)
     * @param full whether {@code services} is every row (else only those changed since the version asked)
     * @param total how many services there are
     * @param counts services per phase ({@code Pending} for those not reconciled yet)
     * @param services rows, by name
     * @param removed names gone since the version asked; empty in a full answer
     */
    public record Answer(String version, boolean full, int total, Map<String, Integer> counts, List<Row> services,
                         List<String> removed, List<SourceStatus> sources, QueueView queue) {}

    private record Versioned(Row row, long version) {}

    private record Meta(List<SourceStatus> sources, QueueView queue) {}

    private final Supplier<DesiredState> desired;
    private final StatusBook book;
    private final Supplier<WorkQueue.Backlog> backlog;
    private final String epoch;

    private long counter;
    private long seenBook = -1;
    private DesiredState seenDesired;
    private final Map<String, Versioned> rows = new TreeMap<>();
    private final Map<String, Long> removals = new LinkedHashMap<>();
    /** Removals at or before this version are forgotten. */
    private long forgottenUpTo;
    private Map<String, Integer> counts = Map.of();
    private Meta meta;

    /**
     * @param epoch tells this operator's versions from another run's; any short token without {@code -}
     */
    public Overview(Supplier<DesiredState> desired, StatusBook book, Supplier<WorkQueue.Backlog> backlog, String epoch) {
        if (epoch.isEmpty() || epoch.contains("-")) throw new IllegalArgumentException("an epoch without '-': " + epoch);
        this.desired = desired;
        this.book = book;
        this.backlog = backlog;
        this.epoch = epoch;
    }

    /** The version now, as an opaque token ({@code EPOCH-N}). */
    public synchronized String version() {
        refresh();
        return token(counter);
    }

    /**
     * Everything when {@code since} is null, unknown, of another epoch or too old; otherwise what changed
     * after it.
     */
    public synchronized Answer since(String since) {
        refresh();
        long from = parse(since);
        boolean full = from < 0 || from < forgottenUpTo || from > counter;
        List<Row> changed = new ArrayList<>();
        for (Versioned v : rows.values()) {
            if (full || v.version() > from) changed.add(v.row());
        }
        List<String> removed = new ArrayList<>();
        if (!full) removals.forEach((name, at) -> {
            if (at > from) removed.add(name);
        });
        return new Answer(token(counter), full, rows.size(), counts, changed, removed, meta.sources(), meta.queue());
    }

    private String token(long n) {
        return epoch + "-" + n;
    }

    /** The counter of a token of this epoch; -1 for anything else. */
    private long parse(String token) {
        if (token == null || !token.startsWith(epoch + "-")) return -1;
        try {
            return Long.parseLong(token.substring(epoch.length() + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void refresh() {
        long bookVersion = book.version();   // before the reports: a later change moves it again
        DesiredState state = desired.get();
        WorkQueue.Backlog queue = backlog.get();
        long next = counter + 1;
        boolean changed = false;
        if (bookVersion != seenBook || state != seenDesired) {
            changed = rebuild(state, next);
            seenBook = bookVersion;
            seenDesired = state;
        }
        Meta now = new Meta(state.sources(), new QueueView(queue.ready(), queue.oldestWait().toSeconds()));
        if (!now.equals(meta)) {
            meta = now;
            changed = true;
        }
        if (changed) counter = next;
    }

    private boolean rebuild(DesiredState state, long next) {
        Map<String, Row> fresh = new TreeMap<>();
        for (DesiredService s : state.services().values()) fresh.put(s.name(), row(s, book.get(s.name()).orElse(null), book.owner(s.name())));
        for (ServiceReport r : book.all()) fresh.putIfAbsent(r.name(), row(null, r, book.owner(r.name())));
        boolean changed = false;
        for (Iterator<Map.Entry<String, Versioned>> it = rows.entrySet().iterator(); it.hasNext(); ) {
            String name = it.next().getKey();   // before remove(): a TreeMap entry may take its successor's key
            if (!fresh.containsKey(name)) {
                it.remove();
                removals.remove(name);
                removals.put(name, next);
                changed = true;
            }
        }
        for (Row row : fresh.values()) {
            Versioned before = rows.get(row.name());
            if (before == null || !before.row().equals(row)) {
                rows.put(row.name(), new Versioned(row, next));
                removals.remove(row.name());
                changed = true;
            }
        }
        for (Iterator<Map.Entry<String, Long>> it = removals.entrySet().iterator(); removals.size() > KEPT_REMOVALS; ) {
            forgottenUpTo = Math.max(forgottenUpTo, it.next().getValue());
            it.remove();
        }
        if (changed) {
            Map<String, Integer> byPhase = new TreeMap<>();
            for (Row row : fresh.values()) byPhase.merge(row.phase() == null ? "Pending" : row.phase().name(), 1, Integer::sum);
            counts = Map.copyOf(byPhase);
        }
        return changed;
    }

    /** @param owner the lease holder from the book: a replica has no report of a service another one owns */
    private static Row row(DesiredService s, ServiceReport r, String owner) {
        BlueGreenService spec = s == null ? null : s.spec();
        Map<String, String> labels = spec == null || spec.metadata() == null || spec.metadata().labels() == null
                ? Map.of() : new TreeMap<>(spec.metadata().labels());
        String promotion = spec == null || spec.spec().strategy().promotion() == null ? null : spec.spec().strategy().promotion().wire();
        Phase phase = r == null ? null : r.phase();
        return new Row(s == null ? r.name() : s.name(), phase, s == null ? null : s.state(), labels,
                r == null ? null : r.activeRevision(), r == null ? null : r.desiredRevision(),
                r == null ? Map.of() : r.productionWeights(), r == null ? 0 : r.step(), r == null ? 0 : r.steps(),
                r == null ? null : r.lastTransitionTime(), r == null ? null : r.reason(), promotion,
                phase != null && NEEDS_A_PERSON.contains(phase), Label.of(r, r == null ? null : r.activeRevision()),
                r == null || Objects.equals(r.desiredRevision(), r.activeRevision()) ? null : Label.of(r, r.desiredRevision()),
                owner);
    }
}

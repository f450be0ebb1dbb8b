package io.ecsbluegreen.desired;

import io.ecsbluegreen.desired.DesiredService.State;
import io.ecsbluegreen.source.Provenance;
import io.ecsbluegreen.source.SourceFile;
import io.ecsbluegreen.source.SourceListing;
import io.ecsbluegreen.spec.DeclaredService;
import io.ecsbluegreen.spec.DuplicateNames;
import io.ecsbluegreen.spec.ParsedFile;
import io.ecsbluegreen.spec.SpecError;
import io.ecsbluegreen.spec.SpecParser;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Keeps the newest good desired state of every source in memory and merges the sources into one
 * {@link DesiredState}, applying the safety rules of GitOps:
 * <ul>
 *   <li>a file is applied whole or not at all; a file that turns invalid keeps its services on their last
 *       good spec ({@link State#STALE}) and its errors are reported;</li>
 *   <li>a source that cannot be read keeps its last good snapshot and is reported unhealthy;</li>
 *   <li>a name declared twice is reported in every place and neither declaration is applied
 *       ({@link State#CONFLICT}), the previously applied spec holding;</li>
 *   <li>a service whose file disappears is reported {@link State#ORPHANED}, never dropped; unless the
 *       operator's passes found nothing of it in AWS and wrote nothing there, then it simply goes;</li>
 *   <li>a source that would lose all of its services, or too many at once, is held by the
 *       {@link RemovalGuard}: its last good snapshot stays in force until {@link #confirm} or the files
 *       return.</li>
 * </ul>
 * Files are parsed only when their version changes. Writers are serialised; readers get an immutable
 * snapshot without locking.
 */
public final class DesiredStateStore {

    private final SpecParser parser;
    private final Clock clock;
    private final Predicate<String> neverInAws;
    private final RemovalGuard guard;
    private final Set<String> confirmedSources;
    private final Map<String, SourceState> sources = new LinkedHashMap<>();
    private volatile DesiredState current = DesiredState.EMPTY;
    private final List<Consumer<DesiredState>> listeners = new CopyOnWriteArrayList<>();

    public DesiredStateStore(SpecParser parser, Clock clock, List<String> sourceIds) {
        this(parser, clock, sourceIds, name -> false);
    }

    /**
     * @param neverInAws whether a service is known to have nothing in AWS (see
     *     {@code StatusBook#foundNothingInAws}): such a service is dropped when its file goes, not orphaned
     */
    public DesiredStateStore(SpecParser parser, Clock clock, List<String> sourceIds, Predicate<String> neverInAws) {
        this(parser, clock, sourceIds, neverInAws, RemovalGuard.OFF, Set.of());
    }

    /**
     * @param guard when a source's new snapshot is held instead of taking effect
     * @param confirmedSources sources whose removals are confirmed in advance (configuration): never held
     */
    public DesiredStateStore(SpecParser parser, Clock clock, List<String> sourceIds, Predicate<String> neverInAws,
                             RemovalGuard guard, Set<String> confirmedSources) {
        this.parser = parser;
        this.guard = guard;
        this.confirmedSources = Set.copyOf(confirmedSources);
        this.clock = clock;
        this.neverInAws = neverInAws;
        for (String id : sourceIds) sources.put(id, new SourceState());
        recompute();
    }

    /**
     * Calls {@code listener} with every new merged state, on the thread that read the source; the
     * reconcile engine uses it to queue the services whose spec changed. Listeners must not block.
     */
    public void addListener(Consumer<DesiredState> listener) {
        listeners.add(listener);
    }

    /** The latest merged state; never null, safe to read from any thread. */
    public DesiredState current() {
        return current;
    }

    /** Takes a successful read of a source; the {@link RemovalGuard} may hold it instead of applying it. */
    public synchronized DesiredState accept(String sourceId, SourceListing listing) {
        return accept(sourceId, listing, confirmedSources.contains(sourceId));
    }

    /**
     * A person confirms the removal the guard holds for {@code sourceId}: the held snapshot takes effect
     * now (its services become orphaned, still watched). Empty when nothing is held there.
     */
    public synchronized Optional<DesiredState> confirm(String sourceId) {
        SourceState s = state(sourceId);
        if (s.pending == null) return Optional.empty();
        return Optional.of(accept(sourceId, s.pending, true));
    }

    /** The ids of the sources whose newest snapshot is held. */
    public synchronized List<String> held() {
        return sources.entrySet().stream().filter(e -> e.getValue().hold != null).map(Map.Entry::getKey).toList();
    }

    private DesiredState accept(String sourceId, SourceListing listing, boolean confirmed) {
        SourceState s = state(sourceId);
        Map<String, FileEntry> next = new TreeMap<>();
        for (SourceFile f : listing.files()) {
            FileEntry previous = s.files.get(f.path());
            if (previous != null && previous.version().equals(f.version()) && previous.location().equals(f.location())) {
                // The same bytes; only a commit that brought them again (a revert) names another origin.
                next.put(f.path(), previous.parsed().valid() ? previous.from(f.provenance()) : previous);
                continue;
            }
            ParsedFile parsed = f.problem() != null
                    ? new ParsedFile(f.location(), List.of(), List.of(new SpecError(f.location(), 0, 0, "", f.problem())), List.of(), 0)
                    : parser.parse(f.location(), f.content());
            FileEntry entry = parsed.valid()
                    ? new FileEntry(f.location(), f.version(), parsed, parsed.services(), f.version(), listing.revision(),
                            f.provenance())
                    : new FileEntry(f.location(), f.version(), parsed,
                            previous == null ? List.of() : previous.lastGood(),
                            previous == null ? null : previous.lastGoodVersion(),
                            previous == null ? null : previous.lastGoodRevision(),
                            previous == null ? null : previous.lastGoodProvenance());
            next.put(f.path(), entry);
        }
        RemovalGuard.Verdict verdict = confirmed ? new RemovalGuard.Accept()
                : guard.check(sourceId, !s.applied, names(s.files), names(next));
        if (verdict instanceof RemovalGuard.Hold h) {
            // The read succeeded; what it found does not take effect. The snapshot in force keeps its revision.
            Instant since = s.hold != null && s.hold.reason().equals(h.reason()) ? s.hold.since() : clock.instant();
            s.hold = new SourceHold(h.reason(), h.removed(), listing.revision(), since, h.message());
            s.pending = listing;
            s.lastAttempt = clock.instant();
            s.lastSuccess = s.lastAttempt;
            s.error = null;
            return recompute();
        }
        s.hold = null;
        s.pending = null;
        s.applied = true;
        s.files = next;
        s.revision = listing.revision();
        s.lastAttempt = clock.instant();
        s.lastSuccess = s.lastAttempt;
        s.error = null;
        return recompute();
    }

    /** Records a failed read; the source's last good snapshot stays in force. */
    public synchronized DesiredState failed(String sourceId, String error) {
        SourceState s = state(sourceId);
        s.lastAttempt = clock.instant();
        s.error = error;
        return recompute();
    }

    /** The service names a snapshot declares, the last good ones of its invalid files included. */
    private static Set<String> names(Map<String, FileEntry> files) {
        Set<String> names = new java.util.TreeSet<>();
        for (FileEntry e : files.values()) {
            for (DeclaredService d : e.parsed().valid() ? e.parsed().services() : e.lastGood()) names.add(d.name());
        }
        return names;
    }

    private SourceState state(String sourceId) {
        SourceState s = sources.get(sourceId);
        if (s == null) throw new IllegalArgumentException("unknown source " + sourceId);
        return s;
    }

    private record FileEntry(String location, String version, ParsedFile parsed, List<DeclaredService> lastGood,
                             String lastGoodVersion, String lastGoodRevision, Provenance lastGoodProvenance) {
        FileEntry from(Provenance provenance) {
            return java.util.Objects.equals(provenance, lastGoodProvenance) ? this
                    : new FileEntry(location, version, parsed, lastGood, lastGoodVersion, lastGoodRevision, provenance);
        }
    }

    private static final class SourceState {
        Map<String, FileEntry> files = new TreeMap<>();
        String revision;
        Instant lastAttempt;
        Instant lastSuccess;
        String error;
        /** Whether a snapshot of this source took effect since start-up. */
        boolean applied;
        /** Why the newest read is held; null when it took effect. */
        SourceHold hold;
        /** The held read, applied on confirmation. */
        SourceListing pending;
    }

    private record Claim(DeclaredService declared, Origin origin, boolean stale, List<SpecError> fileErrors) {}

    private DesiredState recompute() {
        DesiredState previous = current;
        Map<String, List<Claim>> claims = new TreeMap<>();
        Map<String, List<SpecError>> invalidOnly = new TreeMap<>();
        List<SourceStatus> statuses = new ArrayList<>();
        for (Map.Entry<String, SourceState> source : sources.entrySet()) {
            SourceState s = source.getValue();
            int services = 0;
            List<SourceStatus.InvalidFile> invalidFiles = new ArrayList<>();
            for (FileEntry e : s.files.values()) {
                boolean invalid = !e.parsed().valid();
                List<DeclaredService> declared = invalid ? e.lastGood() : e.parsed().services();
                String version = invalid ? e.lastGoodVersion() : e.version();
                String revision = invalid ? e.lastGoodRevision() : s.revision;
                for (DeclaredService d : declared) {
                    Origin origin = new Origin(source.getKey(), d.file(), d.line(), version, revision, e.lastGoodProvenance());
                    claims.computeIfAbsent(d.name(), k -> new ArrayList<>())
                            .add(new Claim(d, origin, invalid, invalid ? e.parsed().errors() : List.of()));
                }
                if (invalid) {
                    invalidFiles.add(new SourceStatus.InvalidFile(e.location(), e.version(), e.parsed().errors()));
                    Set<String> held = declared.stream().map(DeclaredService::name).collect(Collectors.toSet());
                    for (String name : e.parsed().invalidNames()) {
                        if (!held.contains(name)) {
                            invalidOnly.computeIfAbsent(name, k -> new ArrayList<>()).addAll(e.parsed().errors());
                        }
                    }
                } else {
                    services += declared.size();
                }
            }
            boolean healthy = s.error == null && s.lastSuccess != null;
            String error = s.error != null ? s.error : s.lastSuccess == null ? "not synced yet" : null;
            statuses.add(new SourceStatus(source.getKey(), healthy, s.revision, s.lastAttempt, s.lastSuccess, error,
                    s.files.size(), services, invalidFiles, s.hold));
        }

        Map<String, DesiredService> services = new TreeMap<>();
        claims.forEach((name, list) -> {
            if (list.size() == 1) {
                Claim c = list.get(0);
                services.put(name, new DesiredService(name, c.stale() ? State.STALE : State.READY, c.declared().service(),
                        c.origin(), c.fileErrors()));
            } else {
                DesiredService before = previous.services().get(name);
                List<SpecError> problems = DuplicateNames.errors(Map.of(name, list.stream().map(Claim::declared).toList()));
                services.put(name, new DesiredService(name, State.CONFLICT, before == null ? null : before.spec(),
                        before == null ? null : before.origin(), problems));
            }
        });
        invalidOnly.forEach((name, errors) -> {
            if (services.containsKey(name)) return;
            DesiredService before = previous.services().get(name);
            if (before != null && before.spec() != null) {
                services.put(name, new DesiredService(name, State.STALE, before.spec(), before.origin(), errors));
            } else {
                services.put(name, new DesiredService(name, State.INVALID, null, null, errors));
            }
        });
        previous.services().forEach((name, before) -> {
            // A service that never existed in AWS leaves nothing to watch or report once its file is gone.
            if (!services.containsKey(name) && before.spec() != null && !neverInAws.test(name)) {
                List<SpecError> problems = before.state() == State.ORPHANED ? before.problems()
                        : List.of(new SpecError(before.origin().file(), 0, 0, "",
                                "service '" + name + "' is no longer declared by any file; it is reported, not deleted"));
                services.put(name, new DesiredService(name, State.ORPHANED, before.spec(), before.origin(), problems));
            }
        });
        DesiredState next = new DesiredState(services, statuses);
        current = next;
        for (Consumer<DesiredState> listener : listeners) listener.accept(next);
        return next;
    }
}

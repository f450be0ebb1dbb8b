package io.ecsbluegreen.lease;

import io.ecsbluegreen.loop.Engine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Shares the services among operator replicas through leases in a DynamoDB table ({@link LeaseTable}),
 * one lease per service. Each round ({@link #round()}, every {@code renewInterval}) this replica writes
 * its heartbeat, reads the table, renews the leases it holds, gives up leases beyond its share (at most
 * half of those it holds a round) and takes free or expired leases up to its share ({@link #share}).
 *
 * <p>Safety rests on one assumption, stated in docs/operating.md: the clocks of two replicas differ by
 * less than {@code skewMargin} minus the time a write takes to reach AWS. A lease written at {@code t}
 * (on this replica's clock, read before the write is sent) to expire at {@code t + leaseDuration} lets
 * this replica write until {@code t + leaseDuration - skewMargin} only ({@link #owns}); another replica
 * takes it only once its own clock is past {@code t + leaseDuration}. A replica that cannot renew (the
 * table unreachable, a long pause) thus stops writing before anyone else may start, without having to
 * learn that it lost anything.
 *
 * <p>Balance converges in a few rounds and never flaps. The shares add up to the number of services and
 * every replica computes them alike from the same heartbeats ({@link #share}); a replica over its share
 * releases the excess, at most half of what it holds a round (so a replica that held everything hands
 * over in a few rounds, while most of its services keep being passed); a replica under its share takes free or
 * expired leases up to it in one round, never one another live replica holds; a replica at or under its
 * share never releases to balance. So leases move only when the live replicas or the services change,
 * and a lease released is wanted by a replica under its share. A replica that sees no other live
 * replica in its first round takes no lease then: replicas started together may not have written their
 * heartbeats yet, and waiting one round lets them count each other instead of the first one taking
 * everything. One that sees others takes its share at once (their heartbeats are in its count), so a
 * replica joining while another's leases lapse takes them over without a round's delay.
 */
public final class LeaseManager implements Engine.Ownership, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LeaseManager.class);

    /** Hears of lease changes: the engine wakes a service it acquired; metrics count. */
    public interface Listener {
        /** @param takenFrom the replica whose lease had expired; null for a free or released one */
        default void acquired(String service, String takenFrom) {}

        /** A lease lapsed or was found taken: this replica no longer writes to the service. */
        default void lost(String service) {}

        /** This replica gave the lease up (balance, service gone, shutdown). */
        default void released(String service) {}

        /** The table could not be reached this round. */
        default void unreachable(RuntimeException e) {}

        /** A round ended: the owner of each declared service as it read them (null for none). */
        default void owners(Map<String, String> owners) {}
    }

    /**
     * How leases are held.
     *
     * @param replicaId this replica's name in the table (and in its AWS user agent)
     * @param leaseDuration how long a lease lasts after each renewal
     * @param renewInterval how often leases are renewed (one round)
     * @param skewMargin how much earlier than the lease's expiry this replica stops writing
     */
    public record Settings(String replicaId, Duration leaseDuration, Duration renewInterval, Duration skewMargin) {
        public Settings {
            if (replicaId == null || replicaId.isBlank()) throw new IllegalArgumentException("the replica id is empty");
            if (skewMargin.isNegative() || skewMargin.compareTo(leaseDuration) >= 0) {
                throw new IllegalArgumentException("the skew margin (" + skewMargin + ") must be shorter than the lease (" + leaseDuration + ")");
            }
            if (renewInterval.compareTo(leaseDuration.minus(skewMargin)) >= 0) {
                throw new IllegalArgumentException("the renew interval (" + renewInterval + ") must be shorter than the lease minus the skew margin ("
                        + leaseDuration.minus(skewMargin) + "): a lease would lapse between renewals");
            }
        }
    }

    private record Held(long version, Instant writableUntil) {}

    private final LeaseTable table;
    private final Supplier<Set<String>> services;
    private final Clock clock;
    private final Settings settings;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    /** Owner of each service as the last round read it (this replica's own leases included). */
    private volatile Map<String, String> owners = Map.of();
    private volatile boolean reachable;
    private volatile int liveReplicas = 1;
    /** Whether a round has reached the table: this replica's heartbeat is there for the others to count. */
    private boolean joined;
    private final AtomicLong moves = new AtomicLong();

    /**
     * @param services the names of the services to share (the declared ones)
     * @param clock this replica's clock, on which leases are written and judged
     */
    public LeaseManager(LeaseTable table, Supplier<Set<String>> services, Clock clock, Settings settings) {
        this.table = table;
        this.services = services;
        this.clock = clock;
        this.settings = settings;
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public Settings settings() {
        return settings;
    }

    /** Whether this replica may write to the service now: it holds the lease, short of its expiry by the margin. */
    @Override
    public boolean owns(String service) {
        Held h = held.get(service);
        return h != null && clock.instant().isBefore(h.writableUntil());
    }

    /** The replica that held the service's lease at the last round; null when none did. */
    @Override
    public String owner(String service) {
        if (owns(service)) return settings.replicaId();
        String o = owners.get(service);
        return settings.replicaId().equals(o) ? null : o;
    }

    /** The services this replica may write to now. */
    public Set<String> held() {
        Set<String> out = new java.util.TreeSet<>();
        for (String s : held.keySet()) if (owns(s)) out.add(s);
        return out;
    }

    /** Whether the last round reached the table. */
    public boolean reachable() {
        return reachable;
    }

    /** Live replicas at the last round, this one included. */
    public int liveReplicas() {
        return liveReplicas;
    }

    /** Leases this replica acquired or released so far: each is a move of a service between replicas. */
    public long moves() {
        return moves.get();
    }

    /**
     * A replica's share of the services: {@code services / live} each, the remainder going one each to
     * the first replicas by id. The shares add up to the services, so once every replica holds its share
     * none is under it and nothing moves; and two replicas never trade a lease back and forth, as the
     * tie is broken by id rather than by who holds what.
     *
     * @param live the ids of the live replicas, this one included
     */
    static int share(int services, List<String> live, String replica) {
        if (live.isEmpty()) return services;
        List<String> sorted = live.stream().sorted().toList();
        int rank = Math.max(0, sorted.indexOf(replica));
        return services / sorted.size() + (rank < services % sorted.size() ? 1 : 0);
    }

    /**
     * How many leases beyond its share a replica holding {@code held} may release in one round: half of
     * them, at least one. A released service waits up to a round for its new owner, so releasing in
     * halves keeps most of the replica's services moving while it hands over, and bounds the burst of
     * writes, yet the excess goes in a few rounds (from every lease to a third of them: two).
     */
    static int releasesPerRound(int held) {
        return Math.max(1, held / 2);
    }

    /** One round: heartbeat, read, renew, release beyond the share, acquire up to it. */
    public synchronized void round() {
        Instant start = clock.instant();
        LeaseTable.Snapshot snapshot;
        try {
            table.beat(settings.replicaId(), start.plus(settings.leaseDuration()));
            snapshot = table.scan();
        } catch (RuntimeException e) {
            unreachable(e);
            return;
        }
        Map<String, LeaseTable.Lease> leases = new HashMap<>();
        for (LeaseTable.Lease l : snapshot.leases()) leases.put(l.service(), l);
        Instant now = clock.instant();
        List<String> live = new ArrayList<>();
        live.add(settings.replicaId());
        for (LeaseTable.Replica r : snapshot.replicas()) {
            if (!r.id().equals(settings.replicaId()) && r.expiresAt().isAfter(now)) live.add(r.id());
        }
        liveReplicas = live.size();
        Set<String> declared = services.get();
        try {
            renewAll(declared);
            int share = share(declared.size(), live, settings.replicaId());
            if (held.size() > share) release(Math.min(held.size() - share, releasesPerRound(held.size())));
            // Alone in its first round, a replica only announces itself (see class doc).
            else if (held.size() < share && (joined || live.size() > 1)) acquire(declared, leases, share);
        } catch (RuntimeException e) {
            unreachable(e);
            return;
        }
        joined = true;
        reachable = true;
        Map<String, String> seen = new HashMap<>();
        for (LeaseTable.Lease l : leases.values()) {
            if (l.owner() != null && l.expiresAt().isAfter(now)) seen.put(l.service(), l.owner());
        }
        held.keySet().forEach(s -> seen.put(s, settings.replicaId()));
        owners = Map.copyOf(seen);
        Map<String, String> ofDeclared = new HashMap<>();
        for (String s : declared) ofDeclared.put(s, seen.get(s));
        listeners.forEach(l -> l.owners(java.util.Collections.unmodifiableMap(ofDeclared)));
    }

    private void unreachable(RuntimeException e) {
        if (reachable) LOG.warnf("lease table unreachable (%s); this replica stops writing to a service when its lease could lapse", e.toString());
        reachable = false;
        lapse();
        listeners.forEach(l -> l.unreachable(e));
    }

    /** Forgets leases past their writable time: they were not renewed in time. */
    private void lapse() {
        Instant now = clock.instant();
        for (Map.Entry<String, Held> e : List.copyOf(held.entrySet())) {
            if (!now.isBefore(e.getValue().writableUntil()) && held.remove(e.getKey(), e.getValue())) {
                LOG.warnf("%s: lease lapsed unrenewed; this replica no longer writes to it", e.getKey());
                listeners.forEach(l -> l.lost(e.getKey()));
            }
        }
    }

    private void renewAll(Set<String> declared) {
        for (Map.Entry<String, Held> e : List.copyOf(held.entrySet())) {
            String service = e.getKey();
            Held h = e.getValue();
            Instant sent = clock.instant();
            if (!declared.contains(service)) {
                held.remove(service);
                table.release(service, settings.replicaId(), h.version(), sent);
                listeners.forEach(l -> l.released(service));
                continue;
            }
            if (table.renew(service, settings.replicaId(), h.version(), sent.plus(settings.leaseDuration()))) {
                held.put(service, new Held(h.version() + 1, sent.plus(settings.leaseDuration()).minus(settings.skewMargin())));
            } else {
                held.remove(service);
                LOG.warnf("%s: lease found taken by another replica at renewal; this replica no longer writes to it", service);
                listeners.forEach(l -> l.lost(service));
            }
        }
        lapse();
    }

    /** Gives up {@code count} leases: those whose names sort last by this replica's hash, so choices differ per replica. */
    private void release(int count) {
        List<String> victims = held.keySet().stream().sorted(Comparator.comparingInt(this::spread).reversed()).limit(count).toList();
        for (String victim : victims) {
            Held h = held.remove(victim);
            // Stop writing before the release reaches the table: another replica may take it at once.
            table.release(victim, settings.replicaId(), h.version(), clock.instant());
            moves.incrementAndGet();
            LOG.infof("%s: lease released to balance %d replicas", victim, liveReplicas);
            listeners.forEach(l -> l.released(victim));
        }
    }

    private int spread(String service) {
        return (service + "/" + settings.replicaId()).hashCode();
    }

    private void acquire(Set<String> declared, Map<String, LeaseTable.Lease> leases, int share) {
        List<String> candidates = new ArrayList<>();
        Instant now = clock.instant();
        for (String s : declared) {
            if (held.containsKey(s)) continue;
            LeaseTable.Lease l = leases.get(s);
            // Expired on this replica's clock: the holder stopped writing skewMargin before (see class doc).
            if (l == null || l.owner() == null || !l.expiresAt().isAfter(now)) candidates.add(s);
        }
        // Replicas try the free leases in different orders, so they rarely race for the same one.
        candidates.sort(Comparator.comparingInt(this::spread));
        for (String s : candidates) {
            if (held.size() >= share) return;
            LeaseTable.Lease l = leases.get(s);
            Instant sent = clock.instant();
            if (table.acquire(s, settings.replicaId(), l == null ? null : l.version(), sent.plus(settings.leaseDuration()))) {
                held.put(s, new Held(l == null ? 1 : l.version() + 1, sent.plus(settings.leaseDuration()).minus(settings.skewMargin())));
                moves.incrementAndGet();
                String from = l == null ? null : l.owner();
                if (from != null) LOG.infof("%s: lease taken over from replica %s, expired at %s", s, from, l.expiresAt());
                listeners.forEach(x -> x.acquired(s, from));
            }
        }
    }

    /** Releases every lease and the heartbeat (the engine has stopped writing by then); failures are logged. */
    @Override
    public synchronized void close() {
        Instant now = clock.instant();
        try {
            for (Map.Entry<String, Held> e : List.copyOf(held.entrySet())) {
                held.remove(e.getKey());
                table.release(e.getKey(), settings.replicaId(), e.getValue().version(), now);
                listeners.forEach(l -> l.released(e.getKey()));
            }
            table.leave(settings.replicaId());
        } catch (RuntimeException e) {
            LOG.warnf("leases not released at shutdown (%s): they lapse after %s", e.toString(), settings.leaseDuration());
        }
        held.clear();
    }
}

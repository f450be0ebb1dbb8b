package io.ecsbluegreen.lease;

import java.time.Instant;
import java.util.List;

/**
 * The lease table, narrowed to what {@link LeaseManager} does with it. Every write is conditional; a
 * condition that does not hold answers {@code false}; anything else (the table unreachable, access
 * denied, throttled past retries) is thrown.
 */
public interface LeaseTable {
    /**
     * A service's lease as the table holds it.
     *
     * @param service the service's name
     * @param owner the replica holding it; null once released
     * @param version bumped by every write, so a write conditioned on it fails after any other write
     * @param expiresAt when it lapses unless renewed, on the owner's clock
     */
    record Lease(String service, String owner, long version, Instant expiresAt) {}

    /** A replica's heartbeat: it is live until {@code expiresAt}, on its own clock. */
    record Replica(String id, Instant expiresAt) {}

    /** Every lease and heartbeat in the table. */
    record Snapshot(List<Lease> leases, List<Replica> replicas) {}

    /** Reads the whole table (a consistent scan, paged). */
    Snapshot scan();

    /**
     * Takes a lease: when {@code seenVersion} is null only if no lease item exists, otherwise only if the
     * item still has that version (it was seen released or expired).
     *
     * @return whether it was taken; the new version is {@code seenVersion + 1} (1 for a new item)
     */
    boolean acquire(String service, String owner, Long seenVersion, Instant expiresAt);

    /** Extends a lease this replica holds at {@code version}; the new version is {@code version + 1}. */
    boolean renew(String service, String owner, long version, Instant expiresAt);

    /** Gives a lease up (owner removed, expiry now) if this replica still holds it at {@code version}. */
    boolean release(String service, String owner, long version, Instant now);

    /** Writes this replica's heartbeat. */
    void beat(String replica, Instant expiresAt);

    /** Removes this replica's heartbeat (shutdown). */
    void leave(String replica);
}

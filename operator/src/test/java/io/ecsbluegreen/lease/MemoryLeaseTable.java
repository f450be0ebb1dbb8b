package io.ecsbluegreen.lease;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;

/**
 * The lease table in memory, with the conditions {@link SdkLeaseTable} puts on its DynamoDB writes, for
 * table tests of many rounds of several {@link LeaseManager}s (the simulator's DynamoDB, over the wire, is
 * exercised by LeasedReplicasOnSimulatorTest).
 */
final class MemoryLeaseTable implements LeaseTable {
    private final Map<String, Lease> leases = new TreeMap<>();
    private final Map<String, Replica> replicas = new TreeMap<>();

    @Override
    public synchronized Snapshot scan() {
        return new Snapshot(new ArrayList<>(leases.values()), new ArrayList<>(replicas.values()));
    }

    @Override
    public synchronized boolean acquire(String service, String owner, Long seenVersion, Instant expiresAt) {
        Lease now = leases.get(service);
        if (seenVersion == null ? now != null : now == null || now.version() != seenVersion) return false;
        leases.put(service, new Lease(service, owner, seenVersion == null ? 1 : seenVersion + 1, expiresAt));
        return true;
    }

    @Override
    public synchronized boolean renew(String service, String owner, long version, Instant expiresAt) {
        if (!heldBy(service, owner, version)) return false;
        leases.put(service, new Lease(service, owner, version + 1, expiresAt));
        return true;
    }

    @Override
    public synchronized boolean release(String service, String owner, long version, Instant now) {
        if (!heldBy(service, owner, version)) return false;
        leases.put(service, new Lease(service, null, version + 1, now));
        return true;
    }

    private boolean heldBy(String service, String owner, long version) {
        Lease l = leases.get(service);
        return l != null && owner.equals(l.owner()) && l.version() == version;
    }

    @Override
    public synchronized void beat(String replica, Instant expiresAt) {
        replicas.put(replica, new Replica(replica, expiresAt));
    }

    @Override
    public synchronized void leave(String replica) {
        replicas.remove(replica);
    }
}

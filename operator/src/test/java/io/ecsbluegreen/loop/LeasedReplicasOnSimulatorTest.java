package io.ecsbluegreen.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.sim.dynamodb.DynamoDbStore;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Replicas sharing services through DynamoDB leases on the simulator, with the real SDK clients: they split
 * the services, never write to one outside its lease (checked from the simulator's request log, each
 * replica naming itself in its user agent), stop writing before their lease expires when cut off from
 * DynamoDB, and take a killed replica's services over once its leases expired.
 */
class LeasedReplicasOnSimulatorTest {
    static final Duration TICK = Duration.ofSeconds(1);
    LeasedCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) cluster.close();
    }

    void until(BooleanSupplier done, int maxSteps) {
        for (int i = 0; i < maxSteps; i++) {
            if (done.getAsBoolean()) return;
            cluster.step(TICK);
        }
        throw new AssertionError("not reached in " + maxSteps + " steps; held: "
                + cluster.replicas.stream().map(r -> r.id + "=" + r.leases.held()).toList());
    }

    @Test
    void twoReplicasSplitTheServicesEvenlyAndNeverWriteOneOutsideItsLease() {
        var a = twoBalancedOnV1(10);
        var b = cluster.replicas.get(1);
        cluster.declare("2.0.0", EngineBenchmark.ALL_AT_ONCE);
        until(() -> cluster.allServe("2.0.0"), 2000);

        Set<String> both = new HashSet<>(a.leases.held());
        both.retainAll(b.leases.held());
        assertThat(both).isEmpty();
        assertThat(cluster.violations()).isEmpty();
        Map<String, Long> writesBy = new TreeMap<>();
        cluster.writes().forEach(w -> writesBy.merge(w.replica(), 1L, Long::sum));
        assertThat(writesBy).containsOnlyKeys("replica-a", "replica-b");
        assertThat(cluster.report("svc0").owner()).isIn("replica-a", "replica-b");
        long moves = a.leases.moves() + b.leases.moves();
        // Held steady once balanced: another minute of rounds moves nothing.
        for (int i = 0; i < 60; i++) cluster.step(TICK);
        assertThat(a.leases.moves() + b.leases.moves()).isEqualTo(moves);
    }

    @Test
    void aReplicaCutOffFromDynamoDbStopsWritingBeforeItsLeaseExpiresAndTheOtherTakesOverOnlyAfter() {
        cluster = new LeasedCluster(6);
        var a = cluster.add("replica-a");
        cluster.declare("1.0.0", EngineBenchmark.ALL_AT_ONCE);
        until(() -> cluster.allServe("1.0.0"), 2000);
        var b = cluster.add("replica-b");
        until(() -> a.leases.held().size() == 3 && b.leases.held().size() == 3, 300);
        Set<String> ofA = a.leases.held();

        cluster.sim.dynamodb().refuse(ua -> ua.contains("bluegreen-replica/replica-a"));
        Instant cut = cluster.sim.clock().instant();
        // A rollout starts: a would write to its services if it still thought it may.
        cluster.declare("2.0.0", EngineBenchmark.ALL_AT_ONCE);
        Map<String, Instant> stoppedAt = new TreeMap<>();
        for (int i = 0; i < 120 && stoppedAt.size() < ofA.size(); i++) {
            cluster.step(TICK);
            for (String s : ofA) if (!a.leases.owns(s)) stoppedAt.putIfAbsent(s, cluster.sim.clock().instant());
        }
        assertThat(stoppedAt).containsOnlyKeys(ofA);
        assertThat(a.leases.reachable()).isFalse();
        for (String s : ofA) {
            Instant expiry = lastExpiryWrittenBy("replica-a", s);
            assertThat(stoppedAt.get(s)).as("%s: a stops writing before its lease expires at %s", s, expiry)
                    .isBeforeOrEqualTo(expiry.minus(LeasedCluster.MARGIN));
            assertThat(firstAcquireBy("replica-b", s, cut)).as("%s: b takes it only after it expired", s).isAfterOrEqualTo(expiry);
        }
        until(() -> cluster.allServe("2.0.0"), 2000);
        assertThat(b.leases.held()).hasSize(6);
        assertThat(cluster.violations()).isEmpty();
    }

    @Test
    void aKilledReplicasServicesAreTakenOverAfterItsLeasesExpireAndItsRolloutsFinish() {
        var a = twoBalancedOnV1(6);
        var b = cluster.replicas.get(1);
        cluster.declare("2.0.0", EngineBenchmark.LONG_CANARY);
        for (int i = 0; i < 10; i++) cluster.step(TICK);
        Set<String> ofA = a.leases.held();
        a.kill();
        Instant killed = cluster.sim.clock().instant();
        until(() -> b.leases.held().size() == 6, 200);
        Duration takeover = Duration.between(killed, cluster.sim.clock().instant());
        System.out.printf("takeover after a kill: %ds (lease %ds, renew %ds)%n", takeover.toSeconds(),
                LeasedCluster.LEASE.toSeconds(), LeasedCluster.RENEW.toSeconds());
        assertThat(takeover).isLessThanOrEqualTo(LeasedCluster.LEASE.plus(LeasedCluster.RENEW).plus(TICK));
        for (String s : ofA) {
            assertThat(firstAcquireBy("replica-b", s, killed)).isAfterOrEqualTo(lastExpiryWrittenBy("replica-a", s));
        }
        until(() -> cluster.allServe("2.0.0"), 5000);
        assertThat(cluster.violations()).isEmpty();
        assertThat(cluster.sim.stats().calls("ecs", "CreateTaskSet")).as("one green per service and version").isEqualTo(12);
    }

    /** Two replicas, every service live on 1.0.0, the leases split evenly; returns the first replica. */
    LeasedCluster.Replica twoBalancedOnV1(int services) {
        cluster = new LeasedCluster(services);
        var a = cluster.add("replica-a");
        var b = cluster.add("replica-b");
        cluster.declare("1.0.0", EngineBenchmark.ALL_AT_ONCE);
        until(() -> cluster.allServe("1.0.0"), 2000);
        until(() -> a.leases.held().size() == services / 2 && b.leases.held().size() == services / 2, 300);
        return a;
    }

    Instant lastExpiryWrittenBy(String replica, String service) {
        Instant last = null;
        for (DynamoDbStore.Write w : cluster.sim.dynamodb().writes()) {
            if (("service#" + service).equals(w.attribute("pk")) && replica.equals(w.attribute("owner"))) {
                last = Instant.ofEpochMilli(Long.parseLong(w.attribute("expiresAt")));
            }
        }
        return last;
    }

    Instant firstAcquireBy(String replica, String service, Instant after) {
        for (DynamoDbStore.Write w : cluster.sim.dynamodb().writes()) {
            if (!w.at().isBefore(after) && ("service#" + service).equals(w.attribute("pk")) && replica.equals(w.attribute("owner"))) {
                return w.at();
            }
        }
        return Instant.MAX;
    }
}

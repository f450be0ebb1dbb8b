package io.ecsbluegreen.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.sim.SimClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Balance as table tests of lease rounds: replicas ({@link LeaseManager}s) on one in-memory lease table and
 * one virtual clock, each round every running replica in turn, then the clock moves one renew interval.
 * After every replica's round no service is writable by two replicas.
 */
class LeaseBalanceTest {
    static final Duration LEASE = Duration.ofSeconds(30);
    static final Duration RENEW = Duration.ofSeconds(10);
    static final Duration MARGIN = Duration.ofSeconds(5);

    final SimClock clock = SimClock.virtual(Instant.parse("2026-12-06T00:00:00Z"));
    final MemoryLeaseTable table = new MemoryLeaseTable();
    final AtomicReference<Set<String>> declared = new AtomicReference<>(Set.of());
    /** Every replica started, in the order they take their turn; the stopped ones stay (they may still think they own). */
    final Map<String, LeaseManager> replicas = new LinkedHashMap<>();
    final Set<String> running = new TreeSet<>();

    LeaseManager start(String id) {
        LeaseManager m = new LeaseManager(table, declared::get, clock, new LeaseManager.Settings(id, LEASE, RENEW, MARGIN));
        replicas.put(id, m);
        running.add(id);
        return m;
    }

    void declare(int services) {
        declared.set(Set.copyOf(IntStream.range(0, services).mapToObj(i -> "svc" + i).toList()));
    }

    /** One round of the running replicas, in start order, then the clock moves one renew interval. */
    void round() {
        for (Map.Entry<String, LeaseManager> e : replicas.entrySet()) {
            if (!running.contains(e.getKey())) continue;
            e.getValue().round();
            assertNoServiceWritableByTwo();
        }
        clock.advance(RENEW);
    }

    void assertNoServiceWritableByTwo() {
        for (String s : declared.get()) {
            List<String> writers = new ArrayList<>();
            replicas.forEach((id, m) -> {
                if (m.owns(s)) writers.add(id);
            });
            assertThat(writers).as("replicas that may write to %s", s).hasSizeLessThanOrEqualTo(1);
        }
    }

    /** Rounds until every running replica holds its share, at most {@code max}; returns how many it took. */
    int roundsToBalance(int max) {
        for (int i = 0; i <= max; i++) {
            if (balanced()) return i;
            round();
        }
        throw new AssertionError("not balanced in " + max + " rounds: " + held());
    }

    boolean balanced() {
        int n = declared.get().size();
        int live = running.size();
        int total = 0;
        for (String id : running) {
            int h = replicas.get(id).held().size();
            int share = LeaseManager.share(n, List.copyOf(running), id);
            if (h != share) return false;
            total += h;
        }
        return total == n;
    }

    Map<String, Integer> held() {
        Map<String, Integer> out = new LinkedHashMap<>();
        replicas.forEach((id, m) -> out.put(id, m.held().size()));
        return out;
    }

    long moves() {
        return replicas.values().stream().mapToLong(LeaseManager::moves).sum();
    }

    /** Once balanced, {@code rounds} more rounds move nothing. */
    void assertNoFlapOver(int rounds) {
        long before = moves();
        Map<String, Integer> held = held();
        for (int i = 0; i < rounds; i++) round();
        assertThat(moves()).as("moves in %d rounds once balanced", rounds).isEqualTo(before);
        assertThat(held()).isEqualTo(held);
    }

    @Test
    void theSharesAddUpToTheServicesAndTheRemainderGoesToTheFirstReplicasById() {
        assertThat(LeaseManager.share(10, List.of("c", "a", "b"), "a")).isEqualTo(4);
        assertThat(LeaseManager.share(10, List.of("c", "a", "b"), "b")).isEqualTo(3);
        assertThat(LeaseManager.share(10, List.of("c", "a", "b"), "c")).isEqualTo(3);
        assertThat(LeaseManager.share(2, List.of("c", "a", "b"), "c")).isZero();
        for (int live = 1; live <= 7; live++) {
            List<String> ids = IntStream.range(0, live).mapToObj(i -> "replica-" + i).toList();
            for (int n : new int[] {0, 1, 5, 299, 300, 301}) {
                assertThat(ids.stream().mapToInt(id -> LeaseManager.share(n, ids, id)).sum()).as("%d services, %d replicas", n, live)
                        .isEqualTo(n);
            }
        }
    }

    @Test
    void aReplicaReleasesAtMostHalfTheLeasesItHoldsARoundAndAtLeastOne() {
        assertThat(LeaseManager.releasesPerRound(296)).isEqualTo(148);
        assertThat(LeaseManager.releasesPerRound(1)).isEqualTo(1);
        assertThat(LeaseManager.releasesPerRound(0)).isEqualTo(1);
    }

    @Test
    void threeReplicasBalanceWithinThreeRoundsFrom296And4And0AndThenNeverMoveAgain() {
        declare(296);
        LeaseManager a = start("replica-a");
        round();
        round();
        assertThat(a.held()).hasSize(296);
        // Four more services; b starts before a's next round, so b can take only those four; then c starts.
        declare(300);
        start("replica-b").round();
        assertThat(held()).containsExactly(Map.entry("replica-a", 296), Map.entry("replica-b", 4));
        start("replica-c").round();
        assertThat(held()).containsEntry("replica-c", 0);
        clock.advance(RENEW);
        long before = moves();

        int rounds = roundsToBalance(10);
        System.out.printf("296/4/0 on 3 replicas: balanced after %d rounds (%ds), %d moves%n", rounds,
                RENEW.multipliedBy(rounds).toSeconds(), moves() - before);
        assertThat(rounds).isLessThanOrEqualTo(3);
        // Each of the 196 excess leases moves once: released by a, acquired by b or c.
        assertThat(moves() - before).isEqualTo(2 * 196);
        assertThat(held()).containsExactly(Map.entry("replica-a", 100), Map.entry("replica-b", 100), Map.entry("replica-c", 100));
        assertNoFlapOver(100);
    }

    @Test
    void replicasStartedTogetherNeverLetTheFirstTakeEverythingAndBalanceWithinThreeRounds() {
        declare(300);
        start("replica-a");
        start("replica-b");
        start("replica-c");
        round();
        assertThat(held()).as("a saw no one and waited; b saw a; c saw both")
                .containsExactly(Map.entry("replica-a", 0), Map.entry("replica-b", 150), Map.entry("replica-c", 100));
        int rounds = 1 + roundsToBalance(3);
        System.out.printf("3 replicas started together on 300 services: balanced after %d rounds, %d moves%n", rounds, moves());
        assertThat(rounds).isLessThanOrEqualTo(3);
        assertThat(moves()).as("300 acquisitions and the 50 b took beyond its share, released and taken again").isEqualTo(400);
        assertNoFlapOver(100);
    }

    @Test
    void aReplicaStartingAloneTakesNothingInItsFirstRoundAndEverythingInItsSecond() {
        declare(10);
        LeaseManager a = start("replica-a");
        round();
        assertThat(a.held()).isEmpty();
        round();
        assertThat(a.held()).hasSize(10);
    }

    @Test
    void servicesThatDoNotDivideEvenlyBalanceToWithinOneAndStayThere() {
        declare(10);
        start("replica-c");
        round();
        round();
        start("replica-b");
        start("replica-a");
        roundsToBalance(4);
        assertThat(held()).containsExactly(Map.entry("replica-c", 3), Map.entry("replica-b", 3), Map.entry("replica-a", 4));
        assertNoFlapOver(100);
    }

    @Test
    void aJoiningReplicaGetsItsShareInTwoRoundsAndALeavingOnesServicesAreTakenAtOnce() {
        declare(300);
        start("replica-a");
        start("replica-b");
        start("replica-c");
        roundsToBalance(3);

        long before = moves();
        LeaseManager d = start("replica-d");
        int joined = roundsToBalance(3);
        assertThat(d.held()).hasSize(75);
        assertThat(moves() - before).as("75 released by the others and acquired by d").isEqualTo(150);
        assertNoFlapOver(50);

        before = moves();
        running.remove("replica-d");
        d.close();
        int left = roundsToBalance(2);
        assertThat(moves() - before).as("75 released by d (not counted as moves at shutdown) and acquired by the others").isEqualTo(75);
        System.out.printf("300 services: a fourth replica balanced after %d rounds, its leaving after %d%n", joined, left);
        assertNoFlapOver(50);
    }

    @Test
    void aKilledReplicasServicesAreTakenOnlyAfterItsLeasesExpireAndBalanceFollows() {
        declare(300);
        start("replica-a");
        start("replica-b");
        LeaseManager c = start("replica-c");
        roundsToBalance(3);
        Set<String> ofC = c.held();
        running.remove("replica-c");
        Instant killed = clock.instant();

        int rounds = roundsToBalance((int) LEASE.dividedBy(RENEW) + 3);
        assertThat(held()).containsEntry("replica-a", 150).containsEntry("replica-b", 150);
        assertThat(c.held()).as("c's leases have lapsed on its own clock too").isEmpty();
        for (LeaseTable.Lease l : table.scan().leases()) {
            if (ofC.contains(l.service())) assertThat(l.owner()).isIn("replica-a", "replica-b");
        }
        System.out.printf("a killed third of 300: taken over after %d rounds (%ds)%n", rounds,
                Duration.between(killed, clock.instant()).toSeconds());
        assertNoFlapOver(50);
    }
}

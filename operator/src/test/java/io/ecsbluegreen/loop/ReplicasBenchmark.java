package io.ecsbluegreen.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.sim.dynamodb.DynamoDbStore;
import io.ecsbluegreen.status.ServiceReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Three replicas sharing 300 services through DynamoDB leases on the simulator ({@link LeasedCluster}, one
 * simulated clock), while canary rollouts run on a third of the services: one replica is killed at
 * seeded random moments, in the middle of whatever it is doing (after a random number of its AWS calls),
 * at least 20 times, and a new one started a while later, as a Deployment would. Prints the takeover time
 * after each kill (its last lease's expiry is the floor; target: lease duration + one round) and the lease
 * moves; asserts only correctness: every rollout finishes, no write outside its writer's lease (from the
 * simulator's request log and the lease table's history), one task set per service and version.
 *
 * <p>{@code ./mvnw -B -o test -Pbench -pl operator -am -Dtest=ReplicasBenchmark -Dsurefire.failIfNoSpecifiedTests=false};
 * {@code -Dbench.services=}, {@code -Dbench.kills=}, {@code -Dbench.seed=} change the run (the seed replays it).
 */
@Tag("benchmark")
class ReplicasBenchmark {
    static final Duration TICK = Duration.ofSeconds(1);

    /** Two canary steps with pauses: a rollout lasts about nine minutes, so kills fall in every phase of it. */
    static final String CANARY = """
                type: Canary
                canary:
                  steps:
                    - weight: 10
                      pause: 4m
                    - weight: 50
                      pause: 4m
                blueRetention: 0s
                progressDeadline: 1h
            """;

    record Kill(String replica, Instant diedAt, Set<String> held, int live) {}

    @Test
    void threeReplicasSurviveTwentyKillsDuringCanaryRolloutsOfAThirdOfTheServices() {
        int n = Integer.getInteger("bench.services", 300);
        int kills = Integer.getInteger("bench.kills", 24);
        long seed = Long.getLong("bench.seed", 12);
        int waves = 5;
        Duration waveEvery = Duration.ofMinutes(4);
        Random random = new Random(seed);
        System.out.printf("%n=== %d services, 3 replicas, %d kills, seed %d; lease %ds, renew %ds, margin %ds ===%n", n, kills, seed,
                LeasedCluster.LEASE.toSeconds(), LeasedCluster.RENEW.toSeconds(), LeasedCluster.MARGIN.toSeconds());
        long w0 = System.nanoTime();
        try (LeasedCluster cluster = new LeasedCluster(n)) {
            int[] started = {0};
            for (int i = 0; i < 3; i++) cluster.add("replica-" + ++started[0]);
            cluster.declare("1.0.0", EngineBenchmark.ALL_AT_ONCE);
            Instant s0 = cluster.sim.clock().instant();
            // The replicas start together: each announces itself in its first round and takes its share in the next.
            Instant[] balancedAt = {null};
            until(cluster, () -> {
                if (balancedAt[0] == null && balanced(cluster, n)) balancedAt[0] = cluster.sim.clock().instant();
                return balancedAt[0] != null && cluster.allServe("1.0.0");
            }, 6000);
            System.out.printf("all %d on 1.0.0 after %ds simulated, %d ms wall; leases held %s%n", n,
                    Duration.between(s0, cluster.sim.clock().instant()).toSeconds(), (System.nanoTime() - w0) / 1_000_000, held(cluster));
            Duration startBalance = Duration.between(s0, balancedAt[0]);
            System.out.printf("leases balanced 3 ways %ds after the start (%d rounds), %d lease moves%n", startBalance.toSeconds(),
                    rounds(startBalance), moves(cluster));
            long createsBefore = cluster.sim.stats().calls("ecs", "CreateTaskSet");
            long movesBefore = moves(cluster);

            // A third of the services roll 2.0.0 out as canaries, in waves, while replicas die and come back.
            List<Integer> canaried = new ArrayList<>();
            for (int i = 0; i < n; i += 3) canaried.add(i);
            Instant k0 = cluster.sim.clock().instant();
            long kw0 = System.nanoTime();
            int declaredWaves = 0;
            Instant nextKill = k0.plusSeconds(20 + random.nextInt(40));
            LeasedCluster.Replica armed = null;
            List<Kill> done = new ArrayList<>();
            List<Instant> restarts = new ArrayList<>();
            int maxLive = 0;
            int minLive = 3;
            for (int step = 0; step < 20_000 && (done.size() < kills || declaredWaves < waves); step++) {
                Instant now = cluster.sim.clock().instant();
                if (declaredWaves < waves && !now.isBefore(k0.plus(waveEvery.multipliedBy(declaredWaves)))) {
                    List<BlueGreenService> wave = new ArrayList<>();
                    for (int j = declaredWaves; j < canaried.size(); j += waves) {
                        int i = canaried.get(j);
                        wave.add(EngineBenchmark.spec(i, cluster.fleet.ruleArns().get(i), "2.0.0", CANARY));
                    }
                    cluster.declare(wave);
                    declaredWaves++;
                }
                List<LeasedCluster.Replica> live = live(cluster);
                if (armed == null && done.size() < kills && !now.isBefore(nextKill) && live.size() >= 2) {
                    armed = live.get(random.nextInt(live.size()));
                    armed.killAfter(random.nextInt(40));
                }
                for (Instant r : List.copyOf(restarts)) {
                    if (!now.isBefore(r)) {
                        restarts.remove(r);
                        cluster.add("replica-" + ++started[0]);
                    }
                }
                cluster.step(TICK);
                if (armed != null && !armed.alive) {
                    done.add(new Kill(armed.id, armed.diedAt, armed.leases.held(), live(cluster).size()));
                    Instant died = armed.diedAt;
                    restarts.add(died.plusSeconds(20 + random.nextInt(50)));
                    nextKill = died.plusSeconds(40 + random.nextInt(60));
                    armed = null;
                }
                if (step % 60 == 0) System.out.printf("  +%4ds: leases held %s%n", Duration.between(k0, cluster.sim.clock().instant()).toSeconds(),
                        held(cluster));
                maxLive = Math.max(maxLive, live(cluster).size());
                minLive = Math.min(minLive, live(cluster).size());
                if (step % 200 == 0) cluster.harvest();
            }
            Duration killPhase = Duration.between(k0, cluster.sim.clock().instant());
            System.out.printf("%d kills over %ds simulated (%d ms wall); live replicas between %d and %d%n", done.size(),
                    killPhase.toSeconds(), (System.nanoTime() - kw0) / 1_000_000, minLive, maxLive);

            // Back to three replicas; every rollout must finish.
            while (live(cluster).size() < 3) cluster.add("replica-" + ++started[0]);
            Set<Integer> rolled = Set.copyOf(canaried);
            until(cluster, () -> {
                for (int i = 0; i < n; i++) {
                    ServiceReport r = cluster.report("svc" + i);
                    if (r == null || !r.converged() || !(rolled.contains(i) ? "2.0.0" : "1.0.0").equals(cluster.versionOf(r))) return false;
                }
                return true;
            }, 3600);
            Duration total = Duration.between(k0, cluster.sim.clock().instant());
            Instant lastJoin = cluster.sim.clock().instant();
            long movesAtLastJoin = moves(cluster);
            until(cluster, () -> balanced(cluster, n), 6000);
            Duration rebalance = Duration.between(lastJoin, cluster.sim.clock().instant());
            long rebalanceMoves = moves(cluster) - movesAtLastJoin;
            long movesAfterKills = moves(cluster) - movesBefore;
            long steadyMoves = moves(cluster);
            for (int i = 0; i < 120; i++) cluster.step(TICK);
            steadyMoves = moves(cluster) - steadyMoves;
            System.out.printf("every rollout finished %ds after the first wave; then leases balanced 3 ways again in %ds (%d rounds, "
                    + "%d lease moves; held %s)%n", total.toSeconds(), rebalance.toSeconds(), rounds(rebalance), rebalanceMoves, held(cluster));

            Map<String, List<DynamoDbStore.Write>> leaseWrites = new HashMap<>();
            for (DynamoDbStore.Write w : cluster.sim.dynamodb().writes()) {
                String pk = w.attribute("pk");
                if (pk != null && pk.startsWith("service#")) leaseWrites.computeIfAbsent(pk.substring(8), k -> new ArrayList<>()).add(w);
            }
            List<Long> takeovers = new ArrayList<>();
            List<Long> heldAtDeath = new ArrayList<>();
            for (Kill k : done) {
                Instant last = k.diedAt();
                for (String s : k.held()) {
                    Instant taken = firstAcquireByAnother(leaseWrites.getOrDefault(s, List.of()), k.replica(), k.diedAt());
                    if (taken.isAfter(last)) last = taken;
                }
                long seconds = Duration.between(k.diedAt(), last).toSeconds();
                takeovers.add(seconds);
                heldAtDeath.add((long) k.held().size());
                System.out.printf("  kill %2d: %s at +%4ds, held %3d leases, %d replicas left; all its services owned again after %ds%n",
                        takeovers.size(), k.replica(), Duration.between(k0, k.diedAt()).toSeconds(), k.held().size(), k.live(), seconds);
            }
            System.out.printf("takeover after a kill (s): %s; target lease + one round = %ds%n", EngineBenchmark.spread(takeovers),
                    LeasedCluster.LEASE.plus(LeasedCluster.RENEW).toSeconds());
            System.out.printf("leases held by the killed replica: %s%n", EngineBenchmark.spread(heldAtDeath));
            System.out.printf("lease moves (acquired + released, all replicas): %d during the kills and recovery (%.1f per kill); "
                    + "%d in the 2 steady minutes after%n", movesAfterKills, movesAfterKills / (double) done.size(), steadyMoves);
            List<String> violations = cluster.violations();
            long creates = cluster.sim.stats().calls("ecs", "CreateTaskSet") - createsBefore;
            System.out.printf("AWS writes checked: %d; writes outside their lease: %d; CreateTaskSet during the rollouts: %d for %d services%n",
                    cluster.writes().size(), violations.size(), creates, canaried.size());
            System.out.printf("total wall time %d ms%n", (System.nanoTime() - w0) / 1_000_000);

            assertThat(done).hasSizeGreaterThanOrEqualTo(20);
            assertThat(violations).isEmpty();
            assertThat(creates).as("one green task set per service and version").isEqualTo(canaried.size());
            assertThat(steadyMoves).as("no flapping").isZero();
        }
    }

    static List<LeasedCluster.Replica> live(LeasedCluster cluster) {
        return cluster.replicas.stream().filter(r -> r.alive).toList();
    }

    static Map<String, Integer> held(LeasedCluster cluster) {
        Map<String, Integer> held = new java.util.TreeMap<>();
        live(cluster).forEach(r -> held.put(r.id, r.leases.held().size()));
        return held;
    }

    /** Whether the live replicas hold every service, each within one of the others. */
    static boolean balanced(LeasedCluster cluster, int services) {
        List<Integer> counts = live(cluster).stream().map(r -> r.leases.held().size()).toList();
        int total = counts.stream().mapToInt(Integer::intValue).sum();
        return total == services && java.util.Collections.max(counts) - java.util.Collections.min(counts) <= 1;
    }

    /** Lease rounds in a stretch of simulated time, rounded up. */
    static long rounds(Duration d) {
        return (d.toMillis() + LeasedCluster.RENEW.toMillis() - 1) / LeasedCluster.RENEW.toMillis();
    }

    static long moves(LeasedCluster cluster) {
        return cluster.replicas.stream().mapToLong(r -> r.leases.moves()).sum();
    }

    static void until(LeasedCluster cluster, BooleanSupplier done, int maxSteps) {
        for (int i = 0; i < maxSteps; i++) {
            if (done.getAsBoolean()) return;
            cluster.step(TICK);
            if (i % 200 == 0) cluster.harvest();
        }
        throw new AssertionError("not reached in " + maxSteps + " steps; leases held " + held(cluster));
    }

    /** When a replica other than {@code from} first wrote itself as the owner at or after {@code after}, in a service's lease writes. */
    static Instant firstAcquireByAnother(List<DynamoDbStore.Write> leaseWrites, String from, Instant after) {
        for (DynamoDbStore.Write w : leaseWrites) {
            String owner = w.attribute("owner");
            if (!w.at().isBefore(after) && owner != null && !owner.equals(from)) {
                return w.at();
            }
        }
        return Instant.MAX;
    }
}

package io.ecsbluegreen.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.aws.Actor;
import io.ecsbluegreen.aws.SdkEcsPort;
import io.ecsbluegreen.aws.SdkElbPort;
import io.ecsbluegreen.desired.DesiredService;
import io.ecsbluegreen.desired.DesiredState;
import io.ecsbluegreen.desired.Origin;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.aws.HealthReadBudget;
import io.ecsbluegreen.aws.Observer;
import io.ecsbluegreen.model.Phase;
import io.ecsbluegreen.sim.elb.TargetStatus;
import io.ecsbluegreen.sim.spi.TargetHealthState;
import io.ecsbluegreen.plan.Revision;
import io.ecsbluegreen.sim.ApiAction;
import io.ecsbluegreen.sim.AwsRateLimits;
import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.SimStats;
import io.ecsbluegreen.sim.SimulatorConfig;
import io.ecsbluegreen.sim.ThrottleRule;
import io.ecsbluegreen.sim.elb.Action;
import io.ecsbluegreen.sim.elb.Condition;
import io.ecsbluegreen.sim.elb.HealthCheck;
import io.ecsbluegreen.spec.SpecParser;
import io.ecsbluegreen.status.ServiceReport;
import io.ecsbluegreen.status.StatusBook;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * The reconcile engine at scale against the simulator, on simulated time. Prints, for 1,000 and 10,000
 * services: the time to converge from nothing, AWS calls per steady-state pass per service (target at
 * most 0.35), the time of one steady-state pass over all services, and the heap the operator holds after
 * a full pass; then, for 500 services under AWS-shaped throttling, the simulated time an all-at-once
 * rollout of all of them takes against the lower bound the throttling rates imply.
 *
 * <p>Not part of the default tests: {@code ./mvnw test -Pbench -Dtest=EngineBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}. Assertions hold only the counts and the 0.35 target.
 */
@Tag("benchmark")
class EngineBenchmark {
    static final int SERVICES_PER_ALB = 50;
    static final int MAX = Integer.MAX_VALUE;

    /** The services of a benchmark account and the rule that routes each. */
    record Fleet(List<String> ruleArns) {}

    static Fleet populate(AwsSimulator sim, int n) {
        sim.elb().targetGroupQuota(2 * n + 10);
        sim.elb().loadBalancerQuota(n / SERVICES_PER_ALB + 10);
        sim.ecs().createCluster("us-east-1", "bench");
        HealthCheck fast = new HealthCheck("HTTP", "traffic-port", true, "/health", 5, 4, 2, 2, "200");
        List<String> rules = new ArrayList<>();
        String listener = null;
        for (int i = 0; i < n; i++) {
            if (i % SERVICES_PER_ALB == 0) {
                var alb = sim.elb().createLoadBalancer("us-east-1", "bench" + i / SERVICES_PER_ALB, null);
                listener = sim.elb().createListener(alb.arn(), null, 80, Action.fixedResponse(404, "text/plain", "no such host")).arn();
            }
            String blue = sim.elb().createTargetGroup("us-east-1", "b" + i, null, "HTTP", 8080, "ip", fast).arn();
            sim.elb().createTargetGroup("us-east-1", "g" + i, null, "HTTP", 8080, "ip", fast);
            rules.add(sim.elb().createRule(listener, null, 1 + i % SERVICES_PER_ALB,
                    List.of(Condition.hostHeader("svc" + i + ".example.com")), Action.forward(blue)).arn());
        }
        return new Fleet(rules);
    }

    static BlueGreenService spec(int i, String ruleArn, String version) {
        return spec(i, ruleArn, version, ALL_AT_ONCE);
    }

    static final String ALL_AT_ONCE = """
                type: AllAtOnce
                blueRetention: 0s
            """;

    /** A canary whose first step (10 %) pauses for half an hour: long enough for every service to be in it at once. */
    static final String LONG_CANARY = """
                type: Canary
                canary:
                  steps:
                    - weight: 10
                      pause: 30m
                blueRetention: 0s
                progressDeadline: 1h
            """;

    /** @param strategy the {@code strategy} block's body, indented by four spaces */
    static BlueGreenService spec(int i, String ruleArn, String version, String strategy) {
        String yaml = """
                apiVersion: ecsbluegreen.io/v1alpha1
                kind: BlueGreenService
                metadata:
                  name: svc%1$d
                spec:
                  region: us-east-1
                  cluster: bench
                  service: svc%1$d
                  desiredCount: 2
                  networkConfiguration:
                    subnets: [subnet-0a1b2c3d4e5f60718]
                  taskDefinition:
                    family: svc%1$d
                    cpu: 256
                    memory: 512
                    containers:
                      - name: web
                        image: ghcr.io/ecsbluegreen/greeter:%3$s
                        portMappings:
                          - containerPort: 8080
                  traffic:
                    containerName: web
                    containerPort: 8080
                    blueTargetGroup: b%1$d
                    greenTargetGroup: g%1$d
                    production:
                      ruleArn: %2$s
                  strategy:
                """.formatted(i, ruleArn, version) + strategy.indent(4);
        return new SpecParser().parse("svc" + i + ".yaml", yaml.getBytes(StandardCharsets.UTF_8)).services().get(0).service();
    }

    static DesiredState state(List<BlueGreenService> services) {
        Map<String, DesiredService> map = new LinkedHashMap<>();
        for (BlueGreenService s : services) {
            map.put(s.name(), new DesiredService(s.name(), DesiredService.State.READY, s,
                    new Origin("bench", s.name() + ".yaml", 1, "v", null), List.of()));
        }
        return new DesiredState(map, List.of());
    }

    /** SDK clients without retries: a throttled call fails and the engine's backoff (on simulated time) handles it. */
    static final class Clients implements AutoCloseable {
        final EcsClient ecs;
        final ElasticLoadBalancingV2Client elb;

        Clients(AwsSimulator sim) {
            var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"));
            ecs = EcsClient.builder().endpointOverride(sim.endpoint()).region(Region.US_EAST_1).credentialsProvider(credentials)
                    .httpClient(UrlConnectionHttpClient.create())
                    .overrideConfiguration(SimAccount.NO_RETRIES).build();
            elb = ElasticLoadBalancingV2Client.builder().endpointOverride(sim.endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create())
                    .overrideConfiguration(SimAccount.NO_RETRIES).build();
        }

        Engine engine(AwsSimulator sim, AtomicReference<DesiredState> desired, StatusBook book, Engine.Settings settings) {
            return engine(sim, desired, book, settings, HealthReadBudget.NONE);
        }

        Engine engine(AwsSimulator sim, AtomicReference<DesiredState> desired, StatusBook book, Engine.Settings settings,
                      HealthReadBudget healthReads) {
            return engine(sim, desired, book, settings, healthReads, (service, result, took, plan) -> { });
        }

        Engine engine(AwsSimulator sim, AtomicReference<DesiredState> desired, StatusBook book, Engine.Settings settings,
                      HealthReadBudget healthReads, Engine.PassListener listener) {
            SdkEcsPort ecsPort = new SdkEcsPort(ecs);
            SdkElbPort elbPort = new SdkElbPort(elb);
            Reconciler reconciler = new Reconciler(new Observer(ecsPort, elbPort, null, healthReads), new Actor(ecsPort, elbPort), sim.clock());
            return new Engine(desired::get, region -> reconciler, sim.clock(), settings, book, Engine.Ownership.ALL, listener);
        }

        @Override
        public void close() {
            ecs.close();
            elb.close();
        }
    }

    static final Engine.Settings UNLIMITED = new Engine.Settings(1, 20, Duration.ofMinutes(5), 1e9, 1_000_000,
            Engine.Settings.DEFAULT.backoff());

    /** Drains and advances simulated time by {@code tick} until every service serves its desired revision; bounded. */
    static Duration converge(AwsSimulator sim, Engine engine, StatusBook book, int n, Duration tick, int maxTicks) {
        Instant start = sim.clock().instant();
        for (int i = 0; i < maxTicks; i++) {
            engine.drain(MAX);
            if (book.all().size() == n && book.all().stream().allMatch(ServiceReport::converged)) {
                return Duration.between(start, sim.clock().instant());
            }
            sim.clock().advance(tick);
        }
        long converged = book.all().stream().filter(ServiceReport::converged).count();
        Map<String, Long> why = book.all().stream().filter(r -> !r.converged()).collect(java.util.stream.Collectors.groupingBy(
                r -> r.phase() + "/" + r.reason() + (r.consecutiveFailures() > 0 ? " failing: "
                        + r.condition(io.ecsbluegreen.status.Condition.RECONCILING).message() : ""), java.util.TreeMap::new,
                java.util.stream.Collectors.counting()));
        throw new AssertionError("only " + converged + " of " + n + " services converged in " + maxTicks + " ticks; the others: " + why
                + "; queue " + engine.queueLength());
    }

    static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }

    /** min / median / p90 / max of some figures. */
    static String spread(List<Long> values) {
        if (values.isEmpty()) return "none";
        List<Long> sorted = values.stream().sorted().toList();
        return "min " + sorted.get(0) + ", median " + sorted.get(sorted.size() / 2) + ", p90 " + sorted.get(sorted.size() * 9 / 10)
                + ", max " + sorted.get(sorted.size() - 1);
    }

    @Test
    void steadyStatePassesAtOneAndTenThousandServices() throws Exception {
        for (int n : new int[] {1_000, 10_000}) {
            scale(n);
        }
    }

    void scale(int n) throws Exception {
        System.out.printf("%n=== %,d services ===%n", n);
        try (AwsSimulator sim = AwsSimulator.start(); Clients clients = new Clients(sim)) {
            long t0 = System.nanoTime();
            Fleet fleet = populate(sim, n);
            long heapBeforeSpecs = heapAfterGc();
            List<BlueGreenService> specs = new ArrayList<>();
            for (int i = 0; i < n; i++) specs.add(spec(i, fleet.ruleArns().get(i), "1.0.0"));
            long heapSpecs = heapAfterGc() - heapBeforeSpecs;
            System.out.printf("account populated and %,d specs parsed in %d ms (parsed specs: %s)%n", n,
                    (System.nanoTime() - t0) / 1_000_000, mib(heapSpecs));

            AtomicReference<DesiredState> desired = new AtomicReference<>(state(specs));
            StatusBook book = new StatusBook(sim.clock());
            Engine engine = clients.engine(sim, desired, book, UNLIMITED);
            engine.desiredChanged(desired.get());
            long c0 = System.nanoTime();
            Duration simulated = converge(sim, engine, book, n, Duration.ofSeconds(5), 400);
            SimStats fromScratch = sim.stats();
            System.out.printf("converged from nothing: %d ms wall, %s simulated, %,d AWS calls (%.1f per service)%n",
                    (System.nanoTime() - c0) / 1_000_000, simulated, fromScratch.totalCalls(), fromScratch.totalCalls() / (double) n);

            double callsPerService = 0;
            long best = Long.MAX_VALUE;
            for (int round = 0; round < 3; round++) {
                sim.resetStats();
                engine.enqueueAll();
                long p0 = System.nanoTime();
                int passes = engine.drain(MAX);
                long took = System.nanoTime() - p0;
                best = Math.min(best, took);
                assertThat(passes).isEqualTo(n);
                callsPerService = sim.stats().totalCalls() / (double) n;
                System.out.printf("steady pass %d: %d ms, %,d calls = %.3f per service %s%n", round + 1, took / 1_000_000,
                        sim.stats().totalCalls(), callsPerService, sim.stats().calls());
            }
            assertThat(callsPerService).isLessThanOrEqualTo(0.35);

            // Operator heap: what a fresh engine (caches, status book) holds after one full pass, over the
            // simulator and the parsed specs that were there before it.
            engine = null;
            book = null;
            long before = heapAfterGc();
            StatusBook freshBook = new StatusBook(sim.clock());
            Engine fresh = clients.engine(sim, desired, freshBook, UNLIMITED);
            fresh.enqueueAll();
            long f0 = System.nanoTime();
            fresh.drain(MAX);
            long firstPass = System.nanoTime() - f0;
            long engineHeap = heapAfterGc() - before;
            assertThat(freshBook.all()).hasSize(n);
            System.out.printf("first pass of a restarted engine (cold caches): %d ms%n", firstPass / 1_000_000);
            System.out.printf("heap: engine state after a full pass %s + parsed specs %s = %s for the operator "
                    + "(%.1f KiB per service); JVM heap in use with the simulator: %s%n", mib(engineHeap), mib(heapSpecs),
                    mib(engineHeap + heapSpecs), (engineHeap + heapSpecs) / 1024.0 / n,
                    mib(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()));
        }
    }

    @Test
    void fiveHundredAllAtOnceRolloutsUnderAwsThrottling() throws Exception {
        int n = 500;
        System.out.printf("%n=== %d all-at-once rollouts under AWS-shaped throttling ===%n", n);
        try (AwsSimulator sim = AwsSimulator.start(AwsRateLimits.apply(SimulatorConfig.defaults())); Clients clients = new Clients(sim)) {
            Fleet fleet = populate(sim, n);
            List<BlueGreenService> v1 = new ArrayList<>();
            for (int i = 0; i < n; i++) v1.add(spec(i, fleet.ruleArns().get(i), "1.0.0"));
            AtomicReference<DesiredState> desired = new AtomicReference<>(state(v1));
            StatusBook book = new StatusBook(sim.clock());
            Engine engine = clients.engine(sim, desired, book, Engine.Settings.DEFAULT);
            engine.desiredChanged(desired.get());
            Duration first = converge(sim, engine, book, n, Duration.ofMillis(250), 40_000);
            System.out.printf("first deployment of %d services: %s simulated%n", n, first);

            List<BlueGreenService> v2 = new ArrayList<>();
            for (int i = 0; i < n; i++) v2.add(spec(i, fleet.ruleArns().get(i), "2.0.0"));
            sim.resetStats();
            desired.set(state(v2));
            engine.desiredChanged(desired.get());
            long w0 = System.nanoTime();
            Duration rollout = converge(sim, engine, book, n, Duration.ofMillis(250), 40_000);
            String r2 = Revision.of(v2.get(0).spec()).id();
            assertThat(book.get("svc0").orElseThrow().activeRevision()).isEqualTo(r2);
            SimStats stats = sim.stats();

            // Lower bounds: each throttled API group serves the calls made at its refill rate once its burst is
            // spent. The writes are what any tool must make (one task definition, task set, listener change...
            // per service); the reads are this operator's own cost, so the bound over all groups is how close
            // the loop runs to the account's limits, and the bound over writes how close to any tool's.
            Duration bound = Duration.ofSeconds(10);
            String binding = "health checks";
            Duration writeBound = Duration.ofSeconds(10);
            String writeBinding = "health checks";
            for (ThrottleRule rule : AwsRateLimits.defaults()) {
                long needed = 0;
                for (Map.Entry<ApiAction, Long> e : stats.calls().entrySet()) {
                    if (rule.matcher().matches(e.getKey())) {
                        needed += e.getValue() - stats.throttled().getOrDefault(e.getKey(), 0L);
                    }
                }
                Duration groupBound = Duration.ofMillis((long) (Math.max(0, needed - rule.burst()) / rule.refillPerSecond() * 1000));
                if (needed > 0) {
                    System.out.printf("  %-28s %,6d calls needed, %,6d throttled, burst %d, %.0f/s -> at least %s%n", rule.name(),
                            needed, stats.calls().entrySet().stream().filter(e -> rule.matcher().matches(e.getKey()))
                                    .mapToLong(e -> stats.throttled().getOrDefault(e.getKey(), 0L)).sum(),
                            rule.burst(), rule.refillPerSecond(), groupBound);
                }
                if (groupBound.compareTo(bound) > 0) {
                    bound = groupBound;
                    binding = rule.name();
                }
                boolean reads = rule.name().endsWith("-describe") || rule.name().endsWith("-list");
                if (!reads && groupBound.compareTo(writeBound) > 0) {
                    writeBound = groupBound;
                    writeBinding = rule.name();
                }
            }
            System.out.printf("all-at-once rollout of %d services: %s simulated (%d ms wall), %.1f AWS calls per service%n",
                    n, rollout, (System.nanoTime() - w0) / 1_000_000, stats.totalCalls() / (double) n);
            System.out.println("  calls: " + stats.calls());
            System.out.printf("  vs the bound of the calls made: %s (%s): %.2fx%n", bound, binding, rollout.toMillis() / (double) bound.toMillis());
            System.out.printf("  vs the bound of the writes any tool must make: %s (%s): %.2fx%n", writeBound, writeBinding,
                    rollout.toMillis() / (double) writeBound.toMillis());
        }
    }

    /**
     * 500 canaries in their first step at once, under AWS-shaped throttling, with the health watch at its
     * defaults (every 5 s; 2 DescribeTargetHealth a second): every tenth green's targets start failing their
     * health checks. Prints ELBv2 calls a second (the highest over any 1 s window, and the mean), throttled
     * calls, and how long each failing green served production after its targets turned unhealthy.
     */
    @Test
    void fiveHundredCanariesWatchedWhileFiftyGreensTurnUnhealthy() throws Exception {
        int n = 500;
        Duration tick = Duration.ofMillis(250);
        System.out.printf("%n=== %d canaries in a pause, 50 greens turning unhealthy, under AWS-shaped throttling ===%n", n);
        try (AwsSimulator sim = AwsSimulator.start(AwsRateLimits.apply(SimulatorConfig.defaults())); Clients clients = new Clients(sim)) {
            Fleet fleet = populate(sim, n);
            List<BlueGreenService> v1 = new ArrayList<>();
            List<BlueGreenService> v2 = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                v1.add(spec(i, fleet.ruleArns().get(i), "1.0.0", LONG_CANARY));
                v2.add(spec(i, fleet.ruleArns().get(i), "2.0.0", LONG_CANARY));
            }
            AtomicReference<DesiredState> desired = new AtomicReference<>(state(v1));
            StatusBook book = new StatusBook(sim.clock());
            // The timeline of each failing service's passes once its targets fail: when each pass ran and how it ended.
            Map<String, List<String>> passes = new java.util.concurrent.ConcurrentHashMap<>();
            AtomicReference<Instant> measuring = new AtomicReference<>();
            Engine engine = clients.engine(sim, desired, book, Engine.Settings.DEFAULT, new HealthReadBudget(sim.clock(), 2, 2),
                    (service, result, took, plan) -> {
                        Instant from = measuring.get();
                        if (from != null) {
                            passes.computeIfAbsent(service, k -> new ArrayList<>()).add(String.format("%.2fs %s%s",
                                    Duration.between(from, sim.clock().instant()).toMillis() / 1000.0, result,
                                    plan == null ? "" : " " + plan.status().phase()));
                        }
                    });
            engine.desiredChanged(desired.get());
            converge(sim, engine, book, n, tick, 40_000);

            desired.set(state(v2));
            engine.desiredChanged(desired.get());
            Instant r0 = sim.clock().instant();
            for (int i = 0; i < 40_000 && book.all().stream().filter(r -> r.phase() == Phase.Shifting).count() < n; i++) {
                engine.drain(MAX);
                sim.clock().advance(tick);
            }
            assertThat(book.all().stream().filter(r -> r.phase() == Phase.Shifting).count()).as("all in their first step").isEqualTo(n);
            System.out.printf("all %d services in their first canary step after %s simulated%n", n, Duration.between(r0, sim.clock().instant()));

            Map<String, String> failing = new LinkedHashMap<>(); // service -> green target group
            for (int i = 0; i < n; i += 10) {
                String green = sim.elb().targetGroupByName("g" + i).orElseThrow().arn();
                failing.put("svc" + i, green);
                for (TargetStatus t : sim.elb().targetHealth(green)) sim.elb().markTarget(green, t.id(), t.port(), false);
            }
            sim.resetStats();
            Instant m0 = sim.clock().instant();
            measuring.set(m0);
            Map<String, Instant> unhealthyAt = new LinkedHashMap<>();
            Map<String, Instant> backAt = new LinkedHashMap<>();
            List<Long> elbPerTick = new ArrayList<>();
            long elbBefore = 0;
            for (int i = 0; i < 480 && backAt.size() < failing.size(); i++) { // 2 simulated minutes at most
                sim.clock().advance(tick);
                Instant now = sim.clock().instant();
                failing.forEach((service, green) -> {
                    if (!unhealthyAt.containsKey(service)
                            && sim.elb().targetHealth(green).stream().anyMatch(t -> t.state() == TargetHealthState.UNHEALTHY)) {
                        unhealthyAt.put(service, now);
                    }
                });
                engine.drain(MAX);
                for (String service : failing.keySet()) {
                    Phase phase = book.get(service).orElseThrow().phase();
                    if (!backAt.containsKey(service) && (phase == Phase.RollingBack || phase == Phase.RolledBack)) backAt.put(service, now);
                }
                long elb = sim.stats().totalCalls("elasticloadbalancing");
                elbPerTick.add(elb - elbBefore);
                elbBefore = elb;
            }
            Duration measured = Duration.between(m0, sim.clock().instant());
            SimStats stats = sim.stats();
            long maxWindow = 0;
            int perSecond = (int) (1000 / tick.toMillis());
            for (int i = 0; i + perSecond <= elbPerTick.size(); i++) {
                maxWindow = Math.max(maxWindow, elbPerTick.subList(i, i + perSecond).stream().mapToLong(Long::longValue).sum());
            }
            long throttled = stats.throttled().values().stream().mapToLong(Long::longValue).sum();
            List<Long> latencies = new ArrayList<>();
            failing.keySet().forEach(s -> {
                if (unhealthyAt.containsKey(s) && backAt.containsKey(s)) {
                    latencies.add(Duration.between(unhealthyAt.get(s), backAt.get(s)).toMillis());
                }
            });
            latencies.sort(null);
            long healthyRolledBack = book.all().stream().filter(r -> !failing.containsKey(r.name()))
                    .filter(r -> r.phase() != Phase.Shifting).count();
            System.out.printf("over %s simulated: ELBv2 calls %,d, %.2f/s mean, %d in the busiest 1 s window; throttled calls %d %s%n",
                    measured, stats.totalCalls("elasticloadbalancing"), stats.totalCalls("elasticloadbalancing") / (measured.toMillis() / 1000.0),
                    maxWindow, throttled, stats.throttled());
            System.out.println("  calls: " + stats.calls());
            System.out.printf("detection (targets unhealthy -> production back on blue), %d of %d greens: min %d ms, median %d ms, "
                    + "p90 %d ms, max %d ms; healthy services rolled back: %d%n", latencies.size(), failing.size(),
                    latencies.isEmpty() ? -1 : latencies.get(0), latencies.isEmpty() ? -1 : latencies.get(latencies.size() / 2),
                    latencies.isEmpty() ? -1 : latencies.get(latencies.size() * 9 / 10),
                    latencies.isEmpty() ? -1 : latencies.get(latencies.size() - 1), healthyRolledBack);
            // Where the time goes: targets unhealthy -> the first pass (the watch's wake and the queue), first pass
            // -> status rolling back (passes throttled or failed on the way), passes per failing service.
            List<Long> toFirstPass = new ArrayList<>();
            List<Long> firstPassToBack = new ArrayList<>();
            List<Long> passCount = new ArrayList<>();
            failing.keySet().forEach(s -> {
                List<String> mine = passes.getOrDefault(s, List.of()).stream()
                        .filter(p -> unhealthyAt.containsKey(s) && Double.parseDouble(p.substring(0, p.indexOf('s')))
                                >= Duration.between(m0, unhealthyAt.get(s)).toMillis() / 1000.0).toList();
                if (mine.isEmpty() || !backAt.containsKey(s)) return;
                long first = (long) (Double.parseDouble(mine.get(0).substring(0, mine.get(0).indexOf('s'))) * 1000);
                toFirstPass.add(first - Duration.between(m0, unhealthyAt.get(s)).toMillis());
                firstPassToBack.add(Duration.between(m0, backAt.get(s)).toMillis() - first);
                passCount.add((long) mine.size());
            });
            System.out.printf("  targets unhealthy -> first pass: %s; first pass -> rolling back: %s; passes per failing service: %s%n",
                    spread(toFirstPass), spread(firstPassToBack), spread(passCount));
            failing.keySet().stream().filter(s -> latencies.isEmpty() || !backAt.containsKey(s) || !unhealthyAt.containsKey(s)
                    || Duration.between(unhealthyAt.get(s), backAt.get(s)).toMillis() >= latencies.get(latencies.size() * 9 / 10))
                    .forEach(s -> System.out.printf("  %s: unhealthy at %s, back at %s, passes %s%n", s,
                            unhealthyAt.containsKey(s) ? Duration.between(m0, unhealthyAt.get(s)).toMillis() / 1000.0 + "s" : "-",
                            backAt.containsKey(s) ? Duration.between(m0, backAt.get(s)).toMillis() / 1000.0 + "s" : "-",
                            passes.getOrDefault(s, List.of())));
            assertThat(latencies).hasSize(failing.size());
            assertThat(latencies.get(latencies.size() - 1)).isLessThanOrEqualTo(10_000);
            assertThat(healthyRolledBack).isZero();
        }
    }
}

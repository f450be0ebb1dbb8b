package io.ecsbluegreen.loop;

import io.ecsbluegreen.aws.Actor;
import io.ecsbluegreen.aws.SdkEcsPort;
import io.ecsbluegreen.aws.SdkElbPort;
import io.ecsbluegreen.desired.DesiredState;
import io.ecsbluegreen.lease.LeaseManager;
import io.ecsbluegreen.lease.SdkLeaseTable;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.aws.Observer;
import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.RequestLog;
import io.ecsbluegreen.sim.dynamodb.DynamoDbStore;
import io.ecsbluegreen.status.ServiceReport;
import io.ecsbluegreen.status.StatusBook;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * Operator replicas sharing services through leases, on one simulator (the {@link EngineBenchmark} fleet),
 * driven by hand on its clock: each replica has its own SDK clients naming it in their user agent, lease
 * manager, engine and status book. {@link #violations} checks from the simulator's request log and the
 * lease table's write history that no replica wrote to a service it did not hold the lease of.
 */
final class LeasedCluster implements AutoCloseable {
    static final String TABLE = "bluegreen-leases";
    static final Duration LEASE = Duration.ofSeconds(30);
    static final Duration RENEW = Duration.ofSeconds(10);
    static final Duration MARGIN = Duration.ofSeconds(5);
    private static final Pattern REPLICA = Pattern.compile("bluegreen-replica/(\\S+)");
    private static final Set<String> WRITES = Set.of("CreateService", "CreateTaskSet", "UpdateServicePrimaryTaskSet", "UpdateTaskSet",
            "DeleteTaskSet", "UpdateService", "DeleteService", "TagResource", "UntagResource", "ModifyRule", "ModifyListener",
            "AddTags", "RemoveTags", "ModifyTargetGroupAttributes");

    final AwsSimulator sim;
    final AtomicReference<DesiredState> desired = new AtomicReference<>(DesiredState.EMPTY);
    final List<Replica> replicas = new ArrayList<>();
    final EngineBenchmark.Fleet fleet;
    private final Map<String, String> ruleToService = new HashMap<>();

    /** One operator process. */
    final class Replica implements AutoCloseable {
        final String id;
        final EcsClient ecs;
        final ElasticLoadBalancingV2Client elb;
        final DynamoDbClient dynamo;
        final LeaseManager leases;
        final StatusBook book;
        final Engine engine;
        volatile boolean alive = true;
        /** When it died (a kill, or its fuse burnt out); null while alive. */
        volatile Instant diedAt;
        /** AWS calls it still makes before it dies in the middle of what it is doing; negative: no fuse. */
        private int fuse = -1;
        /** ECS and ELBv2 writes it still makes before it dies, right after the last is accepted; negative: no fuse. */
        private int writeFuse = -1;
        /** ECS and ELBv2 writes AWS accepted from it. */
        private int writes;
        private Instant nextRound;

        Replica(String id) {
            this.id = id;
            var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"));
            ClientOverrideConfiguration named = ClientOverrideConfiguration.builder().retryStrategy(AwsRetryStrategy.doNotRetry())
                    .putAdvancedOption(SdkAdvancedClientOption.USER_AGENT_SUFFIX, "bluegreen-replica/" + id)
                    .addExecutionInterceptor(new ExecutionInterceptor() {
                        // A dead process sends nothing: every call after the death fails before it leaves.
                        @Override
                        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                            if (alive && fuse == 0) kill();
                            if (!alive) throw SdkClientException.create("replica " + Replica.this.id + " is dead");
                            if (fuse > 0) fuse--;
                        }

                        @Override
                        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
                            String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
                            String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
                            if (!"DynamoDB".equalsIgnoreCase(service) && !operation.startsWith("Describe") && !operation.startsWith("List")) {
                                writes++;
                                if (writeFuse > 0 && --writeFuse == 0) kill();
                            }
                        }
                    }).build();
            ecs = EcsClient.builder().endpointOverride(sim.endpoint()).region(Region.US_EAST_1).credentialsProvider(credentials)
                    .httpClient(UrlConnectionHttpClient.create()).overrideConfiguration(named).build();
            elb = ElasticLoadBalancingV2Client.builder().endpointOverride(sim.endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).overrideConfiguration(named).build();
            dynamo = DynamoDbClient.builder().endpointOverride(sim.endpoint()).region(Region.US_EAST_1).credentialsProvider(credentials)
                    .httpClient(UrlConnectionHttpClient.create()).overrideConfiguration(named).build();
            SdkLeaseTable table = new SdkLeaseTable(dynamo, TABLE);
            if (!sim.dynamodb().tableNames().contains(TABLE)) {
                dynamo.createTable(b -> b.tableName(TABLE).billingMode("PAY_PER_REQUEST")
                        .keySchema(k -> k.attributeName("pk").keyType("HASH"))
                        .attributeDefinitions(d -> d.attributeName("pk").attributeType("S")));
            }
            table.ensureTable();
            leases = new LeaseManager(table, () -> Set.copyOf(desired.get().services().keySet()), sim.clock(),
                    new LeaseManager.Settings(id, LEASE, RENEW, MARGIN));
            book = new StatusBook(sim.clock());
            SdkEcsPort ecsPort = new SdkEcsPort(ecs);
            SdkElbPort elbPort = new SdkElbPort(elb);
            Reconciler reconciler = new Reconciler(new Observer(ecsPort, elbPort), new Actor(ecsPort, elbPort), sim.clock());
            engine = new Engine(desired::get, region -> reconciler, sim.clock(), EngineBenchmark.UNLIMITED, book, leases,
                    (service, result, took, plan) -> { });
            leases.addListener(new LeaseManager.Listener() {
                @Override
                public void acquired(String service, String takenFrom) {
                    engine.acquired(service);
                }
            });
            engine.desiredChanged(desired.get());
            nextRound = sim.clock().instant();
        }

        /** A lease round when one is due, then every pass that is ready. */
        void step() {
            if (!alive) return;
            if (!sim.clock().instant().isBefore(nextRound)) {
                leases.round();
                nextRound = sim.clock().instant().plus(RENEW);
            }
            engine.drain(EngineBenchmark.MAX);
        }

        /** Stops at once, as a killed process: no release, no goodbye. */
        void kill() {
            alive = false;
            diedAt = sim.clock().instant();
        }

        /**
         * Dies after {@code calls} more AWS calls (ECS, ELBv2 or DynamoDB), wherever that falls: between two
         * writes of a pass, between a lease scan and the renewals. The call that would be the next one never
         * leaves. Zero: before its next call.
         */
        void killAfter(int calls) {
            fuse = calls;
        }

        /** Dies right after its {@code writes}-th ECS or ELBv2 write from now is accepted, before anything else leaves. */
        void killAfterWrites(int writes) {
            writeFuse = writes;
        }

        /** ECS and ELBv2 writes (task definitions registered included) AWS accepted from this replica. */
        int writes() {
            return writes;
        }

        @Override
        public void close() {
            engine.close();
            ecs.close();
            elb.close();
            dynamo.close();
        }
    }

    LeasedCluster(int services) {
        sim = AwsSimulator.start();
        fleet = EngineBenchmark.populate(sim, services);
        for (int i = 0; i < services; i++) ruleToService.put(fleet.ruleArns().get(i), "svc" + i);
        sim.requests().startRecording();
    }

    Replica add(String id) {
        Replica r = new Replica(id);
        replicas.add(r);
        return r;
    }

    /** Declares every service of the fleet at a version with a strategy, to every replica. */
    void declare(String version, String strategy) {
        List<BlueGreenService> services = new ArrayList<>();
        for (int i = 0; i < fleet.ruleArns().size(); i++) services.add(EngineBenchmark.spec(i, fleet.ruleArns().get(i), version, strategy));
        declare(services);
    }

    void declare(List<BlueGreenService> services) {
        Map<String, BlueGreenService> byName = new LinkedHashMap<>();
        for (var s : desired.get().services().values()) byName.put(s.name(), s.spec());
        services.forEach(s -> byName.put(s.name(), s));
        DesiredState state = EngineBenchmark.state(List.copyOf(byName.values()));
        desired.set(state);
        for (Replica r : replicas) r.engine.desiredChanged(state);
    }

    /** Every live replica steps, then the clock moves {@code tick}. */
    void step(Duration tick) {
        for (Replica r : replicas) r.step();
        sim.clock().advance(tick);
    }

    /** The report of a service from the replica that holds its lease; null when none does. */
    ServiceReport report(String service) {
        for (Replica r : replicas) {
            if (r.alive && r.leases.owns(service)) return r.book.get(service).orElse(null);
        }
        return null;
    }

    /** Whether every service serves {@code version} by its owner's report. */
    boolean allServe(String version) {
        int n = fleet.ruleArns().size();
        for (int i = 0; i < n; i++) {
            ServiceReport r = report("svc" + i);
            if (r == null || !r.converged() || !version.equals(versionOf(r))) return false;
        }
        return true;
    }

    private final Map<String, String> revisionVersions = new HashMap<>();

    /** Remembers which revision id a version's spec has (for {@link #allServe}). */
    String versionOf(ServiceReport r) {
        if (revisionVersions.isEmpty() || !revisionVersions.containsKey(r.activeRevision())) {
            for (var s : desired.get().services().values()) {
                String image = s.spec().spec().taskDefinition().containers().get(0).image();
                revisionVersions.put(io.ecsbluegreen.plan.Revision.of(s.spec().spec()).id(), image.substring(image.lastIndexOf(':') + 1));
            }
        }
        return revisionVersions.get(r.activeRevision());
    }

    /** One AWS write as the request log saw it. */
    record Write(String replica, String service, String action, Instant at) {}

    /** Writes moved out of the simulator's request log by {@link #harvest()}. */
    private final List<Write> harvested = new ArrayList<>();

    /**
     * Moves the writes recorded so far out of the simulator's request log, which is bounded, and starts it
     * afresh: a long run (hundreds of services, lease renewals every round) would fill it. Call between steps.
     */
    void harvest() {
        harvested.addAll(writesIn(sim.requests().recorded()));
        sim.requests().startRecording();
    }

    /** Every ECS and ELBv2 write since the cluster started, with the replica that made it and the service it concerns. */
    List<Write> writes() {
        List<Write> out = new ArrayList<>(harvested);
        out.addAll(writesIn(sim.requests().recorded()));
        return out;
    }

    private List<Write> writesIn(List<RequestLog.Entry> entries) {
        if (sim.requests().dropped() > 0) throw new IllegalStateException(sim.requests().dropped() + " calls not recorded: harvest more often");
        List<Write> out = new ArrayList<>();
        for (RequestLog.Entry e : entries) {
            if (!isWrite(e)) continue;
            String replica = replicaOf(e);
            out.add(new Write(replica == null ? "?" : replica, serviceOf(e.excerpt()), e.api().action(), e.at()));
        }
        return out;
    }

    private static final Pattern SERVICE = Pattern.compile("svc(\\d+)|targetgroup%2F[bg](\\d+)%2F|targetgroup/[bg](\\d+)/");

    private String serviceOf(String excerpt) {
        String decoded = java.net.URLDecoder.decode(excerpt.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        for (Map.Entry<String, String> e : ruleToService.entrySet()) {
            if (decoded.contains(e.getKey())) return e.getValue();
        }
        Matcher m = SERVICE.matcher(decoded);
        if (m.find()) {
            for (int g = 1; g <= 3; g++) if (m.group(g) != null) return "svc" + m.group(g);
        }
        return "?";
    }

    /**
     * Writes made outside the writer's lease: a write by R to S at t is within the lease when a lease write
     * for S gave it to R at or before t, expiring after t, and no later lease write for S (strictly before t)
     * gave it to anyone else or released it. Empty when every write was covered.
     */
    List<String> violations() {
        return violations(writes(), sim.dynamodb().writes());
    }

    /**
     * Writes made outside the writer's lease (see {@link #violations()}), from the writes with their replica
     * and service and the lease table's write history.
     */
    static List<String> violations(List<Write> writes, List<DynamoDbStore.Write> leaseWrites) {
        Map<String, List<DynamoDbStore.Write>> history = new HashMap<>();
        for (DynamoDbStore.Write w : leaseWrites) {
            String pk = w.attribute("pk");
            if (pk != null && pk.startsWith("service#")) history.computeIfAbsent(pk.substring(8), k -> new ArrayList<>()).add(w);
        }
        List<String> out = new ArrayList<>();
        for (Write w : writes) {
            if (w.service().equals("?")) {
                out.add("unattributed write " + w);
                continue;
            }
            DynamoDbStore.Write covering = null;
            for (DynamoDbStore.Write l : history.getOrDefault(w.service(), List.of())) {
                if (l.at().isAfter(w.at())) break;
                if (w.replica().equals(l.attribute("owner"))) covering = l;
                else if (l.at().isBefore(w.at())) covering = null;
            }
            if (covering == null || !Instant.ofEpochMilli(Long.parseLong(covering.attribute("expiresAt"))).isAfter(w.at())) {
                out.add("write outside its lease: " + w);
            }
        }
        return out;
    }

    /** The replica a call names in its user agent ({@code bluegreen-replica/ID}); null for none. */
    static String replicaOf(RequestLog.Entry e) {
        Matcher m = e.userAgent() == null ? null : REPLICA.matcher(e.userAgent());
        return m != null && m.find() ? m.group(1) : null;
    }

    /** Whether a call is an ECS or ELBv2 write the lease must cover. */
    static boolean isWrite(RequestLog.Entry e) {
        return WRITES.contains(e.api().action()) && (e.api().service().equals("ecs") || e.api().service().equals("elasticloadbalancing"));
    }

    @Override
    public void close() {
        replicas.forEach(Replica::close);
        sim.close();
    }
}

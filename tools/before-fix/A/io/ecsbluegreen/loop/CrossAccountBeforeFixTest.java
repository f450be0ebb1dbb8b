package io.ecsbluegreen.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.config.AwsClients;
import io.ecsbluegreen.config.OperatorConfig;
import io.ecsbluegreen.desired.DesiredStateStore;
import io.ecsbluegreen.events.EventLog;
import io.ecsbluegreen.metrics.EngineMetrics;
import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.RequestLog;
import io.ecsbluegreen.sim.sts.AssumedRoleSession;
import io.ecsbluegreen.source.SourceFile;
import io.ecsbluegreen.source.SourceListing;
import io.ecsbluegreen.spec.SpecParser;
import io.ecsbluegreen.status.ServiceReport;
import io.ecsbluegreen.status.StatusBook;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Defect 2 ({@code spec.roleArn} ignored) on the code before the fix (e849a3c), on the strict simulator: the
 * old-API version of main's {@code CrossAccountOnSimulatorTest}. The engine is wired exactly as the old
 * operator wires it in production ({@code EngineBeans.engine} over {@code AwsClients(config, registry)},
 * fed by a {@code DesiredStateStore} that read the spec files), with the operator's own static key
 * {@value #OPERATOR_KEY}; the simulator's request log tells which access key signed every call and its STS
 * which account that key acts in (a session key: the role's account; any other key: the simulator's own
 * account 000000000000, the operator's).
 *
 * <p>Differences from main's test, because the old API cannot express them: the old spec has no
 * {@code externalId} (added by the fix), so no external id is required or sent; there is no
 * {@code identity} in status and no {@code bluegreen.service.identity.info} gauge, so the AWS-observable
 * side is asserted instead (AssumeRole calls, signing keys, the account each call acted in). Main's
 * session-renewal case (90 simulated minutes) is left out: with no session at all there is nothing to renew.
 * Every run is bounded to 20 simulated minutes. Each test states the fixed behaviour and is expected to FAIL.
 */
class CrossAccountBeforeFixTest {
    static final String OPERATOR_KEY = "AKIAOPERATOROWNKEY01";
    static final String ROLE_A = "arn:aws:iam::222233334444:role/bluegreen-deployer";
    static final String ROLE_B = "arn:aws:iam::555566667777:role/bluegreen-deployer";
    static final Duration BOUND = Duration.ofMinutes(20);

    SimAccount account;
    AwsSimulator sim;
    AwsClients aws;
    DesiredStateStore store;
    StatusBook book;
    EngineBeans beans;
    Engine engine;
    int version;

    @BeforeEach
    void start() throws Exception {
        account = new SimAccount();
        sim = account.sim;
        OperatorConfig config = operatorConfig(sim.endpoint());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        aws = new AwsClients(config, registry);
        store = new DesiredStateStore(new SpecParser(), sim.clock(), List.of("dir:examples"));
        book = new StatusBook(sim.clock());
        EngineMetrics metrics = new EngineMetrics(registry, sim.clock());
        book.addListener(metrics);
        EventLog events = new EventLog(sim.clock());
        book.addListener(events);
        beans = new EngineBeans();
        engine = beans.engine(config, aws, store, book, metrics, events, sim.clock());
        store.addListener(engine::desiredChanged);
        sim.requests().startRecording();
    }

    @AfterEach
    void stop() {
        beans.stop(null, engine);
        aws.close();
        account.close();
    }

    /** The old operator's configuration: the simulator as endpoint, the operator's own static key; reconcile defaults. */
    static OperatorConfig operatorConfig(URI endpoint) {
        OperatorConfig.Aws awsConfig = new OperatorConfig.Aws() {
            @Override public Optional<String> region() { return Optional.of("us-east-1"); }
            @Override public Optional<URI> endpointOverride() { return Optional.of(endpoint); }
            @Override public Optional<String> accessKeyId() { return Optional.of(OPERATOR_KEY); }
            @Override public Optional<String> secretAccessKey() { return Optional.of("operator-secret"); }
            @Override public boolean s3PathStyle() { return true; }
        };
        Engine.Settings d = Engine.Settings.DEFAULT;
        OperatorConfig.Reconcile reconcile = new OperatorConfig.Reconcile() {
            @Override public boolean enabled() { return true; }
            @Override public int workers() { return d.workers(); }
            @Override public int batchSize() { return d.batchSize(); }
            @Override public Duration resync() { return d.resync(); }
            @Override public double ratePerSecond() { return d.ratePerSecond(); }
            @Override public int burst() { return d.burst(); }
            @Override public Duration backoffBase() { return d.backoff().base(); }
            @Override public Duration backoffMax() { return d.backoff().max(); }
        };
        return (OperatorConfig) Proxy.newProxyInstance(OperatorConfig.class.getClassLoader(), new Class<?>[] {OperatorConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "aws" -> awsConfig;
                    case "reconcile" -> reconcile;
                    case "toString" -> "OperatorConfig(test)";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException("not configured in this test: " + method.getName());
                });
    }

    /** The file's YAML with {@code roleArn} set (none for the operator's own credentials). */
    static String spec(String file, String role, Map<String, String> more) throws Exception {
        String yaml = Files.readString(Path.of(file));
        Map<String, String> edits = new LinkedHashMap<>(more);
        if (role != null) edits.put("  cluster: demo\n", "  roleArn: " + role + "\n  cluster: demo\n");
        for (Map.Entry<String, String> e : edits.entrySet()) yaml = yaml.replace(e.getKey(), e.getValue());
        return yaml;
    }

    /** The greeter, with a rollback alarm so that CloudWatch is read too. */
    static String greeter(String role) throws Exception {
        return spec("examples/greeter/greeter.yaml", role,
                Map.of("  tags:\n    team: web", "  rollback:\n    alarms: [catalog-5xx-high]\n  tags:\n    team: web"));
    }

    /** The source read the files (name to YAML): the store parses them and the engine hears of the new desired state. */
    void declare(Map<String, String> files) {
        version++;
        List<SourceFile> listing = new ArrayList<>();
        files.forEach((name, yaml) -> listing.add(new SourceFile(name, "examples/" + name, "v" + version,
                yaml.getBytes(StandardCharsets.UTF_8))));
        store.accept("dir:examples", new SourceListing("v" + version, listing));
        assertThat(store.current().services()).as("services the store accepted").hasSize(files.size());
    }

    /** Drains and advances simulated time in 5 s steps until the condition holds or {@link #BOUND} has passed; the last report. */
    ServiceReport drive(String name, Predicate<ServiceReport> done) {
        ServiceReport r = null;
        for (long i = 0; i < BOUND.toSeconds() / 5; i++) {
            engine.drain(1000);
            r = book.get(name).orElse(null);
            if (r != null && done.test(r)) return r;
            sim.clock().advance(Duration.ofSeconds(5));
        }
        return r;
    }

    Set<String> keysOf(String role) {
        return sim.sts().sessions().stream().filter(s -> s.roleArn().equals(role))
                .map(AssumedRoleSession::accessKeyId).collect(Collectors.toSet());
    }

    List<RequestLog.Entry> calls() {
        return sim.requests().recorded().stream().filter(e -> !e.api().service().equals("sts")).toList();
    }

    long assumeRoleCalls() {
        return sim.requests().recorded().stream().filter(e -> e.api().action().equals("AssumeRole")).count();
    }

    /** The calls about one ECS service: its name is in the request (DescribeServices, CreateTaskSet, ...). */
    List<RequestLog.Entry> ecsCallsAbout(String service) {
        return calls().stream().filter(e -> e.api().service().equals("ecs"))
                .filter(e -> e.excerpt().contains("\"" + service + "\"")).toList();
    }

    /** Which account the calls acted in, and how many calls each signing key made there: "account key -> calls". */
    Map<String, Long> actedAs(List<RequestLog.Entry> calls) {
        return calls.stream().collect(Collectors.groupingBy(
                e -> sim.sts().callerIdentity(e.accessKeyId()).account() + " " + e.accessKeyId(), TreeMap::new, Collectors.counting()));
    }

    Set<String> accounts(List<RequestLog.Entry> calls) {
        return calls.stream().map(e -> sim.sts().callerIdentity(e.accessKeyId()).account()).collect(Collectors.toSet());
    }

    /** Main: {@code aServiceWithARoleMakesEveryEcsElbAndCloudWatchCallWithItsSessionsKeysAndTheExternalId} (no external id: see the class). */
    @Test
    void aServiceWithARoleMakesEveryEcsElbAndCloudWatchCallWithItsSessionsKeys() throws Exception {
        declare(Map.of("greeter.yaml", greeter(ROLE_A)));

        ServiceReport last = drive("greeter", ServiceReport::converged);

        String seen = "sts:AssumeRole calls " + assumeRoleCalls() + "; ECS/ELB/CloudWatch calls by 'account key' " + actedAs(calls())
                + "; services called " + calls().stream().map(e -> e.api().service()).collect(Collectors.toCollection(java.util.TreeSet::new))
                + "; greeter converged " + (last != null && last.converged());
        assertThat(sim.stats().calls("sts", "AssumeRole")).as("AssumeRole of %s: %s", ROLE_A, seen).isPositive();
        assertThat(sim.sts().sessions()).extracting(AssumedRoleSession::roleSessionName).containsOnly("bluegreen-greeter");
        Set<String> roleKeys = keysOf(ROLE_A);
        assertThat(calls()).isNotEmpty().allSatisfy(e -> assertThat(roleKeys).as(e.api().toString()).contains(e.accessKeyId()));
        assertThat(accounts(calls())).as(seen).containsOnly("222233334444");
        assertThat(calls().stream().map(e -> e.api().service()).collect(Collectors.toSet()))
                .contains("ecs", "elasticloadbalancing", "monitoring");
        assertThat(sim.requests().recorded()).filteredOn(e -> e.api().service().equals("sts"))
                .isNotEmpty().allSatisfy(e -> assertThat(e.accessKeyId()).isEqualTo(OPERATOR_KEY));
        assertThat(last.converged()).as("converged: %s", last).isTrue();
    }

    /** Main: {@code twoServicesInTwoRolesAndOneOfTheOperatorsOwnEachSignWithTheirOwnKeys}. */
    @Test
    void twoServicesInTwoRolesAndOneOfTheOperatorsOwnEachSignWithTheirOwnKeys() throws Exception {
        declare(Map.of("greeter.yaml", greeter(ROLE_A),
                "all-at-once.yaml", spec("examples/strategies/all-at-once.yaml", ROLE_B, Map.of()),
                "linear.yaml", spec("examples/strategies/linear.yaml", null, Map.of())));

        drive("greeter", ServiceReport::converged);
        drive("billing-api", ServiceReport::converged);
        drive("orders", ServiceReport::converged);

        String seen = "sts:AssumeRole calls " + assumeRoleCalls() + "; greeter's ECS calls by 'account key' " + actedAs(ecsCallsAbout("greeter"))
                + "; billing-api's " + actedAs(ecsCallsAbout("billing-api")) + "; orders' " + actedAs(ecsCallsAbout("orders"));
        assertThat(accounts(ecsCallsAbout("greeter"))).as("greeter (role in 222233334444): %s", seen).containsOnly("222233334444");
        assertThat(accounts(ecsCallsAbout("billing-api"))).as("billing-api (role in 555566667777): %s", seen).containsOnly("555566667777");
        Set<String> a = keysOf(ROLE_A);
        Set<String> b = keysOf(ROLE_B);
        assertThat(ecsCallsAbout("greeter")).isNotEmpty().allSatisfy(e -> assertThat(a).contains(e.accessKeyId()));
        assertThat(ecsCallsAbout("billing-api")).isNotEmpty().allSatisfy(e -> assertThat(b).contains(e.accessKeyId()));
        assertThat(ecsCallsAbout("orders")).isNotEmpty().allSatisfy(e -> assertThat(e.accessKeyId()).isEqualTo(OPERATOR_KEY));
    }

    /** Main: {@code aRoleStsRefusesFailsOnlyItsOwnServiceWithAClearStatusAndIsRetriedUntilTrusted} (its first half). */
    @Test
    void aRoleStsRefusesIsNeverActedForWithAnyOtherCredentials() throws Exception {
        sim.sts().distrust(ROLE_B);
        declare(Map.of("greeter.yaml", greeter(ROLE_A),
                "all-at-once.yaml", spec("examples/strategies/all-at-once.yaml", ROLE_B, Map.of())));

        drive("greeter", ServiceReport::converged);
        ServiceReport billing = drive("billing-api", ServiceReport::converged);

        assertThat(ecsCallsAbout("billing-api"))
                .as("billing-api's role %s is refused by STS, yet its ECS service was read and written as 'account key' %s "
                        + "(sts:AssumeRole calls %d; billing-api converged: %s, reason %s)", ROLE_B, actedAs(ecsCallsAbout("billing-api")),
                        assumeRoleCalls(), billing != null && billing.converged(), billing == null ? null : billing.reason())
                .isEmpty();
        assertThat(billing.converged()).as("a service whose role is refused does not converge").isFalse();
    }

    /** Main: {@code aSpecWhoseRoleChangesIsReconciledWithTheNewRoleFromItsNextPass}. */
    @Test
    void aSpecWhoseRoleChangesIsReconciledWithTheNewRoleFromItsNextPass() throws Exception {
        declare(Map.of("greeter.yaml", greeter(ROLE_A)));
        drive("greeter", ServiceReport::converged);

        sim.requests().startRecording();
        declare(Map.of("greeter.yaml", greeter(ROLE_B)));
        drive("greeter", r -> r.lastReconcileTime() != null && !calls().isEmpty());

        assertThat(accounts(calls())).as("calls after the role changed to %s, by 'account key': %s (sts:AssumeRole calls %d)",
                ROLE_B, actedAs(calls()), assumeRoleCalls()).containsOnly("555566667777");
        assertThat(calls()).isNotEmpty().allSatisfy(e -> assertThat(keysOf(ROLE_B)).contains(e.accessKeyId()));
    }
}

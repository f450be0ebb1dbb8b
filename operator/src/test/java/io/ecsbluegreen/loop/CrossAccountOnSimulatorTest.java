package io.ecsbluegreen.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.aws.AwsClients;
import io.ecsbluegreen.config.OperatorConfig;
import io.ecsbluegreen.hooks.HookRunner;
import io.ecsbluegreen.aws.AwsCallMetrics;
import io.ecsbluegreen.metrics.EngineMetrics;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.model.Phase;
import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.RequestLog;
import io.ecsbluegreen.sim.sts.AssumedRoleSession;
import io.ecsbluegreen.status.Condition;
import io.ecsbluegreen.status.ServiceReport;
import io.ecsbluegreen.status.StatusBook;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code spec.roleArn} end to end: the engine wired as in production ({@link ClientReconcilers} over
 * {@link AwsClients}, the SDK over HTTP to the simulator), and the simulator's request log telling which
 * access key signed every call.
 */
class CrossAccountOnSimulatorTest {
    static final String OPERATOR_KEY = "AKIAOPERATOROWNKEY01";
    static final String ROLE_A = "arn:aws:iam::222233334444:role/bluegreen-deployer";
    static final String ROLE_B = "arn:aws:iam::555566667777:role/bluegreen-deployer";

    SimAccount account;
    AwsSimulator sim;
    AwsClients aws;
    ClientReconcilers reconcilers;
    StatusBook book;
    SimpleMeterRegistry registry;
    Engine engine;
    DeclaredServices declared;

    @BeforeEach
    void start() throws Exception {
        account = new SimAccount();
        sim = account.sim;
        declared = new DeclaredServices(sim.clock());
        registry = new SimpleMeterRegistry();
        aws = new AwsClients(operatorConfig(sim.endpoint()), new AwsCallMetrics(registry), sim.clock());
        book = new StatusBook(sim.clock());
        EngineMetrics metrics = new EngineMetrics(registry, sim.clock());
        book.addListener(metrics);
        AtomicReference<Engine> built = new AtomicReference<>();
        reconcilers = new ClientReconcilers(aws, HttpClient.newHttpClient(), sim.clock(), new ClientReconcilers.Wiring(
                book::hookRan, book::measured, name -> built.get().enqueue(name), SimAccount.TASK_POLLING, 10));
        engine = new Engine(declared::current, reconcilers, sim.clock(), Engine.Settings.DEFAULT, book, Engine.Ownership.ALL, metrics);
        declared.attach(engine, book);
        built.set(engine);
        sim.requests().startRecording();
    }

    @AfterEach
    void stop() {
        engine.close();
        reconcilers.close();
        aws.close();
        account.close();
    }

    static OperatorConfig.Aws operatorConfig(URI endpoint) {
        return new OperatorConfig.Aws() {
            @Override
            public Optional<String> region() {
                return Optional.of("us-east-1");
            }

            @Override
            public Optional<URI> endpointOverride() {
                return Optional.of(endpoint);
            }

            @Override
            public Optional<String> accessKeyId() {
                return Optional.of(OPERATOR_KEY);
            }

            @Override
            public Optional<String> secretAccessKey() {
                return Optional.of("operator-secret");
            }

            @Override
            public boolean s3PathStyle() {
                return true;
            }
        };
    }

    /** The file with {@code roleArn} (and {@code externalId} when given) set; null role for the operator's own. */
    static BlueGreenService spec(String file, String role, String externalId, Map<String, String> more) throws Exception {
        Map<String, String> edits = new LinkedHashMap<>(more);
        if (role != null) {
            edits.put("  cluster: demo\n", "  roleArn: " + role + "\n"
                    + (externalId == null ? "" : "  externalId: " + externalId + "\n") + "  cluster: demo\n");
        }
        return EngineOnSimulatorTest.parse(file, edits);
    }

    /** The greeter, with a rollback alarm so that CloudWatch is read too. */
    static BlueGreenService greeter(String role, String externalId) throws Exception {
        return spec("../examples/greeter/greeter.yaml", role, externalId,
                Map.of("  tags:\n    team: web", "  rollback:\n    alarms: [catalog-5xx-high]\n  tags:\n    team: web"));
    }

    void declare(BlueGreenService... services) {
        declared.declare(services);
    }

    ServiceReport until(String name, Predicate<ServiceReport> done) {
        return declared.until(name, done);
    }

    Set<String> keysOf(String role) {
        return sim.sts().sessions().stream().filter(s -> s.roleArn().equals(role))
                .map(AssumedRoleSession::accessKeyId).collect(Collectors.toSet());
    }

    List<RequestLog.Entry> calls() {
        return sim.requests().recorded().stream().filter(e -> !e.api().service().equals("sts")).toList();
    }

    /** The calls about one ECS service: its name is in the request (DescribeServices, CreateTaskSet, ...). */
    List<RequestLog.Entry> ecsCallsAbout(String service) {
        return calls().stream().filter(e -> e.api().service().equals("ecs"))
                .filter(e -> e.excerpt().contains("\"" + service + "\"")).toList();
    }

    double gauge(String name, String... tags) {
        var g = registry.find(name).tags(tags).gauge();
        return g == null ? Double.NaN : g.value();
    }

    @Test
    void aServiceWithARoleMakesEveryEcsElbAndCloudWatchCallWithItsSessionsKeysAndTheExternalId() throws Exception {
        sim.sts().requireExternalId(ROLE_A, "acme-prod-7f3a");
        declare(greeter(ROLE_A, "acme-prod-7f3a"));

        ServiceReport live = until("greeter", ServiceReport::converged);

        Set<String> roleKeys = keysOf(ROLE_A);
        assertThat(roleKeys).isNotEmpty();
        assertThat(sim.sts().sessions()).extracting(AssumedRoleSession::roleSessionName).containsOnly("bluegreen-greeter");
        assertThat(calls()).isNotEmpty().allSatisfy(e -> assertThat(roleKeys).as(e.api().toString()).contains(e.accessKeyId()));
        assertThat(calls().stream().map(e -> e.api().service()).collect(Collectors.toSet()))
                .contains("ecs", "elasticloadbalancing", "monitoring");
        assertThat(sim.requests().recorded()).filteredOn(e -> e.api().service().equals("sts"))
                .isNotEmpty().allSatisfy(e -> assertThat(e.accessKeyId()).isEqualTo(OPERATOR_KEY));
        assertThat(live.identity()).isEqualTo(ROLE_A);
        assertThat(gauge("bluegreen.service.identity.info", "service", "greeter", "identity", ROLE_A)).isEqualTo(1.0);
    }

    @Test
    void twoServicesInTwoRolesAndOneOfTheOperatorsOwnEachSignWithTheirOwnKeys() throws Exception {
        declare(greeter(ROLE_A, null), spec("../examples/strategies/all-at-once.yaml", ROLE_B, null, Map.of()),
                spec("../examples/strategies/linear.yaml", null, null, Map.of()));

        until("greeter", ServiceReport::converged);
        until("billing-api", ServiceReport::converged);
        until("orders", ServiceReport::converged);

        Set<String> a = keysOf(ROLE_A);
        Set<String> b = keysOf(ROLE_B);
        assertThat(ecsCallsAbout("greeter")).isNotEmpty().allSatisfy(e -> assertThat(a).contains(e.accessKeyId()));
        assertThat(ecsCallsAbout("billing-api")).isNotEmpty().allSatisfy(e -> assertThat(b).contains(e.accessKeyId()));
        assertThat(ecsCallsAbout("orders")).isNotEmpty().allSatisfy(e -> assertThat(e.accessKeyId()).isEqualTo(OPERATOR_KEY));
        assertThat(calls()).extracting(RequestLog.Entry::accessKeyId).allMatch(k -> a.contains(k) || b.contains(k) || k.equals(OPERATOR_KEY));
        assertThat(book.get("orders").orElseThrow().identity()).isEqualTo("operator");
        assertThat(book.get("billing-api").orElseThrow().identity()).isEqualTo(ROLE_B);
        assertThat(gauge("bluegreen.service.identity.info", "service", "orders", "identity", "operator")).isEqualTo(1.0);
    }

    @Test
    void aRoleStsRefusesFailsOnlyItsOwnServiceWithAClearStatusAndIsRetriedUntilTrusted() throws Exception {
        sim.sts().distrust(ROLE_B);
        declare(greeter(ROLE_A, null), spec("../examples/strategies/all-at-once.yaml", ROLE_B, null, Map.of()));

        until("greeter", ServiceReport::converged);
        ServiceReport refused = until("billing-api", r -> r.consecutiveFailures() >= 3);

        Condition reconciling = refused.condition(Condition.RECONCILING);
        assertThat(reconciling.status()).isFalse();
        assertThat(reconciling.reason()).isEqualTo("AssumeRoleFailed");
        assertThat(reconciling.message()).contains("cannot assume " + ROLE_B + " as session bluegreen-billing-api", "AccessDenied");
        assertThat(refused.phase()).isNotIn(Phase.RollingBack, Phase.RolledBack);
        assertThat(refused.identity()).isEqualTo(ROLE_B);
        assertThat(ecsCallsAbout("billing-api")).as("nothing is read or written for it with any other credentials").isEmpty();
        // five minutes of refusals: backoff spaces the attempts out (1 s, 2 s, 4 s, ... up to 5 min), where a
        // retry every 5 s round would make one attempt a round
        declared.until("billing-api", r -> sim.clock().advanced().compareTo(Duration.ofMinutes(5)) >= 0);
        long attempts = sim.requests().recorded().stream().filter(e -> e.api().action().equals("AssumeRole"))
                .filter(e -> e.excerpt().contains("RoleSessionName=bluegreen-billing-api")).count();
        assertThat(attempts).as("retried with backoff, not every 5 s round").isGreaterThan(1)
                .isLessThan(sim.clock().advanced().toSeconds() / 5 / 3);

        sim.sts().trust(ROLE_B);
        until("billing-api", ServiceReport::converged);
        assertThat(ecsCallsAbout("billing-api")).isNotEmpty().allSatisfy(e -> assertThat(keysOf(ROLE_B)).contains(e.accessKeyId()));
    }

    @Test
    void theSessionIsRenewedBeforeItExpiresSoPassesGoOnPastTheHour() throws Exception {
        declare(greeter(ROLE_A, null));
        until("greeter", ServiceReport::converged);
        String first = sim.requests().recorded().stream().filter(e -> e.api().service().equals("ecs"))
                .findFirst().orElseThrow().accessKeyId();

        sim.requests().startRecording();
        Duration start = sim.clock().advanced();
        ServiceReport later = until("greeter", r -> sim.clock().advanced().minus(start).compareTo(Duration.ofMinutes(90)) >= 0);

        assertThat(keysOf(ROLE_A)).hasSizeGreaterThanOrEqualTo(2);
        assertThat(calls()).as("resyncs kept observing").isNotEmpty().allSatisfy(e -> assertThat(keysOf(ROLE_A)).contains(e.accessKeyId()));
        assertThat(calls().get(calls().size() - 1).accessKeyId()).isNotEqualTo(first);
        assertThat(later.consecutiveFailures()).isZero();
        assertThat(later.condition(Condition.RECONCILING).status()).isTrue();
    }

    @Test
    void aSpecWhoseRoleChangesIsReconciledWithTheNewRoleFromItsNextPass() throws Exception {
        declare(greeter(ROLE_A, null));
        until("greeter", ServiceReport::converged);

        sim.requests().startRecording();
        declare(greeter(ROLE_B, null));
        ServiceReport after = until("greeter", r -> r.identity().equals(ROLE_B));

        assertThat(after.converged()).isTrue();
        assertThat(calls()).isNotEmpty().allSatisfy(e -> assertThat(keysOf(ROLE_B)).contains(e.accessKeyId()));
        assertThat(gauge("bluegreen.service.identity.info", "service", "greeter", "identity", ROLE_B)).isEqualTo(1.0);
        assertThat(registry.find("bluegreen.service.identity.info").tags("service", "greeter").gauges()).hasSize(1);
    }
}

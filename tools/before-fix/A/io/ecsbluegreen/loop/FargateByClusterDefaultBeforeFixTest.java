package io.ecsbluegreen.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecsbluegreen.act.SdkEcsPort;
import io.ecsbluegreen.desired.DesiredService;
import io.ecsbluegreen.desired.DesiredState;
import io.ecsbluegreen.desired.Origin;
import io.ecsbluegreen.metrics.EngineMetrics;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.model.BlueGreenServiceSpec;
import io.ecsbluegreen.plan.Revision;
import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.spec.SpecParser;
import io.ecsbluegreen.status.ServiceReport;
import io.ecsbluegreen.status.StatusBook;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.EcsException;

/**
 * Defect 10 (Fargate through the cluster's default capacity provider strategy) on the code before the fix
 * (e849a3c), on the strict simulator: the old-API version of main's {@code FargateByClusterDefaultTest}
 * (the old {@code SdkEcsPort(EcsClient)} and {@code TaskDefinitions.request(spec, tags)} take no cluster
 * default), plus the whole rollout through the old engine, which main's test does not need: a greeter
 * naming neither a launch type nor a capacity provider strategy on a cluster whose default strategy is
 * FARGATE. Every test but the simulator's own check states the fixed behaviour and is expected to FAIL
 * on the old code.
 */
class FargateByClusterDefaultBeforeFixTest {
    SimAccount account;
    AwsSimulator sim;
    EcsClient ecs;

    @BeforeEach
    void start() throws Exception {
        account = new SimAccount();
        sim = account.sim;
        ecs = account.ecs;
    }

    @AfterEach
    void stop() {
        account.close();
    }

    /** The greeter on {@code cluster}, with its {@code launchType: FARGATE} line replaced by {@code placement}. */
    static BlueGreenService greeterService(String cluster, String placement) throws Exception {
        String yaml = Files.readString(Path.of("examples/greeter/greeter.yaml"))
                .replace("  launchType: FARGATE\n", placement).replace("cluster: demo", "cluster: " + cluster);
        return new SpecParser().parse("greeter.yaml", yaml.getBytes(StandardCharsets.UTF_8)).services().get(0).service();
    }

    static BlueGreenServiceSpec greeter(String cluster, String placement) throws Exception {
        return greeterService(cluster, placement).spec();
    }

    void createCluster(String name, String provider) {
        ecs.createCluster(b -> b.clusterName(name).capacityProviders(provider)
                .defaultCapacityProviderStrategy(s -> s.capacityProvider(provider).weight(1)));
    }

    /** Main: {@code aTaskDefinitionForAClusterWhoseDefaultStrategyIsFargateRequiresFargate}. */
    @Test
    void aTaskDefinitionForAClusterWhoseDefaultStrategyIsFargateRequiresFargate() throws Exception {
        createCluster("fargate-default", "FARGATE");
        SdkEcsPort port = new SdkEcsPort(ecs);

        String arn = port.registerTaskDefinition(greeter("fargate-default", ""), Revision.of(greeter("fargate-default", "")), Map.of());

        assertThat(ecs.describeTaskDefinition(r -> r.taskDefinition(arn)).taskDefinition().requiresCompatibilities())
                .as("requiresCompatibilities of the task definition registered for a FARGATE-default cluster")
                .containsExactly(Compatibility.FARGATE);
    }

    /** Main: {@code theDefaultStrategyIsReadOncePerClusterAndAgainAfterTenMinutes} (its first half: is it read at all). */
    @Test
    void theDefaultStrategyIsReadWhenTheSpecNamesNoPlacement() throws Exception {
        createCluster("fargate-default", "FARGATE_SPOT");
        SdkEcsPort port = new SdkEcsPort(ecs);
        BlueGreenServiceSpec spec = greeter("fargate-default", "");
        sim.resetStats();

        port.registerTaskDefinition(spec, Revision.of(spec), Map.of());
        port.registerTaskDefinition(spec, Revision.of(spec), Map.of());

        assertThat(sim.stats().calls("ecs", "DescribeClusters")).as("DescribeClusters calls").isEqualTo(1);
    }

    /** Main: {@code theSimulatorRejectsATaskSetOnAFargateDefaultClusterWhoseTaskDefinitionDoesNotRequireFargate}: a control, passes. */
    @Test
    void theSimulatorRejectsATaskSetOnAFargateDefaultClusterWhoseTaskDefinitionDoesNotRequireFargate() {
        createCluster("fargate-default", "FARGATE");
        ecs.createService(b -> b.cluster("fargate-default").serviceName("web").desiredCount(1)
                .deploymentController(d -> d.type("EXTERNAL")));
        String td = ecs.registerTaskDefinition(b -> b.family("web").networkMode("awsvpc").cpu("256").memory("512")
                .containerDefinitions(c -> c.name("web").image("nginx").essential(true))).taskDefinition().taskDefinitionArn();

        assertThatThrownBy(() -> ecs.createTaskSet(b -> b.cluster("fargate-default").service("web").taskDefinition(td)
                .networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets("subnet-0a1b2c3d4e5f60718")))))
                .isInstanceOf(EcsException.class).hasMessageContaining("does not support launch_type FARGATE");
    }

    /**
     * The old engine deploys the greeter (no launchType, no capacityProviderStrategy) to a cluster whose
     * default strategy is FARGATE: the fix makes it go live; before it, every CreateTaskSet is refused
     * ("Task definition does not support launch_type FARGATE.") and the rollout never gets past creating
     * green's task set. Bounded to 20 simulated minutes.
     */
    @Test
    void theGreeterWithoutPlacementGoesLiveOnAFargateDefaultCluster() throws Exception {
        createCluster("fargate-default", "FARGATE");
        StatusBook book = new StatusBook(sim.clock());
        EngineMetrics metrics = new EngineMetrics(new SimpleMeterRegistry(), sim.clock());
        book.addListener(metrics);
        Reconciler reconciler = account.reconciler();
        AtomicReference<DesiredState> desired = new AtomicReference<>(DesiredState.EMPTY);
        try (Engine engine = new Engine(desired::get, region -> reconciler, sim.clock(), Engine.Settings.DEFAULT, book,
                Engine.Ownership.ALL, metrics)) {
            BlueGreenService greeter = greeterService("fargate-default", "");
            DesiredState state = new DesiredState(Map.of("greeter", new DesiredService("greeter", DesiredService.State.READY,
                    greeter, new Origin("dir:examples", "greeter.yaml", 1, "v1", null), List.of())), List.of());
            desired.set(state);
            engine.desiredChanged(state);
            sim.resetStats();

            ServiceReport live = until(engine, book, "greeter", ServiceReport::converged, Duration.ofMinutes(20));

            assertThat(live.activeRevision()).isEqualTo(Revision.of(greeter.spec()).id());
            assertThat(sim.stats().calls("ecs", "CreateTaskSet")).isPositive();
        }
    }

    /** Drains and advances simulated time in 5 s steps until the condition holds, at most {@code bound} of simulated time. */
    ServiceReport until(Engine engine, StatusBook book, String name, Predicate<ServiceReport> done, Duration bound) {
        for (long i = 0; i < bound.toSeconds() / 5; i++) {
            engine.drain(1000);
            ServiceReport r = book.get(name).orElse(null);
            if (r != null && done.test(r)) return r;
            sim.clock().advance(Duration.ofSeconds(5));
        }
        ServiceReport last = book.get(name).orElse(null);
        String reconciling = last == null ? "no report" : last.conditions().stream().filter(c -> c.type().equals("Reconciling"))
                .map(c -> c.reason() + ": " + c.message()).findFirst().orElse("no Reconciling condition");
        throw new AssertionError(name + " never reached the condition in " + bound + " of simulated time ("
                + sim.stats().calls("ecs", "CreateTaskSet") + " CreateTaskSet calls); Reconciling " + reconciling
                + "; last report " + last);
    }
}

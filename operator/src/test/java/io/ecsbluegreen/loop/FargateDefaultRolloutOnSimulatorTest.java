package io.ecsbluegreen.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.desired.DesiredService;
import io.ecsbluegreen.desired.DesiredState;
import io.ecsbluegreen.desired.Origin;
import io.ecsbluegreen.metrics.EngineMetrics;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.plan.Revision;
import io.ecsbluegreen.status.ServiceReport;
import io.ecsbluegreen.status.StatusBook;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, defect 10 end to end: a service whose spec names no launch type or capacity provider goes live on
 * a cluster whose default capacity provider strategy is Fargate (CreateTaskSet refuses a task definition that
 * does not require FARGATE there). The code before the fix stays in Deploying on that refusal: see
 * tools/before-fix/A's FargateByClusterDefaultBeforeFixTest, which plays the same scenario on it.
 */
class FargateDefaultRolloutOnSimulatorTest {
    SimAccount account;

    @BeforeEach
    void start() throws Exception {
        account = new SimAccount();
    }

    @AfterEach
    void stop() {
        account.close();
    }

    @Test
    void theGreeterWithoutPlacementGoesLiveOnAFargateDefaultCluster() throws Exception {
        var sim = account.sim;
        account.ecs.createCluster(b -> b.clusterName("fargate-default").capacityProviders("FARGATE")
                .defaultCapacityProviderStrategy(s -> s.capacityProvider("FARGATE").weight(1)));
        StatusBook book = new StatusBook(sim.clock());
        EngineMetrics metrics = new EngineMetrics(new SimpleMeterRegistry(), sim.clock());
        book.addListener(metrics);
        Reconciler reconciler = account.reconciler();
        AtomicReference<DesiredState> desired = new AtomicReference<>(DesiredState.EMPTY);
        try (Engine engine = new Engine(desired::get, region -> reconciler, sim.clock(), Engine.Settings.DEFAULT, book,
                Engine.Ownership.ALL, metrics)) {
            BlueGreenService greeter = EngineOnSimulatorTest.parse("../examples/greeter/greeter.yaml",
                    Map.of("  launchType: FARGATE\n", "", "cluster: demo", "cluster: fargate-default"));
            DesiredState state = new DesiredState(Map.of("greeter", new DesiredService("greeter", DesiredService.State.READY,
                    greeter, new Origin("dir:examples", "greeter.yaml", 1, "v1", null), List.of())), List.of());
            desired.set(state);
            engine.desiredChanged(state);

            ServiceReport last = null;
            for (int i = 0; i < 240 && (last == null || !last.converged()); i++) {
                engine.drain(1000);
                last = book.get("greeter").orElse(null);
                if (last == null || !last.converged()) sim.clock().advance(Duration.ofSeconds(5));
            }

            assertThat(last.converged()).as("%s", last).isTrue();
            assertThat(last.activeRevision()).isEqualTo(Revision.of(greeter.spec()).id());
        }
    }
}

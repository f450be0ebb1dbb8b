package io.ecsbluegreen.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.model.Phase;
import io.ecsbluegreen.plan.Revision;
import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.status.ServiceReport;
import io.ecsbluegreen.status.StatusBook;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code Queued} phase on the real engine and the simulator, with the queue drained only when a test
 * says so: a spec change shows at once, only a pass clears it (even for a service whose spec went back
 * to one a terminal plan was made for), and the queue's gauges follow the engine's clock.
 */
class QueuedOnSimulatorTest {
    SimAccount account;
    AwsSimulator sim;
    StatusBook book;
    SimpleMeterRegistry registry;
    Engine engine;
    DeclaredServices declared;

    @BeforeEach
    void start() throws Exception {
        account = new SimAccount();
        sim = account.sim;
        MeteredEngine loop = MeteredEngine.on(account);
        book = loop.book();
        registry = loop.registry();
        engine = loop.engine();
        declared = loop.declared();
    }

    @AfterEach
    void stop() {
        engine.close();
        account.close();
    }

    static BlueGreenService catalog(String alarm, String image) throws Exception {
        return EngineOnSimulatorTest.parse("../examples/strategies/canary-manual.yaml",
                Map.of("catalog-5xx-high", alarm, "greeter:1.0.0", image));
    }

    double gauge(String name) {
        return registry.find(name).gauge().value();
    }

    @Test
    void aSpecChangedBackToItsTerminalSpecBeforeThePassIsPlannedAgainAndLeavesQueued() throws Exception {
        BlueGreenService broken = catalog("catalog-typo", "greeter:1.0.0");
        declared.declare(broken);
        assertThat(book.get("catalog").orElseThrow().phase()).as("declared, not yet reconciled").isEqualTo(Phase.Queued);
        engine.drain(100);
        assertThat(book.get("catalog").orElseThrow().reason()).isEqualTo("AlarmNotFound");

        declared.declare(catalog("catalog-typo", "greeter:2.0.0"));
        assertThat(book.get("catalog").orElseThrow().phase()).isEqualTo(Phase.Queued);
        declared.declare(broken);
        ServiceReport back = book.get("catalog").orElseThrow();
        assertThat(back.phase()).isEqualTo(Phase.Queued);
        assertThat(back.desiredRevision()).isEqualTo(Revision.of(broken.spec()).id());

        engine.drain(100);
        ServiceReport planned = book.get("catalog").orElseThrow();
        assertThat(planned.phase()).as("the terminal spec is planned again rather than skipped").isEqualTo(Phase.Failed);
        assertThat(planned.reason()).isEqualTo("AlarmNotFound");
        assertThat(sim.stats().calls("ecs", "CreateService")).isZero();
    }

    @Test
    void theQueueGaugesCountReadyServicesAndTheOldestWaitOnTheEnginesClock() throws Exception {
        declared.declare(EngineOnSimulatorTest.greeter("greeter:1.0.0"));
        declared.until("greeter", ServiceReport::converged);
        engine.drain(100);
        assertThat(gauge("bluegreen.reconcile.queue.depth")).isZero();
        assertThat(gauge("bluegreen.reconcile.queue.oldest.wait.seconds")).isZero();

        declared.declare(EngineOnSimulatorTest.greeter("greeter:2.0.0"));
        sim.clock().advance(Duration.ofSeconds(12));
        assertThat(gauge("bluegreen.reconcile.queue.depth")).isEqualTo(1.0);
        assertThat(gauge("bluegreen.reconcile.queue.oldest.wait.seconds")).isEqualTo(12.0);
        assertThat(registry.find("bluegreen.service.phase").tags("service", "greeter", "phase", "Queued").gauge().value()).isEqualTo(1.0);

        engine.drain(100);
        assertThat(book.get("greeter").orElseThrow().phase()).as("its pass replaced the mark").isNotEqualTo(Phase.Queued);
        assertThat(registry.find("bluegreen.service.phase").tags("service", "greeter", "phase", "Queued").gauge().value()).isZero();
    }
}

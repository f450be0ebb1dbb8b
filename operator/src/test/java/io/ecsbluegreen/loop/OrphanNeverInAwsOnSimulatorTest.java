package io.ecsbluegreen.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.desired.DesiredService;
import io.ecsbluegreen.desired.DesiredState;
import io.ecsbluegreen.desired.DesiredStateStore;
import io.ecsbluegreen.metrics.EngineMetrics;
import io.ecsbluegreen.model.Phase;
import io.ecsbluegreen.source.SourceFile;
import io.ecsbluegreen.source.SourceListing;
import io.ecsbluegreen.spec.SpecParser;
import io.ecsbluegreen.status.ServiceReport;
import io.ecsbluegreen.status.StatusBook;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A service the operator never found nor made in AWS leaves no orphan behind when its file goes. */
class OrphanNeverInAwsOnSimulatorTest {
    SimAccount account;
    Engine engine;

    @AfterEach
    void stop() {
        if (engine != null) engine.close();
        if (account != null) account.close();
    }

    static SourceFile file(String path, String yaml) {
        return new SourceFile(path, "/repo/" + path, Integer.toHexString(yaml.hashCode()), yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aServiceThatNeverExistedInAwsDisappearsWithItsFileWhileOneThatExistedIsOrphaned() throws Exception {
        account = new SimAccount();
        StatusBook book = new StatusBook(account.sim.clock());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        EngineMetrics metrics = new EngineMetrics(registry, account.sim.clock());
        book.addListener(metrics);
        DesiredStateStore store = new DesiredStateStore(new SpecParser(), account.sim.clock(), List.of("dir:a"), book::foundNothingInAws);
        AtomicReference<DesiredState> desired = new AtomicReference<>(DesiredState.EMPTY);
        Reconciler reconciler = account.reconciler();
        engine = new Engine(desired::get, region -> reconciler, account.sim.clock(), Engine.Settings.DEFAULT, book,
                Engine.Ownership.ALL, metrics);
        store.addListener(desired::set);
        store.addListener(engine::desiredChanged);
        String greeter = Files.readString(Path.of("../examples/greeter/greeter.yaml"));
        // its target groups do not exist in the account: every pass stops at the observation
        String ghost = greeter.replace("name: greeter", "name: ghost").replace("service: greeter", "service: ghost")
                .replace("greeter-blue", "nope-blue").replace("greeter-green", "nope-green");

        store.accept("dir:a", new SourceListing("r1", List.of(file("ghost.yaml", ghost), file("greeter.yaml", greeter))));
        engine.drain(100);
        assertThat(book.get("ghost")).map(ServiceReport::phase).contains(Phase.Failed);
        assertThat(book.get("greeter")).map(ServiceReport::phase).contains(Phase.Deploying);

        DesiredState state = store.accept("dir:a", new SourceListing("r2", List.of()));
        engine.drain(100);

        assertThat(state.services().keySet()).containsExactly("greeter");
        assertThat(state.services().get("greeter").state()).isEqualTo(DesiredService.State.ORPHANED);
        assertThat(book.all()).extracting(ServiceReport::name).containsExactly("greeter");
        assertThat(registry.find("bluegreen.service.phase").tag("service", "ghost").gauges()).isEmpty();
        assertThat(registry.find("bluegreen.service.phase").tag("service", "greeter").gauges()).isNotEmpty();
    }
}

package io.ecsbluegreen.api;

import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.seed.SeedApplier;
import io.ecsbluegreen.sim.seed.SeedLoader;
import io.micrometer.core.instrument.Metrics;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Starts the simulator seeded as the demo account, puts the manual canary example (the catalog service)
 * in a fresh source directory, and runs the operator on both with the reconcile loop on and a one-second
 * resync, so a test sees the rollout move as it advances the simulator's clock.
 */
public class SimulatedAccountResource implements QuarkusTestResourceLifecycleManager {

    /** The running simulator and source directory; a test resource has no other way to hand them over. */
    static volatile AwsSimulator simulator;
    static volatile Path sources;

    @Override
    public Map<String, String> start() {
        try {
            simulator = AwsSimulator.start();
            SeedApplier.apply(SeedLoader.load("seed", Files.readAllBytes(Path.of("../examples/simulator/seed.yaml"))).seed().withoutCommands().withoutEvents(), simulator);
            sources = Files.createTempDirectory("bluegreen-engine-test");
            Files.copy(Path.of("../examples/strategies/canary-manual.yaml"), sources.resolve("catalog.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.ofEntries(
                Map.entry("bluegreen.sources", "dir:" + sources),
                Map.entry("bluegreen.sync.interval", "1h"),
                Map.entry("bluegreen.reconcile.enabled", "true"),
                Map.entry("bluegreen.reconcile.resync", "1s"),
                Map.entry("bluegreen.reconcile.backoff-base", "100ms"),
                Map.entry("bluegreen.aws.endpoint-override", simulator.endpoint().toString()),
                Map.entry("bluegreen.aws.region", "us-east-1"),
                Map.entry("bluegreen.aws.access-key-id", "test"),
                Map.entry("bluegreen.aws.secret-access-key", "test"));
    }

    @Override
    public void stop() {
        if (simulator != null) simulator.close();
        // The operator's gauges live in Micrometer's global registry, which outlives this operator in the
        // test JVM: a later operator reconciling a service of the same name (the catalog) would otherwise
        // be scraped with this one's gauges, reading this one's last status.
        List.copyOf(Metrics.globalRegistry.getMeters()).stream()
                .filter(m -> m.getId().getName().startsWith("bluegreen."))
                .forEach(Metrics.globalRegistry::remove);
    }
}

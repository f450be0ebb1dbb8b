package io.ecsbluegreen.api;

import io.ecsbluegreen.sim.AwsSimulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Starts the project's AWS simulator for a Quarkus test and points the operator's AWS clients at it. */
public class SimulatedS3Resource implements QuarkusTestResourceLifecycleManager {

    /** The running simulator; a test resource has no other way to hand it to the test instance. */
    static volatile AwsSimulator simulator;

    @Override
    public Map<String, String> start() {
        simulator = AwsSimulator.start();
        simulator.s3().createBucket("deploy");
        simulator.s3().enableVersioning("deploy");   // its files name their object versions
        try {
            byte[] shop = Files.readAllBytes(Path.of("src/test/resources/operator-sources/shop.yaml"));
            simulator.s3().putObject("deploy", "prod/shop.yaml", shop);
            simulator.s3().putObject("deploy", "prod/team-b/cart.yml", new String(shop).replace("shop", "cart"));
            simulator.s3().putObject("deploy", "prod/notes.txt", "not a desired-state file");
            simulator.s3().putObject("deploy", "staging/shop.yaml", shop);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return Map.of(
                "bluegreen.sources", "s3://deploy/prod/",
                "bluegreen.sync.interval", "1h",
                "bluegreen.aws.endpoint-override", simulator.endpoint().toString(),
                "bluegreen.aws.region", "eu-west-1",
                "bluegreen.aws.access-key-id", "test",
                "bluegreen.aws.secret-access-key", "test",
                "bluegreen.aws.s3-path-style", "true");
    }

    @Override
    public void stop() {
        if (simulator != null) simulator.close();
    }
}

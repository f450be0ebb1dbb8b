package io.ecsbluegreen.source.backends;

import io.ecsbluegreen.sim.AwsSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The S3 source scenarios against the project's AWS simulator: runs everywhere, no Docker needed. */
class S3SourceOnSimulatorTest extends S3SourceScenarios {
    private static AwsSimulator simulator;

    @BeforeAll
    static void start() {
        simulator = AwsSimulator.start();
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @Override
    protected S3Backend backend() {
        return new S3Backend("simulator", simulator.endpoint(), "eu-west-1", "test", "test");
    }
}

package io.ecsbluegreen.sim.backends;

import io.ecsbluegreen.sim.AwsSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The ECS/ELBv2 scenarios against the project's simulator: runs everywhere. */
class EcsElbOnSimulatorTest extends EcsElbScenarios {
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
    protected Backend backend() {
        return new Backend("simulator", simulator.endpoint(), "us-east-1", "test", "test");
    }
}

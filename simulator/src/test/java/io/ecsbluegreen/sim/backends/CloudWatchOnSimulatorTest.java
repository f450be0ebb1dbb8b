package io.ecsbluegreen.sim.backends;

import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.ClockMode;
import io.ecsbluegreen.sim.SimulatorConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The CloudWatch scenarios against the project's simulator (on wall-clock time, as a real backend runs). */
class CloudWatchOnSimulatorTest extends CloudWatchScenarios {
    private static AwsSimulator simulator;

    @BeforeAll
    static void start() {
        simulator = AwsSimulator.start(SimulatorConfig.defaults().withClockMode(ClockMode.WALL));
        simulator.cloudwatch().alarmEvaluation(false);
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

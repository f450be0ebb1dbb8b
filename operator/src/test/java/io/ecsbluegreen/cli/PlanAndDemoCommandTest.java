package io.ecsbluegreen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.ApiAction;
import io.ecsbluegreen.sim.seed.SeedApplier;
import io.ecsbluegreen.sim.seed.SeedLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bluegreen plan} (a dry run against an account) and the start of {@code bluegreen demo}. */
class PlanAndDemoCommandTest {

    record Run(int code, String out, String err) {}

    static Run plan(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new PlanCommand(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env)
                .run(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void planShowsWhatTheFirstPassWouldDoAndChangesNothing() throws Exception {
        try (AwsSimulator sim = AwsSimulator.start()) {
            SeedApplier.apply(SeedLoader.load("seed", Files.readAllBytes(Path.of("../examples/simulator/seed.yaml"))).seed().withoutCommands().withoutEvents(), sim);
            Map<String, String> env = Map.of("BLUEGREEN_AWS_ACCESS_KEY_ID", "a", "BLUEGREEN_AWS_SECRET_ACCESS_KEY", "b");
            sim.resetStats();
            Run run = plan(env, "../examples/greeter", "../examples/strategies/linear.yaml", "--endpoint", sim.endpoint().toString());
            assertThat(run.code()).as(run.err()).isZero();
            assertThat(run.out()).contains("greeter: Deploying (CreatingService) creating ECS service greeter")
                    .contains("  1. create ECS service demo/greeter (EXTERNAL controller, 2 tasks)")
                    .contains("orders: Deploying (CreatingService)")
                    .endsWith("2 services, 2 with changes; nothing was changed\n");
            assertThat(sim.stats().calls().keySet()).as("only reads").allSatisfy(a ->
                    assertThat(a.action()).matches("(Describe|List|Get).*"));
            assertThat(sim.stats().calls()).doesNotContainKey(new ApiAction("ecs", "CreateService"));
        }
    }

    @Test
    void planRefusesInvalidFilesAndNamesTheFieldAndLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, Files.readString(Path.of("../examples/greeter/greeter.yaml")).replace("desiredCount: 2", "desiredCount: -1"));
        Run run = plan(Map.of(), file.toString(), "--endpoint", "http://127.0.0.1:9");
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).containsPattern(java.util.regex.Pattern.quote(file.toString()) + ":\\d+:\\d+: spec.desiredCount: ")
                .contains("nothing was planned");
    }

    @Test
    void withoutCredentialsPlanSaysSoInOneLineAndHowToGiveThem() {
        String sdk = "Unable to load credentials from any of the providers in the chain AwsCredentialsProviderChain(credentialsProviders=["
                + "SystemPropertyCredentialsProvider(), EnvironmentVariableCredentialsProvider()]) : [SystemPropertyCredentialsProvider(): "
                + "Unable to load credentials from system settings.]";
        RuntimeException noCredentials = software.amazon.awssdk.core.exception.SdkClientException.create(sdk);

        assertThat(PlanCommand.reason(noCredentials, null)).startsWith("no AWS credentials found").contains("AWS_PROFILE")
                .contains("--endpoint http://127.0.0.1:4566").doesNotContain("AwsCredentialsProviderChain").doesNotContain("\n");
        assertThat(PlanCommand.reason(noCredentials, "http://127.0.0.1:4566")).contains("the simulator at http://127.0.0.1:4566 takes any key");
        assertThat(PlanCommand.reason(new IllegalStateException("Connection refused"), null)).isEqualTo("Connection refused");
    }

    @Test
    void planNeedsPathsAndKnownOptions() {
        assertThat(plan(Map.of()).code()).isEqualTo(2);
        assertThat(plan(Map.of(), "x", "--colour").err()).contains("unknown option '--colour'");
        assertThat(plan(Map.of(), "x", "--endpoint").err()).contains("--endpoint needs a value");
    }

    @Test
    void theDemoStartsTheSeededSimulatorAndPointsTheOperatorAtIt() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DemoCommand.Prepared demo = new DemoCommand(new PrintStream(out, true, StandardCharsets.UTF_8), System.err)
                .prepare(new String[] {"--sim-port", "0", "--seed", "../examples/simulator/seed.yaml"});
        try (SimulatorProcess sim = demo.simulator()) {
            assertThat(demo.properties()).containsEntry("bluegreen.aws.endpoint-override", sim.endpoint().toString())
                    .containsEntry("bluegreen.sources", "dir:examples").containsEntry("bluegreen.aws.region", "us-east-1")
                    .as("the demo seed's events queue, consumed by the operator")
                    .containsEntry("bluegreen.events.enabled", "true")
                    .containsEntry("bluegreen.events.queue-url", "https://sqs.us-east-1.amazonaws.com/000000000000/bluegreen-events");
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("listener demo/production: http://127.0.0.1:18080")
                    .contains("bin/bluegreen status --watch").contains("/api/v1/services").contains("/q/metrics")
                    .contains("dashboard:   http://127.0.0.1:8080/");
        }
    }

    @Test
    void theDemoRefusesUnknownOptions() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(new DemoCommand(System.out, new PrintStream(err, true, StandardCharsets.UTF_8)).prepare(new String[] {"--fast"})).isNull();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown or incomplete option '--fast'");
    }
}

package io.ecsbluegreen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.RequestLog;
import io.ecsbluegreen.sim.seed.SeedApplier;
import io.ecsbluegreen.sim.seed.SeedLoader;
import io.ecsbluegreen.sim.sts.AssumedRoleSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bluegreen plan} with {@code spec.roleArn}: a service is observed with a session of its role, as
 * the operator observes it, on the simulator over HTTP; its STS enforces trust and the request log tells
 * which access key signed every call.
 */
class PlanWithRoleOnSimulatorTest {
    static final String OPERATOR_KEY = "AKIAOPERATOROWNKEY01";
    static final String ROLE = "arn:aws:iam::222233334444:role/bluegreen-deployer";

    @TempDir
    Path dir;
    AwsSimulator sim;
    Map<String, String> env;

    @BeforeEach
    void start() throws Exception {
        sim = AwsSimulator.start();
        SeedApplier.apply(SeedLoader.load("seed", Files.readAllBytes(Path.of("../examples/simulator/seed.yaml"))).seed().withoutCommands().withoutEvents(), sim);
        env = Map.of("BLUEGREEN_AWS_ACCESS_KEY_ID", OPERATOR_KEY, "BLUEGREEN_AWS_SECRET_ACCESS_KEY", "operator-secret");
        sim.requests().startRecording();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    /** examples/greeter/greeter.yaml with {@code roleArn} (and {@code externalId} when given) set. */
    Path greeterAs(String role, String externalId) throws Exception {
        String spec = Files.readString(Path.of("../examples/greeter/greeter.yaml"));
        String withRole = spec.replace("  cluster: demo\n", "  roleArn: " + role + "\n"
                + (externalId == null ? "" : "  externalId: " + externalId + "\n") + "  cluster: demo\n");
        assertThat(withRole).as("the example still names its cluster as expected").isNotEqualTo(spec);
        Path file = dir.resolve("greeter.yaml");
        Files.writeString(file, withRole);
        return file;
    }

    PlanAndDemoCommandTest.Run plan(Path greeter) {
        return PlanAndDemoCommandTest.plan(env, greeter.toString(), "../examples/strategies/linear.yaml",
                "--endpoint", sim.endpoint().toString(), "--region", "us-east-1");
    }

    Set<String> keysOf(String role) {
        return sim.sts().sessions().stream().filter(s -> s.roleArn().equals(role))
                .map(AssumedRoleSession::accessKeyId).collect(Collectors.toSet());
    }

    /** The ECS calls about one service: its name is in the request (DescribeServices). */
    List<RequestLog.Entry> ecsCallsAbout(String service) {
        return sim.requests().recorded().stream().filter(e -> e.api().service().equals("ecs"))
                .filter(e -> e.excerpt().contains("\"" + service + "\"")).toList();
    }

    @Test
    void aServiceWithARoleIsObservedOnlyWithItsRolesSessionAndTheOthersWithTheOperatorsKey() throws Exception {
        sim.sts().requireExternalId(ROLE, "acme-prod-7f3a");

        PlanAndDemoCommandTest.Run run = plan(greeterAs(ROLE, "acme-prod-7f3a"));

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("greeter: Deploying (CreatingService)").contains("orders: Deploying (CreatingService)")
                .endsWith("2 services, 2 with changes; nothing was changed\n");
        assertThat(sim.sts().sessions()).extracting(AssumedRoleSession::roleSessionName).containsOnly("bluegreen-greeter");
        Set<String> roleKeys = keysOf(ROLE);
        assertThat(roleKeys).isNotEmpty().doesNotContain(OPERATOR_KEY);
        assertThat(ecsCallsAbout("greeter")).isNotEmpty().allSatisfy(e -> assertThat(roleKeys).contains(e.accessKeyId()));
        assertThat(ecsCallsAbout("orders")).isNotEmpty().allSatisfy(e -> assertThat(e.accessKeyId()).isEqualTo(OPERATOR_KEY));
        assertThat(sim.requests().recorded()).filteredOn(e -> e.api().service().equals("sts"))
                .isNotEmpty().allSatisfy(e -> assertThat(e.accessKeyId()).isEqualTo(OPERATOR_KEY));
        assertThat(sim.requests().recorded()).filteredOn(e -> !e.api().service().equals("sts"))
                .as("a dry run only reads").allSatisfy(e -> assertThat(e.api().action()).matches("(Describe|List|Get).*"));
    }

    @Test
    void aRoleStsRefusesNamesItsServicesFailsTheRunAndTheOtherServicesAreStillPlanned() throws Exception {
        sim.sts().distrust(ROLE);

        PlanAndDemoCommandTest.Run run = plan(greeterAs(ROLE, null));

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out()).contains("greeter: cannot plan: cannot assume " + ROLE + " as session bluegreen-greeter")
                .contains("AccessDenied").contains("orders: Deploying (CreatingService)")
                .endsWith("2 services, 1 with changes, 1 whose role could not be assumed; nothing was changed\n");
        assertThat(ecsCallsAbout("greeter")).as("never observed with the operator's own credentials instead").isEmpty();
        assertThat(ecsCallsAbout("orders")).isNotEmpty().allSatisfy(e -> assertThat(e.accessKeyId()).isEqualTo(OPERATOR_KEY));
    }

    @Test
    void aWrongExternalIdIsRefusedAsOnTheOperator() throws Exception {
        sim.sts().requireExternalId(ROLE, "acme-prod-7f3a");

        PlanAndDemoCommandTest.Run run = plan(greeterAs(ROLE, "someone-elses-id"));

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out()).contains("greeter: cannot plan: cannot assume " + ROLE + " as session bluegreen-greeter with the external id")
                .doesNotContain("someone-elses-id");
        assertThat(ecsCallsAbout("greeter")).isEmpty();
    }
}

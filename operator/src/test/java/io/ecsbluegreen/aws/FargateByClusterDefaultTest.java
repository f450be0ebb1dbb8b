package io.ecsbluegreen.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecsbluegreen.model.BlueGreenServiceSpec;
import io.ecsbluegreen.plan.Revision;
import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.spec.SpecParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.EcsException;

/**
 * A spec naming neither a launch type nor a capacity provider strategy runs on the cluster's default
 * strategy; when that is Fargate, the task definition must require FARGATE or CreateTaskSet rejects it.
 */
class FargateByClusterDefaultTest {

    AwsSimulator sim;
    EcsClient ecs;

    @BeforeEach
    void start() {
        sim = AwsSimulator.start();
        ecs = EcsClient.builder().endpointOverride(sim.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .httpClient(UrlConnectionHttpClient.create()).overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    @AfterEach
    void stop() {
        ecs.close();
        sim.close();
    }

    /** The greeter on {@code cluster}, with its {@code launchType: FARGATE} line replaced by {@code placement}. */
    static BlueGreenServiceSpec greeter(String cluster, String placement) throws Exception {
        String yaml = Files.readString(Path.of("../examples/greeter/greeter.yaml"))
                .replace("  launchType: FARGATE\n", placement).replace("cluster: demo", "cluster: " + cluster);
        return new SpecParser().parse("greeter.yaml", yaml.getBytes(StandardCharsets.UTF_8)).services().get(0).service().spec();
    }

    static Stream<Arguments> rows() {
        String spot = "  capacityProviderStrategy:\n    - capacityProvider: FARGATE_SPOT\n      weight: 1\n";
        String ec2Provider = "  capacityProviderStrategy:\n    - capacityProvider: my-ec2-asg\n      weight: 1\n";
        return Stream.of(
                // placement in the spec, cluster default is Fargate, expected requiresCompatibilities
                Arguments.of("", true, List.of(Compatibility.FARGATE)),
                Arguments.of("", false, List.of()),
                Arguments.of("  launchType: FARGATE\n", false, List.of(Compatibility.FARGATE)),
                Arguments.of("  launchType: EC2\n", true, List.of(Compatibility.EC2)),
                Arguments.of(spot, false, List.of(Compatibility.FARGATE)),
                Arguments.of(ec2Provider, true, List.of()));
    }

    @ParameterizedTest(name = "[{index}] fargate default {1}: {0}")
    @MethodSource("rows")
    void theClusterDefaultDecidesOnlyWhenTheSpecNamesNoPlacement(String placement, boolean defaultFargate,
                                                                 List<Compatibility> expected) throws Exception {
        assertThat(TaskDefinitions.request(greeter("demo", placement), Map.of(), defaultFargate).requiresCompatibilities())
                .isEqualTo(expected);
    }

    void createCluster(String name, String provider) {
        ecs.createCluster(b -> b.clusterName(name).capacityProviders(provider)
                .defaultCapacityProviderStrategy(s -> s.capacityProvider(provider).weight(1)));
    }

    @Test
    void aTaskDefinitionForAClusterWhoseDefaultStrategyIsFargateRequiresFargate() throws Exception {
        createCluster("fargate-default", "FARGATE");
        SdkEcsPort port = new SdkEcsPort(ecs, sim.clock());

        String arn = port.registerTaskDefinition(greeter("fargate-default", ""), Revision.of(greeter("fargate-default", "")), Map.of());

        assertThat(ecs.describeTaskDefinition(r -> r.taskDefinition(arn)).taskDefinition().requiresCompatibilities())
                .containsExactly(Compatibility.FARGATE);
    }

    @Test
    void theDefaultStrategyIsReadOncePerClusterAndAgainAfterTenMinutes() throws Exception {
        createCluster("fargate-default", "FARGATE_SPOT");
        SdkEcsPort port = new SdkEcsPort(ecs, sim.clock());
        BlueGreenServiceSpec spec = greeter("fargate-default", "");
        sim.resetStats();

        port.registerTaskDefinition(spec, Revision.of(spec), Map.of());
        port.registerTaskDefinition(spec, Revision.of(spec), Map.of());
        assertThat(sim.stats().calls("ecs", "DescribeClusters")).isEqualTo(1);

        sim.clock().advance(Duration.ofMinutes(10));
        port.registerTaskDefinition(spec, Revision.of(spec), Map.of());
        assertThat(sim.stats().calls("ecs", "DescribeClusters")).isEqualTo(2);
    }

    @Test
    void theSimulatorRejectsATaskSetOnAFargateDefaultClusterWhoseTaskDefinitionDoesNotRequireFargate() {
        createCluster("fargate-default", "FARGATE");
        ecs.createService(b -> b.cluster("fargate-default").serviceName("web").desiredCount(1)
                .deploymentController(d -> d.type("EXTERNAL")));
        String td = ecs.registerTaskDefinition(b -> b.family("web").networkMode("awsvpc").cpu("256").memory("512")
                .containerDefinitions(c -> c.name("web").image("nginx").essential(true))).taskDefinition().taskDefinitionArn();

        assertThatThrownBy(() -> ecs.createTaskSet(b -> b.cluster("fargate-default").service("web").taskDefinition(td)
                .networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets("subnet-0a1b2c3d4e5f60718")))))
                .isInstanceOf(EcsException.class).hasMessageContaining("does not support launch_type FARGATE");
    }
}

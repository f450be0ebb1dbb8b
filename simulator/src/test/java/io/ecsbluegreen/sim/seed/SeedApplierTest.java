package io.ecsbluegreen.sim.seed;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.sim.AwsSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;

class SeedApplierTest {

    @Test
    void imageBehavioursAreReadFromWordsAndBadOnesNamed() {
        org.assertj.core.api.Assertions.assertThat(SeedApplier.behaviour("x", "erroring 0.25").errorRate()).isEqualTo(0.25);
        org.assertj.core.api.Assertions.assertThat(SeedApplier.behaviour("x", "slow-start 90s").readyAfter())
                .isEqualTo(java.time.Duration.ofSeconds(90));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SeedApplier.behaviour("web:2", "flaky"))
                .hasMessageContaining("images.web:2: 'flaky' is not one of");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SeedApplier.behaviour("web:2", "slow-start"))
                .hasMessageContaining("is not one of");
    }

    @Test
    void anImageWithBothABehaviourAndACommandIsRefusedByName() {
        String yaml = """
                apiVersion: sim.ecsbluegreen.io/v1alpha1
                kind: SimulatorSeed
                images: {"web:1": never-healthy}
                commands: {"web:1": python3 app.py}
                """;
        SimSeed seed = SeedLoader.load("seed.yaml", yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)).seed();
        try (AwsSimulator sim = AwsSimulator.start()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> SeedApplier.apply(seed, sim))
                    .hasMessageContaining("commands.web:1: the image also has a behaviour in images");
            assertThat(seed.withoutCommands().commands()).isEmpty();
        }
    }

    @Test
    void oneOffTaskBehavioursAreReadFromWords() {
        assertThat(SeedApplier.behaviour("x", "exits 3").oneOffExit())
                .isEqualTo(new io.ecsbluegreen.sim.spi.ImageBehaviour.Exit(java.time.Duration.ofSeconds(10), 3));
        assertThat(SeedApplier.behaviour("x", "exits-after 2m 4").oneOffExit())
                .isEqualTo(new io.ecsbluegreen.sim.spi.ImageBehaviour.Exit(java.time.Duration.ofMinutes(2), 4));
        assertThat(SeedApplier.behaviour("x", "exits-after 30s").oneOffExit().code()).isZero();
        assertThat(SeedApplier.behaviour("x", "never-exits").oneOffExit()).isNull();
        assertThat(SeedApplier.behaviour("migrate:1", "fails-to-start").startFailure())
                .startsWith("CannotPullContainerError").contains("migrate:1");
        assertThat(SeedApplier.behaviour("x", "healthy").oneOffExit().code()).isZero();
        assertThat(SeedApplier.behaviour("x", "crashes-after 5s").oneOffExit().code()).isEqualTo(1);
    }

    @Test
    void theDemoSeedRecreatesTheAlbTheExamplesReferToWithTheirExactArns() throws Exception {
        SimSeed seed = SeedLoader.load("seed.yaml", Files.readAllBytes(Path.of("examples/simulator/seed.yaml"))).seed();
        try (AwsSimulator sim = AwsSimulator.start();
             ElasticLoadBalancingV2Client elb = ElasticLoadBalancingV2Client.builder()
                     .endpointOverride(sim.endpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                     .httpClient(UrlConnectionHttpClient.create()).build()) {
            SeedApplier.Applied applied = SeedApplier.apply(seed, sim);
            assertThat(applied.targetGroups()).isEqualTo(8);
            assertThat(applied.listenerEndpoints()).containsOnlyKeys("demo/production", "demo/test");

            String production = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/demo/5f2b3c4d5e6f7a8b/1a2b3c4d5e6f7081";
            var listener = elb.describeListeners(r -> r.listenerArns(production)).listeners().get(0);
            assertThat(listener.defaultActions().get(0).forwardConfig().targetGroups().get(0).targetGroupArn())
                    .isEqualTo("arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/greeter-blue/0a00000000000001");
            String billingRule = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/demo/5f2b3c4d5e6f7a8b/1a2b3c4d5e6f7081/00000000000000b1";
            List<Rule> rules = elb.describeRules(r -> r.ruleArns(billingRule)).rules();
            assertThat(rules.get(0).conditions().get(0).field()).isEqualTo("host-header");
            var attributes = elb.describeTargetGroupAttributes(r -> r.targetGroupArn(
                    "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/greeter-green/0a00000000000002")).attributes();
            assertThat(attributes).anyMatch(a -> a.key().equals("deregistration_delay.timeout_seconds") && a.value().equals("30"));
            assertThat(sim.ecs().counts().get("clusters")).isEqualTo(1);
            assertThat(sim.cloudwatch().alarm("catalog-5xx-high").orElseThrow().stateValue().name()).isEqualTo("OK");
            assertThat(sim.imageBehaviours().of("ghcr.io/ecsbluegreen/greeter:9.9.9-broken").passesHealthChecks()).isFalse();
            assertThat(sim.imageBehaviours().of("ghcr.io/ecsbluegreen/greeter:9.9.9-crashing").crashAfter()).isEqualTo(java.time.Duration.ofMinutes(2));
            assertThat(sim.imageBehaviours().of("ghcr.io/ecsbluegreen/greeter:1.0.0").command())
                    .containsExactly("env", "APP_VERSION=1.0.0", "python3", "examples/greeter/app/greeter.py");
            assertThat(sim.imageBehaviours().of("ghcr.io/ecsbluegreen/greeter:2.0.0").realProcess()).isTrue();
            assertThat(sim.imageBehaviours().of("ghcr.io/ecsbluegreen/greeter:9.9.9-erroring").realProcess()).isFalse();
        }
    }

    @Test
    void aSeededEventsQueueReceivesTheSimulatorsEventsButNoneFromTheSeedingItself() throws Exception {
        String yaml = """
                apiVersion: sim.ecsbluegreen.io/v1alpha1
                kind: SimulatorSeed
                region: eu-west-1
                alarms: [web-5xx]
                objects: {"specs/services/web.yaml": "kind: BlueGreenService"}
                events:
                  queue: bluegreen-events
                  buckets: [specs]
                """;
        SimSeed seed = SeedLoader.load("seed.yaml", yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)).seed();
        try (AwsSimulator sim = AwsSimulator.start()) {
            sim.cloudwatch().alarmEvaluation(false);
            SeedApplier.Applied applied = SeedApplier.apply(seed, sim);

            assertThat(applied.eventsQueueUrl()).isEqualTo("https://sqs.eu-west-1.amazonaws.com/000000000000/bluegreen-events");
            assertThat(sim.sqs().depth(applied.eventsQueueUrl())).as("seeding sends nothing").isZero();
            sim.s3().putObject("specs", "services/web.yaml", "kind: BlueGreenService # v2");
            sim.cloudwatch().setAlarmState("web-5xx", io.ecsbluegreen.sim.cloudwatch.AlarmState.ALARM, "test");

            List<String> bodies = sim.sqs().receive(applied.eventsQueueUrl(), 10, null, 0).stream()
                    .map(io.ecsbluegreen.sim.sqs.SqsStore.Received::body).toList();
            assertThat(bodies).hasSize(2);
            assertThat(bodies.get(0)).contains("\"Object Created\"").contains("\"services/web.yaml\"");
            assertThat(bodies.get(1)).contains("\"CloudWatch Alarm State Change\"").contains("\"web-5xx\"");
            assertThat(seed.withoutEvents().events()).isNull();
        }
    }

    @Test
    void withoutAnEventsQueueTheSeededSimulatorRoutesNoEvents() throws Exception {
        SimSeed seed = SeedLoader.load("seed.yaml", Files.readAllBytes(Path.of("examples/simulator/seed.yaml"))).seed().withoutEvents();
        try (AwsSimulator sim = AwsSimulator.start()) {
            assertThat(SeedApplier.apply(seed, sim).eventsQueueUrl()).isNull();
            assertThat(sim.events().routing()).isFalse();
            assertThat(sim.sqs().queueNames()).isEmpty();
        }
    }
}

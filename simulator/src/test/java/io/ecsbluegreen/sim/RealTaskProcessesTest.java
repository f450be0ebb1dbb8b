package io.ecsbluegreen.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecsbluegreen.sim.seed.SeedApplier;
import io.ecsbluegreen.sim.seed.SeedLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DeploymentControllerType;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.ScaleUnit;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

/**
 * Tasks of an image that the seed maps to a local command are real processes: the greeter example app
 * (python3), one per task on a loopback port of its own, proxied to by the listener, health-checked for
 * real, and stopped with its task and with the simulator.
 */
class RealTaskProcessesTest {

    private static final String SEED = """
            apiVersion: sim.ecsbluegreen.io/v1alpha1
            kind: SimulatorSeed
            clusters: [demo]
            taskStartTime: 5s
            targetGroups:
              - {name: web-blue, healthCheckInterval: 5s, healthyThreshold: 2}
            loadBalancers:
              - name: demo
                listeners:
                  - {name: production, port: 80, defaultTargetGroup: web-blue}
            images:
              "greeter:9.9.9-broken": never-healthy
            commands:
              "greeter": env APP_VERSION=2.0.0 python3 examples/greeter/app/greeter.py
              "exits:1": "false"
            """;

    @BeforeAll
    static void needsPython() {
        Assumptions.assumeTrue(onPath("python3"), "python3 is not installed");
    }

    @Test
    @Timeout(120)
    void aTaskOfAnImageWithACommandIsARealProcessThatServesIsHealthCheckedAndStopsWithItsTask() throws Exception {
        try (AwsSimulator sim = AwsSimulator.start(); Clients aws = new Clients(sim)) {
            URI production = URI.create(seed(sim).listenerEndpoints().get("demo/production"));
            String targetGroup = aws.targetGroup("web-blue");
            String taskSet = aws.taskSet("greeter:2.0.0", targetGroup, 2);

            sim.clock().advance(Duration.ofSeconds(5));
            List<Task> tasks = aws.tasks();
            assertThat(tasks).hasSize(2).allMatch(t -> t.lastStatus().equals("RUNNING"));
            assertThat(sim.processes().alive()).isEqualTo(2);
            List<Long> pids = sim.processes().pids();

            // Health checks ask the process: healthy after two passing checks at 5 s once it answers.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                sim.clock().advance(Duration.ofSeconds(5));
                return aws.health(targetGroup).stream().allMatch(d -> d.targetHealth().stateAsString().equals("healthy"));
            });
            assertThat(aws.health(targetGroup)).hasSize(2);

            HttpResponse<String> greeting = get(production.resolve("/api/greeting"));
            assertThat(greeting.statusCode()).isEqualTo(200);
            assertThat(greeting.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(greeting.body()).contains("\"greeting\": \"Bonjour\"", "\"language\": \"fr\"", "\"version\": \"2.0.0\"");
            assertThat(get(production.resolve("/")).body()).contains("<h1>Bonjour</h1>");
            assertThat(get(production.resolve("/missing")).statusCode()).as("the app's own 404").isEqualTo(404);

            aws.ecs.deleteTaskSet(r -> r.cluster("demo").service("web").taskSet(taskSet).force(true));
            await().atMost(Duration.ofSeconds(15)).until(() -> sim.processes().alive() == 0);
            assertThat(pids).noneMatch(RealTaskProcessesTest::running);
        }
    }

    @Test
    @Timeout(60)
    void closingTheSimulatorStopsEveryProcessAndBrokenImagesStaySimulated() throws Exception {
        List<Long> pids;
        try (AwsSimulator sim = AwsSimulator.start(); Clients aws = new Clients(sim)) {
            seed(sim);
            assertThat(sim.imageBehaviours().of("greeter:2.0.0").realProcess()).isTrue();
            assertThat(sim.imageBehaviours().of("greeter:9.9.9-broken").realProcess()).isFalse();
            aws.taskSet("greeter:1.0.0", aws.targetGroup("web-blue"), 3);
            sim.clock().advance(Duration.ofSeconds(5));
            assertThat(aws.tasks()).hasSize(3);
            pids = sim.processes().pids();
            assertThat(pids).hasSize(3).allMatch(RealTaskProcessesTest::running);
        }
        assertThat(pids).noneMatch(RealTaskProcessesTest::running);
    }

    @Test
    @Timeout(60)
    void aProcessThatExitsStopsItsTaskWhichIsReplaced() throws Exception {
        try (AwsSimulator sim = AwsSimulator.start(); Clients aws = new Clients(sim)) {
            seed(sim);
            aws.taskSet("exits:1", aws.targetGroup("web-blue"), 1);
            sim.clock().advance(Duration.ofSeconds(5));
            assertThat(aws.tasks()).hasSize(1);
            await().atMost(Duration.ofSeconds(15)).until(() -> sim.processes().alive() == 0);
            List<Task> stopped = aws.ecs.describeTasks(r -> r.cluster("demo").tasks(aws.ecs.listTasks(l -> l.cluster("demo")
                    .desiredStatus("STOPPED")).taskArns())).tasks();
            assertThat(stopped).isNotEmpty().allMatch(t -> t.stoppedReason().equals("Essential container in task exited"));
            assertThat(aws.tasks()).as("a replacement, provisioning").hasSize(1);
        }
    }

    private static SeedApplier.Applied seed(AwsSimulator sim) {
        return SeedApplier.apply(SeedLoader.load("seed.yaml", SEED.getBytes(StandardCharsets.UTF_8)).seed(), sim);
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static boolean running(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && List.of(path.split(java.io.File.pathSeparator)).stream()
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }

    /** SDK clients on the simulator and the few calls the tests make. */
    private static final class Clients implements AutoCloseable {
        final EcsClient ecs;
        final ElasticLoadBalancingV2Client elb;

        Clients(AwsSimulator sim) {
            var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"));
            ecs = EcsClient.builder().endpointOverride(sim.endpoint()).region(Region.US_EAST_1).credentialsProvider(credentials)
                    .httpClient(UrlConnectionHttpClient.create()).build();
            elb = ElasticLoadBalancingV2Client.builder().endpointOverride(sim.endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
        }

        String targetGroup(String name) {
            return elb.describeTargetGroups(r -> r.names(name)).targetGroups().get(0).targetGroupArn();
        }

        /** A service with one task set of {@code image} on the target group; returns the task set's ARN. */
        String taskSet(String image, String targetGroup, int count) {
            String definition = ecs.registerTaskDefinition(r -> r.family("web").networkMode(NetworkMode.AWSVPC).cpu("256")
                    .memory("512").requiresCompatibilitiesWithStrings("FARGATE")
                    .containerDefinitions(c -> c.name("web").image(image).essential(true).portMappings(p -> p.containerPort(8080))
                            .environment(e -> e.name("GREETING").value("Bonjour"), e -> e.name("LANGUAGE").value("fr"),
                                    e -> e.name("JSON_API").value("true"))))
                    .taskDefinition().taskDefinitionArn();
            ecs.createService(r -> r.cluster("demo").serviceName("web").desiredCount(count)
                    .deploymentController(d -> d.type(DeploymentControllerType.EXTERNAL)));
            return ecs.createTaskSet(r -> r.cluster("demo").service("web").externalId("r-1").taskDefinition(definition)
                    .launchType("FARGATE").networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets("subnet-0a1b2c3d4e5f60718")))
                    .loadBalancers(l -> l.targetGroupArn(targetGroup).containerName("web").containerPort(8080))
                    .scale(s -> s.value(100.0).unit(ScaleUnit.PERCENT))).taskSet().taskSetArn();
        }

        List<Task> tasks() {
            List<String> arns = ecs.listTasks(r -> r.cluster("demo").serviceName("web")).taskArns();
            return arns.isEmpty() ? List.of() : ecs.describeTasks(r -> r.cluster("demo").tasks(arns)).tasks();
        }

        List<TargetHealthDescription> health(String targetGroup) {
            return elb.describeTargetHealth(r -> r.targetGroupArn(targetGroup)).targetHealthDescriptions();
        }

        @Override
        public void close() {
            ecs.close();
            elb.close();
        }
    }
}

package io.ecsbluegreen.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
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
import software.amazon.awssdk.services.ecs.model.StabilityStatus;
import software.amazon.awssdk.services.ecs.model.TaskSet;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

/**
 * A whole blue/green deployment done by hand through the SDK alone, as an operator would do it, while a
 * client sends a request every 100 ms through the production listener: no request may fail, and the
 * version served must flip from v1 to v2.
 */
class ManualBlueGreenTest {

    @Test
    @Timeout(120)
    void aManualBlueGreenThroughTheSdkLosesNoRequestAndFlipsTheVersion() throws Exception {
        try (AwsSimulator sim = AwsSimulator.start();
             EcsClient ecs = EcsClient.builder().endpointOverride(sim.endpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                     .httpClient(UrlConnectionHttpClient.create()).build();
             ElasticLoadBalancingV2Client elb = ElasticLoadBalancingV2Client.builder().endpointOverride(sim.endpoint())
                     .region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                     .httpClient(UrlConnectionHttpClient.create()).build()) {
            // The account: a cluster, two target groups with a 5 s x 2 health check, an ALB, a listener on blue.
            ecs.createCluster(r -> r.clusterName("demo"));
            String blueTg = targetGroup(elb, "web-blue");
            String greenTg = targetGroup(elb, "web-green");
            var lb = elb.createLoadBalancer(r -> r.name("demo").subnets("subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"))
                    .loadBalancers().get(0);
            // Both target groups in the forward action (green at weight 0), as for any blue/green: a target
            // group without a listener has no health checks, and its targets stay "unused".
            var listener = elb.createListener(r -> r.loadBalancerArn(lb.loadBalancerArn()).protocol("HTTP").port(80)
                    .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).forwardConfig(f -> f.targetGroups(
                            TargetGroupTuple.builder().targetGroupArn(blueTg).weight(100).build(),
                            TargetGroupTuple.builder().targetGroupArn(greenTg).weight(0).build())))).listeners().get(0);
            URI production = URI.create("http://" + lb.dnsName() + ":" + listener.port() + "/");

            String v1 = taskDefinition(ecs, "web:1.0.0", "v1");
            String v2 = taskDefinition(ecs, "web:2.0.0", "v2");
            ecs.createService(r -> r.cluster("demo").serviceName("web").desiredCount(2)
                    .deploymentController(d -> d.type(DeploymentControllerType.EXTERNAL)));

            // Blue: first task set, stable and healthy, primary.
            TaskSet blue = createTaskSet(ecs, v1, blueTg, "r-v1");
            sim.clock().advance(Duration.ofSeconds(40));
            assertThat(describe(ecs, blue).stabilityStatus()).isEqualTo(StabilityStatus.STEADY_STATE);
            ecs.updateServicePrimaryTaskSet(r -> r.cluster("demo").service("web").primaryTaskSet(blue.taskSetArn()));

            List<String> served = Collections.synchronizedList(new ArrayList<>());
            List<String> failures = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean running = new AtomicBoolean(true);
            Thread client = new Thread(() -> {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                for (int i = 0; i < 2_000 && running.get(); i++) {
                    try {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(production).timeout(Duration.ofSeconds(2)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 200) failures.add(response.statusCode() + " " + response.body());
                        else served.add(response.body().contains("web:2.0.0") ? "v2" : response.body().contains("web:1.0.0") ? "v1" : "?");
                        Thread.sleep(100); // pacing of the client: one request every 100 ms or so
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            }, "every-100ms");
            client.start();
            // every stage lasts a number of requests, counted, never a length of real time
            awaitRequests(served, failures, 5);

            // Green: a second task set on the other target group, then traffic 90/10, then 0/100.
            TaskSet green = createTaskSet(ecs, v2, greenTg, "r-v2");
            sim.clock().advance(Duration.ofSeconds(40));
            assertThat(describe(ecs, green).stabilityStatus()).isEqualTo(StabilityStatus.STEADY_STATE);
            assertThat(elb.describeTargetHealth(r -> r.targetGroupArn(greenTg)).targetHealthDescriptions())
                    .hasSize(2).allMatch(d -> d.targetHealth().stateAsString().equals("healthy"));
            forward(elb, listener.listenerArn(), blueTg, 90, greenTg, 10);
            awaitRequests(served, failures, 15);
            forward(elb, listener.listenerArn(), blueTg, 0, greenTg, 100);
            // the request in flight while the weights changed may have gone either way: skip it
            int switched = served.size() + 1;
            awaitRequests(served, failures, 5);
            ecs.updateServicePrimaryTaskSet(r -> r.cluster("demo").service("web").primaryTaskSet(green.taskSetArn()));
            ecs.deleteTaskSet(r -> r.cluster("demo").service("web").taskSet(blue.taskSetArn()).force(true));
            awaitRequests(served, failures, 10);
            running.set(false);
            client.join(10_000);

            assertThat(failures).as("failed requests").isEmpty();
            assertThat(served).hasSizeGreaterThan(30);
            assertThat(served.get(0)).isEqualTo("v1");
            assertThat(served.subList(switched, served.size())).isNotEmpty().containsOnly("v2");
            assertThat(served).contains("v1", "v2").doesNotContain("?");
            assertThat(ecs.describeServices(r -> r.cluster("demo").services("web")).services().get(0).taskSets())
                    .extracting(TaskSet::status).containsExactlyInAnyOrder("PRIMARY", "DRAINING");
            sim.clock().advance(Duration.ofSeconds(300));
            assertThat(ecs.describeServices(r -> r.cluster("demo").services("web")).services().get(0).taskSets())
                    .as("gone after the deregistration delay").extracting(TaskSet::taskSetArn).containsExactly(green.taskSetArn());
            System.out.printf("manual blue/green: %d requests, 0 failed, %d served by v1 then v2%n", served.size(),
                    served.stream().filter("v1"::equals).count());
        }
    }

    /** Waits (Awaitility, bounded) until the client has answered {@code more} further requests, served or failed. */
    private static void awaitRequests(List<String> served, List<String> failures, int more) {
        int until = served.size() + failures.size() + more;
        await().atMost(Duration.ofSeconds(60)).until(() -> served.size() + failures.size() >= until);
    }

    private static String targetGroup(ElasticLoadBalancingV2Client elb, String name) {
        return elb.createTargetGroup(r -> r.name(name).protocol("HTTP").port(8080).targetType("ip").vpcId("vpc-0123456789abcdef0")
                        .healthCheckIntervalSeconds(5).healthCheckTimeoutSeconds(2).healthyThresholdCount(2))
                .targetGroups().get(0).targetGroupArn();
    }

    private static String taskDefinition(EcsClient ecs, String image, String version) {
        return ecs.registerTaskDefinition(r -> r.family("web").networkMode(NetworkMode.AWSVPC).cpu("256").memory("512")
                .requiresCompatibilitiesWithStrings("FARGATE")
                .containerDefinitions(c -> c.name("web").image(image).essential(true)
                        .portMappings(p -> p.containerPort(8080))
                        .environment(e -> e.name("VERSION").value(version))))
                .taskDefinition().taskDefinitionArn();
    }

    private static TaskSet createTaskSet(EcsClient ecs, String taskDefinition, String targetGroup, String externalId) {
        return ecs.createTaskSet(r -> r.cluster("demo").service("web").externalId(externalId).taskDefinition(taskDefinition)
                .launchType("FARGATE")
                .networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets("subnet-0a1b2c3d4e5f60718")))
                .loadBalancers(l -> l.targetGroupArn(targetGroup).containerName("web").containerPort(8080))
                .scale(s -> s.value(100.0).unit(ScaleUnit.PERCENT))).taskSet();
    }

    private static TaskSet describe(EcsClient ecs, TaskSet taskSet) {
        return ecs.describeTaskSets(r -> r.cluster("demo").service("web").taskSets(taskSet.taskSetArn())).taskSets().get(0);
    }

    private static void forward(ElasticLoadBalancingV2Client elb, String listener, String blue, int blueWeight, String green, int greenWeight) {
        elb.modifyListener(r -> r.listenerArn(listener).defaultActions(a -> a.type(ActionTypeEnum.FORWARD)
                .forwardConfig(f -> f.targetGroups(TargetGroupTuple.builder().targetGroupArn(blue).weight(blueWeight).build(),
                        TargetGroupTuple.builder().targetGroupArn(green).weight(greenWeight).build()))));
    }
}

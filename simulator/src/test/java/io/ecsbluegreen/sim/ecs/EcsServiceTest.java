package io.ecsbluegreen.sim.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.SimClients;
import io.ecsbluegreen.sim.elb.Action;
import io.ecsbluegreen.sim.elb.LoadBalancer;
import io.ecsbluegreen.sim.elb.TargetGroup;
import io.ecsbluegreen.sim.spi.ImageBehaviour;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.DeploymentControllerType;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.ScaleUnit;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.ServiceNotFoundException;
import software.amazon.awssdk.services.ecs.model.SortOrder;
import software.amazon.awssdk.services.ecs.model.StabilityStatus;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.TaskSet;
import software.amazon.awssdk.services.ecs.model.TaskSetField;

/** Every simulated ECS action through the real SDK client: success and main errors. */
class EcsServiceTest {

    AwsSimulator sim;
    EcsClient ecs;
    String blueTg;
    String greenTg;

    @BeforeEach
    void start() {
        sim = AwsSimulator.start();
        ecs = SimClients.ecsWithoutRetries(sim);
        LoadBalancer lb = sim.elb().createLoadBalancer("eu-west-1", "demo", null);
        TargetGroup blue = sim.elb().createTargetGroup("eu-west-1", "web-blue", null, "HTTP", 8080, "ip",
                new io.ecsbluegreen.sim.elb.HealthCheck("HTTP", "traffic-port", true, "/", 5, 2, 2, 2, "200"));
        TargetGroup green = sim.elb().createTargetGroup("eu-west-1", "web-green", null, "HTTP", 8080, "ip",
                new io.ecsbluegreen.sim.elb.HealthCheck("HTTP", "traffic-port", true, "/", 5, 2, 2, 2, "200"));
        blueTg = blue.arn();
        greenTg = green.arn();
        sim.elb().createListener(lb.arn(), null, 80, Action.forward(Map.of(blueTg, 100, greenTg, 0)));
        ecs.createCluster(r -> r.clusterName("demo"));
    }

    @AfterEach
    void stop() {
        ecs.close();
        sim.close();
    }

    String register(String image) {
        return ecs.registerTaskDefinition(r -> r.family("web").networkMode(NetworkMode.AWSVPC).cpu("256").memory("512")
                .requiresCompatibilitiesWithStrings("FARGATE")
                .containerDefinitions(c -> c.name("web").image(image).portMappings(p -> p.containerPort(8080)))
                .tags(Tag.builder().key("ecsbluegreen.io/revision").value(image).build()))
                .taskDefinition().taskDefinitionArn();
    }

    void externalService(int desired) {
        ecs.createService(r -> r.cluster("demo").serviceName("web").desiredCount(desired)
                .deploymentController(d -> d.type(DeploymentControllerType.EXTERNAL)));
    }

    TaskSet taskSet(String td, String tg, String token) {
        return ecs.createTaskSet(r -> r.cluster("demo").service("web").taskDefinition(td).externalId("r-1").clientToken(token)
                .launchType("FARGATE").networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets("subnet-0a1b2c3d4e5f60718")))
                .loadBalancers(l -> l.targetGroupArn(tg).containerName("web").containerPort(8080))
                .scale(s -> s.value(100.0).unit(ScaleUnit.PERCENT))).taskSet();
    }

    TaskSet describe(TaskSet ts) {
        return ecs.describeTaskSets(r -> r.cluster("demo").service("web").taskSets(ts.taskSetArn()).include(TaskSetField.TAGS))
                .taskSets().get(0);
    }

    @Test
    void clustersAreCreatedDescribedListedAndDeletedAndAMissingOneIsReported() {
        var described = ecs.describeClusters(r -> r.clusters("demo", "nope"));
        assertThat(described.clusters()).extracting(c -> c.clusterArn()).containsExactly("arn:aws:ecs:eu-west-1:000000000000:cluster/demo");
        assertThat(described.failures()).extracting(f -> f.reason()).containsExactly("MISSING");
        assertThat(ecs.listClusters().clusterArns()).hasSize(1);
        ecs.deleteCluster(r -> r.cluster("demo"));
        assertThatThrownBy(() -> ecs.listServices(r -> r.cluster("demo"))).isInstanceOf(ClusterNotFoundException.class);
    }

    @Test
    void taskDefinitionsGetRevisionsTagsAndAreListedNewestFirst() {
        String first = register("web:1");
        String second = register("web:2");
        assertThat(first).endsWith("task-definition/web:1");
        assertThat(second).endsWith("task-definition/web:2");
        var described = ecs.describeTaskDefinition(r -> r.taskDefinition("web").include(TaskDefinitionField.TAGS));
        assertThat(described.taskDefinition().revision()).isEqualTo(2);
        assertThat(described.taskDefinition().containerDefinitions().get(0).image()).isEqualTo("web:2");
        assertThat(described.tags()).extracting(Tag::value).containsExactly("web:2");
        assertThat(ecs.listTaskDefinitions(r -> r.familyPrefix("web").sort(SortOrder.DESC).maxResults(1)).taskDefinitionArns())
                .containsExactly(second);
        ecs.deregisterTaskDefinition(r -> r.taskDefinition(second));
        assertThat(ecs.describeTaskDefinition(r -> r.taskDefinition("web")).taskDefinition().revision()).isEqualTo(1);
        assertThatThrownBy(() -> ecs.describeTaskDefinition(r -> r.taskDefinition("nope:1"))).isInstanceOf(ClientException.class);
        assertThatThrownBy(() -> ecs.registerTaskDefinition(r -> r.family("web").containerDefinitions(c -> c.name("x"))))
                .isInstanceOf(ClientException.class).hasMessageContaining("Container.image should not be null or empty.");
    }

    @Test
    void servicesAreDescribedTenAtATimeWithMissingOnesReported() {
        externalService(2);
        var out = ecs.describeServices(r -> r.cluster("demo").services("web", "ghost").include(ServiceField.TAGS));
        assertThat(out.services()).hasSize(1);
        assertThat(out.services().get(0).deploymentController().type()).isEqualTo(DeploymentControllerType.EXTERNAL);
        assertThat(out.failures()).extracting(f -> f.reason()).containsExactly("MISSING");
        List<String> eleven = java.util.stream.IntStream.range(0, 11).mapToObj(i -> "s" + i).toList();
        assertThatThrownBy(() -> ecs.describeServices(r -> r.cluster("demo").services(eleven)))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> externalService(1)).isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("not idempotent");
        assertThatThrownBy(() -> ecs.updateService(r -> r.cluster("demo").service("ghost").desiredCount(1)))
                .isInstanceOf(ServiceNotFoundException.class);
        assertThatThrownBy(() -> ecs.updateService(r -> r.cluster("demo").service("web").taskDefinition("web:1")))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void aTaskSetStabilisesAsItsTasksStartAndTheirTargetsBecomeHealthy() {
        externalService(3);
        TaskSet ts = taskSet(register("web:1"), blueTg, "t1");
        assertThat(ts.stabilityStatus()).isEqualTo(StabilityStatus.STABILIZING);
        assertThat(ts.computedDesiredCount()).isEqualTo(3);
        assertThat(ts.pendingCount()).isEqualTo(3);
        sim.clock().advance(Duration.ofSeconds(20));
        assertThat(describe(ts).runningCount()).isEqualTo(3);
        assertThat(describe(ts).stabilityStatus()).as("targets not yet healthy").isEqualTo(StabilityStatus.STABILIZING);
        sim.clock().advance(Duration.ofSeconds(10));
        assertThat(describe(ts).stabilityStatus()).isEqualTo(StabilityStatus.STEADY_STATE);

        ecs.updateTaskSet(r -> r.cluster("demo").service("web").taskSet(ts.taskSetArn()).scale(s -> s.value(50.0).unit(ScaleUnit.PERCENT)));
        assertThat(describe(ts).computedDesiredCount()).as("AWS rounds up: 3 x 50% = 2").isEqualTo(2);
        assertThat(describe(ts).runningCount()).isEqualTo(2);
    }

    @Test
    void aNeverHealthyImageNeverStabilisesAndACrashingOneIsReplaced() {
        sim.imageBehaviours().set("web:broken", ImageBehaviour.neverHealthy());
        sim.imageBehaviours().set("web:crash", ImageBehaviour.crashesAfter(Duration.ofSeconds(30)));
        externalService(2);
        TaskSet broken = taskSet(register("web:broken"), blueTg, "t1");
        sim.clock().advance(Duration.ofMinutes(10));
        assertThat(describe(broken).stabilityStatus()).isEqualTo(StabilityStatus.STABILIZING);
        ecs.deleteTaskSet(r -> r.cluster("demo").service("web").taskSet(broken.taskSetArn()).force(true));

        TaskSet crashing = taskSet(register("web:crash"), greenTg, "t2");
        sim.clock().advance(Duration.ofSeconds(60));
        var stopped = ecs.listTasks(r -> r.cluster("demo").serviceName("web").startedBy(crashing.id())
                .desiredStatus(DesiredStatus.STOPPED)).taskArns();
        assertThat(stopped).hasSizeGreaterThanOrEqualTo(2);
        var task = ecs.describeTasks(r -> r.cluster("demo").tasks(stopped.get(0))).tasks().get(0);
        assertThat(task.stoppedReason()).isEqualTo("Essential container in task exited");
        assertThat(task.containers().get(0).exitCode()).isEqualTo(1);
        assertThat(describe(crashing).runningCount() + describe(crashing).pendingCount()).as("replaced").isEqualTo(2);
    }

    @Test
    void createTaskSetIsIdempotentByClientTokenAndLimitedToFivePerService() {
        externalService(1);
        String td = register("web:1");
        TaskSet first = taskSet(td, blueTg, "same");
        assertThat(taskSet(td, blueTg, "same").taskSetArn()).isEqualTo(first.taskSetArn());
        assertThatThrownBy(() -> taskSet(td, greenTg, "same")).isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("not idempotent");
        for (int i = 0; i < 4; i++) taskSet(td, greenTg, "t" + i);
        assertThatThrownBy(() -> taskSet(td, greenTg, "sixth")).isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("5 deployments exist on the service");
    }

    @Test
    void taskSetsNeedAnExternalServiceANetworkForAwsvpcAndAnExistingTargetGroup() {
        String td = register("web:1");
        ecs.createService(r -> r.cluster("demo").serviceName("rolling").taskDefinition(td).desiredCount(1));
        assertThatThrownBy(() -> ecs.createTaskSet(r -> r.cluster("demo").service("rolling").taskDefinition(td)))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("EXTERNAL");
        externalService(1);
        assertThatThrownBy(() -> ecs.createTaskSet(r -> r.cluster("demo").service("web").taskDefinition(td)))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("Network Configuration must be provided");
        assertThatThrownBy(() -> taskSet(td, blueTg.replace("web-blue", "web-grey"), "x"))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("does not exist");
        String lonely = sim.elb().createTargetGroup("eu-west-1", "web-lonely", null, "HTTP", 8080, "ip",
                io.ecsbluegreen.sim.elb.HealthCheck.defaults("HTTP")).arn();
        assertThatThrownBy(() -> taskSet(td, lonely, "y"))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("does not have an associated load balancer");
    }

    @Test
    void thePrimaryMovesAndDeletionNeedsForceWhileTasksRun() {
        externalService(1);
        String td = register("web:1");
        TaskSet blue = taskSet(td, blueTg, "b");
        TaskSet green = taskSet(td, greenTg, "g");
        ecs.updateServicePrimaryTaskSet(r -> r.cluster("demo").service("web").primaryTaskSet(blue.taskSetArn()));
        ecs.updateServicePrimaryTaskSet(r -> r.cluster("demo").service("web").primaryTaskSet(green.taskSetArn()));
        assertThat(describe(blue).status()).isEqualTo("ACTIVE");
        assertThat(describe(green).status()).isEqualTo("PRIMARY");

        assertThatThrownBy(() -> ecs.deleteTaskSet(r -> r.cluster("demo").service("web").taskSet(blue.taskSetArn())))
                .isInstanceOf(InvalidParameterException.class);
        ecs.deleteTaskSet(r -> r.cluster("demo").service("web").taskSet(blue.taskSetArn()).force(true));
        assertThat(describe(blue).status()).as("draining for the deregistration delay").isEqualTo("DRAINING");
        sim.clock().advance(Duration.ofSeconds(300));
        assertThat(ecs.describeServices(r -> r.cluster("demo").services("web")).services().get(0).taskSets()).hasSize(1);
        assertThatThrownBy(() -> ecs.deleteService(r -> r.cluster("demo").service("web")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("scaled above 0");
        ecs.deleteService(r -> r.cluster("demo").service("web").force(true));
        assertThat(ecs.describeServices(r -> r.cluster("demo").services("web")).services().get(0).status()).isEqualTo("INACTIVE");
    }

    @Test
    void aStoppedTaskIsReplacedAndDriftHelpersChangeStateBehindTheApisBack() {
        externalService(2);
        TaskSet ts = taskSet(register("web:1"), blueTg, "t");
        sim.clock().advance(Duration.ofSeconds(30));
        String victim = ecs.listTasks(r -> r.cluster("demo").serviceName("web")).taskArns().get(0);
        var stopped = ecs.stopTask(r -> r.cluster("demo").task(victim).reason("test")).task();
        assertThat(stopped.lastStatus()).isEqualTo("STOPPED");
        assertThat(ecs.listTasks(r -> r.cluster("demo").serviceName("web")).taskArns()).hasSize(2).doesNotContain(victim);

        sim.ecs().rescaleTaskSet("demo", "web", ts.id(), 50);
        assertThat(describe(ts).scale().value()).isEqualTo(50.0);
        sim.ecs().dropTaskSet("demo", "web", ts.taskSetArn());
        assertThat(ecs.describeServices(r -> r.cluster("demo").services("web")).services().get(0).taskSets()).isEmpty();
    }

    /** The ECS events routed to the queue since the last call, as JSON, receiving (and deleting) until it is empty. */
    List<com.fasterxml.jackson.databind.JsonNode> events(String queueUrl) throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<com.fasterxml.jackson.databind.JsonNode> out = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            var got = sim.sqs().receive(queueUrl, 10, null, 0);
            if (got.isEmpty()) return out;
            for (var m : got) {
                out.add(json.readTree(m.body()));
                sim.sqs().delete(queueUrl, m.receiptHandle());
            }
        }
        throw new AssertionError("the queue never emptied");
    }

    /** The events of a new service with one task set of the image, {@code after} its creation. */
    List<com.fasterxml.jackson.databind.JsonNode> eventsOfATaskSet(String image, int desired, Duration after, String queue) throws Exception {
        externalService(desired);
        taskSet(register(image), blueTg, "t");
        sim.clock().advance(after);
        ecs.describeServices(r -> r.cluster("demo").services("web"));
        return events(queue);
    }

    static List<String> serviceActions(List<com.fasterxml.jackson.databind.JsonNode> events) {
        return events.stream().filter(e -> e.path("detail-type").asText().equals("ECS Service Action"))
                .map(e -> e.path("detail").path("eventName").asText()).toList();
    }

    @Test
    void aServiceWhoseTaskSetBecomesSteadySendsTaskSetAndServiceSteadyStateOnceAndNoDeploymentEvents() throws Exception {
        String queue = sim.events().routeTo("eu-west-1", "events");
        var events = eventsOfATaskSet("web:1", 2, Duration.ofMinutes(2), queue);
        assertThat(serviceActions(events)).containsExactly("TASKSET_STEADY_STATE", "SERVICE_STEADY_STATE");
        var steady = events.stream().filter(e -> e.path("detail").path("eventName").asText().equals("SERVICE_STEADY_STATE"))
                .findFirst().orElseThrow();
        assertThat(steady.path("source").asText()).isEqualTo("aws.ecs");
        assertThat(steady.path("resources").get(0).asText()).isEqualTo("arn:aws:ecs:eu-west-1:000000000000:service/demo/web");
        assertThat(steady.path("detail").path("eventType").asText()).isEqualTo("INFO");
        assertThat(steady.path("detail").path("clusterArn").asText()).isEqualTo("arn:aws:ecs:eu-west-1:000000000000:cluster/demo");
        assertThat(steady.path("detail").has("taskSetArns")).as("a service event, not a task set's").isFalse();
        assertThat(events).extracting(e -> e.path("detail-type").asText())
                .as("no ECS Deployment State Change for the EXTERNAL controller (strictest reading)")
                .containsOnly("ECS Task State Change", "ECS Service Action");

        sim.clock().advance(Duration.ofMinutes(10));
        ecs.describeServices(r -> r.cluster("demo").services("web"));
        assertThat(serviceActions(events(queue))).as("sent on the change only, not repeated").isEmpty();
    }

    @Test
    void aServiceWhoseTasksKeepCrashingBeforeTheyAreHealthySendsOneTaskStartImpairedWarning() throws Exception {
        // Health checks every 5 s, healthy after 2: a task that crashes after a second never becomes healthy.
        sim.imageBehaviours().set("web:crash", ImageBehaviour.crashesAfter(Duration.ofSeconds(1)));
        var events = eventsOfATaskSet("web:crash", 1, Duration.ofMinutes(10), sim.events().routeTo("eu-west-1", "events"));
        assertThat(serviceActions(events)).containsExactly("SERVICE_TASK_START_IMPAIRED");
        var impaired = events.stream().filter(e -> e.path("detail-type").asText().equals("ECS Service Action")).findFirst().orElseThrow();
        assertThat(impaired.path("resources").get(0).asText()).isEqualTo("arn:aws:ecs:eu-west-1:000000000000:service/demo/web");
        assertThat(impaired.path("detail").path("eventType").asText()).isEqualTo("WARN");
        assertThat(events.stream().filter(e -> e.path("detail").path("lastStatus").asText().equals("STOPPED")).count())
                .as("many crashes, one warning").isGreaterThan(EcsStore.START_FAILURES_IMPAIRED);
    }
}

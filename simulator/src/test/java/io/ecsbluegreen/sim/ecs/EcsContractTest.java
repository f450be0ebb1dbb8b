package io.ecsbluegreen.sim.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.SimClients;
import io.ecsbluegreen.sim.elb.Action;
import io.ecsbluegreen.sim.elb.HealthCheck;
import io.ecsbluegreen.sim.elb.TargetStatus;
import io.ecsbluegreen.sim.spi.TargetHealthState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.CreateTaskSetRequest;
import software.amazon.awssdk.services.ecs.model.DeploymentControllerType;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskSet;
import software.amazon.awssdk.services.ecs.model.TaskSetField;

/**
 * ECS behaviour AWS documents beyond the service model: which resources TagResource takes, the tag
 * rules, client tokens that outlive what they created, and task sets that drain before they go.
 */
class EcsContractTest {

    static final String SUBNET = "subnet-0a1b2c3d4e5f60718";

    AwsSimulator sim;
    EcsClient ecs;
    String tg;
    String td;

    @BeforeEach
    void start() {
        sim = AwsSimulator.start();
        ecs = SimClients.ecsWithoutRetries(sim);
        String lb = sim.elb().createLoadBalancer("us-east-1", "shop", null).arn();
        tg = sim.elb().createTargetGroup("us-east-1", "shop-a", null, "HTTP", 80, "ip",
                new HealthCheck("HTTP", "traffic-port", true, "/", 5, 2, 2, 2, "200")).arn();
        sim.elb().createListener(lb, null, 80, Action.forward(tg));
        ecs.createCluster(r -> r.clusterName("prod"));
        td = ecs.registerTaskDefinition(r -> r.family("shop").networkMode("awsvpc")
                .containerDefinitions(c -> c.name("shop").image("shop:1"))).taskDefinition().taskDefinitionArn();
        ecs.createService(r -> r.cluster("prod").serviceName("shop").desiredCount(2)
                .deploymentController(d -> d.type(DeploymentControllerType.EXTERNAL)));
    }

    @AfterEach
    void stop() {
        ecs.close();
        sim.close();
    }

    CreateTaskSetRequest.Builder taskSetRequest(String token) {
        return CreateTaskSetRequest.builder().cluster("prod").service("shop").taskDefinition(td).clientToken(token)
                .networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets(SUBNET)))
                .loadBalancers(l -> l.targetGroupArn(tg).containerName("shop").containerPort(80));
    }

    TaskSet createTaskSet(String token) {
        return ecs.createTaskSet(taskSetRequest(token).build()).taskSet();
    }

    List<TaskSet> taskSets() {
        return ecs.describeTaskSets(r -> r.cluster("prod").service("shop").include(TaskSetField.TAGS)).taskSets();
    }

    void deleteTaskSet(TaskSet ts) {
        ecs.deleteTaskSet(r -> r.cluster("prod").service("shop").taskSet(ts.taskSetArn()).force(true));
    }

    static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    // ---- tags -------------------------------------------------------------------------------------

    @Test
    void aTaskSetTakesTagsOnlyWhenItIsCreated() {
        TaskSet ts = ecs.createTaskSet(taskSetRequest("t").tags(tag("team", "shop")).build()).taskSet();
        assertThat(taskSets().get(0).tags()).containsExactly(tag("team", "shop"));
        assertThatThrownBy(() -> ecs.tagResource(r -> r.resourceArn(ts.taskSetArn()).tags(tag("step", "1"))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("not supported");
        assertThatThrownBy(() -> ecs.untagResource(r -> r.resourceArn(ts.taskSetArn()).tagKeys("team")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.listTagsForResource(r -> r.resourceArn(ts.taskSetArn())))
                .isInstanceOf(InvalidParameterException.class);
        assertThat(taskSets().get(0).tags()).as("unchanged").containsExactly(tag("team", "shop"));
    }

    @Test
    void tagKeysWithTheAwsPrefixAreReservedInAnyCase() {
        String service = "arn:aws:ecs:us-east-1:000000000000:service/prod/shop";
        for (String key : List.of("aws:owner", "AWS:owner", "Aws:owner")) {
            assertThatThrownBy(() -> ecs.tagResource(r -> r.resourceArn(service).tags(tag(key, "x"))))
                    .as(key).isInstanceOf(InvalidParameterException.class).hasMessageContaining("reserved");
        }
        assertThatThrownBy(() -> ecs.untagResource(r -> r.resourceArn(service).tagKeys("aws:owner")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.createService(r -> r.cluster("prod").serviceName("other").tags(tag("aws:x", "y"))
                .deploymentController(d -> d.type(DeploymentControllerType.EXTERNAL))))
                .isInstanceOf(InvalidParameterException.class);
        ecs.tagResource(r -> r.resourceArn(service).tags(tag("owner:aws", "fine")));
        assertThat(ecs.listTagsForResource(r -> r.resourceArn(service)).tags()).containsExactly(tag("owner:aws", "fine"));
    }

    @Test
    void theFiftyTagLimitCountsTheTagsAResourceAlreadyHas() {
        String service = "arn:aws:ecs:us-east-1:000000000000:service/prod/shop";
        ecs.tagResource(r -> r.resourceArn(service).tags(IntStream.range(0, 49).mapToObj(i -> tag("k" + i, "v")).toList()));
        assertThatThrownBy(() -> ecs.tagResource(r -> r.resourceArn(service).tags(tag("new1", "v"), tag("new2", "v"))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("50 tags");
        ecs.tagResource(r -> r.resourceArn(service).tags(tag("k0", "changed"), tag("new1", "v")));
        assertThat(ecs.listTagsForResource(r -> r.resourceArn(service)).tags()).hasSize(50).contains(tag("k0", "changed"));
    }

    @Test
    void aServiceIsTaggedOnlyByItsLongArn() {
        assertThatThrownBy(() -> ecs.tagResource(r -> r.resourceArn("arn:aws:ecs:us-east-1:000000000000:service/shop")
                .tags(tag("a", "b")))).isInstanceOf(InvalidParameterException.class);
    }

    // ---- client tokens ----------------------------------------------------------------------------

    @Test
    void aRepeatedTaskSetTokenAnswersTheOriginalTaskSetEvenAfterItIsGone() {
        TaskSet first = createTaskSet("rollout-7");
        assertThat(createTaskSet("rollout-7").id()).isEqualTo(first.id());
        deleteTaskSet(first);
        sim.clock().advance(Duration.ofMinutes(10));
        assertThat(taskSets()).isEmpty();

        TaskSet retried = createTaskSet("rollout-7");
        assertThat(retried.id()).isEqualTo(first.id());
        assertThat(taskSets()).as("a retry creates nothing").isEmpty();
        sim.clock().advance(Duration.ofDays(3));
        assertThat(createTaskSet("rollout-7").id()).as("tokens are never forgotten").isEqualTo(first.id());
    }

    @Test
    void aTaskSetTokenReusedWithOtherParametersIsRefused() {
        createTaskSet("rollout-7");
        assertThatThrownBy(() -> ecs.createTaskSet(taskSetRequest("rollout-7").externalId("other").build()))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("rollout-7");
        assertThatThrownBy(() -> ecs.createService(r -> r.cluster("prod").serviceName("other").clientToken("rollout-7")
                .deploymentController(d -> d.type(DeploymentControllerType.EXTERNAL))))
                .as("a token belongs to one action").isInstanceOf(InvalidParameterException.class);
        assertThat(taskSets()).hasSize(1);
    }

    @Test
    void aRepeatedServiceTokenAnswersTheOriginalServiceAndCreatesNothingAfterItsDeletion() {
        Service created = ecs.createService(r -> r.cluster("prod").serviceName("api").clientToken("svc-1")
                .deploymentController(d -> d.type(DeploymentControllerType.EXTERNAL))).service();
        ecs.deleteService(r -> r.cluster("prod").service("api"));
        Service retried = ecs.createService(r -> r.cluster("prod").serviceName("api").clientToken("svc-1")
                .deploymentController(d -> d.type(DeploymentControllerType.EXTERNAL))).service();
        assertThat(retried.serviceArn()).isEqualTo(created.serviceArn());
        assertThat(retried.status()).as("the original, now deleted").isEqualTo("INACTIVE");
        assertThatThrownBy(() -> ecs.createService(r -> r.cluster("prod").serviceName("api").clientToken("svc-1")
                .desiredCount(3).deploymentController(d -> d.type(DeploymentControllerType.EXTERNAL))))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void createTokensAreAtMostThirtySixPrintableAsciiCharacters() {
        assertThat(createTaskSet("x".repeat(36)).id()).isNotNull();
        assertThatThrownBy(() -> createTaskSet("x".repeat(37))).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> createTaskSet("with space")).isInstanceOf(InvalidParameterException.class);
    }

    // ---- draining ---------------------------------------------------------------------------------

    @Test
    void aDeletedTaskSetDrainsForTheTargetGroupsDeregistrationDelayThenDisappears() {
        TaskSet ts = createTaskSet("t");
        sim.clock().advance(Duration.ofSeconds(30));
        assertThat(taskSets().get(0).runningCount()).isEqualTo(2);
        assertThat(sim.elb().targetHealth(tg)).extracting(TargetStatus::state).containsOnly(TargetHealthState.HEALTHY).hasSize(2);
        sim.elb().modifyTargetGroupAttributes(tg, Map.of("deregistration_delay.timeout_seconds", "120"));

        deleteTaskSet(ts);
        assertThat(taskSets()).extracting(TaskSet::status).containsExactly("DRAINING");
        assertThat(taskSets().get(0).runningCount()).isZero();
        assertThat(sim.elb().targetHealth(tg)).extracting(TargetStatus::state).containsOnly(TargetHealthState.DRAINING).hasSize(2);
        sim.clock().advance(Duration.ofSeconds(119));
        assertThat(taskSets()).extracting(TaskSet::status).containsExactly("DRAINING");
        sim.clock().advance(Duration.ofSeconds(1));
        assertThat(taskSets()).isEmpty();
        assertThat(sim.elb().targetHealth(tg)).isEmpty();
    }

    @Test
    void aDrainingTaskSetCountsTowardTheLimitAndCannotBeChangedOrDeletedAgain() {
        TaskSet draining = createTaskSet("t0");
        deleteTaskSet(draining);
        for (int i = 1; i < 5; i++) createTaskSet("t" + i);
        assertThatThrownBy(() -> createTaskSet("t5")).isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("5 deployments exist");
        assertThatThrownBy(() -> deleteTaskSet(draining)).isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("DRAINING");
        assertThatThrownBy(() -> ecs.updateTaskSet(r -> r.cluster("prod").service("shop").taskSet(draining.taskSetArn())
                .scale(s -> s.value(50.0).unit("PERCENT")))).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.updateServicePrimaryTaskSet(r -> r.cluster("prod").service("shop")
                .primaryTaskSet(draining.taskSetArn()))).isInstanceOf(InvalidParameterException.class);
        sim.clock().advance(Duration.ofSeconds(300));
        assertThat(createTaskSet("t5").id()).as("room once it has drained").isNotNull();
    }
}

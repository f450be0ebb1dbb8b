package io.ecsbluegreen.sim.backends;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DeploymentControllerType;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.ScaleUnit;
import software.amazon.awssdk.services.ecs.model.TaskSet;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

/**
 * The ECS and ELBv2 calls a blue/green operator makes, in order, written once against the wire APIs
 * only (no waiting on simulated time), so the same body runs against the simulator everywhere and
 * against LocalStack where Docker and a LocalStack token exist.
 */
public abstract class EcsElbScenarios {

    protected abstract Backend backend();

    @Test
    void theBlueGreenControlPlaneCallsSucceedInOrder() {
        Backend b = backend();
        String suffix = Long.toHexString(System.nanoTime() & 0xffffff);
        try (EcsClient ecs = b.ecs(); ElasticLoadBalancingV2Client elb = b.elb()) {
            String cluster = "bg-" + suffix;
            ecs.createCluster(r -> r.clusterName(cluster));
            String vpc = "vpc-0123456789abcdef0";
            String blueTg = elb.createTargetGroup(r -> r.name("blue-" + suffix).protocol("HTTP").port(8080).targetType("ip").vpcId(vpc))
                    .targetGroups().get(0).targetGroupArn();
            String greenTg = elb.createTargetGroup(r -> r.name("green-" + suffix).protocol("HTTP").port(8080).targetType("ip").vpcId(vpc))
                    .targetGroups().get(0).targetGroupArn();
            String lb = elb.createLoadBalancer(r -> r.name("lb-" + suffix).subnets("subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"))
                    .loadBalancers().get(0).loadBalancerArn();
            String listener = elb.createListener(r -> r.loadBalancerArn(lb).protocol("HTTP").port(18000 + (int) (System.nanoTime() % 1000))
                    .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).forwardConfig(f -> f.targetGroups(
                            TargetGroupTuple.builder().targetGroupArn(blueTg).weight(100).build(),
                            TargetGroupTuple.builder().targetGroupArn(greenTg).weight(0).build()))))
                    .listeners().get(0).listenerArn();

            String td = ecs.registerTaskDefinition(r -> r.family("web-" + suffix).networkMode(NetworkMode.AWSVPC).cpu("256").memory("512")
                    .requiresCompatibilitiesWithStrings("FARGATE")
                    .containerDefinitions(c -> c.name("web").image("nginx:1.27").portMappings(p -> p.containerPort(8080))))
                    .taskDefinition().taskDefinitionArn();
            ecs.createService(r -> r.cluster(cluster).serviceName("web").desiredCount(1)
                    .deploymentController(d -> d.type(DeploymentControllerType.EXTERNAL)));
            TaskSet blue = taskSet(ecs, cluster, td, blueTg, "r-blue");
            ecs.updateServicePrimaryTaskSet(r -> r.cluster(cluster).service("web").primaryTaskSet(blue.taskSetArn()));
            TaskSet green = taskSet(ecs, cluster, td, greenTg, "r-green");

            elb.modifyListener(r -> r.listenerArn(listener).defaultActions(a -> a.type(ActionTypeEnum.FORWARD).forwardConfig(f -> f.targetGroups(
                    TargetGroupTuple.builder().targetGroupArn(blueTg).weight(90).build(),
                    TargetGroupTuple.builder().targetGroupArn(greenTg).weight(10).build()))));
            var weights = elb.describeListeners(r -> r.listenerArns(listener)).listeners().get(0).defaultActions().get(0)
                    .forwardConfig().targetGroups();
            assertThat(weights).extracting(TargetGroupTuple::weight).containsExactlyInAnyOrder(90, 10);

            ecs.updateServicePrimaryTaskSet(r -> r.cluster(cluster).service("web").primaryTaskSet(green.taskSetArn()));
            ecs.deleteTaskSet(r -> r.cluster(cluster).service("web").taskSet(blue.taskSetArn()).force(true));
            // As in ECS, a deleted task set may stay visible as DRAINING while its targets deregister.
            List<TaskSet> left = ecs.describeServices(r -> r.cluster(cluster).services("web")).services().get(0).taskSets()
                    .stream().filter(ts -> !"DRAINING".equals(ts.status())).toList();
            assertThat(left).extracting(TaskSet::externalId).containsExactly("r-green");
            assertThat(left.get(0).status()).isEqualTo("PRIMARY");
        }
    }

    private static TaskSet taskSet(EcsClient ecs, String cluster, String td, String tg, String externalId) {
        return ecs.createTaskSet(r -> r.cluster(cluster).service("web").taskDefinition(td).externalId(externalId).launchType("FARGATE")
                .networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets("subnet-0a1b2c3d4e5f60718")))
                .loadBalancers(l -> l.targetGroupArn(tg).containerName("web").containerPort(8080))
                .scale(s -> s.value(100.0).unit(ScaleUnit.PERCENT))).taskSet();
    }
}

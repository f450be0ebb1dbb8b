package io.ecsbluegreen.conformance;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.CreateTaskSetRequest;
import software.amazon.awssdk.services.ecs.model.DeploymentControllerType;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.ScaleUnit;
import software.amazon.awssdk.services.ecs.model.TaskSet;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerSchemeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * The throw-away resources of one run, all named {@code bgconf-<8 hex>} and tagged {@value #RUN_TAG}: an ECS
 * cluster (Fargate, with a default capacity provider strategy), an internal ALB with three HTTP listeners,
 * four ip target groups and an EXTERNAL probe service with its task definition. The rollout's own service
 * is made by the operator in the same cluster. {@link #close()} deletes everything with the run's name
 * prefix, whatever made it, and is called even when making the fixture failed half-way.
 */
final class Fixture implements AutoCloseable {
    /** Every name of every run starts with this; {@code Leftovers} deletes by it. */
    static final String PREFIX = "bgconf-";
    static final String RUN_TAG = "bgconf-run";
    /** Short, so that a deleted task set's targets (and the task set) drain within a minute. */
    static final Duration DEREGISTRATION_DELAY = Duration.ofSeconds(30);
    static final String CONTAINER = "web";

    final Account account;
    final String name;
    String clusterArn;
    String loadBalancerArn;
    /** Forwards to blue (weight 1) and green (weight 0): both attached, as a task set needs. */
    String productionListener;
    String testListener;
    /** Forwards to {@link #probeGroup} only: the probe service's checks leave the rollout's listeners alone. */
    String probeListener;
    String blueGroup;
    String greenGroup;
    String probeGroup;
    /** Attached to no listener. */
    String looseGroup;
    String probeTaskDefinition;
    String probeService;

    private Fixture(Account account, String name) {
        this.account = account;
        this.name = name;
    }

    /** A fresh unique run name: {@code bgconf-} and 8 random hex digits. */
    static String newRunName() {
        return PREFIX + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    static Fixture create(Account account) {
        Fixture fixture = new Fixture(account, newRunName());
        try {
            fixture.make();
            return fixture;
        } catch (RuntimeException | Error e) {
            try {
                fixture.close();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private void make() {
        var ecs = account.ecs();
        var elb = account.elb();
        Account.Network net = account.network();
        clusterArn = ecs.createCluster(r -> r.clusterName(name).capacityProviders("FARGATE", "FARGATE_SPOT")
                .defaultCapacityProviderStrategy(s -> s.capacityProvider("FARGATE").weight(1)).tags(ecsTags())).cluster().clusterArn();
        probeTaskDefinition = registerTaskDefinition(name + "-probe", account.healthyImage());
        loadBalancerArn = elb.createLoadBalancer(r -> r.name(name).type(LoadBalancerTypeEnum.APPLICATION)
                .scheme(LoadBalancerSchemeEnum.INTERNAL).subnets(net.subnets()).securityGroups(net.securityGroups())
                .tags(elbTags())).loadBalancers().get(0).loadBalancerArn();
        blueGroup = targetGroup(name + "-blue");
        greenGroup = targetGroup(name + "-green");
        probeGroup = targetGroup(name + "-probe");
        looseGroup = targetGroup(name + "-loose");
        productionListener = listener(80, List.of(tuple(blueGroup, 1), tuple(greenGroup, 0)));
        testListener = listener(8080, List.of(tuple(blueGroup, 1), tuple(greenGroup, 0)));
        probeListener = listener(8081, List.of(tuple(probeGroup, 1)));
        probeService = name + "-probe";
        ecs.createService(r -> r.cluster(name).serviceName(probeService).desiredCount(1)
                .deploymentController(c -> c.type(DeploymentControllerType.EXTERNAL))
                .clientToken(UUID.randomUUID().toString()).tags(ecsTags()));
    }

    String registerTaskDefinition(String family, String image) {
        return account.ecs().registerTaskDefinition(r -> r.family(family).networkMode(NetworkMode.AWSVPC)
                .requiresCompatibilitiesWithStrings("FARGATE").cpu("256").memory("512").tags(ecsTags())
                .containerDefinitions(c -> c.name(CONTAINER).image(image).essential(true)
                        .portMappings(p -> p.containerPort(Account.PORT))))
                .taskDefinition().taskDefinitionArn();
    }

    private String targetGroup(String groupName) {
        var elb = account.elb();
        String arn = elb.createTargetGroup(r -> r.name(groupName).protocol(ProtocolEnum.HTTP).port(Account.PORT)
                .vpcId(account.network().vpcId()).targetType(TargetTypeEnum.IP).healthCheckPath("/")
                .healthCheckIntervalSeconds(5).healthCheckTimeoutSeconds(2).healthyThresholdCount(2).unhealthyThresholdCount(2)
                .tags(elbTags())).targetGroups().get(0).targetGroupArn();
        elb.modifyTargetGroupAttributes(r -> r.targetGroupArn(arn).attributes(a -> a.key("deregistration_delay.timeout_seconds")
                .value(Long.toString(DEREGISTRATION_DELAY.toSeconds()))));
        return arn;
    }

    private String listener(int port, List<TargetGroupTuple> forward) {
        return account.elb().createListener(r -> r.loadBalancerArn(loadBalancerArn).protocol(ProtocolEnum.HTTP).port(port)
                .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).forwardConfig(f -> f.targetGroups(forward)))
                .tags(elbTags())).listeners().get(0).listenerArn();
    }

    static TargetGroupTuple tuple(String arn, int weight) {
        return TargetGroupTuple.builder().targetGroupArn(arn).weight(weight).build();
    }

    List<software.amazon.awssdk.services.ecs.model.Tag> ecsTags() {
        return List.of(software.amazon.awssdk.services.ecs.model.Tag.builder().key(RUN_TAG).value(name).build());
    }

    List<software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag> elbTags() {
        return List.of(software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag.builder().key(RUN_TAG).value(name).build());
    }

    /** The run's tag as a map, to compare with what a resource reports. */
    Map<String, String> runTag() {
        return Map.of(RUN_TAG, name);
    }

    /**
     * A task set of the probe service on the probe target group: Fargate, awsvpc, no tasks (scale 0%)
     * unless {@code edit} says otherwise.
     */
    TaskSet probeTaskSet(Consumer<CreateTaskSetRequest.Builder> edit) {
        Account.Network net = account.network();
        CreateTaskSetRequest.Builder request = CreateTaskSetRequest.builder().cluster(name).service(probeService)
                .taskDefinition(probeTaskDefinition).launchType(LaunchType.FARGATE)
                .networkConfiguration(n -> n.awsvpcConfiguration(v -> v.subnets(net.subnets()).securityGroups(net.securityGroups())
                        .assignPublicIp(net.assignPublicIp() ? AssignPublicIp.ENABLED : AssignPublicIp.DISABLED)))
                .loadBalancers(l -> l.targetGroupArn(probeGroup).containerName(CONTAINER).containerPort(Account.PORT))
                .scale(s -> s.unit(ScaleUnit.PERCENT).value(0.0));
        edit.accept(request);
        return account.ecs().createTaskSet(request.build()).taskSet();
    }

    /** The probe service's task sets as DescribeServices reports them (DRAINING ones included). */
    List<TaskSet> probeTaskSets() {
        return account.ecs().describeServices(r -> r.cluster(name).services(probeService)).services().get(0).taskSets();
    }

    /** Deletes every task set of the probe service, so that each check starts from none. */
    void clearProbeTaskSets() {
        for (TaskSet t : probeTaskSets()) {
            if (!"DRAINING".equals(t.status())) {
                account.ecs().deleteTaskSet(r -> r.cluster(name).service(probeService).taskSet(t.taskSetArn()).force(true));
            }
        }
        account.waitFor("the probe service's task sets drained", Duration.ofMinutes(10), Duration.ofSeconds(5),
                () -> probeTaskSets().isEmpty());
    }

    @Override
    public void close() {
        Leftovers.delete(account, name);
    }
}

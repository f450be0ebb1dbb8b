package io.ecsbluegreen.aws;

import io.ecsbluegreen.plan.TaskPlacement;
import io.ecsbluegreen.model.BlueGreenServiceSpec;
import io.ecsbluegreen.observed.Observed;
import io.ecsbluegreen.plan.Revision;
import io.ecsbluegreen.plan.Tags;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.CreateTaskSetRequest;
import software.amazon.awssdk.services.ecs.model.DeploymentController;
import software.amazon.awssdk.services.ecs.model.DeploymentControllerType;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;
import software.amazon.awssdk.services.ecs.model.Scale;
import software.amazon.awssdk.services.ecs.model.ScaleUnit;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.SortOrder;
import software.amazon.awssdk.services.ecs.model.StabilityStatus;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.TaskSet;
import software.amazon.awssdk.services.ecs.model.TaskSetField;

/** {@link EcsPort} over the SDK v2 client, with the immutable lookups (task definition per revision) cached. */
public final class SdkEcsPort implements EcsPort {
    static final int DESCRIBE_SERVICES_BATCH = 10;
    /** How far back in a family's history a revision's task definition is looked for. */
    static final int TASK_DEFINITION_LOOKBACK = 20;

    private final EcsClient ecs;
    private final Map<String, String> taskDefinitionByRevision = new ConcurrentHashMap<>();
    private final java.util.Set<String> describedTaskDefinitions = ConcurrentHashMap.newKeySet();
    /** The container images of each task definition read: immutable, so each is described at most once. */
    private final Map<String, List<String>> imagesByTaskDefinition = new ConcurrentHashMap<>();

    private final ClusterDefaults clusterDefaults;

    public SdkEcsPort(EcsClient ecs) {
        this(ecs, java.time.Clock.systemUTC());
    }

    /** @param clock when the cached default capacity provider strategies of clusters are read again */
    public SdkEcsPort(EcsClient ecs, java.time.Clock clock) {
        this.ecs = ecs;
        this.clusterDefaults = new ClusterDefaults(ecs, clock);
    }

    @Override
    public Map<String, ServiceView> describeServices(String cluster, Collection<String> names) {
        List<String> all = new ArrayList<>(new LinkedHashSet<>(names));
        Map<String, ServiceView> out = new HashMap<>();
        for (int i = 0; i < all.size(); i += DESCRIBE_SERVICES_BATCH) {
            List<String> batch = all.subList(i, Math.min(all.size(), i + DESCRIBE_SERVICES_BATCH));
            for (Service s : ecs.describeServices(r -> r.cluster(cluster).services(batch).include(ServiceField.TAGS)).services()) {
                out.put(s.serviceName(), view(s));
            }
        }
        return out;
    }

    static ServiceView view(Service s) {
        String controller = s.deploymentController() == null ? "ECS" : s.deploymentController().typeAsString();
        Observed.EcsService service = new Observed.EcsService(s.serviceArn(), s.status(), controller,
                s.desiredCount() == null ? 0 : s.desiredCount(), tags(s.tags()), s.createdAt());
        List<Observed.TaskSet> taskSets = s.hasTaskSets() ? s.taskSets().stream().map(SdkEcsPort::taskSet).toList() : List.of();
        return new ServiceView(service, taskSets);
    }

    static Observed.TaskSet taskSet(TaskSet t) {
        String tg = t.hasLoadBalancers() && !t.loadBalancers().isEmpty() ? t.loadBalancers().get(0).targetGroupArn() : null;
        Observed.TaskSetStatus status = switch (t.status()) {
            case "PRIMARY" -> Observed.TaskSetStatus.PRIMARY;
            case "DRAINING" -> Observed.TaskSetStatus.DRAINING;
            default -> Observed.TaskSetStatus.ACTIVE;
        };
        return new Observed.TaskSet(t.id(), t.taskSetArn(), Revision.isRevisionId(t.externalId()) ? t.externalId() : null,
                status, t.scale() == null || t.scale().value() == null ? 100 : t.scale().value(),
                orZero(t.computedDesiredCount()), orZero(t.runningCount()), orZero(t.pendingCount()),
                t.stabilityStatus() == StabilityStatus.STEADY_STATE,
                t.createdAt() == null ? Instant.EPOCH : t.createdAt(), tg, tags(t.tags()), t.taskDefinition());
    }

    private static int orZero(Integer i) {
        return i == null ? 0 : i;
    }

    private static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> out = new HashMap<>();
        if (tags != null) tags.forEach(t -> out.put(t.key(), t.value()));
        return out;
    }

    private static List<Tag> toTags(Map<String, String> tags) {
        // Users' tags too: every value the operator sends must match AWS's documented pattern.
        return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(Tags.value(e.getValue())).build()).toList();
    }

    @Override
    public Map<String, Map<String, String>> taskSetTags(String cluster, String service, Collection<String> taskSetArns) {
        Map<String, Map<String, String>> out = new HashMap<>();
        if (taskSetArns.isEmpty()) return out;
        ecs.describeTaskSets(r -> r.cluster(cluster).service(service).taskSets(taskSetArns).include(TaskSetField.TAGS))
                .taskSets().forEach(t -> out.put(t.taskSetArn(), tags(t.tags())));
        return out;
    }

    @Override
    public String createService(BlueGreenServiceSpec spec, Map<String, String> tags, String clientToken) {
        Map<String, String> all = new HashMap<>(spec.tags());
        all.putAll(tags);
        return ecs.createService(r -> r.cluster(spec.cluster()).serviceName(spec.service())
                        .desiredCount(spec.initialDesiredCount())
                        .deploymentController(DeploymentController.builder().type(DeploymentControllerType.EXTERNAL).build())
                        .tags(toTags(all))
                        .clientToken(clientToken))
                .service().serviceArn();
    }

    @Override
    public void updateDesiredCount(String cluster, String service, int desiredCount) {
        ecs.updateService(r -> r.cluster(cluster).service(service).desiredCount(desiredCount));
    }

    @Override
    public List<String> containerImages(String taskDefinitionArn) {
        List<String> known = imagesByTaskDefinition.get(taskDefinitionArn);
        if (known != null) return known;
        var described = ecs.describeTaskDefinition(r -> r.taskDefinition(taskDefinitionArn));
        return remember(taskDefinitionArn, described.taskDefinition());
    }

    private List<String> remember(String arn, software.amazon.awssdk.services.ecs.model.TaskDefinition definition) {
        List<String> images = definition == null || !definition.hasContainerDefinitions() ? List.of()
                : definition.containerDefinitions().stream().map(c -> c.image()).filter(java.util.Objects::nonNull).toList();
        imagesByTaskDefinition.put(arn, images);
        return images;
    }

    @Override
    public Optional<String> findTaskDefinition(String family, Revision revision) {
        String key = family + "@" + revision.id();
        String cached = taskDefinitionByRevision.get(key);
        if (cached != null) return Optional.of(cached);
        List<String> arns = ecs.listTaskDefinitions(r -> r.familyPrefix(family).sort(SortOrder.DESC)
                .maxResults(TASK_DEFINITION_LOOKBACK)).taskDefinitionArns();
        for (String arn : arns) {
            if (!arn.substring(arn.lastIndexOf('/') + 1).startsWith(family + ":")) continue; // prefix match of another family
            // A task definition revision never changes: each is described once, whatever revision it carries.
            if (!describedTaskDefinitions.add(arn)) continue;
            var described = ecs.describeTaskDefinition(r -> r.taskDefinition(arn).include(TaskDefinitionField.TAGS));
            remember(arn, described.taskDefinition());
            String rev = tags(described.tags()).get(Tags.REVISION);
            if (rev != null) taskDefinitionByRevision.put(family + "@" + rev, arn);
            if (revision.id().equals(rev)) return Optional.of(arn);
        }
        return Optional.empty();
    }

    @Override
    public String registerTaskDefinition(BlueGreenServiceSpec spec, Revision revision, Map<String, String> tags) {
        Map<String, String> all = new HashMap<>(spec.tags());
        all.putAll(tags);
        all.put(Tags.REVISION, revision.id());
        // Only a spec that names neither a launch type nor a strategy needs the cluster's default strategy.
        boolean clusterFargate = TaskDefinitions.usesClusterDefault(spec) && clusterDefaults.fargate(spec.cluster());
        String arn = ecs.registerTaskDefinition(TaskDefinitions.request(spec, all, clusterFargate)).taskDefinition().taskDefinitionArn();
        taskDefinitionByRevision.put(spec.taskDefinition().family() + "@" + revision.id(), arn);
        return arn;
    }

    @Override
    public String createTaskSet(BlueGreenServiceSpec spec, Revision revision, String taskDefinitionArn, String targetGroupArn,
                                Map<String, String> tags, String clientToken) {
        Map<String, String> all = new HashMap<>(spec.tags());
        all.putAll(tags);
        all.put(Tags.REVISION, revision.id());
        CreateTaskSetRequest.Builder b = CreateTaskSetRequest.builder()
                .cluster(spec.cluster()).service(spec.service())
                .externalId(revision.id())
                .taskDefinition(taskDefinitionArn)
                .loadBalancers(LoadBalancer.builder().targetGroupArn(targetGroupArn)
                        .containerName(spec.traffic().containerName()).containerPort(spec.traffic().containerPort()).build())
                .scale(Scale.builder().value(100.0).unit(ScaleUnit.PERCENT).build())
                // The planner's token names this one creation: a retried create after a lost response
                // returns it instead of making a second one, and the next creation gets another.
                .clientToken(clientToken)
                .tags(toTags(all));
        Placements.apply(TaskPlacement.of(spec), b);
        var created = ecs.createTaskSet(b.build()).taskSet();
        // A known token is answered with its task set as it is now, or, once that is gone, as it was: only a
        // look at the service tells a live task set from one deleted out of band since.
        boolean live = !"DRAINING".equals(created.status()) && ecs.describeTaskSets(r -> r.cluster(spec.cluster())
                .service(spec.service()).taskSets(created.taskSetArn())).taskSets().stream()
                .anyMatch(t -> !"DRAINING".equals(t.status()));
        if (!live) throw new SpentClientTokenException(clientToken, created.taskSetArn());
        return created.taskSetArn();
    }

    @Override
    public void updateTaskSetScale(String cluster, String service, String taskSetArn, double percent) {
        ecs.updateTaskSet(r -> r.cluster(cluster).service(service).taskSet(taskSetArn)
                .scale(Scale.builder().value(percent).unit(ScaleUnit.PERCENT).build()));
    }

    @Override
    public void updatePrimaryTaskSet(String cluster, String service, String taskSetArn) {
        ecs.updateServicePrimaryTaskSet(r -> r.cluster(cluster).service(service).primaryTaskSet(taskSetArn));
    }

    @Override
    public void deleteTaskSet(String cluster, String service, String taskSetArn) {
        ecs.deleteTaskSet(r -> r.cluster(cluster).service(service).taskSet(taskSetArn).force(true));
    }

    @Override
    public void tag(String arn, Map<String, String> tags) {
        ecs.tagResource(r -> r.resourceArn(arn).tags(toTags(tags)));
    }

    @Override
    public void untag(String arn, List<String> keys) {
        ecs.untagResource(r -> r.resourceArn(arn).tagKeys(keys));
    }
}

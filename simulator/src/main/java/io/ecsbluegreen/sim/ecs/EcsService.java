package io.ecsbluegreen.sim.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbluegreen.sim.ecs.EcsStore.Cluster;
import io.ecsbluegreen.sim.ecs.EcsStore.Service;
import io.ecsbluegreen.sim.ecs.EcsStore.Task;
import io.ecsbluegreen.sim.ecs.EcsStore.TaskDef;
import io.ecsbluegreen.sim.ecs.EcsStore.TaskSet;
import io.ecsbluegreen.sim.protocol.AwsErrorException;
import io.ecsbluegreen.sim.protocol.CredentialScope;
import io.ecsbluegreen.sim.protocol.Protocol;
import io.ecsbluegreen.sim.protocol.ServiceHandler;
import io.ecsbluegreen.sim.protocol.SimRequest;
import io.ecsbluegreen.sim.protocol.SimResponse;
import io.ecsbluegreen.sim.spi.TargetGroups;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Amazon ECS over JSON 1.1 ({@code X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Action>}). */
public final class EcsService implements ServiceHandler {
    static final String TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113.";
    static final Set<String> ACTIONS = Set.of("CreateCluster", "DescribeClusters", "ListClusters", "DeleteCluster",
            "RegisterTaskDefinition", "DescribeTaskDefinition", "ListTaskDefinitions", "ListTaskDefinitionFamilies",
            "DeregisterTaskDefinition", "CreateService", "DescribeServices", "UpdateService", "DeleteService", "ListServices",
            "CreateTaskSet", "DescribeTaskSets", "UpdateTaskSet", "UpdateServicePrimaryTaskSet", "DeleteTaskSet",
            "TagResource", "UntagResource", "ListTagsForResource", "ListTasks", "DescribeTasks", "StopTask", "RunTask");
    /** DescribeTasks: at most this many tasks per call. */
    static final int DESCRIBE_TASKS_MAX = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EcsStore store;
    private final TargetGroups targetGroups;

    public EcsService(EcsStore store, TargetGroups targetGroups) {
        this.store = store;
        this.targetGroups = targetGroups;
    }

    @Override
    public String signingName() {
        return "ecs";
    }

    @Override
    public Protocol protocol() {
        return Protocol.JSON_1_1;
    }

    @Override
    public Set<String> targetPrefixes() {
        return Set.of(TARGET_PREFIX);
    }

    @Override
    public String resolveAction(SimRequest request) {
        String target = request.header("X-Amz-Target");
        if (target == null || !target.startsWith(TARGET_PREFIX)) {
            throw new AwsErrorException(400, "UnknownOperationException", "Missing or unknown X-Amz-Target");
        }
        String action = target.substring(TARGET_PREFIX.length());
        if (!ACTIONS.contains(action)) {
            throw new AwsErrorException(400, "UnknownOperationException", "Operation " + action + " is not simulated");
        }
        return action;
    }

    @Override
    public SimResponse handle(String action, SimRequest request) {
        JsonNode in;
        try {
            in = request.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(request.body());
        } catch (IOException e) {
            throw new AwsErrorException(400, "SerializationException", "Malformed JSON");
        }
        String region = request.scope().map(CredentialScope::region).orElse("us-east-1");
        ObjectNode out = switch (action) {
            case "CreateCluster" -> createCluster(in, region);
            case "DescribeClusters" -> describeClusters(in);
            case "ListClusters" -> list("clusterArns", store.clusters().stream().filter(c -> "ACTIVE".equals(c.status)).map(c -> c.arn).toList());
            case "DeleteCluster" -> wrap("cluster", cluster(store.deleteCluster(text(in, "cluster"))));
            case "RegisterTaskDefinition" -> registerTaskDefinition(in, region);
            case "DescribeTaskDefinition" -> describeTaskDefinition(in);
            case "ListTaskDefinitions" -> listTaskDefinitions(in);
            case "ListTaskDefinitionFamilies" -> list("families", store.taskDefinitions().stream().map(t -> t.family).distinct()
                    .filter(f -> !in.has("familyPrefix") || f.startsWith(in.get("familyPrefix").asText())).toList());
            case "DeregisterTaskDefinition" -> deregisterTaskDefinition(in);
            case "CreateService" -> createService(in);
            case "DescribeServices" -> describeServices(in);
            case "UpdateService" -> updateService(in);
            case "DeleteService" -> deleteService(in);
            case "ListServices" -> list("serviceArns", store.cluster(text(in, "cluster")).services.values().stream()
                    .filter(s -> "ACTIVE".equals(s.status)).map(s -> s.arn).toList());
            case "CreateTaskSet" -> createTaskSet(in, region);
            case "DescribeTaskSets" -> describeTaskSets(in);
            case "UpdateTaskSet" -> updateTaskSet(in);
            case "UpdateServicePrimaryTaskSet" -> updatePrimary(in);
            case "DeleteTaskSet" -> deleteTaskSet(in);
            case "TagResource" -> tagResource(in);
            case "UntagResource" -> untagResource(in);
            case "ListTagsForResource" -> listTags(in);
            case "ListTasks" -> listTasks(in);
            case "DescribeTasks" -> describeTasks(in);
            case "StopTask" -> stopTask(in);
            case "RunTask" -> runTask(in);
            default -> throw new AwsErrorException(400, "UnknownOperationException", action);
        };
        return SimResponse.json(200, protocol().contentType(), out.toString());
    }

    // ---- clusters ---------------------------------------------------------------------------------

    private ObjectNode createCluster(JsonNode in, String region) {
        String name = in.path("clusterName").asText("default");
        requireName(name, "clusterName");
        store.createCluster(region, name);
        Cluster c = store.cluster(name);
        synchronized (store) {
            tags(in).forEach(c.tags::put);
            if (in.has("capacityProviders")) c.capacityProviders = in.get("capacityProviders").deepCopy();
            if (in.has("defaultCapacityProviderStrategy")) c.defaultCapacityProviderStrategy = in.get("defaultCapacityProviderStrategy").deepCopy();
        }
        return wrap("cluster", cluster(c));
    }

    private ObjectNode describeClusters(JsonNode in) {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode found = out.putArray("clusters");
        ArrayNode failures = out.putArray("failures");
        List<String> names = strings(in.path("clusters"));
        if (names.isEmpty()) names = List.of("default");
        for (String name : names) {
            Optional<Cluster> c = store.findCluster(name);
            if (c.isPresent()) found.add(cluster(c.get()));
            else failures.addObject().put("arn", name).put("reason", "MISSING");
        }
        return out;
    }

    private ObjectNode cluster(Cluster c) {
        ObjectNode o = JSON.createObjectNode().put("clusterArn", c.arn).put("clusterName", c.name).put("status", c.status);
        long services = c.services.values().stream().filter(s -> "ACTIVE".equals(s.status)).count();
        o.put("activeServicesCount", services).put("registeredContainerInstancesCount", 0)
                .put("runningTasksCount", 0).put("pendingTasksCount", 0);
        o.set("tags", tagList(c.tags));
        if (c.capacityProviders != null) o.set("capacityProviders", c.capacityProviders);
        if (c.defaultCapacityProviderStrategy != null) o.set("defaultCapacityProviderStrategy", c.defaultCapacityProviderStrategy);
        return o;
    }

    // ---- task definitions -------------------------------------------------------------------------

    private ObjectNode registerTaskDefinition(JsonNode in, String region) {
        String family = text(in, "family");
        if (family == null || !family.matches("[A-Za-z0-9_-]{1,255}")) {
            throw EcsErrors.client("Family contains invalid characters or is too long.");
        }
        JsonNode containers = in.path("containerDefinitions");
        if (!containers.isArray() || containers.isEmpty()) {
            throw EcsErrors.client("Container list cannot be empty.");
        }
        for (JsonNode c : containers) {
            if (c.path("name").asText("").isEmpty()) throw EcsErrors.client("Container.name should not be null or empty.");
            if (c.path("image").asText("").isEmpty()) throw EcsErrors.client("Container.image should not be null or empty.");
        }
        boolean fargate = false;
        for (JsonNode r : in.path("requiresCompatibilities")) fargate |= "FARGATE".equals(r.asText());
        if (fargate && !"awsvpc".equals(in.path("networkMode").asText())) {
            throw EcsErrors.client("Fargate only supports network mode 'awsvpc'.");
        }
        if (fargate && (!in.has("cpu") || !in.has("memory"))) {
            throw EcsErrors.client("Fargate requires that 'cpu' and 'memory' be defined at the task level.");
        }
        ObjectNode request = in.deepCopy();
        request.remove("tags");
        TaskDef td = store.registerTaskDefinition(region, family, request, tags(in));
        ObjectNode out = wrap("taskDefinition", taskDefinition(td));
        out.set("tags", tagList(td.tags));
        return out;
    }

    private ObjectNode taskDefinition(TaskDef td) {
        ObjectNode o = td.request.deepCopy();
        o.put("taskDefinitionArn", td.arn).put("family", td.family).put("revision", td.revision).put("status", td.status);
        if (!o.has("networkMode")) o.put("networkMode", "bridge");
        ArrayNode compat = o.putArray("compatibilities");
        compat.add("EC2");
        if ("awsvpc".equals(td.networkMode())) compat.add("FARGATE");
        o.put("registeredAt", seconds(td.registeredAt));
        return o;
    }

    private ObjectNode describeTaskDefinition(JsonNode in) {
        String ref = text(in, "taskDefinition");
        TaskDef td = Optional.ofNullable(ref).flatMap(store::taskDefinition)
                .orElseThrow(() -> EcsErrors.client("Unable to describe task definition."));
        ObjectNode out = wrap("taskDefinition", taskDefinition(td));
        if (includes(in, "TAGS")) out.set("tags", tagList(td.tags));
        return out;
    }

    private ObjectNode listTaskDefinitions(JsonNode in) {
        String prefix = in.path("familyPrefix").asText("");
        String status = in.path("status").asText("ACTIVE");
        List<TaskDef> all = new ArrayList<>(store.taskDefinitions().stream()
                .filter(t -> t.family.startsWith(prefix) && t.status.equals(status)).toList());
        Comparator<TaskDef> order = Comparator.comparing((TaskDef t) -> t.family).thenComparingInt(t -> t.revision);
        all.sort("DESC".equals(in.path("sort").asText("ASC")) ? order.reversed() : order);
        return page(in, "taskDefinitionArns", all.stream().map(t -> t.arn).toList());
    }

    private ObjectNode deregisterTaskDefinition(JsonNode in) {
        TaskDef td = store.taskDefinition(text(in, "taskDefinition"))
                .orElseThrow(() -> EcsErrors.client("The specified task definition does not exist."));
        synchronized (store) {
            td.status = "INACTIVE";
        }
        return wrap("taskDefinition", taskDefinition(td));
    }

    // ---- services ---------------------------------------------------------------------------------

    private ObjectNode createService(JsonNode in) {
        Cluster c = store.cluster(text(in, "cluster"));
        String name = text(in, "serviceName");
        requireName(name, "serviceName");
        String controller = in.path("deploymentController").path("type").asText("ECS");
        if (!Set.of("ECS", "CODE_DEPLOY", "EXTERNAL").contains(controller)) {
            throw EcsErrors.invalid("Invalid deployment controller type: " + controller);
        }
        if (!"EXTERNAL".equals(controller) && !in.has("taskDefinition")) {
            throw EcsErrors.invalid("TaskDefinition must be specified.");
        }
        int desired = in.path("desiredCount").asInt(0);
        if (desired < 0) throw EcsErrors.invalid("desiredCount can not be negative.");
        String token = createToken(in);
        Map<String, String> tags = tags(in);
        synchronized (store) {
            Optional<ObjectNode> retry = retried(c, "CreateService", token, in, "service");
            if (retry.isPresent()) return retry.get();
            Service s = store.createService(c, name, controller, desired, tags, token);
            ObjectNode out = wrap("service", service(s, true));
            store.rememberToken(c, "CreateService", token, in, s, out);
            return out;
        }
    }

    /** CreateService's and CreateTaskSet's client token: up to 36 ASCII characters in the range 33-126. */
    private static String createToken(JsonNode in) {
        String token = text(in, "clientToken");
        if (token != null && !token.matches("[!-~]{1,36}")) {
            throw EcsErrors.invalid("clientToken can have up to 36 ASCII characters in the range 33-126.");
        }
        return token;
    }

    /**
     * The answer to a retry: the same token with the same parameters answers what the first request
     * created, as it is now, or as it was answered then when it is gone; nothing is created.
     */
    private Optional<ObjectNode> retried(Cluster c, String action, String token, JsonNode in, String field) {
        Optional<EcsStore.CreateToken> used = store.createToken(c, action, token, in);
        if (used.isEmpty()) return Optional.empty();
        Object resource = used.get().resource();
        if (!store.stillHeld(resource)) return Optional.of((ObjectNode) used.get().answer().deepCopy());
        return Optional.of(resource instanceof Service s ? wrap(field, service(s, true)) : wrap(field, taskSet((TaskSet) resource, false)));
    }

    private ObjectNode describeServices(JsonNode in) {
        Cluster c = store.cluster(text(in, "cluster"));
        List<String> names = strings(in.path("services"));
        if (names.isEmpty()) throw EcsErrors.invalid("Services cannot be empty.");
        if (names.size() > 10) throw EcsErrors.invalid("services can have at most 10 items.");
        boolean withTags = includes(in, "TAGS");
        ObjectNode out = JSON.createObjectNode();
        ArrayNode found = out.putArray("services");
        ArrayNode failures = out.putArray("failures");
        synchronized (store) {
            for (String name : names) {
                Optional<Service> s = store.findService(c, name);
                if (s.isPresent()) found.add(service(s.get(), withTags));
                else failures.addObject().put("arn", c.arn.replace(":cluster/", ":service/") + "/" + EcsStore.lastSegment(name))
                        .put("reason", "MISSING");
            }
        }
        return out;
    }

    private ObjectNode service(Service s, boolean withTags) {
        Instant now = store.now();
        ObjectNode o = JSON.createObjectNode().put("serviceArn", s.arn).put("serviceName", s.name).put("clusterArn", s.cluster.arn)
                .put("status", s.status).put("desiredCount", s.desiredCount).put("schedulingStrategy", "REPLICA")
                .put("createdAt", seconds(s.createdAt)).put("propagateTags", "NONE");
        int running = 0;
        int pending = 0;
        ArrayNode taskSets = JSON.createArrayNode();
        for (TaskSet ts : s.taskSets.values()) {
            for (Task t : ts.tasks) {
                if (t.running(now)) running++;
                else if (t.live()) pending++;
            }
            taskSets.add(taskSet(ts, false));
        }
        o.put("runningCount", running).put("pendingCount", pending);
        o.putObject("deploymentController").put("type", s.controller);
        if ("EXTERNAL".equals(s.controller)) o.set("taskSets", taskSets);
        else o.putArray("deployments");
        if (withTags) o.set("tags", tagList(s.tags));
        return o;
    }

    private ObjectNode updateService(JsonNode in) {
        Cluster c = store.cluster(text(in, "cluster"));
        synchronized (store) {
            Service s = EcsStore.requireActive(store.service(c, text(in, "service")));
            if ("EXTERNAL".equals(s.controller)) {
                for (String field : List.of("taskDefinition", "loadBalancers", "networkConfiguration", "launchType",
                        "capacityProviderStrategy", "platformVersion")) {
                    if (in.has(field)) {
                        throw EcsErrors.invalid("Unable to update " + field + " on a service with an EXTERNAL deployment controller; "
                                + "create a new task set instead.");
                    }
                }
            }
            if (in.has("desiredCount")) {
                int desired = in.get("desiredCount").asInt();
                if (desired < 0) throw EcsErrors.invalid("desiredCount can not be negative.");
                store.updateDesiredCount(s, desired);
            }
            return wrap("service", service(s, false));
        }
    }

    private ObjectNode deleteService(JsonNode in) {
        Cluster c = store.cluster(text(in, "cluster"));
        synchronized (store) {
            Service s = EcsStore.requireActive(store.service(c, text(in, "service")));
            store.deleteService(s, in.path("force").asBoolean(false));
            return wrap("service", service(s, false));
        }
    }

    // ---- task sets --------------------------------------------------------------------------------

    private ObjectNode createTaskSet(JsonNode in, String region) {
        Cluster c = store.cluster(text(in, "cluster"));
        String token = createToken(in);
        synchronized (store) {
            Optional<ObjectNode> retry = retried(c, "CreateTaskSet", token, in, "taskSet");
            if (retry.isPresent()) return retry.get();
            Service s = EcsStore.requireActive(store.service(c, text(in, "service")));
            if (!"EXTERNAL".equals(s.controller)) {
                throw EcsErrors.invalid("Amazon ECS task sets can only be created for services that use the EXTERNAL deployment controller.");
            }
            String ref = text(in, "taskDefinition");
            if (ref == null) throw EcsErrors.invalid("TaskDefinition must be specified.");
            TaskDef td = store.taskDefinition(ref).orElseThrow(() -> EcsErrors.client("TaskDefinition not found."));
            JsonNode lbs = in.path("loadBalancers");
            if (lbs.size() > 1) throw EcsErrors.invalid("A task set can only have one load balancer.");
            String tg = null;
            String containerName = null;
            int containerPort = 0;
            if (lbs.size() == 1) {
                JsonNode lb = lbs.get(0);
                tg = lb.path("targetGroupArn").asText(null);
                containerName = lb.path("containerName").asText(null);
                containerPort = lb.path("containerPort").asInt(0);
                if (tg == null || !targetGroups.exists(tg)) {
                    throw EcsErrors.invalid("The target group with targetGroupArn " + tg + " does not exist.");
                }
                if (!targetGroups.associated(tg)) {
                    throw EcsErrors.invalid("The target group with targetGroupArn " + tg + " does not have an associated load balancer.");
                }
                if (containerName == null || td.container(containerName).isEmpty()) {
                    throw EcsErrors.invalid("The container " + containerName + " does not exist in the task definition.");
                }
            }
            if ("awsvpc".equals(td.networkMode()) && !in.has("networkConfiguration")) {
                throw EcsErrors.invalid("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
            }
            if (in.has("launchType") && in.has("capacityProviderStrategy")) {
                throw EcsErrors.invalid("Specifying both a launch type and capacity provider strategy is not supported.");
            }
            // Without a launch type or strategy of its own, the task set takes the cluster's default strategy.
            JsonNode strategy = in.has("capacityProviderStrategy") || in.has("launchType") ? in.path("capacityProviderStrategy")
                    : c.defaultCapacityProviderStrategy == null ? JSON.createArrayNode() : c.defaultCapacityProviderStrategy;
            boolean fargate = "FARGATE".equals(text(in, "launchType"));
            for (JsonNode item : strategy) fargate |= item.path("capacityProvider").asText("").startsWith("FARGATE");
            boolean requiresFargate = false;
            for (JsonNode r : td.request.path("requiresCompatibilities")) requiresFargate |= "FARGATE".equals(r.asText());
            if (fargate && !requiresFargate) throw EcsErrors.invalid("Task definition does not support launch_type FARGATE.");
            double scale = in.path("scale").path("value").asDouble(100);
            if (scale < 0 || scale > 100) throw EcsErrors.invalid("scale value must be between 0 and 100.");
            ObjectNode request = in.deepCopy();
            request.remove("tags");
            TaskSet ts = store.createTaskSet(s, region, text(in, "externalId"), td, text(in, "launchType"),
                    in.get("capacityProviderStrategy"), text(in, "platformVersion"), in.get("networkConfiguration"), tg,
                    containerName, containerPort, scale, token, request, tags(in));
            ObjectNode out = wrap("taskSet", taskSet(ts, false));
            store.rememberToken(c, "CreateTaskSet", token, in, ts, out);
            return out;
        }
    }

    private ObjectNode taskSet(TaskSet ts, boolean withTags) {
        Instant now = store.now();
        int running = 0;
        int pending = 0;
        for (Task t : ts.tasks) {
            if (t.running(now)) running++;
            else if (t.live()) pending++;
        }
        ObjectNode o = JSON.createObjectNode().put("id", ts.id).put("taskSetArn", ts.arn).put("serviceArn", ts.service.arn)
                .put("clusterArn", ts.service.cluster.arn).put("status", ts.status).put("taskDefinition", ts.taskDefinition.arn)
                .put("computedDesiredCount", ts.computedDesiredCount()).put("pendingCount", pending).put("runningCount", running)
                .put("createdAt", seconds(ts.createdAt)).put("updatedAt", seconds(ts.updatedAt))
                .put("stabilityStatus", ts.steady ? "STEADY_STATE" : "STABILIZING")
                .put("stabilityStatusAt", seconds(ts.stabilityStatusAt));
        if (ts.externalId != null) o.put("externalId", ts.externalId);
        if (ts.launchType != null) o.put("launchType", ts.launchType);
        if (ts.capacityProviderStrategy != null) o.set("capacityProviderStrategy", ts.capacityProviderStrategy);
        if (ts.platformVersion != null) o.put("platformVersion", ts.platformVersion);
        if (ts.networkConfiguration != null) o.set("networkConfiguration", ts.networkConfiguration);
        ArrayNode lbs = o.putArray("loadBalancers");
        if (ts.targetGroupArn != null) {
            lbs.addObject().put("targetGroupArn", ts.targetGroupArn).put("containerName", ts.containerName).put("containerPort", ts.containerPort);
        }
        o.putObject("scale").put("value", ts.scale).put("unit", "PERCENT");
        if (withTags) o.set("tags", tagList(ts.tags));
        return o;
    }

    private ObjectNode describeTaskSets(JsonNode in) {
        Cluster c = store.cluster(text(in, "cluster"));
        boolean withTags = includes(in, "TAGS");
        ObjectNode out = JSON.createObjectNode();
        ArrayNode found = out.putArray("taskSets");
        ArrayNode failures = out.putArray("failures");
        synchronized (store) {
            Service s = store.service(c, text(in, "service"));
            List<String> ids = strings(in.path("taskSets"));
            if (ids.isEmpty()) {
                s.taskSets.values().forEach(ts -> found.add(taskSet(ts, withTags)));
            } else {
                for (String id : ids) {
                    try {
                        found.add(taskSet(store.taskSet(s, id), withTags));
                    } catch (AwsErrorException e) {
                        failures.addObject().put("arn", id).put("reason", "MISSING");
                    }
                }
            }
        }
        return out;
    }

    private ObjectNode updateTaskSet(JsonNode in) {
        Cluster c = store.cluster(text(in, "cluster"));
        synchronized (store) {
            Service s = EcsStore.requireActive(store.service(c, text(in, "service")));
            TaskSet ts = EcsStore.requireNotDraining(store.taskSet(s, text(in, "taskSet")));
            if (!in.has("scale")) throw EcsErrors.invalid("scale must be specified.");
            double scale = in.path("scale").path("value").asDouble(-1);
            if (scale < 0 || scale > 100) throw EcsErrors.invalid("scale value must be between 0 and 100.");
            store.updateScale(ts, scale);
            return wrap("taskSet", taskSet(ts, false));
        }
    }

    private ObjectNode updatePrimary(JsonNode in) {
        Cluster c = store.cluster(text(in, "cluster"));
        synchronized (store) {
            Service s = EcsStore.requireActive(store.service(c, text(in, "service")));
            TaskSet ts = EcsStore.requireNotDraining(store.taskSet(s, text(in, "primaryTaskSet")));
            store.makePrimary(ts);
            return wrap("taskSet", taskSet(ts, false));
        }
    }

    private ObjectNode deleteTaskSet(JsonNode in) {
        Cluster c = store.cluster(text(in, "cluster"));
        synchronized (store) {
            Service s = EcsStore.requireActive(store.service(c, text(in, "service")));
            TaskSet ts = store.taskSet(s, text(in, "taskSet"));
            store.deleteTaskSet(ts, in.path("force").asBoolean(false));
            return wrap("taskSet", taskSet(ts, false));
        }
    }

    // ---- tags -------------------------------------------------------------------------------------

    /**
     * The tags of the resource an ARN names, for TagResource, UntagResource and ListTagsForResource. Their
     * documentation lists the resource types they take; a task set is not one of them (it takes tags only
     * through CreateTaskSet), so it is refused like any unsupported resource.
     */
    private Map<String, String> tagsOf(String arn) {
        if (arn == null) throw EcsErrors.invalid("resourceArn must be specified.");
        if (arn.contains(":task-set/")) {
            throw EcsErrors.invalid("The specified resource type is not supported for tagging operations: task-set. "
                    + "Task sets take tags only when created (CreateTaskSet).");
        }
        synchronized (store) {
            if (arn.contains(":cluster/")) {
                return store.findCluster(arn).map(c -> c.tags).orElseThrow(EcsErrors::clusterNotFound);
            }
            if (arn.contains(":task-definition/")) {
                return store.taskDefinition(arn).map(t -> t.tags).orElseThrow(() -> EcsErrors.client("The specified task definition does not exist."));
            }
            if (arn.contains(":task/")) {
                String[] task = arn.substring(arn.indexOf(":task/") + 6).split("/");
                if (task.length == 2) {
                    Optional<OneOffTask> t = store.oneOffTask(store.cluster(task[0]), arn);
                    if (t.isPresent()) return t.get().tags;
                }
                throw EcsErrors.invalid("The specified resource could not be found: " + arn);
            }
            String[] parts = arn.substring(arn.indexOf(':', arn.indexOf(":ecs:") + 5) + 1).split(":", 2)[1].split("/");
            if (arn.contains(":service/") && parts.length == 3) {
                Cluster c = store.cluster(parts[1]);
                return store.service(c, parts[2]).tags;
            }
            throw EcsErrors.invalid("The specified resource could not be found: " + arn);
        }
    }

    private ObjectNode tagResource(JsonNode in) {
        Map<String, String> tags = tags(in);
        synchronized (store) {
            Map<String, String> target = tagsOf(text(in, "resourceArn"));
            if (target.size() + tags.keySet().stream().filter(k -> !target.containsKey(k)).count() > 50) {
                throw EcsErrors.invalid("A resource can have at most 50 tags.");
            }
            target.putAll(tags);
        }
        return JSON.createObjectNode();
    }

    private ObjectNode untagResource(JsonNode in) {
        List<String> keys = strings(in.path("tagKeys"));
        keys.forEach(EcsService::requireUnreservedKey);
        synchronized (store) {
            Map<String, String> target = tagsOf(text(in, "resourceArn"));
            keys.forEach(target::remove);
        }
        return JSON.createObjectNode();
    }

    private ObjectNode listTags(JsonNode in) {
        ObjectNode out = JSON.createObjectNode();
        synchronized (store) {
            out.set("tags", tagList(tagsOf(text(in, "resourceArn"))));
        }
        return out;
    }

    // ---- tasks ------------------------------------------------------------------------------------

    private ObjectNode listTasks(JsonNode in) {
        Cluster c = store.cluster(text(in, "cluster"));
        boolean stopped = "STOPPED".equals(in.path("desiredStatus").asText("RUNNING"));
        String serviceName = text(in, "serviceName");
        String startedBy = text(in, "startedBy");
        String family = text(in, "family");
        List<String> arns = new ArrayList<>(store.tasks(c, serviceName).stream()
                .filter(t -> stopped != t.live())
                .filter(t -> startedBy == null || startedBy.equals(t.taskSet.id))
                .filter(t -> family == null || family.equals(t.taskSet.taskDefinition.family))
                .map(t -> t.arn).toList());
        if (serviceName == null) {
            Instant now = store.now();
            synchronized (store) {
                store.oneOffTasks(c).stream()
                        .filter(t -> stopped != t.live(now))
                        .filter(t -> startedBy == null || startedBy.equals(t.startedBy()))
                        .filter(t -> family == null || family.equals(t.taskDefinition.family))
                        .forEach(t -> arns.add(t.arn));
            }
        }
        return page(in, "taskArns", arns);
    }

    private ObjectNode describeTasks(JsonNode in) {
        Cluster c = store.cluster(text(in, "cluster"));
        List<String> refs = strings(in.path("tasks"));
        if (refs.isEmpty()) throw EcsErrors.invalid("Tasks cannot be empty.");
        if (refs.size() > DESCRIBE_TASKS_MAX) throw EcsErrors.invalid("tasks can have at most " + DESCRIBE_TASKS_MAX + " items.");
        boolean withTags = includes(in, "TAGS");
        ObjectNode out = JSON.createObjectNode();
        ArrayNode found = out.putArray("tasks");
        ArrayNode failures = out.putArray("failures");
        synchronized (store) {
            for (String ref : refs) {
                Optional<Task> t = store.task(ref);
                Optional<OneOffTask> oneOff = t.isPresent() ? Optional.empty() : store.oneOffTask(c, ref);
                if (t.isPresent()) found.add(task(t.get()));
                else if (oneOff.isPresent()) found.add(oneOffTask(oneOff.get(), withTags));
                else failures.addObject().put("arn", ref).put("reason", "MISSING");
            }
        }
        return out;
    }

    private ObjectNode task(Task t) {
        Instant now = store.now();
        String last = !t.live() ? "STOPPED" : t.running(now) ? "RUNNING" : "PENDING";
        ObjectNode o = JSON.createObjectNode().put("taskArn", t.arn).put("clusterArn", t.taskSet.service.cluster.arn)
                .put("taskDefinitionArn", t.taskSet.taskDefinition.arn).put("lastStatus", last)
                .put("desiredStatus", t.live() ? "RUNNING" : "STOPPED").put("startedBy", t.taskSet.id)
                .put("group", "service:" + t.taskSet.service.name).put("createdAt", seconds(t.createdAt));
        if (t.running(now) || !t.live()) o.put("startedAt", seconds(t.startedAt));
        if (!t.live()) o.put("stoppedAt", seconds(t.stoppedAt)).put("stoppedReason", t.stoppedReason);
        if (t.taskSet.launchType != null) o.put("launchType", t.taskSet.launchType);
        ObjectNode container = o.putArray("containers").addObject().put("name", t.taskSet.containerName == null ? "app" : t.taskSet.containerName)
                .put("image", EcsStore.image(t.taskSet)).put("lastStatus", last);
        if (!t.live()) container.put("exitCode", t.stoppedReason.startsWith("Essential") ? 1 : 0);
        ObjectNode eni = o.putArray("attachments").addObject().put("type", "ElasticNetworkInterface").put("status", "ATTACHED");
        eni.putArray("details").addObject().put("name", "privateIPv4Address").put("value", t.ip);
        return o;
    }

    private ObjectNode stopTask(JsonNode in) {
        Cluster c = store.cluster(text(in, "cluster"));
        String ref = text(in, "task");
        if (ref == null) throw EcsErrors.invalid("task must be specified.");
        String reason = in.path("reason").asText("Task stopped by user");
        synchronized (store) {
            Optional<Task> t = store.task(ref);
            if (t.isPresent()) {
                store.stopTask(t.get(), reason);
                return wrap("task", task(t.get()));
            }
            OneOffTask oneOff = store.oneOffTask(c, ref).orElseThrow(() -> EcsErrors.invalid("The referenced task was not found."));
            store.stopOneOff(oneOff, reason);
            return wrap("task", oneOffTask(oneOff, false));
        }
    }

    private ObjectNode runTask(JsonNode in) {
        Cluster c = store.cluster(text(in, "cluster"));
        String ref = text(in, "taskDefinition");
        if (ref == null || ref.isEmpty()) throw EcsErrors.invalid("TaskDefinition can not be blank.");
        TaskDef td = store.taskDefinition(ref).orElseThrow(() -> EcsErrors.invalid("TaskDefinition not found."));
        if (!"ACTIVE".equals(td.status)) throw EcsErrors.client("TaskDefinition is inactive");
        int count = in.has("count") ? in.get("count").asInt(0) : 1;
        if (count < 1 || count > 10) throw EcsErrors.invalid("Count must be between 1 and 10.");
        if (in.has("launchType") && in.has("capacityProviderStrategy")) {
            throw EcsErrors.invalid("Specifying both a launch type and capacity provider strategy is not supported.");
        }
        String launchType = text(in, "launchType");
        if (launchType != null && !Set.of("EC2", "FARGATE", "EXTERNAL").contains(launchType)) {
            throw EcsErrors.invalid("launchType must be one of EC2, FARGATE, EXTERNAL.");
        }
        boolean awsvpc = "awsvpc".equals(td.networkMode());
        if ("FARGATE".equals(launchType) && !awsvpc) throw EcsErrors.invalid("Task definition does not support launch_type FARGATE.");
        JsonNode network = in.path("networkConfiguration").path("awsvpcConfiguration");
        if (awsvpc && network.isMissingNode()) {
            throw EcsErrors.invalid("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
        }
        if (!awsvpc && in.has("networkConfiguration")) {
            throw EcsErrors.invalid("Network Configuration is not valid for the given networkMode of this task definition.");
        }
        if (awsvpc && (!network.path("subnets").isArray() || network.path("subnets").isEmpty())) {
            throw EcsErrors.invalid("subnets can not be empty.");
        }
        for (JsonNode o : in.path("overrides").path("containerOverrides")) {
            String name = o.path("name").asText("");
            if (td.container(name).isEmpty()) {
                throw EcsErrors.invalid("Override for container named " + name + " is not a container in the TaskDefinition.");
            }
        }
        String startedBy = text(in, "startedBy");
        if (startedBy != null && !startedBy.matches("[A-Za-z0-9_/-]{1,128}")) {
            throw EcsErrors.invalid("startedBy can have up to 128 letters, numbers, hyphens, forward slashes and underscores.");
        }
        String group = text(in, "group");
        if (group != null && group.length() > 255) throw EcsErrors.invalid("group can have at most 255 characters.");
        String token = text(in, "clientToken");
        if (token != null && !token.matches("[!-~]{1,64}")) {
            throw EcsErrors.invalid("clientToken can have up to 64 ASCII characters in the range 33-126.");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        if ("TASK_DEFINITION".equals(text(in, "propagateTags"))) {
            synchronized (store) {
                tags.putAll(td.tags);
            }
        }
        tags.putAll(tags(in));
        if (tags.size() > 50) throw EcsErrors.invalid("A resource can have at most 50 tags.");
        List<OneOffTask> started = store.runTask(c, td, count, in, tags);
        ObjectNode out = JSON.createObjectNode();
        ArrayNode tasks = out.putArray("tasks");
        synchronized (store) {
            started.forEach(t -> tasks.add(oneOffTask(t, true)));
        }
        out.putArray("failures");
        return out;
    }

    /** A one-off task as DescribeTasks answers it, up to the current simulated time. */
    private ObjectNode oneOffTask(OneOffTask t, boolean withTags) {
        Instant now = store.now();
        String last = t.lastStatus(now);
        ObjectNode o = JSON.createObjectNode().put("taskArn", t.arn).put("clusterArn", t.cluster.arn)
                .put("taskDefinitionArn", t.taskDefinition.arn).put("lastStatus", last).put("desiredStatus", t.desiredStatus(now))
                .put("group", t.group()).put("createdAt", seconds(t.createdAt)).put("version", 1);
        if (t.startedBy() != null) o.put("startedBy", t.startedBy());
        if (t.launchType() != null) o.put("launchType", t.launchType());
        JsonNode providers = t.request.path("capacityProviderStrategy");
        if (providers.isArray() && !providers.isEmpty()) o.put("capacityProviderName", providers.get(0).path("capacityProvider").asText());
        if (t.text("platformVersion") != null) o.put("platformVersion", t.text("platformVersion"));
        if (t.taskDefinition.request.has("cpu")) o.put("cpu", t.taskDefinition.request.get("cpu").asText());
        if (t.taskDefinition.request.has("memory")) o.put("memory", t.taskDefinition.request.get("memory").asText());
        if (t.ran(now)) o.put("startedAt", seconds(t.startedAt));
        if (!t.live(now)) {
            o.put("stoppingAt", seconds(t.stoppingAt())).put("stopCode", t.stopCode()).put("stoppedReason", t.stoppedReason());
            if ("STOPPED".equals(last)) o.put("executionStoppedAt", seconds(t.stoppingAt())).put("stoppedAt", seconds(t.stoppedAt()));
        }
        JsonNode overrides = t.request.get("overrides");
        ObjectNode echoed = overrides != null && overrides.isObject() ? (ObjectNode) overrides.deepCopy() : JSON.createObjectNode();
        if (!echoed.has("containerOverrides")) echoed.putArray("containerOverrides");
        o.set("overrides", echoed);
        ArrayNode containers = o.putArray("containers");
        for (OneOffTask.Container c : t.containers) {
            OneOffTask.ContainerState state = t.state(c, now);
            String containerArn = t.cluster.arn.replace(":cluster/", ":container/") + "/" + t.id + "/"
                    + java.util.UUID.nameUUIDFromBytes((t.arn + "/" + c.name()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            ObjectNode container = containers.addObject().put("containerArn", containerArn).put("taskArn", t.arn)
                    .put("name", c.name()).put("image", c.image()).put("lastStatus", state.lastStatus());
            if (state.exitCode() != null) container.put("exitCode", state.exitCode());
            if (state.reason() != null) container.put("reason", state.reason());
        }
        JsonNode subnets = t.request.path("networkConfiguration").path("awsvpcConfiguration").path("subnets");
        ArrayNode attachments = o.putArray("attachments");
        if ("awsvpc".equals(t.taskDefinition.networkMode())) {
            ObjectNode eni = attachments.addObject().put("type", "ElasticNetworkInterface")
                    .put("status", "STOPPED".equals(last) ? "DELETED" : "ATTACHED");
            ArrayNode details = eni.putArray("details");
            if (subnets.isArray() && !subnets.isEmpty()) details.addObject().put("name", "subnetId").put("value", subnets.get(0).asText());
            details.addObject().put("name", "privateIPv4Address").put("value", t.ip);
        }
        if (withTags) o.set("tags", tagList(t.tags));
        return o;
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static String text(JsonNode in, String field) {
        JsonNode v = in.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static boolean includes(JsonNode in, String what) {
        for (JsonNode v : in.path("include")) if (what.equals(v.asText())) return true;
        return false;
    }

    private static Map<String, String> tags(JsonNode in) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode t : in.path("tags")) {
            String key = t.path("key").asText("");
            String value = t.path("value").asText("");
            if (key.isEmpty() || key.length() > 128) throw EcsErrors.invalid("Tag keys must be 1 to 128 characters long.");
            if (value.length() > 256) throw EcsErrors.invalid("Tag values can be at most 256 characters long.");
            requireUnreservedKey(key);
            out.put(key, value);
        }
        if (out.size() > 50) throw EcsErrors.invalid("A resource can have at most 50 tags.");
        return out;
    }

    /** Keys starting with {@code aws:} in any case are AWS's own: they can be neither set nor removed. */
    private static void requireUnreservedKey(String key) {
        if (key.regionMatches(true, 0, "aws:", 0, 4)) {
            throw EcsErrors.invalid("Tag keys with the prefix 'aws:' are reserved for AWS use: " + key);
        }
    }

    private static ArrayNode tagList(Map<String, String> tags) {
        ArrayNode out = JSON.createArrayNode();
        tags.forEach((k, v) -> out.addObject().put("key", k).put("value", v));
        return out;
    }

    private static void requireName(String name, String field) {
        if (name == null || !name.matches("[A-Za-z0-9_-]{1,255}")) {
            throw EcsErrors.invalid(field + " can have up to 255 characters: letters (upper and lower case), numbers, hyphens and underscores.");
        }
    }

    private static ObjectNode wrap(String field, JsonNode value) {
        ObjectNode out = JSON.createObjectNode();
        out.set(field, value);
        return out;
    }

    private static ObjectNode list(String field, List<String> values) {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode array = out.putArray(field);
        values.forEach(array::add);
        return out;
    }

    /** One page of a listing: {@code nextToken} is the index of the next item. */
    private static ObjectNode page(JsonNode in, String field, List<String> all) {
        int start = 0;
        if (in.hasNonNull("nextToken")) {
            try {
                start = Integer.parseInt(in.get("nextToken").asText());
            } catch (NumberFormatException e) {
                throw EcsErrors.invalid("Invalid nextToken.");
            }
        }
        int max = in.path("maxResults").asInt(100);
        int end = Math.min(all.size(), start + max);
        ObjectNode out = list(field, all.subList(Math.min(start, all.size()), end));
        if (end < all.size()) out.put("nextToken", String.valueOf(end));
        return out;
    }

    private static double seconds(Instant i) {
        return i.getEpochSecond() + i.getNano() / 1e9;
    }
}

package io.ecsbluegreen.sim.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import io.ecsbluegreen.sim.SimClock;
import io.ecsbluegreen.sim.protocol.AwsDates;
import io.ecsbluegreen.sim.protocol.Json;
import io.ecsbluegreen.sim.spi.ScalableServices;
import io.ecsbluegreen.sim.spi.ServiceEvents;
import io.ecsbluegreen.sim.spi.ImageBehaviour;
import io.ecsbluegreen.sim.spi.ImageBehaviours;
import io.ecsbluegreen.sim.spi.SimTask;
import io.ecsbluegreen.sim.spi.TargetGroups;
import io.ecsbluegreen.sim.spi.TargetHealthState;
import io.ecsbluegreen.sim.spi.TaskProcesses;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The state of the simulated ECS: clusters, task definitions, services and their task sets and tasks.
 *
 * <p>Tasks are simulated lazily: nothing runs in the background; every read or write of a service first
 * brings its task sets up to the simulator clock (tasks started, crashed and replaced, targets registered
 * and deregistered), so a test that advances the clock ten minutes sees the world ten minutes later and
 * ten thousand idle services cost nothing. One lock guards everything; calls are short.
 */
public final class EcsStore implements ScalableServices {

    /** How long a task takes from PROVISIONING to RUNNING. */
    public static final Duration DEFAULT_TASK_START = Duration.ofSeconds(20);
    /** AWS's limit of task sets per service. */
    public static final int MAX_TASK_SETS = 5;
    private static final int STOPPED_TASKS_KEPT = 10;
    /**
     * Tasks of a service that stop on their own (essential container exited, container cannot start) before
     * the service is steady again, after which ECS's "unable to consistently start tasks" warning is sent.
     * AWS documents no number; three is the simulator's (docs/simulator.md#events).
     */
    static final int START_FAILURES_IMPAIRED = 3;
    /** How long a stopped one-off task stays visible to DescribeTasks and ListTasks (AWS: at least an hour). */
    public static final Duration STOPPED_ONE_OFF_RETENTION = Duration.ofHours(1);
    /** How long a RunTask client token is remembered (AWS: 24 hours). */
    public static final Duration CLIENT_TOKEN_TTL = Duration.ofHours(24);

    private final SimClock clock;
    private final String accountId;
    private final TargetGroups targetGroups;
    private final ImageBehaviours images;
    private final TaskProcesses processes;
    private volatile Duration taskStart = DEFAULT_TASK_START;
    private final Map<String, Cluster> clusters = new LinkedHashMap<>();
    private final Map<String, List<TaskDef>> families = new LinkedHashMap<>();
    private final Map<String, Task> tasksByArn = new HashMap<>();
    private final Map<String, OneOffTask> oneOffByArn = new LinkedHashMap<>();
    private long nextIp = 1;
    private final ServiceEvents events;

    public EcsStore(SimClock clock, String accountId, TargetGroups targetGroups, ImageBehaviours images) {
        this(clock, accountId, targetGroups, images, TaskProcesses.NONE, ServiceEvents.NONE);
    }

    /** @param processes runs the tasks of images that map to a local command */
    public EcsStore(SimClock clock, String accountId, TargetGroups targetGroups, ImageBehaviours images, TaskProcesses processes) {
        this(clock, accountId, targetGroups, images, processes, ServiceEvents.NONE);
    }

    /** @param events where task state changes and service actions go, as ECS sends them to EventBridge */
    public EcsStore(SimClock clock, String accountId, TargetGroups targetGroups, ImageBehaviours images, ServiceEvents events) {
        this(clock, accountId, targetGroups, images, TaskProcesses.NONE, events);
    }

    /**
     * @param processes runs the tasks of images that map to a local command
     * @param events where task state changes and service actions go, as ECS sends them to EventBridge
     */
    public EcsStore(SimClock clock, String accountId, TargetGroups targetGroups, ImageBehaviours images, TaskProcesses processes,
                    ServiceEvents events) {
        this.clock = clock;
        this.accountId = accountId;
        this.targetGroups = targetGroups;
        this.images = images;
        this.processes = processes;
        this.events = events;
    }

    /**
     * Brings every service up to the simulator clock, so that what happened meanwhile (a crash, a task
     * that started, a task set that became steady) is reported as an event without waiting for a read.
     */
    public synchronized void syncAll() {
        for (Cluster c : clusters.values()) {
            for (Service s : c.services.values()) {
                if ("ACTIVE".equals(s.status)) sync(s);
            }
        }
    }

    /** Sets how long tasks take to start (simulated time). */
    public void taskStartTime(Duration d) {
        taskStart = d;
    }

    public Instant now() {
        return clock.instant();
    }

    String accountId() {
        return accountId;
    }

    // ---- model ------------------------------------------------------------------------------------

    /** A cluster. */
    static final class Cluster {
        final String name;
        final String arn;
        String status = "ACTIVE";
        final Map<String, String> tags = new LinkedHashMap<>();
        final Map<String, Service> services = new LinkedHashMap<>();
        /** CreateCluster's capacityProviders and defaultCapacityProviderStrategy, as given; null when absent. */
        JsonNode capacityProviders;
        JsonNode defaultCapacityProviderStrategy;
        /** RunTask's client tokens: idempotency is per cluster. */
        final Map<String, TokenUse> runTaskTokens = new HashMap<>();
        /** CreateService's and CreateTaskSet's client tokens, kept after what they created is gone. */
        final Map<String, CreateToken> createTokens = new HashMap<>();

        Cluster(String name, String arn) {
            this.name = name;
            this.arn = arn;
        }
    }

    /** A registered task definition revision; {@code request} is the RegisterTaskDefinition body. */
    static final class TaskDef {
        final String family;
        final int revision;
        final String arn;
        final JsonNode request;
        final Instant registeredAt;
        String status = "ACTIVE";
        final Map<String, String> tags = new LinkedHashMap<>();

        TaskDef(String family, int revision, String arn, JsonNode request, Instant registeredAt) {
            this.family = family;
            this.revision = revision;
            this.arn = arn;
            this.request = request;
            this.registeredAt = registeredAt;
        }

        String networkMode() {
            return request.path("networkMode").asText("bridge");
        }

        /** The container of that name: its image and environment. */
        Optional<JsonNode> container(String name) {
            for (JsonNode c : request.path("containerDefinitions")) {
                if (name.equals(c.path("name").asText())) return Optional.of(c);
            }
            return Optional.empty();
        }
    }

    /** A RunTask client token: the request it came with and the tasks that request started. */
    record TokenUse(JsonNode request, List<OneOffTask> tasks, Instant at) {}

    /**
     * A CreateService or CreateTaskSet client token: the action and request it came with, the service or
     * task set it created, and the answer given then (what a retry gets once the resource is gone).
     */
    record CreateToken(String action, JsonNode request, Object resource, JsonNode answer, Instant at) {}

    /** A service. */
    static final class Service {
        final String name;
        final String arn;
        final Cluster cluster;
        final String controller;
        final Instant createdAt;
        final String clientToken;
        String status = "ACTIVE";
        int desiredCount;
        final Map<String, String> tags = new LinkedHashMap<>();
        final Map<String, TaskSet> taskSets = new LinkedHashMap<>();
        /** Whether SERVICE_STEADY_STATE was sent for the current spell of steadiness. */
        boolean steady;
        /** Tasks that stopped on their own since the service was last steady. */
        int startFailures;
        /** Whether SERVICE_TASK_START_IMPAIRED was sent since the service was last steady. */
        boolean startImpaired;

        Service(String name, String arn, Cluster cluster, String controller, int desiredCount, Instant createdAt, String clientToken) {
            this.name = name;
            this.arn = arn;
            this.cluster = cluster;
            this.controller = controller;
            this.desiredCount = desiredCount;
            this.createdAt = createdAt;
            this.clientToken = clientToken;
        }
    }

    /** A task set and its tasks. */
    static final class TaskSet {
        final String id;
        final String arn;
        final Service service;
        final String externalId;
        final TaskDef taskDefinition;
        final String launchType;
        final JsonNode capacityProviderStrategy;
        final String platformVersion;
        final JsonNode networkConfiguration;
        final String targetGroupArn;
        final String containerName;
        final int containerPort;
        final String clientToken;
        final JsonNode request;
        final Instant createdAt;
        Instant updatedAt;
        double scale = 100;
        String status = "ACTIVE";
        /** DRAINING: when its targets have finished deregistering and it disappears. */
        Instant drainUntil;
        boolean steady;
        Instant stabilityStatusAt;
        final Map<String, String> tags = new LinkedHashMap<>();
        final List<Task> tasks = new ArrayList<>();

        TaskSet(String id, String arn, Service service, String externalId, TaskDef taskDefinition, String launchType,
                JsonNode capacityProviderStrategy, String platformVersion, JsonNode networkConfiguration, String targetGroupArn,
                String containerName, int containerPort, String clientToken, JsonNode request, Instant createdAt) {
            this.id = id;
            this.arn = arn;
            this.service = service;
            this.externalId = externalId;
            this.taskDefinition = taskDefinition;
            this.launchType = launchType;
            this.capacityProviderStrategy = capacityProviderStrategy;
            this.platformVersion = platformVersion;
            this.networkConfiguration = networkConfiguration;
            this.targetGroupArn = targetGroupArn;
            this.containerName = containerName;
            this.containerPort = containerPort;
            this.clientToken = clientToken;
            this.request = request;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
            this.stabilityStatusAt = createdAt;
        }

        int computedDesiredCount() {
            if (draining()) return 0;
            return (int) Math.ceil(service.desiredCount * scale / 100.0 - 1e-9);
        }

        boolean draining() {
            return "DRAINING".equals(status);
        }
    }

    /** A task of a task set. */
    static final class Task {
        final String id;
        final String arn;
        final TaskSet taskSet;
        final String ip;
        final Instant createdAt;
        final Instant startedAt;
        final ImageBehaviour behaviour;
        Instant stoppedAt;
        String stoppedReason;
        boolean registered;
        /** The real process of a task whose image maps to a local command, once RUNNING. */
        TaskProcesses.Handle process;
        /** Whether the task's RUNNING state change was reported. */
        boolean runningReported;

        Task(String id, String arn, TaskSet taskSet, String ip, Instant createdAt, Instant startedAt, ImageBehaviour behaviour) {
            this.id = id;
            this.arn = arn;
            this.taskSet = taskSet;
            this.ip = ip;
            this.createdAt = createdAt;
            this.startedAt = startedAt;
            this.behaviour = behaviour;
        }

        boolean live() {
            return stoppedAt == null;
        }

        boolean running(Instant now) {
            return live() && !startedAt.isAfter(now);
        }
    }

    // ---- clusters ---------------------------------------------------------------------------------

    public synchronized String createCluster(String region, String name) {
        Cluster existing = clusters.get(name);
        if (existing != null) {
            existing.status = "ACTIVE";
            return existing.arn;
        }
        Cluster c = new Cluster(name, "arn:aws:ecs:" + region + ":" + accountId + ":cluster/" + name);
        clusters.put(name, c);
        return c.arn;
    }

    synchronized Cluster cluster(String nameOrArn) {
        String name = nameOrArn == null || nameOrArn.isEmpty() ? "default" : lastSegment(nameOrArn);
        Cluster c = clusters.get(name);
        if (c == null || !"ACTIVE".equals(c.status)) throw EcsErrors.clusterNotFound();
        return c;
    }

    synchronized Optional<Cluster> findCluster(String nameOrArn) {
        return Optional.ofNullable(clusters.get(lastSegment(nameOrArn)));
    }

    synchronized List<Cluster> clusters() {
        return List.copyOf(clusters.values());
    }

    synchronized Cluster deleteCluster(String nameOrArn) {
        Cluster c = cluster(nameOrArn);
        if (c.services.values().stream().anyMatch(s -> "ACTIVE".equals(s.status))) {
            throw new io.ecsbluegreen.sim.protocol.AwsErrorException(400, "ClusterContainsServicesException",
                    "The Cluster cannot be deleted while Services are active.");
        }
        c.status = "INACTIVE";
        return c;
    }

    // ---- task definitions -------------------------------------------------------------------------

    synchronized TaskDef registerTaskDefinition(String region, String family, JsonNode request, Map<String, String> tags) {
        List<TaskDef> revisions = families.computeIfAbsent(family, k -> new ArrayList<>());
        int revision = revisions.size() + 1;
        TaskDef td = new TaskDef(family, revision, "arn:aws:ecs:" + region + ":" + accountId + ":task-definition/" + family + ":" + revision,
                request, clock.instant());
        td.tags.putAll(tags);
        revisions.add(td);
        return td;
    }

    /** A task definition by ARN, {@code family:revision} or {@code family} (latest ACTIVE). */
    synchronized Optional<TaskDef> taskDefinition(String ref) {
        String key = ref.contains("task-definition/") ? ref.substring(ref.indexOf("task-definition/") + 16) : ref;
        int colon = key.lastIndexOf(':');
        if (colon > 0) {
            List<TaskDef> revisions = families.get(key.substring(0, colon));
            try {
                int n = Integer.parseInt(key.substring(colon + 1));
                return revisions == null || n < 1 || n > revisions.size() ? Optional.empty() : Optional.of(revisions.get(n - 1));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        List<TaskDef> revisions = families.get(key);
        if (revisions == null) return Optional.empty();
        for (int i = revisions.size() - 1; i >= 0; i--) {
            if ("ACTIVE".equals(revisions.get(i).status)) return Optional.of(revisions.get(i));
        }
        return Optional.empty();
    }

    synchronized List<TaskDef> taskDefinitions() {
        List<TaskDef> all = new ArrayList<>();
        families.values().forEach(all::addAll);
        return all;
    }

    // ---- services ---------------------------------------------------------------------------------

    synchronized Service createService(Cluster cluster, String name, String controller, int desiredCount,
                                       Map<String, String> tags, String clientToken) {
        Service existing = cluster.services.get(name);
        if (existing != null && !"INACTIVE".equals(existing.status)) {
            throw EcsErrors.invalid("Creation of service was not idempotent.");
        }
        String arn = cluster.arn.replace(":cluster/", ":service/") + "/" + name;
        Service s = new Service(name, arn, cluster, controller, desiredCount, clock.instant(), clientToken);
        s.tags.putAll(tags);
        cluster.services.put(name, s);
        return s;
    }

    /** The service, brought up to the simulator clock. */
    synchronized Service service(Cluster cluster, String nameOrArn) {
        Service s = cluster.services.get(lastSegment(nameOrArn));
        if (s == null) throw EcsErrors.serviceNotFound();
        sync(s);
        return s;
    }

    synchronized Optional<Service> findService(Cluster cluster, String nameOrArn) {
        Service s = cluster.services.get(lastSegment(nameOrArn));
        if (s != null) sync(s);
        return Optional.ofNullable(s);
    }

    static Service requireActive(Service s) {
        if (!"ACTIVE".equals(s.status)) throw EcsErrors.serviceNotActive();
        return s;
    }

    synchronized void deleteService(Service s, boolean force) {
        if (!force && s.desiredCount > 0) {
            throw EcsErrors.invalid("The service cannot be stopped while it is scaled above 0.");
        }
        for (TaskSet ts : List.copyOf(s.taskSets.values())) removeTaskSet(ts);
        s.status = "INACTIVE";
        s.desiredCount = 0;
    }

    synchronized void updateDesiredCount(Service s, int desiredCount) {
        s.desiredCount = desiredCount;
        sync(s);
    }

    @Override
    public synchronized OptionalInt desiredCount(String cluster, String service) {
        Cluster c = clusters.get(cluster);
        if (c == null || !"ACTIVE".equals(c.status)) return OptionalInt.empty();
        Service s = c.services.get(service);
        if (s == null || !"ACTIVE".equals(s.status)) return OptionalInt.empty();
        sync(s);
        return OptionalInt.of(s.desiredCount);
    }

    @Override
    public synchronized void setDesiredCount(String cluster, String service, int count) {
        Service s = requireActive(service(cluster(cluster), service));
        updateDesiredCount(s, count);
    }

    // ---- task sets --------------------------------------------------------------------------------

    synchronized TaskSet createTaskSet(Service s, String region, String externalId, TaskDef td, String launchType,
                                       JsonNode capacityProviders, String platformVersion, JsonNode network,
                                       String targetGroupArn, String containerName, int containerPort, double scale,
                                       String clientToken, JsonNode request, Map<String, String> tags) {
        sync(s);
        // DRAINING task sets still count, as in ECS.
        if (s.taskSets.size() >= MAX_TASK_SETS) {
            throw EcsErrors.invalid("Unable to create task set: " + MAX_TASK_SETS + " deployments exist on the service.");
        }
        String id = "ecs-svc/" + String.format("%019d", ThreadLocalRandom.current().nextLong(1_000_000_000_000_000_000L));
        String arn = "arn:aws:ecs:" + region + ":" + accountId + ":task-set/" + s.cluster.name + "/" + s.name + "/" + id;
        TaskSet ts = new TaskSet(id, arn, s, externalId, td, launchType, capacityProviders, platformVersion, network,
                targetGroupArn, containerName, containerPort, clientToken, request, clock.instant());
        ts.scale = scale;
        ts.tags.putAll(tags);
        s.taskSets.put(id, ts);
        sync(s);
        return ts;
    }

    synchronized TaskSet taskSet(Service s, String idOrArn) {
        String id = idOrArn.contains("/ecs-svc/") ? idOrArn.substring(idOrArn.indexOf("ecs-svc/")) : idOrArn;
        TaskSet ts = s.taskSets.get(id);
        if (ts == null) throw EcsErrors.taskSetNotFound();
        return ts;
    }

    /**
     * What an earlier request with this client token created, when it was the same action with the same
     * parameters; empty for a new token.
     *
     * @throws io.ecsbluegreen.sim.protocol.AwsErrorException InvalidParameterException when the token was
     *     used with another action or other parameters
     */
    synchronized Optional<CreateToken> createToken(Cluster cluster, String action, String token, JsonNode request) {
        if (token == null) return Optional.empty();
        CreateToken used = cluster.createTokens.get(token);
        if (used == null) return Optional.empty();
        if (!used.action().equals(action) || !used.request().equals(request)) {
            throw EcsErrors.invalid("Creation was not idempotent: the client token " + token + " was already used by a "
                    + used.action() + " request with different parameters.");
        }
        return Optional.of(used);
    }

    synchronized void rememberToken(Cluster cluster, String action, String token, JsonNode request, Object resource, JsonNode answer) {
        if (token != null) cluster.createTokens.put(token, new CreateToken(action, request, resource, answer, clock.instant()));
    }

    /** Whether the service or task set a client token created is still there to describe. */
    synchronized boolean stillHeld(Object resource) {
        if (resource instanceof Service s) return s.cluster.services.get(s.name) == s;
        if (resource instanceof TaskSet ts) return ts.service.taskSets.get(ts.id) == ts;
        return false;
    }

    synchronized void updateScale(TaskSet ts, double scale) {
        ts.scale = scale;
        ts.updatedAt = clock.instant();
        sync(ts.service);
    }

    synchronized void makePrimary(TaskSet ts) {
        for (TaskSet other : ts.service.taskSets.values()) {
            if ("PRIMARY".equals(other.status)) {
                other.status = "ACTIVE";
                other.updatedAt = clock.instant();
            }
        }
        ts.status = "PRIMARY";
        ts.updatedAt = clock.instant();
    }

    /**
     * Deletes a task set as ECS does: it turns DRAINING, its tasks stop and their targets deregister, and
     * it stays visible (and counts toward the limit) for the target group's deregistration delay.
     */
    synchronized void deleteTaskSet(TaskSet ts, boolean force) {
        sync(ts.service);
        if (ts.draining()) throw EcsErrors.invalid("The specified task set is already being deleted (status DRAINING).");
        if (!force && ts.tasks.stream().anyMatch(Task::live)) {
            throw EcsErrors.invalid("The specified task set cannot be deleted because it is not scaled down to 0.");
        }
        Instant now = clock.instant();
        Duration delay = ts.targetGroupArn != null && targetGroups.exists(ts.targetGroupArn)
                ? targetGroups.deregistrationDelay(ts.targetGroupArn) : Duration.ZERO;
        ts.status = "DRAINING";
        ts.updatedAt = now;
        ts.drainUntil = now.plus(delay);
        for (Task t : ts.tasks) {
            if (t.live()) stop(t, now, "Task set deleted");
        }
        deregisterStopped(ts);
        if (delay.isZero()) removeTaskSet(ts);
    }

    /** Refuses changes to a task set that is being deleted. */
    static TaskSet requireNotDraining(TaskSet ts) {
        if (ts.draining()) throw EcsErrors.invalid("The specified task set is being deleted (status DRAINING).");
        return ts;
    }

    private void removeTaskSet(TaskSet ts) {
        Instant now = clock.instant();
        for (Task t : ts.tasks) {
            if (t.live()) stop(t, now, "Task set deleted");
        }
        deregisterStopped(ts);
        ts.service.taskSets.remove(ts.id);
        ts.tasks.forEach(t -> tasksByArn.remove(t.arn));
    }

    // ---- tasks ------------------------------------------------------------------------------------

    synchronized Optional<Task> task(String arnOrId) {
        Task t = tasksByArn.get(arnOrId);
        if (t == null) {
            for (Task candidate : tasksByArn.values()) {
                if (candidate.id.equals(arnOrId)) return Optional.of(candidate);
            }
        }
        if (t != null) sync(t.taskSet.service);
        return Optional.ofNullable(t);
    }

    synchronized List<Task> tasks(Cluster cluster, String serviceName) {
        List<Task> out = new ArrayList<>();
        for (Service s : cluster.services.values()) {
            if (serviceName != null && !s.name.equals(lastSegment(serviceName))) continue;
            sync(s);
            s.taskSets.values().forEach(ts -> out.addAll(ts.tasks));
        }
        return out;
    }

    /** Stops a task as StopTask does; the scheduler replaces it at the next look. */
    synchronized void stopTask(Task t, String reason) {
        if (t.live()) stop(t, clock.instant(), reason);
        sync(t.taskSet.service);
    }

    // ---- one-off tasks (RunTask) ----------------------------------------------------------------------

    /**
     * Starts {@code count} tasks of {@code td}, or answers the tasks an earlier request with the same
     * client token started: the same request is a retry; another one is a {@code ConflictException}.
     *
     * @param request the RunTask body (validated by the caller)
     */
    synchronized List<OneOffTask> runTask(Cluster cluster, TaskDef td, int count, JsonNode request, Map<String, String> tags) {
        forgetOld();
        Instant now = clock.instant();
        String token = request.hasNonNull("clientToken") ? request.get("clientToken").asText() : null;
        if (token != null) {
            TokenUse used = cluster.runTaskTokens.get(token);
            if (used != null) {
                if (used.request().equals(request)) return used.tasks();
                throw EcsErrors.conflict("The specified client token is already in use with a different RunTask request. Existing tasks: "
                        + String.join(", ", used.tasks().stream().map(t -> t.arn).toList()));
            }
        }
        List<OneOffTask.Container> containers = OneOffTask.containers(td, request.path("overrides"), images::of);
        List<OneOffTask> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = taskId();
            OneOffTask t = new OneOffTask(id, cluster.arn.replace(":cluster/", ":task/") + "/" + id, cluster, td, request,
                    nextIp(), now, taskStart, containers);
            t.tags.putAll(tags);
            oneOffByArn.put(t.arn, t);
            started.add(t);
        }
        if (token != null) cluster.runTaskTokens.put(token, new TokenUse(request, List.copyOf(started), now));
        return started;
    }

    /** A one-off task of the cluster by ARN or id, while it is kept. */
    synchronized Optional<OneOffTask> oneOffTask(Cluster cluster, String arnOrId) {
        forgetOld();
        OneOffTask t = oneOffByArn.get(arnOrId);
        if (t == null) {
            for (OneOffTask candidate : oneOffByArn.values()) {
                if (candidate.id.equals(arnOrId)) t = candidate;
            }
        }
        return t == null || t.cluster != cluster ? Optional.empty() : Optional.of(t);
    }

    /** The one-off tasks of a cluster still kept, oldest first. */
    synchronized List<OneOffTask> oneOffTasks(Cluster cluster) {
        forgetOld();
        return oneOffByArn.values().stream().filter(t -> t.cluster == cluster).toList();
    }

    /** StopTask of a one-off task. */
    synchronized void stopOneOff(OneOffTask t, String reason) {
        t.stop(clock.instant(), reason);
    }

    /** Drops stopped one-off tasks past their retention and client tokens past their lifetime. */
    private void forgetOld() {
        Instant now = clock.instant();
        oneOffByArn.values().removeIf(t -> t.stoppedAt() != null && !now.isBefore(t.stoppedAt().plus(STOPPED_ONE_OFF_RETENTION)));
        for (Cluster c : clusters.values()) {
            c.runTaskTokens.values().removeIf(u -> !now.isBefore(u.at().plus(CLIENT_TOKEN_TTL)));
        }
    }

    private void stop(Task t, Instant at, String reason) {
        t.stoppedAt = at;
        t.stoppedReason = reason;
        if (t.process != null) t.process.stop();
        taskStateChange(t, "STOPPED", at);
    }

    /** ECS's "ECS Task State Change" event: the task's new status, its cluster and its service's group. */
    private void taskStateChange(Task t, String lastStatus, Instant at) {
        Service s = t.taskSet.service;
        boolean stopped = "STOPPED".equals(lastStatus);
        Json detail = Json.object()
                .field("clusterArn", s.cluster.arn)
                .field("taskArn", t.arn)
                .field("taskDefinitionArn", t.taskSet.taskDefinition.arn)
                .field("group", "service:" + s.name)
                .field("startedBy", t.taskSet.id)
                .field("lastStatus", lastStatus)
                .field("desiredStatus", stopped ? "STOPPED" : "RUNNING")
                .field("launchType", t.taskSet.launchType)
                .field("createdAt", AwsDates.iso8601(t.createdAt))
                .field("updatedAt", AwsDates.iso8601(at))
                .field("version", stopped ? 3 : lastStatus.equals("RUNNING") ? 2 : 1);
        if (stopped) {
            detail.field("stoppedAt", AwsDates.iso8601(t.stoppedAt))
                    .field("stoppedReason", t.stoppedReason)
                    .field("stopCode", t.stoppedReason != null && t.stoppedReason.startsWith("Essential container")
                            ? "EssentialContainerExited" : "ServiceSchedulerInitiated");
        }
        events.emit(new ServiceEvents.Event("aws.ecs", "ECS Task State Change", region(s.cluster.arn), at,
                List.of(t.arn), detail.build()));
    }

    /** ECS's "ECS Service Action" event {@code TASKSET_STEADY_STATE}: the service in {@code resources}, the task set in the detail. */
    private void serviceAction(TaskSet ts, String eventName, Instant at) {
        serviceAction(ts.service, "INFO", eventName, ts.arn, at);
    }

    /**
     * ECS's "ECS Service Action" event as AWS's examples show it: {@code resources} holds the service ARN, the
     * detail its type ({@code INFO}, {@code WARN}, {@code ERROR}), name, cluster and time, and the task sets
     * it concerns when it concerns one.
     */
    private void serviceAction(Service s, String eventType, String eventName, String taskSetArn, Instant at) {
        Json detail = Json.object()
                .field("eventType", eventType)
                .field("eventName", eventName)
                .field("clusterArn", s.cluster.arn);
        if (taskSetArn != null) detail.raw("taskSetArns", "[" + Json.quote(taskSetArn) + "]");
        detail.field("createdAt", AwsDates.iso8601(at));
        events.emit(new ServiceEvents.Event("aws.ecs", "ECS Service Action", region(s.cluster.arn), at,
                List.of(s.arn), detail.build()));
    }

    private static String region(String arn) {
        String[] parts = arn.split(":");
        return parts.length > 3 ? parts[3] : "us-east-1";
    }

    /** Brings a service's task sets up to the simulator clock. */
    private void sync(Service s) {
        Instant now = clock.instant();
        for (TaskSet ts : List.copyOf(s.taskSets.values())) {
            if (ts.draining() && !now.isBefore(ts.drainUntil)) removeTaskSet(ts);
        }
        for (TaskSet ts : s.taskSets.values()) {
            // Crashes happen at their own time; each crashed task is replaced from that moment on.
            for (int guard = 0; guard < 1000; guard++) {
                Task crashed = null;
                for (Task t : ts.tasks) {
                    if (t.live() && t.behaviour.crashAfter() != null && !t.startedAt.plus(t.behaviour.crashAfter()).isAfter(now)
                            && (crashed == null || t.startedAt.isBefore(crashed.startedAt))) {
                        crashed = t;
                    }
                }
                if (crashed == null) break;
                Instant at = crashed.startedAt.plus(crashed.behaviour.crashAfter());
                failed(crashed, at, "Essential container in task exited");
                if (liveCount(ts) < ts.computedDesiredCount()) startTask(ts, at);
            }
            // A real process that exits on its own is a container that exited: ECS stops and replaces the task.
            for (Task t : ts.tasks) {
                if (t.live() && t.process != null && !t.process.alive()) failed(t, now, "Essential container in task exited");
            }
            int desired = ts.computedDesiredCount();
            while (liveCount(ts) < desired) startTask(ts, now);
            if (liveCount(ts) > desired) {
                List<Task> live = ts.tasks.stream().filter(Task::live).toList();
                for (int i = live.size() - 1; i >= 0 && liveCount(ts) > desired; i--) {
                    stop(live.get(i), now, "Scaling activity initiated by (deployment " + ts.id + ")");
                }
            }
            for (Task t : ts.tasks) {
                if (t.running(now) && t.behaviour.realProcess() && t.process == null) startProcess(t, now);
                if (t.running(now) && !t.runningReported) {
                    t.runningReported = true;
                    taskStateChange(t, "RUNNING", t.startedAt);
                }
            }
            for (Task t : ts.tasks) {
                if (t.running(now) && !t.registered && ts.targetGroupArn != null && targetGroups.exists(ts.targetGroupArn)) {
                    targetGroups.register(ts.targetGroupArn, simTask(t), ts.containerPort);
                    t.registered = true;
                }
            }
            deregisterStopped(ts);
            trimStopped(ts);
            boolean steady = steady(ts, now);
            if (steady != ts.steady) {
                ts.steady = steady;
                ts.stabilityStatusAt = now;
                if (steady) serviceAction(ts, "TASKSET_STEADY_STATE", now);
            }
        }
        serviceSteadiness(s, now);
    }

    /**
     * ECS's SERVICE_STEADY_STATE, once each time the service becomes steady: it has a task set that is not
     * draining and all of those are steady. ECS may repeat it periodically; the simulator sends it only on
     * the change, so nothing may depend on a repeat.
     */
    private void serviceSteadiness(Service s, Instant now) {
        boolean any = false;
        boolean all = true;
        for (TaskSet ts : s.taskSets.values()) {
            if (ts.draining()) continue;
            any = true;
            all &= ts.steady;
        }
        boolean steady = any && all;
        if (steady && !s.steady) {
            s.startFailures = 0;
            s.startImpaired = false;
            serviceAction(s, "INFO", "SERVICE_STEADY_STATE", null, now);
        }
        s.steady = steady;
    }

    /**
     * A task that stopped on its own. After {@link #START_FAILURES_IMPAIRED} of them before the service is
     * steady again, ECS's SERVICE_TASK_START_IMPAIRED warning, once per such spell.
     */
    private void failed(Task t, Instant at, String reason) {
        stop(t, at, reason);
        Service s = t.taskSet.service;
        s.startFailures++;
        if (s.startFailures >= START_FAILURES_IMPAIRED && !s.startImpaired) {
            s.startImpaired = true;
            serviceAction(s, "WARN", "SERVICE_TASK_START_IMPAIRED", null, at);
        }
    }

    private void deregisterStopped(TaskSet ts) {
        for (Task t : ts.tasks) {
            if (!t.live() && t.registered) {
                if (targetGroups.exists(ts.targetGroupArn)) targetGroups.deregister(ts.targetGroupArn, t.ip, ts.containerPort);
                t.registered = false;
            }
        }
    }

    private void trimStopped(TaskSet ts) {
        long stopped = ts.tasks.stream().filter(t -> !t.live()).count();
        for (int i = 0; i < ts.tasks.size() && stopped > STOPPED_TASKS_KEPT; ) {
            Task t = ts.tasks.get(i);
            if (!t.live() && !t.registered) {
                ts.tasks.remove(i);
                tasksByArn.remove(t.arn);
                stopped--;
            } else {
                i++;
            }
        }
    }

    private boolean steady(TaskSet ts, Instant now) {
        int desired = ts.computedDesiredCount();
        List<Task> live = ts.tasks.stream().filter(Task::live).toList();
        if (live.size() != desired || live.stream().anyMatch(t -> !t.running(now))) return false;
        if (ts.targetGroupArn == null) return true;
        for (Task t : live) {
            Optional<TargetHealthState> health = targetGroups.health(ts.targetGroupArn, t.ip, ts.containerPort);
            if (health.isEmpty() || health.get() != TargetHealthState.HEALTHY) return false;
        }
        return true;
    }

    private int liveCount(TaskSet ts) {
        int n = 0;
        for (Task t : ts.tasks) if (t.live()) n++;
        return n;
    }

    private void startTask(TaskSet ts, Instant at) {
        String id = taskId();
        String arn = ts.service.cluster.arn.replace(":cluster/", ":task/") + "/" + id;
        Task t = new Task(id, arn, ts, nextIp(), at, at.plus(taskStart), images.of(image(ts)));
        ts.tasks.add(t);
        tasksByArn.put(arn, t);
        taskStateChange(t, "PROVISIONING", at);
    }

    /** Starts a RUNNING task's real process; a command that cannot start stops the task, as a container that cannot. */
    private void startProcess(Task t, Instant now) {
        try {
            t.process = processes.start(t.arn, t.behaviour.command(), environment(container(t)));
        } catch (IOException | RuntimeException e) {
            failed(t, now, "CannotStartContainerError: " + e.getMessage());
        }
    }

    private String taskId() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong()).replace("-", "") + Long.toHexString(nextIp);
    }

    /** A private IP unique within the simulator. */
    private String nextIp() {
        long n = nextIp++;
        return "10." + ((n >> 16) & 0xff) + "." + ((n >> 8) & 0xff) + "." + (n & 0xff);
    }

    /** The image of the container registered in the target group (or the first container). */
    static String image(TaskSet ts) {
        JsonNode c = ts.containerName == null ? null : ts.taskDefinition.container(ts.containerName).orElse(null);
        if (c == null) c = ts.taskDefinition.request.path("containerDefinitions").path(0);
        return c.path("image").asText("");
    }

    private SimTask simTask(Task t) {
        JsonNode container = container(t);
        return new SimTask(t.arn, t.taskSet.id, t.ip, container.path("image").asText(""), environment(container), t.startedAt,
                t.behaviour, t.process != null ? t.process.port() : 0);
    }

    /** The container registered in the target group (or the first one). */
    private static JsonNode container(Task t) {
        return t.taskSet.taskDefinition.container(t.taskSet.containerName)
                .orElse(t.taskSet.taskDefinition.request.path("containerDefinitions").path(0));
    }

    private static Map<String, String> environment(JsonNode container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode kv : container.path("environment")) env.put(kv.path("name").asText(), kv.path("value").asText());
        return env;
    }

    // ---- Java API for tests -----------------------------------------------------------------------

    /** A task set as a test sees it. */
    public record TaskSetView(String id, String arn, String externalId, String status, double scale, int computedDesiredCount,
                              int runningCount, int pendingCount, boolean steady, String targetGroupArn) {}

    /** The task sets of a service, up to the current simulated time. */
    public synchronized List<TaskSetView> taskSets(String cluster, String service) {
        Service s = service(cluster(cluster), service);
        Instant now = clock.instant();
        return s.taskSets.values().stream().map(ts -> new TaskSetView(ts.id, ts.arn, ts.externalId, ts.status, ts.scale,
                ts.computedDesiredCount(), (int) ts.tasks.stream().filter(t -> t.running(now)).count(),
                (int) ts.tasks.stream().filter(t -> t.live() && !t.running(now)).count(), ts.steady, ts.targetGroupArn)).toList();
    }

    /** Drift: deletes a task set behind the operator's back. */
    public synchronized void dropTaskSet(String cluster, String service, String taskSetIdOrArn) {
        Service s = service(cluster(cluster), service);
        removeTaskSet(taskSet(s, taskSetIdOrArn));
    }

    /** Drift: rescales a task set behind the operator's back. */
    public synchronized void rescaleTaskSet(String cluster, String service, String taskSetIdOrArn, double percent) {
        Service s = service(cluster(cluster), service);
        updateScale(taskSet(s, taskSetIdOrArn), percent);
    }

    /** Drift: makes another task set primary behind the operator's back. */
    public synchronized void setPrimary(String cluster, String service, String taskSetIdOrArn) {
        Service s = service(cluster(cluster), service);
        makePrimary(taskSet(s, taskSetIdOrArn));
    }

    /**
     * A one-off task (RunTask) as a test sees it.
     *
     * @param exitCodes the exit codes of the containers that have one, by container name
     */
    public record OneOffTaskView(String arn, String taskDefinitionArn, String lastStatus, String desiredStatus, String stopCode,
                                 String stoppedReason, String startedBy, String group, Map<String, Integer> exitCodes) {}

    /** The one-off tasks of a cluster still kept (stopped ones for an hour), oldest first, up to the current simulated time. */
    public synchronized List<OneOffTaskView> oneOffTasks(String cluster) {
        Instant now = clock.instant();
        return oneOffTasks(cluster(cluster)).stream().map(t -> {
            Map<String, Integer> codes = new LinkedHashMap<>();
            for (OneOffTask.Container c : t.containers) {
                Integer code = t.state(c, now).exitCode();
                if (code != null) codes.put(c.name(), code);
            }
            boolean stopping = !t.live(now);
            return new OneOffTaskView(t.arn, t.taskDefinition.arn, t.lastStatus(now), t.desiredStatus(now),
                    stopping ? t.stopCode() : null, stopping ? t.stoppedReason() : null, t.startedBy(), t.group(), codes);
        }).toList();
    }

    /** Counts of what the store holds, for capacity benchmarks. */
    public synchronized Map<String, Integer> counts() {
        int services = 0;
        int taskSets = 0;
        int tasks = 0;
        for (Cluster c : clusters.values()) {
            services += c.services.size();
            for (Service s : c.services.values()) {
                taskSets += s.taskSets.size();
                for (TaskSet ts : s.taskSets.values()) tasks += ts.tasks.size();
            }
        }
        return Map.of("clusters", clusters.size(), "services", services, "taskSets", taskSets, "tasks", tasks,
                "oneOffTasks", oneOffByArn.size());
    }

    static String lastSegment(String nameOrArn) {
        return nameOrArn.substring(nameOrArn.lastIndexOf('/') + 1);
    }
}

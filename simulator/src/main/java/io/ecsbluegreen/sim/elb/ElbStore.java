package io.ecsbluegreen.sim.elb;

import static io.ecsbluegreen.sim.elb.ElbValidation.ACTION_TYPES;
import static io.ecsbluegreen.sim.elb.ElbValidation.checkArn;
import static io.ecsbluegreen.sim.elb.ElbValidation.checkListenerProtocol;
import static io.ecsbluegreen.sim.elb.ElbValidation.checkPriority;
import static io.ecsbluegreen.sim.elb.ElbValidation.checkProtocol;
import static io.ecsbluegreen.sim.elb.ElbValidation.checkRange;
import static io.ecsbluegreen.sim.elb.ElbValidation.enumError;
import static io.ecsbluegreen.sim.elb.ElbValidation.validateConditions;
import static io.ecsbluegreen.sim.elb.ElbValidation.validateFixedResponse;
import static io.ecsbluegreen.sim.elb.ElbValidation.validateHealthCheck;
import static io.ecsbluegreen.sim.elb.ElbValidation.validateName;
import static io.ecsbluegreen.sim.elb.ElbValidation.validateNewTags;
import static io.ecsbluegreen.sim.elb.ElbValidation.validateRedirect;
import static io.ecsbluegreen.sim.elb.ElbValidation.validateTargetId;

import io.ecsbluegreen.sim.ListenerPortMode;
import io.ecsbluegreen.sim.SimClock;
import io.ecsbluegreen.sim.spi.LoadBalancerMetrics;
import io.ecsbluegreen.sim.spi.SimTask;
import io.ecsbluegreen.sim.spi.TargetGroups;
import io.ecsbluegreen.sim.spi.TargetHealthState;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * The simulated Elastic Load Balancing v2 state behind the endpoint: Application Load Balancers, target
 * groups and their targets, listeners (each really listening on {@code 127.0.0.1}), rules and tags.
 *
 * <p>Tests and the seed file use it from Java to create resources with explicit ids, so that hard-coded
 * ARNs such as {@code arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/demo/5f2b3c4d5e6f7a8b/1a2b3c4d5e6f7081}
 * exist:
 *
 * <pre>{@code
 * ElbStore elb = sim.elb();
 * LoadBalancer demo = elb.createLoadBalancer("demo", "5f2b3c4d5e6f7a8b");
 * TargetGroup blue = elb.createTargetGroup("greeter-blue", "0123456789abcdef", 8080);
 * Listener prod = elb.createListener(demo.arn(), "1a2b3c4d5e6f7081", 80, Action.forward(blue.arn()));
 * URI endpoint = elb.endpoint(prod.arn());   // http://127.0.0.1:PORT
 * }</pre>
 *
 * <p>It is also the ECS side's {@link TargetGroups} (simulated tasks enter target groups through it) and
 * CloudWatch's {@link LoadBalancerMetrics} (what the listeners served). Thread-safe: every operation
 * holds the store's lock; target health is derived lazily from the {@link SimClock}, without threads.
 */
public final class ElbStore implements TargetGroups, LoadBalancerMetrics, AutoCloseable {

    /** What every load balancer reports as its {@code DNSName}: the data plane listens on loopback only. */
    public static final String DNS_NAME = "127.0.0.1";
    /** The region of resources created from Java without one. */
    public static final String DEFAULT_REGION = "us-east-1";
    /** The subnets of load balancers created from Java. */
    public static final List<String> DEFAULT_SUBNETS = List.of("subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788");

    static final int MAX_LOAD_BALANCERS = 50;
    static final int MAX_TARGET_GROUPS = 3000;
    static final int MAX_LISTENERS_PER_LOAD_BALANCER = 50;
    static final int MAX_RULES_PER_LOAD_BALANCER = 100;
    static final int MAX_TARGET_GROUPS_PER_LOAD_BALANCER = 100;
    static final int MAX_TARGET_GROUPS_PER_ACTION = 5;
    static final int MAX_WEIGHT = 999;
    static final int MAX_TARGETS_PER_TARGET_GROUP = 1000;
    static final int MAX_TAGS = 50;
    static final int MAX_CONDITION_VALUES = 5;
    static final int MAX_WILDCARDS = 5;
    static final int MAX_PRIORITY = 50_000;
    static final String DEFAULT_SSL_POLICY = "ELBSecurityPolicy-2016-08";
    static final String TARGET_GROUP_COOKIE = "AWSALBTG";
    static final String TARGET_COOKIE = "AWSALB";

    /** A target group with its registered targets and whether a listener or rule uses it. */
    private static final class TargetGroupState {
        TargetGroup group;
        final LinkedHashMap<String, RegisteredTarget> targets = new LinkedHashMap<>();
        /** Since when a listener or rule uses the group (health checks run), or null when unused. */
        Instant usedSince;
        int roundRobin;

        TargetGroupState(TargetGroup group) {
            this.group = group;
        }
    }

    private final SimClock clock;
    private final String accountId;
    private final ListenerPortMode portMode;
    private final Random random;
    private final TrafficMetrics metrics = new TrafficMetrics();
    private final DataPlane dataPlane;
    private final ProcessHealthChecks processHealthChecks = new ProcessHealthChecks(this);
    private final TlsCertificates tls = new TlsCertificates();

    private final Map<String, LoadBalancer> loadBalancers = new LinkedHashMap<>();
    private final Map<String, TargetGroupState> targetGroups = new LinkedHashMap<>();
    private final Map<String, Listener> listeners = new LinkedHashMap<>();
    private final Map<String, Rule> rules = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> tags = new HashMap<>();

    /**
     * @param portMode which port listeners bind ({@link ListenerPortMode#EPHEMERAL} in tests)
     * @param randomSeed seeds the choice of weighted target groups and of erroring requests
     */
    private int targetGroupQuota = MAX_TARGET_GROUPS;
    private int loadBalancerQuota = MAX_LOAD_BALANCERS;

    public ElbStore(SimClock clock, String accountId, ListenerPortMode portMode, long randomSeed) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.accountId = accountId;
        this.portMode = portMode;
        this.random = new Random(randomSeed);
        this.dataPlane = new DataPlane(this, randomSeed);
    }

    /** The account's load balancer quota; raised by benchmarks as a Service Quotas increase would. */
    /**
     * The certificates HTTPS listeners serve: set their names ({@code *.example.test} by default) and get
     * the CA to trust.
     */
    public TlsCertificates tls() {
        return tls;
    }

    public synchronized void loadBalancerQuota(int quota) {
        loadBalancerQuota = quota;
    }

    /** The account's target group quota; raised by benchmarks as a Service Quotas increase would. */
    public synchronized void targetGroupQuota(int quota) {
        targetGroupQuota = quota;
    }

    public String accountId() {
        return accountId;
    }

    public ListenerPortMode portMode() {
        return portMode;
    }

    SimClock clock() {
        return clock;
    }

    TrafficMetrics trafficMetrics() {
        return metrics;
    }

    // ---------------------------------------------------------------------------------------------
    // Java API: seeding with explicit ids and inspecting

    /** Creates an internet-facing ALB in {@value #DEFAULT_REGION}; a null id picks a random one. */
    public LoadBalancer createLoadBalancer(String name, String id) {
        return createLoadBalancer(DEFAULT_REGION, name, id);
    }

    /** Creates an internet-facing ALB on {@link #DEFAULT_SUBNETS}; a null id picks a random one. */
    public LoadBalancer createLoadBalancer(String region, String name, String id) {
        if (id != null) {
            Arns.requireId(id);
        }
        return createLoadBalancer(region, name, id, "internet-facing", DEFAULT_SUBNETS, List.of(), "ipv4", Map.of());
    }

    /** Creates an HTTP target group of type {@code ip} in {@value #DEFAULT_REGION} with default health checks. */
    public TargetGroup createTargetGroup(String name, String id, int port) {
        return createTargetGroup(DEFAULT_REGION, name, id, "HTTP", port, "ip", HealthCheck.defaults("HTTP"));
    }

    /** Creates a target group; a null id picks a random one. */
    public TargetGroup createTargetGroup(String region, String name, String id, String protocol, int port,
            String targetType, HealthCheck healthCheck) {
        if (id != null) {
            Arns.requireId(id);
        }
        return createTargetGroup(region, name, id, protocol, "HTTP1", port, vpcId(region), targetType, "ipv4",
                healthCheck, Map.of());
    }

    /** Creates an HTTP listener; a null id picks a random one. */
    public Listener createListener(String loadBalancerArn, String id, int port, Action defaultAction) {
        if (id != null) {
            Arns.requireId(id);
        }
        return createListener(loadBalancerArn, id, "HTTP", port, List.of(defaultAction), List.of(), null, Map.of());
    }

    /** Creates a rule; a null id picks a random one. */
    public Rule createRule(String listenerArn, String id, int priority, List<Condition> conditions, Action action) {
        if (id != null) {
            Arns.requireId(id);
        }
        return createRule(listenerArn, id, priority, conditions, List.of(action), Map.of());
    }

    /** Replaces the actions of a rule or of a listener's default rule (e.g. new weights). */
    public Rule setActions(String ruleArn, Action action) {
        return modifyRule(ruleArn, null, List.of(action));
    }

    /** Replaces a listener's default action. */
    public synchronized Listener setDefaultAction(String listenerArn, Action action) {
        return modifyListener(listenerArn, null, null, List.of(action), null, null);
    }

    public synchronized Optional<LoadBalancer> loadBalancer(String arn) {
        return Optional.ofNullable(loadBalancers.get(arn));
    }

    public synchronized Optional<LoadBalancer> loadBalancerByName(String name) {
        return loadBalancers.values().stream().filter(lb -> lb.name().equals(name)).findFirst();
    }

    public synchronized List<LoadBalancer> loadBalancers() {
        return List.copyOf(loadBalancers.values());
    }

    public synchronized Optional<TargetGroup> targetGroup(String arn) {
        return Optional.ofNullable(targetGroups.get(arn)).map(s -> s.group);
    }

    public synchronized Optional<TargetGroup> targetGroupByName(String name) {
        return targetGroups.values().stream().map(s -> s.group).filter(g -> g.name().equals(name)).findFirst();
    }

    public synchronized List<TargetGroup> targetGroups() {
        return targetGroups.values().stream().map(s -> s.group).toList();
    }

    public synchronized Optional<Listener> listener(String arn) {
        return Optional.ofNullable(listeners.get(arn));
    }

    public synchronized List<Listener> listeners() {
        return List.copyOf(listeners.values());
    }

    /** A rule, including a listener's default rule. */
    public synchronized Optional<Rule> rule(String arn) {
        return Optional.ofNullable(findRule(arn));
    }

    /** A listener's rules by priority, the default rule last. */
    public synchronized List<Rule> rules(String listenerArn) {
        return rulesOf(requireListener(listenerArn));
    }

    /** {@code http://127.0.0.1:PORT}: where the listener answers HTTP. */
    public synchronized URI endpoint(String listenerArn) {
        return URI.create(requireListener(listenerArn).endpoint());
    }

    /** The load balancers whose listeners or rules forward to a target group. */
    public synchronized List<String> loadBalancerArnsOf(String targetGroupArn) {
        Set<String> arns = new LinkedHashSet<>();
        for (Listener listener : listeners.values()) {
            if (references(listener.defaultActions(), targetGroupArn)) {
                arns.add(listener.loadBalancerArn());
            }
        }
        for (Rule rule : rules.values()) {
            if (references(rule.actions(), targetGroupArn)) {
                arns.add(Arns.loadBalancerOf(rule.listenerArn()));
            }
        }
        return List.copyOf(arns);
    }

    /** Registers a target (an IP address or instance id) as RegisterTargets does; health checks pass. */
    public void registerTarget(String targetGroupArn, String id, int port) {
        registerTargets(targetGroupArn, List.of(new TargetDescription(id, port, null)));
    }

    /**
     * From now on the target's health checks pass or fail (connection refused), whatever its app does;
     * a simulated target that fails also refuses data-plane requests (502). Targets registered by
     * RegisterTargets pass until marked.
     */
    public synchronized void markTarget(String targetGroupArn, String id, int port, boolean passesHealthChecks) {
        TargetGroupState state = requireTargetGroup(targetGroupArn);
        RegisteredTarget target = state.targets.get(RegisteredTarget.key(id, port));
        if (target == null || target.draining()) {
            throw new IllegalArgumentException("target " + id + ":" + port + " is not registered in " + targetGroupArn);
        }
        Instant now = clock.instant();
        if (state.usedSince != null) {
            target.advance(now, state.group.healthCheck());
        }
        target.mark(now, passesHealthChecks ? RegisteredTarget.Probe.PASS : RegisteredTarget.Probe.REFUSED);
    }

    /** Every registered target's health, as DescribeTargetHealth without targets reports it. */
    public List<TargetStatus> targetHealth(String targetGroupArn) {
        return describeTargetHealth(targetGroupArn, List.of());
    }

    /** Everything the listeners routed to a target group so far. */
    public TargetGroupTraffic traffic(String targetGroupArn) {
        return traffic(targetGroupArn, Instant.EPOCH, Instant.MAX);
    }

    /** What the listeners routed to a target group in [{@code start}, {@code end}) of simulated time. */
    public TargetGroupTraffic traffic(String targetGroupArn, Instant start, Instant end) {
        return TargetGroupTraffic.of(metrics.totals(Arns.targetGroupDimension(targetGroupArn), start, end));
    }

    /** Removes every resource and closes every listener socket; recorded traffic is kept. */
    public synchronized void clear() {
        for (Listener listener : List.copyOf(listeners.values())) {
            removeListener(listener);
        }
        loadBalancers.clear();
        targetGroups.clear();
        rules.clear();
        tags.clear();
    }

    /** Closes every listener socket. */
    @Override
    public synchronized void close() {
        processHealthChecks.close();
        dataPlane.close();
    }

    // ---------------------------------------------------------------------------------------------
    // Seams

    @Override
    public synchronized boolean associated(String targetGroupArn) {
        return !loadBalancerArnsOf(targetGroupArn).isEmpty();
    }

    @Override
    public synchronized boolean exists(String targetGroupArn) {
        return targetGroupArn != null && targetGroups.containsKey(targetGroupArn);
    }

    @Override
    public synchronized void register(String targetGroupArn, SimTask task, int port) {
        TargetGroupState state = targetGroups.get(targetGroupArn);
        if (state == null) {
            throw new IllegalArgumentException("no target group " + targetGroupArn);
        }
        String key = RegisteredTarget.key(task.ip(), port);
        RegisteredTarget existing = state.targets.get(key);
        if (existing != null && !existing.draining() && existing.task != null
                && existing.task.taskArn().equals(task.taskArn())) {
            return;
        }
        // ECS registers a task when it reaches RUNNING; a lazily simulated task may be registered after a
        // clock jump, so its registration is dated back to its start, as AWS would have seen it.
        Instant now = clock.instant();
        if (task.startedAt() != null && task.startedAt().isBefore(now)) now = task.startedAt();
        RegisteredTarget target = new RegisteredTarget(task.ip(), port, now, task);
        if (state.usedSince != null) {
            target.restartChecks(now, Duration.ofSeconds(state.group.healthCheck().intervalSeconds()));
        }
        state.targets.remove(key);
        state.targets.put(key, target);
        if (task.real()) {
            // A real process is checked for real: it fails until a check of it passes.
            target.mark(now, RegisteredTarget.Probe.REFUSED);
            processHealthChecks.ensureRunning();
        }
    }

    /** The registered targets whose task is a real process, with what their health checks ask. */
    synchronized List<ProcessHealthChecks.Probe> processTargets() {
        List<ProcessHealthChecks.Probe> probes = new ArrayList<>();
        for (TargetGroupState state : targetGroups.values()) {
            HealthCheck check = state.group.healthCheck();
            for (RegisteredTarget target : state.targets.values()) {
                if (target.task != null && target.task.real() && !target.draining()) {
                    probes.add(new ProcessHealthChecks.Probe(state.group.arn(), target.id, target.port, target.task.taskArn(),
                            target.task.localPort(), check.path(), check.timeoutSeconds(), check.matcher()));
                }
            }
        }
        return probes;
    }

    /** What a health check of a real process saw: health checks see it from now on. */
    synchronized void recordProbe(ProcessHealthChecks.Probe probe, RegisteredTarget.Probe seen) {
        TargetGroupState state = targetGroups.get(probe.targetGroupArn());
        RegisteredTarget target = state == null ? null : state.targets.get(RegisteredTarget.key(probe.id(), probe.port()));
        if (target == null || target.draining() || target.task == null || !target.task.taskArn().equals(probe.taskArn())) {
            return;
        }
        Instant now = clock.instant();
        if (target.probe(now) == seen) return;
        if (state.usedSince != null) {
            target.advance(now, state.group.healthCheck());
        }
        target.mark(now, seen);
    }

    @Override
    public synchronized void deregister(String targetGroupArn, String ip, int port) {
        if (targetGroups.containsKey(targetGroupArn)) {
            deregisterTargets(targetGroupArn, List.of(new TargetDescription(ip, port, null)));
        }
    }

    @Override
    public synchronized Optional<TargetHealthState> health(String targetGroupArn, String ip, int port) {
        TargetGroupState state = targetGroups.get(targetGroupArn);
        if (state == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        purgeDrained(state, now);
        RegisteredTarget target = state.targets.get(RegisteredTarget.key(ip, port));
        return target == null ? Optional.empty() : Optional.of(status(state, target, now).state());
    }

    @Override
    public synchronized Duration deregistrationDelay(String targetGroupArn) {
        TargetGroupState state = targetGroups.get(targetGroupArn);
        // A target that is not in use is removed at once when deregistered, so it does not drain.
        return state == null || state.usedSince == null ? Duration.ZERO
                : Duration.ofSeconds(state.group.deregistrationDelaySeconds());
    }

    @Override
    public Window window(String targetGroupDimension, Instant start, Instant end) {
        return metrics.window(targetGroupDimension, start, end);
    }

    // ---------------------------------------------------------------------------------------------
    // Load balancers

    synchronized LoadBalancer createLoadBalancer(String region, String name, String id, String scheme,
            List<String> subnets, List<String> securityGroups, String ipAddressType, Map<String, String> newTags) {
        validateName("Load balancer", name);
        if (name.startsWith("internal-")) {
            throw ElbErrors.validation("Load balancer name '" + name + "' cannot begin with 'internal-'");
        }
        LoadBalancer existing = loadBalancerByName(name).orElse(null);
        if (existing != null) {
            if (existing.region().equals(region) && existing.scheme().equals(scheme)
                    && existing.subnets().equals(subnets) && existing.securityGroups().equals(securityGroups)
                    && existing.ipAddressType().equals(ipAddressType) && (id == null || existing.id().equals(id))) {
                return existing;
            }
            throw ElbErrors.error("DuplicateLoadBalancerName",
                    "A load balancer with the same name '" + name + "' exists, but with different settings");
        }
        if (subnets.size() < 2) {
            throw ElbErrors.validation("At least two subnets in two different Availability Zones must be specified");
        }
        if (new HashSet<>(subnets).size() < subnets.size()) {
            throw ElbErrors.invalidConfiguration(
                    "A load balancer cannot be attached to multiple subnets in the same Availability Zone");
        }
        if (loadBalancers.size() >= loadBalancerQuota) {
            throw ElbErrors.error("TooManyLoadBalancers",
                    "You've reached the limit on the number of load balancers for your AWS account");
        }
        validateNewTags(Map.of(), newTags);
        String arn = Arns.loadBalancer(region, accountId, name, newId(id, loadBalancers.keySet(),
                i -> Arns.loadBalancer(region, accountId, name, i)));
        LoadBalancer lb = new LoadBalancer(arn, name, scheme, vpcId(region), subnets, securityGroups, ipAddressType,
                clock.instant(), DNS_NAME, LoadBalancerAttributes.defaults());
        loadBalancers.put(arn, lb);
        tags.put(arn, new LinkedHashMap<>(newTags));
        return lb;
    }

    synchronized List<LoadBalancer> describeLoadBalancers(List<String> arns, List<String> names) {
        if (!arns.isEmpty() && !names.isEmpty()) {
            throw ElbErrors.validation("Load balancer names and load balancer ARNs cannot be specified at the same time");
        }
        if (!arns.isEmpty()) {
            List<LoadBalancer> found = new ArrayList<>();
            for (String arn : new LinkedHashSet<>(arns)) {
                checkArn(Arns.LOAD_BALANCER, "load balancer", arn);
                LoadBalancer lb = loadBalancers.get(arn);
                if (lb == null) {
                    throw ElbErrors.loadBalancerNotFound("One or more load balancers not found");
                }
                found.add(lb);
            }
            return found;
        }
        if (!names.isEmpty()) {
            List<LoadBalancer> found = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (String name : new LinkedHashSet<>(names)) {
                loadBalancerByName(name).ifPresentOrElse(found::add, () -> missing.add(name));
            }
            if (!missing.isEmpty()) {
                throw ElbErrors.loadBalancerNotFound("Load balancers '" + missing + "' not found");
            }
            return found;
        }
        return List.copyOf(loadBalancers.values());
    }

    synchronized void deleteLoadBalancer(String arn) {
        checkArn(Arns.LOAD_BALANCER, "load balancer", arn);
        LoadBalancer lb = loadBalancers.get(arn);
        if (lb == null) {
            return;
        }
        if ("true".equals(lb.attributes().get(LoadBalancerAttributes.DELETION_PROTECTION))) {
            throw ElbErrors.operationNotPermitted(
                    "Load balancer '" + arn + "' cannot be deleted because deletion protection is enabled");
        }
        for (Listener listener : List.copyOf(listeners.values())) {
            if (listener.loadBalancerArn().equals(arn)) {
                removeListener(listener);
            }
        }
        loadBalancers.remove(arn);
        tags.remove(arn);
        refreshUsage();
    }

    synchronized Map<String, String> loadBalancerAttributes(String arn) {
        return requireLoadBalancer(arn).attributes();
    }

    synchronized Map<String, String> modifyLoadBalancerAttributes(String arn, Map<String, String> changes) {
        LoadBalancer lb = requireLoadBalancer(arn);
        LoadBalancer modified = lb.withAttributes(LoadBalancerAttributes.apply(lb.attributes(), changes));
        loadBalancers.put(arn, modified);
        return modified.attributes();
    }

    // ---------------------------------------------------------------------------------------------
    // Target groups

    synchronized TargetGroup createTargetGroup(String region, String name, String id, String protocol,
            String protocolVersion, Integer port, String vpcId, String targetType, String ipAddressType,
            HealthCheck healthCheck, Map<String, String> newTags) {
        validateName("Target group", name);
        if (!Set.of("instance", "ip", "lambda", "alb").contains(targetType)) {
            throw enumError("targetType", targetType, "[instance, ip, lambda, alb]");
        }
        if (!targetType.equals("ip") && !targetType.equals("instance")) {
            throw ElbErrors.invalidConfiguration(
                    "The simulator supports target groups of target type 'ip' and 'instance' only, not '" + targetType + "'");
        }
        if (protocol == null) {
            throw ElbErrors.validation("A protocol must be specified");
        }
        checkProtocol("protocol", protocol);
        if (!protocol.equals("HTTP") && !protocol.equals("HTTPS")) {
            throw ElbErrors.invalidConfiguration("The simulator supports HTTP and HTTPS target groups only, not '"
                    + protocol + "'");
        }
        if (port == null) {
            throw ElbErrors.validation("A port must be specified");
        }
        if (vpcId == null || vpcId.isEmpty()) {
            throw ElbErrors.validation("A VPC ID must be specified");
        }
        if (!protocolVersion.equals("HTTP1") && !protocolVersion.equals("HTTP2")) {
            throw ElbErrors.validation("Protocol version '" + protocolVersion
                    + "' is not supported; the simulator supports 'HTTP1' and 'HTTP2'");
        }
        if (!ipAddressType.equals("ipv4") && !ipAddressType.equals("ipv6")) {
            throw enumError("ipAddressType", ipAddressType, "[ipv4, ipv6]");
        }
        validateHealthCheck(healthCheck);
        TargetGroup existing = targetGroupByName(name).orElse(null);
        if (existing != null) {
            if (Arns.regionOf(existing.arn()).equals(region) && existing.protocol().equals(protocol)
                    && existing.protocolVersion().equals(protocolVersion) && existing.port() == port
                    && existing.vpcId().equals(vpcId) && existing.targetType().equals(targetType)
                    && existing.ipAddressType().equals(ipAddressType) && existing.healthCheck().equals(healthCheck)
                    && (id == null || existing.id().equals(id))) {
                return existing;
            }
            throw ElbErrors.error("DuplicateTargetGroupName",
                    "A target group with the same name '" + name + "' exists, but with different settings");
        }
        if (targetGroups.size() >= targetGroupQuota) {
            throw ElbErrors.error("TooManyTargetGroups",
                    "You've reached the limit on the number of target groups for your AWS account");
        }
        validateNewTags(Map.of(), newTags);
        String arn = Arns.targetGroup(region, accountId, name,
                newId(id, targetGroups.keySet(), i -> Arns.targetGroup(region, accountId, name, i)));
        TargetGroup group = new TargetGroup(arn, name, protocol, protocolVersion, port, vpcId, targetType,
                ipAddressType, healthCheck, TargetGroupAttributes.defaults());
        targetGroups.put(arn, new TargetGroupState(group));
        tags.put(arn, new LinkedHashMap<>(newTags));
        return group;
    }

    synchronized List<TargetGroup> describeTargetGroups(String loadBalancerArn, List<String> arns, List<String> names) {
        int filters = (loadBalancerArn != null ? 1 : 0) + (arns.isEmpty() ? 0 : 1) + (names.isEmpty() ? 0 : 1);
        if (filters > 1) {
            throw ElbErrors.validation(
                    "Target group names, target group ARNs, and a load balancer ARN cannot be specified at the same time");
        }
        if (loadBalancerArn != null) {
            requireLoadBalancer(loadBalancerArn);
            return targetGroups.values().stream().map(s -> s.group)
                    .filter(g -> loadBalancerArnsOf(g.arn()).contains(loadBalancerArn)).toList();
        }
        if (!arns.isEmpty()) {
            List<TargetGroup> found = new ArrayList<>();
            for (String arn : new LinkedHashSet<>(arns)) {
                checkArn(Arns.TARGET_GROUP, "target group", arn);
                TargetGroupState state = targetGroups.get(arn);
                if (state == null) {
                    throw ElbErrors.targetGroupNotFound("One or more target groups not found");
                }
                found.add(state.group);
            }
            return found;
        }
        if (!names.isEmpty()) {
            List<TargetGroup> found = new ArrayList<>();
            for (String name : new LinkedHashSet<>(names)) {
                found.add(targetGroupByName(name).orElseThrow(
                        () -> ElbErrors.targetGroupNotFound("One or more target groups not found")));
            }
            return found;
        }
        return targetGroups();
    }

    synchronized TargetGroup modifyTargetGroup(String arn, HealthCheck healthCheck) {
        TargetGroupState state = requireTargetGroup(arn);
        validateHealthCheck(healthCheck);
        Instant now = clock.instant();
        if (state.usedSince != null) {
            for (RegisteredTarget target : state.targets.values()) {
                if (!target.draining()) {
                    target.advance(now, state.group.healthCheck());
                    target.checkNoLaterThan(now.plusSeconds(healthCheck.intervalSeconds()));
                }
            }
        }
        state.group = state.group.withHealthCheck(healthCheck);
        return state.group;
    }

    synchronized void deleteTargetGroup(String arn) {
        checkArn(Arns.TARGET_GROUP, "target group", arn);
        if (!targetGroups.containsKey(arn)) {
            return;
        }
        if (!loadBalancerArnsOf(arn).isEmpty()) {
            throw ElbErrors.resourceInUse("Target group '" + arn + "' is currently in use by a listener or a rule");
        }
        targetGroups.remove(arn);
        tags.remove(arn);
    }

    synchronized Map<String, String> targetGroupAttributes(String arn) {
        return requireTargetGroup(arn).group.attributes();
    }

    /** Changes target group attributes (e.g. {@code deregistration_delay.timeout_seconds}), as ModifyTargetGroupAttributes does. */
    public synchronized Map<String, String> modifyTargetGroupAttributes(String arn, Map<String, String> changes) {
        TargetGroupState state = requireTargetGroup(arn);
        state.group = state.group.withAttributes(TargetGroupAttributes.apply(state.group.attributes(), changes));
        return state.group.attributes();
    }

    synchronized void registerTargets(String targetGroupArn, List<TargetDescription> targets) {
        TargetGroupState state = requireTargetGroup(targetGroupArn);
        Instant now = clock.instant();
        purgeDrained(state, now);
        List<RegisteredTarget> added = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (TargetDescription description : targets) {
            validateTargetId(state.group, description.id());
            int port = targetPort(state.group, description);
            String key = RegisteredTarget.key(description.id(), port);
            RegisteredTarget existing = state.targets.get(key);
            if ((existing == null || existing.draining()) && keys.add(key)) {
                added.add(new RegisteredTarget(description.id(), port, now, null));
            }
        }
        long registered = state.targets.values().stream().filter(t -> !t.draining()).count();
        if (registered + added.size() > MAX_TARGETS_PER_TARGET_GROUP) {
            throw ElbErrors.error("TooManyTargets", "You've reached the limit on the number of targets");
        }
        for (RegisteredTarget target : added) {
            if (state.usedSince != null) {
                target.restartChecks(now, Duration.ofSeconds(state.group.healthCheck().intervalSeconds()));
            }
            state.targets.remove(target.key());
            state.targets.put(target.key(), target);
        }
    }

    synchronized void deregisterTargets(String targetGroupArn, List<TargetDescription> targets) {
        TargetGroupState state = requireTargetGroup(targetGroupArn);
        Instant now = clock.instant();
        purgeDrained(state, now);
        for (TargetDescription description : targets) {
            validateTargetId(state.group, description.id());
        }
        Duration delay = Duration.ofSeconds(state.group.deregistrationDelaySeconds());
        for (TargetDescription description : targets) {
            String key = RegisteredTarget.key(description.id(), targetPort(state.group, description));
            RegisteredTarget target = state.targets.get(key);
            if (target == null || target.draining()) {
                continue;
            }
            if (state.usedSince == null || delay.isZero()) {
                state.targets.remove(key);
            } else {
                target.deregisteredAt = now;
                target.drainUntil = now.plus(delay);
            }
        }
    }

    synchronized List<TargetStatus> describeTargetHealth(String targetGroupArn, List<TargetDescription> targets) {
        TargetGroupState state = requireTargetGroup(targetGroupArn);
        Instant now = clock.instant();
        purgeDrained(state, now);
        List<TargetStatus> statuses = new ArrayList<>();
        if (targets.isEmpty()) {
            for (RegisteredTarget target : state.targets.values()) {
                statuses.add(status(state, target, now));
            }
            return statuses;
        }
        for (TargetDescription description : targets) {
            validateTargetId(state.group, description.id());
            int port = targetPort(state.group, description);
            RegisteredTarget target = state.targets.get(RegisteredTarget.key(description.id(), port));
            statuses.add(target == null ? TargetStatus.notRegistered(description.id(), port)
                    : status(state, target, now));
        }
        return statuses;
    }

    // ---------------------------------------------------------------------------------------------
    // Listeners

    synchronized Listener createListener(String loadBalancerArn, String id, String protocol, Integer port,
            List<Action> actions, List<String> certificates, String sslPolicy, Map<String, String> newTags) {
        checkArn(Arns.LOAD_BALANCER, "load balancer", loadBalancerArn);
        LoadBalancer lb = loadBalancers.get(loadBalancerArn);
        if (lb == null) {
            throw ElbErrors.loadBalancerNotFound("One or more load balancers not found");
        }
        checkListenerProtocol(protocol);
        if (port == null) {
            throw ElbErrors.validation("A listener port must be specified");
        }
        if (protocol.equals("HTTPS") && certificates.isEmpty()) {
            throw ElbErrors.validation("A certificate must be specified for HTTPS listeners");
        }
        String policy = protocol.equals("HTTPS") ? (sslPolicy != null ? sslPolicy : DEFAULT_SSL_POLICY) : null;
        List<String> certs = protocol.equals("HTTPS") ? certificates : List.of();
        for (Listener existing : listeners.values()) {
            if (existing.loadBalancerArn().equals(loadBalancerArn) && existing.requestedPort() == port) {
                if (existing.protocol().equals(protocol) && existing.defaultActions().equals(actions)
                        && existing.certificates().equals(certs) && Objects.equals(existing.sslPolicy(), policy)
                        && (id == null || existing.id().equals(id))) {
                    return existing;
                }
                throw ElbErrors.error("DuplicateListener",
                        "A listener already exists on this port for this load balancer '" + loadBalancerArn + "'");
            }
        }
        if (listenersOf(loadBalancerArn).size() >= MAX_LISTENERS_PER_LOAD_BALANCER) {
            throw ElbErrors.error("TooManyListeners",
                    "You've reached the limit on the number of listeners per load balancer");
        }
        validateActions(actions, loadBalancerArn, null, protocol);
        validateNewTags(Map.of(), newTags);
        String arn = Arns.listener(loadBalancerArn, newId(id, listeners.keySet(), i -> Arns.listener(loadBalancerArn, i)));
        int bound = dataPlane.open(arn, portMode == ListenerPortMode.EXACT ? port : 0, protocol.equals("HTTPS"));
        String defaultRuleArn = Arns.rule(arn, Arns.derivedId("default-rule " + arn));
        Listener listener = new Listener(arn, loadBalancerArn, protocol, port, bound, actions, certs, policy,
                defaultRuleArn);
        listeners.put(arn, listener);
        tags.put(arn, new LinkedHashMap<>(newTags));
        tags.put(defaultRuleArn, new LinkedHashMap<>());
        refreshUsage();
        return listener;
    }

    synchronized List<Listener> describeListeners(String loadBalancerArn, List<String> arns) {
        if (loadBalancerArn != null && !arns.isEmpty()) {
            throw ElbErrors.validation("Listener ARNs and a load balancer ARN cannot be specified at the same time");
        }
        if (loadBalancerArn == null && arns.isEmpty()) {
            throw ElbErrors.validation("You must specify either listener ARNs or a load balancer ARN");
        }
        if (loadBalancerArn != null) {
            requireLoadBalancer(loadBalancerArn);
            return listenersOf(loadBalancerArn);
        }
        List<Listener> found = new ArrayList<>();
        for (String arn : new LinkedHashSet<>(arns)) {
            checkArn(Arns.LISTENER, "listener", arn);
            Listener listener = listeners.get(arn);
            if (listener == null) {
                throw ElbErrors.listenerNotFound("One or more listeners not found");
            }
            found.add(listener);
        }
        return found;
    }

    synchronized Listener modifyListener(String arn, Integer port, String protocol, List<Action> actions,
            List<String> certificates, String sslPolicy) {
        Listener listener = requireListener(arn);
        String newProtocol = protocol != null ? protocol : listener.protocol();
        checkListenerProtocol(newProtocol);
        List<String> certs = certificates != null ? certificates : listener.certificates();
        if (newProtocol.equals("HTTPS") && certs.isEmpty()) {
            throw ElbErrors.validation("A certificate must be specified for HTTPS listeners");
        }
        String policy = newProtocol.equals("HTTPS")
                ? (sslPolicy != null ? sslPolicy : listener.sslPolicy() != null ? listener.sslPolicy() : DEFAULT_SSL_POLICY)
                : null;
        if (!newProtocol.equals("HTTPS")) {
            certs = List.of();
        }
        int requestedPort = listener.requestedPort();
        int boundPort = listener.port();
        // A client that echoes the Port it read from Describe* (the bound port) changes nothing.
        if (port != null && port != listener.port() && port != listener.requestedPort()) {
            for (Listener other : listenersOf(listener.loadBalancerArn())) {
                if (!other.arn().equals(arn) && other.requestedPort() == port) {
                    throw ElbErrors.error("DuplicateListener", "A listener already exists on this port for this "
                            + "load balancer '" + listener.loadBalancerArn() + "'");
                }
            }
            requestedPort = port;
        }
        if (actions != null) {
            validateActions(actions, listener.loadBalancerArn(), arn, newProtocol);
        } else {
            requireHttpsForAuthentication(listener.defaultActions(), newProtocol);
        }
        for (Rule rule : rules.values()) {
            if (rule.listenerArn().equals(arn)) {
                requireHttpsForAuthentication(rule.actions(), newProtocol);
            }
        }
        boolean https = newProtocol.equals("HTTPS");
        boolean exact = portMode == ListenerPortMode.EXACT;
        if (!newProtocol.equals(listener.protocol()) && (!exact || requestedPort == boundPort)) {
            // The same port cannot be bound twice: the old socket goes first.
            dataPlane.close(arn);
            boundPort = dataPlane.open(arn, exact ? requestedPort : 0, https);
        } else if (exact && requestedPort != boundPort) {
            boundPort = dataPlane.rebind(arn, requestedPort, https);
        }
        Listener modified = listener.withPort(requestedPort, boundPort)
                .withProtocol(newProtocol, certs, policy)
                .withDefaultActions(actions != null ? keepingSecrets(actions, arn) : listener.defaultActions());
        listeners.put(arn, modified);
        refreshUsage();
        return modified;
    }

    synchronized void deleteListener(String arn) {
        removeListener(requireListener(arn));
        refreshUsage();
    }

    // ---------------------------------------------------------------------------------------------
    // Rules

    synchronized Rule createRule(String listenerArn, String id, Integer priority, List<Condition> conditions,
            List<Action> actions, Map<String, String> newTags) {
        Listener listener = requireListener(listenerArn);
        if (priority == null) {
            throw ElbErrors.validation("A rule priority must be specified");
        }
        checkPriority(priority);
        for (Rule rule : rules.values()) {
            if (rule.listenerArn().equals(listenerArn) && rule.priority() == priority.intValue()) {
                throw ElbErrors.error("PriorityInUse", "Priority '" + priority + "' is currently in use");
            }
        }
        validateConditions(conditions);
        validateActions(actions, listener.loadBalancerArn(), null, listener.protocol());
        long ruleCount = rules.values().stream()
                .filter(r -> Arns.loadBalancerOf(r.listenerArn()).equals(listener.loadBalancerArn())).count();
        if (ruleCount >= MAX_RULES_PER_LOAD_BALANCER) {
            throw ElbErrors.error("TooManyRules", "You've reached the limit on the number of rules per load balancer");
        }
        validateNewTags(Map.of(), newTags);
        Set<String> taken = new HashSet<>(rules.keySet());
        listeners.values().forEach(l -> taken.add(l.defaultRuleArn()));
        String arn = Arns.rule(listenerArn, newId(id, taken, i -> Arns.rule(listenerArn, i)));
        Rule rule = new Rule(arn, listenerArn, priority, conditions, actions);
        rules.put(arn, rule);
        tags.put(arn, new LinkedHashMap<>(newTags));
        refreshUsage();
        return rule;
    }

    synchronized List<Rule> describeRules(String listenerArn, List<String> arns) {
        if (listenerArn != null && !arns.isEmpty()) {
            throw ElbErrors.validation("Listener ARN and rule ARNs cannot be specified at the same time");
        }
        if (listenerArn == null && arns.isEmpty()) {
            throw ElbErrors.validation("You must specify either listener ARN or rule ARNs");
        }
        if (listenerArn != null) {
            return rulesOf(requireListener(listenerArn));
        }
        List<Rule> found = new ArrayList<>();
        for (String arn : new LinkedHashSet<>(arns)) {
            checkArn(Arns.RULE, "rule", arn);
            Rule rule = findRule(arn);
            if (rule == null) {
                throw ElbErrors.ruleNotFound("One or more rules not found");
            }
            found.add(rule);
        }
        return found;
    }

    synchronized Rule modifyRule(String arn, List<Condition> conditions, List<Action> actions) {
        Rule rule = requireRule(arn);
        if (conditions == null && actions == null) {
            throw ElbErrors.validation("Either conditions or actions must be specified");
        }
        String loadBalancerArn = Arns.loadBalancerOf(rule.listenerArn());
        if (rule.isDefault()) {
            if (conditions != null && !conditions.isEmpty()) {
                throw ElbErrors.operationNotPermitted("Conditions cannot be set on the default rule");
            }
            if (actions == null) {
                return rule;
            }
            Listener listener = listeners.get(rule.listenerArn());
            validateActions(actions, loadBalancerArn, rule.listenerArn(), listener.protocol());
            listeners.put(listener.arn(), listener.withDefaultActions(keepingSecrets(actions, rule.listenerArn())));
            refreshUsage();
            return findRule(arn);
        }
        if (conditions != null) {
            validateConditions(conditions);
        }
        if (actions != null) {
            validateActions(actions, loadBalancerArn, arn, listeners.get(rule.listenerArn()).protocol());
        }
        Rule modified = rule.with(conditions != null ? conditions : rule.conditions(),
                actions != null ? keepingSecrets(actions, arn) : rule.actions());
        rules.put(arn, modified);
        refreshUsage();
        return modified;
    }

    synchronized void deleteRule(String arn) {
        Rule rule = requireRule(arn);
        if (rule.isDefault()) {
            throw ElbErrors.operationNotPermitted("Default rule '" + arn + "' cannot be deleted");
        }
        rules.remove(arn);
        tags.remove(arn);
        refreshUsage();
    }

    /** Sets the priorities of several rules at once, in request order. */
    synchronized List<Rule> setRulePriorities(List<Map.Entry<String, Integer>> priorities) {
        Map<String, Integer> wanted = new LinkedHashMap<>();
        Set<String> seenPriorities = new HashSet<>();
        for (Map.Entry<String, Integer> entry : priorities) {
            Rule rule = requireRule(entry.getKey());
            if (rule.isDefault()) {
                throw ElbErrors.operationNotPermitted("Default rule '" + entry.getKey() + "' priority cannot be modified");
            }
            checkPriority(entry.getValue());
            if (!seenPriorities.add(rule.listenerArn() + "#" + entry.getValue())) {
                throw ElbErrors.validation("Priority '" + entry.getValue() + "' was provided multiple times");
            }
            wanted.put(entry.getKey(), entry.getValue());
        }
        for (Rule other : rules.values()) {
            if (wanted.containsKey(other.arn())) {
                continue;
            }
            for (Map.Entry<String, Integer> entry : wanted.entrySet()) {
                if (rules.get(entry.getKey()).listenerArn().equals(other.listenerArn())
                        && other.priority().equals(entry.getValue())) {
                    throw ElbErrors.error("PriorityInUse", "Priority '" + entry.getValue() + "' is currently in use");
                }
            }
        }
        List<Rule> modified = new ArrayList<>();
        wanted.forEach((arn, priority) -> {
            Rule rule = rules.get(arn).withPriority(priority);
            rules.put(arn, rule);
            modified.add(rule);
        });
        return modified;
    }

    // ---------------------------------------------------------------------------------------------
    // Tags

    synchronized void addTags(List<String> arns, Map<String, String> newTags) {
        for (String arn : arns) {
            requireTaggable(arn);
        }
        for (String arn : arns) {
            validateNewTags(tags.getOrDefault(arn, Map.of()), newTags);
        }
        for (String arn : arns) {
            tags.computeIfAbsent(arn, k -> new LinkedHashMap<>()).putAll(newTags);
        }
    }

    synchronized void removeTags(List<String> arns, List<String> keys) {
        for (String arn : arns) {
            requireTaggable(arn);
        }
        for (String arn : arns) {
            Map<String, String> resourceTags = tags.get(arn);
            if (resourceTags != null) {
                keys.forEach(resourceTags::remove);
            }
        }
    }

    synchronized Map<String, Map<String, String>> describeTags(List<String> arns) {
        if (arns.size() > 20) {
            throw ElbErrors.validation("1 validation error detected: Value at 'resourceArns' failed to satisfy "
                    + "constraint: Member must have length less than or equal to 20");
        }
        Map<String, Map<String, String>> result = new LinkedHashMap<>();
        for (String arn : arns) {
            requireTaggable(arn);
            result.put(arn, Map.copyOf(tags.getOrDefault(arn, Map.of())));
        }
        return result;
    }

    // ---------------------------------------------------------------------------------------------
    // Data plane routing

    /** Decides what a listener does with one request: which rule, target group and target. */
    synchronized Route route(String listenerArn, HttpRequestInfo request) {
        Listener listener = listeners.get(listenerArn);
        if (listener == null) {
            return Route.elbError(503, null, null);
        }
        List<Action> actions = listener.defaultActions();
        for (Rule rule : rulesOf(listener)) {
            if (!rule.isDefault() && rule.conditions().stream().allMatch(c -> c.matches(request))) {
                actions = rule.actions();
                break;
            }
        }
        for (Action step : inOrder(actions)) {
            if (step.authenticate() == null) {
                continue;
            }
            Action.Authenticate auth = step.authenticate();
            String session = request.cookie(auth.sessionCookieName() + "-0");
            if (session != null && !session.isEmpty()) {
                continue;
            }
            switch (auth.onUnauthenticatedRequest()) {
                case "allow" -> { }
                case "deny" -> {
                    return Route.elbError(401, null, null);
                }
                default -> {
                    return Route.redirect(302, authorizationUrl(step, request));
                }
            }
        }
        Action action = terminalAction(actions);
        return switch (action.type()) {
            case Action.FIXED_RESPONSE -> Route.fixed(action.fixedResponse());
            case Action.REDIRECT -> redirect(action.redirect(), listener, request);
            default -> forward(action, request);
        };
    }

    private Route forward(Action action, HttpRequestInfo request) {
        List<String> cookies = new ArrayList<>();
        Action.TargetGroupWeight chosen = null;
        boolean sticky = action.stickiness() != null && action.stickiness().enabled();
        if (sticky) {
            String cookie = request.cookie(TARGET_GROUP_COOKIE);
            for (Action.TargetGroupWeight group : action.targetGroups()) {
                if (group.weight() > 0 && Arns.idOf(group.targetGroupArn()).equals(cookie)) {
                    chosen = group;
                }
            }
        }
        if (chosen == null) {
            int total = action.targetGroups().stream().mapToInt(Action.TargetGroupWeight::weight).sum();
            if (total == 0) {
                return Route.elbError(503, null, null);
            }
            int pick = random.nextInt(total);
            for (Action.TargetGroupWeight group : action.targetGroups()) {
                pick -= group.weight();
                if (pick < 0) {
                    chosen = group;
                    break;
                }
            }
            if (sticky) {
                cookies.add(cookie(TARGET_GROUP_COOKIE, Arns.idOf(chosen.targetGroupArn()),
                        action.stickiness().durationSeconds()));
            }
        }
        TargetGroupState state = targetGroups.get(chosen.targetGroupArn());
        if (state == null) {
            return Route.elbError(503, chosen.targetGroupArn(), null);
        }
        TargetGroup group = state.group;
        Instant now = clock.instant();
        purgeDrained(state, now);
        List<RegisteredTarget> candidates = new ArrayList<>();
        List<RegisteredTarget> healthy = new ArrayList<>();
        for (RegisteredTarget target : state.targets.values()) {
            if (target.draining()) {
                continue;
            }
            candidates.add(target);
            if (state.usedSince != null && target.advance(now, group.healthCheck()) == TargetHealthState.HEALTHY) {
                healthy.add(target);
            }
        }
        if (candidates.isEmpty()) {
            return Route.elbError(503, group.arn(), group.name());
        }
        // With no healthy target, an ALB fails open and routes to every registered target.
        List<RegisteredTarget> pool = healthy.isEmpty() ? candidates : healthy;
        RegisteredTarget target = null;
        boolean targetSticky = "true".equals(group.attributes().get(TargetGroupAttributes.STICKINESS_ENABLED))
                && "lb_cookie".equals(group.attributes().get(TargetGroupAttributes.STICKINESS_TYPE));
        if (targetSticky) {
            String cookie = request.cookie(TARGET_COOKIE);
            for (RegisteredTarget candidate : pool) {
                if (targetCookieValue(group, candidate).equals(cookie)) {
                    target = candidate;
                }
            }
        }
        if (target == null) {
            target = pool.get(Math.floorMod(state.roundRobin++, pool.size()));
            if (targetSticky) {
                cookies.add(cookie(TARGET_COOKIE, targetCookieValue(group, target),
                        Integer.parseInt(group.attributes().get(TargetGroupAttributes.LB_COOKIE_DURATION))));
            }
        }
        boolean appUp = target.probe(now) != RegisteredTarget.Probe.REFUSED;
        return new Route(Route.Kind.FORWARD, 0, null, null, null, group.arn(), group.name(), target.id, target.port,
                target.task, appUp, group.healthCheck().path(), cookies);
    }

    private Route redirect(Action.Redirect redirect, Listener listener, HttpRequestInfo request) {
        String protocol = listener.protocol().toLowerCase(Locale.ROOT);
        String host = Objects.requireNonNullElse(request.hostWithoutPort(), DNS_NAME);
        String port = Integer.toString(listener.port());
        String path = request.path().startsWith("/") ? request.path().substring(1) : request.path();
        String query = Objects.requireNonNullElse(request.rawQuery(), "");
        String newProtocol = substitute(Objects.requireNonNullElse(redirect.protocol(), "#{protocol}"),
                protocol, host, port, path, query).toLowerCase(Locale.ROOT);
        String newHost = substitute(Objects.requireNonNullElse(redirect.host(), "#{host}"), protocol, host, port, path, query);
        String newPort = substitute(Objects.requireNonNullElse(redirect.port(), "#{port}"), protocol, host, port, path, query);
        String newPath = substitute(Objects.requireNonNullElse(redirect.path(), "/#{path}"), protocol, host, port, path, query);
        String newQuery = substitute(Objects.requireNonNullElse(redirect.query(), "#{query}"), protocol, host, port, path, query);
        String location = newProtocol + "://" + newHost + ":" + newPort + newPath + (newQuery.isEmpty() ? "" : "?" + newQuery);
        return Route.redirect("HTTP_301".equals(redirect.statusCode()) ? 301 : 302, location);
    }

    private static String substitute(String template, String protocol, String host, String port, String path,
            String query) {
        return template.replace("#{protocol}", protocol).replace("#{host}", host).replace("#{port}", port)
                .replace("#{path}", path).replace("#{query}", query);
    }

    private static String targetCookieValue(TargetGroup group, RegisteredTarget target) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((group.id() + "/" + target.key()).getBytes(StandardCharsets.UTF_8));
    }

    private static String cookie(String name, String value, Integer durationSeconds) {
        return name + "=" + value + "; Max-Age=" + (durationSeconds != null ? durationSeconds : 3600) + "; Path=/";
    }

    /** The actions in the order the load balancer performs them: lowest {@code Order} first. */
    private static List<Action> inOrder(List<Action> actions) {
        List<Action> ordered = new ArrayList<>(actions);
        ordered.sort(Comparator.comparing(a -> a.order() == null ? 0 : a.order()));
        return ordered;
    }

    /** Where an unauthenticated user is sent: the IdP's authorization endpoint (Cognito: the user pool domain's). */
    private static String authorizationUrl(Action action, HttpRequestInfo request) {
        Action.Authenticate auth = action.authenticate();
        String endpoint;
        String clientId;
        if (action.type().equals(Action.AUTHENTICATE_OIDC)) {
            endpoint = auth.get("AuthorizationEndpoint");
            clientId = auth.get("ClientId");
        } else {
            String domain = auth.get("UserPoolDomain");
            String region = auth.get("UserPoolArn").split(":")[3];
            endpoint = "https://" + (domain.contains(".") ? domain : domain + ".auth." + region + ".amazoncognito.com")
                    + "/oauth2/authorize";
            clientId = auth.get("UserPoolClientId");
        }
        String host = Objects.requireNonNullElse(request.hostWithoutPort(), DNS_NAME);
        StringBuilder url = new StringBuilder(endpoint).append(endpoint.contains("?") ? '&' : '?')
                .append("response_type=code&client_id=").append(encode(clientId))
                .append("&redirect_uri=").append(encode("https://" + host + "/oauth2/idpresponse"))
                .append("&scope=").append(encode(auth.get("Scope")))
                .append("&state=").append(encode(Arns.randomId()));
        auth.extraParams().forEach((k, v) -> url.append('&').append(encode(k)).append('=').append(encode(v)));
        return url.toString();
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static Action terminalAction(List<Action> actions) {
        Action terminal = null;
        for (Action action : actions) {
            if (action.terminal()) {
                terminal = action;
            }
        }
        if (terminal == null) {
            throw new IllegalStateException("no terminal action in " + actions);
        }
        return terminal;
    }

    // ---------------------------------------------------------------------------------------------
    // Internals

    private void removeListener(Listener listener) {
        for (Rule rule : List.copyOf(rules.values())) {
            if (rule.listenerArn().equals(listener.arn())) {
                rules.remove(rule.arn());
                tags.remove(rule.arn());
            }
        }
        listeners.remove(listener.arn());
        tags.remove(listener.arn());
        tags.remove(listener.defaultRuleArn());
        dataPlane.close(listener.arn());
    }

    private List<Listener> listenersOf(String loadBalancerArn) {
        return listeners.values().stream().filter(l -> l.loadBalancerArn().equals(loadBalancerArn)).toList();
    }

    private List<Rule> rulesOf(Listener listener) {
        List<Rule> ordered = new ArrayList<>();
        for (Rule rule : rules.values()) {
            if (rule.listenerArn().equals(listener.arn())) {
                ordered.add(rule);
            }
        }
        ordered.sort(Comparator.comparing(Rule::priority));
        ordered.add(defaultRule(listener));
        return ordered;
    }

    private static Rule defaultRule(Listener listener) {
        return new Rule(listener.defaultRuleArn(), listener.arn(), null, List.of(), listener.defaultActions());
    }

    private Rule findRule(String arn) {
        Rule rule = rules.get(arn);
        if (rule != null) {
            return rule;
        }
        for (Listener listener : listeners.values()) {
            if (listener.defaultRuleArn().equals(arn)) {
                return defaultRule(listener);
            }
        }
        return null;
    }

    private Rule requireRule(String arn) {
        checkArn(Arns.RULE, "rule", arn);
        Rule rule = findRule(arn);
        if (rule == null) {
            throw ElbErrors.ruleNotFound("One or more rules not found");
        }
        return rule;
    }

    private LoadBalancer requireLoadBalancer(String arn) {
        checkArn(Arns.LOAD_BALANCER, "load balancer", arn);
        LoadBalancer lb = loadBalancers.get(arn);
        if (lb == null) {
            throw ElbErrors.loadBalancerNotFound("One or more load balancers not found");
        }
        return lb;
    }

    private TargetGroupState requireTargetGroup(String arn) {
        checkArn(Arns.TARGET_GROUP, "target group", arn);
        TargetGroupState state = targetGroups.get(arn);
        if (state == null) {
            throw ElbErrors.targetGroupNotFound("One or more target groups not found");
        }
        return state;
    }

    private Listener requireListener(String arn) {
        checkArn(Arns.LISTENER, "listener", arn);
        Listener listener = listeners.get(arn);
        if (listener == null) {
            throw ElbErrors.listenerNotFound("One or more listeners not found");
        }
        return listener;
    }

    private void requireTaggable(String arn) {
        if (Arns.isLoadBalancer(arn)) {
            if (!loadBalancers.containsKey(arn)) {
                throw ElbErrors.loadBalancerNotFound("Load balancer '" + arn + "' not found");
            }
        } else if (Arns.isTargetGroup(arn)) {
            if (!targetGroups.containsKey(arn)) {
                throw ElbErrors.targetGroupNotFound("Target group '" + arn + "' not found");
            }
        } else if (Arns.isListener(arn)) {
            if (!listeners.containsKey(arn)) {
                throw ElbErrors.listenerNotFound("Listener '" + arn + "' not found");
            }
        } else if (Arns.isRule(arn)) {
            if (findRule(arn) == null) {
                throw ElbErrors.ruleNotFound("Rule '" + arn + "' not found");
            }
        } else {
            throw ElbErrors.validation("'" + arn + "' is not a valid load balancer, target group, listener or rule ARN");
        }
    }

    /** The status of a registered target now; advances its health checks. */
    private TargetStatus status(TargetGroupState state, RegisteredTarget target, Instant now) {
        if (target.draining()) {
            return TargetStatus.draining(target.id, target.port);
        }
        if (state.usedSince == null) {
            return TargetStatus.notInUse(target.id, target.port);
        }
        return switch (target.advance(now, state.group.healthCheck())) {
            case HEALTHY -> TargetStatus.healthy(target.id, target.port);
            case UNHEALTHY -> target.lastProbe() == RegisteredTarget.Probe.BAD_STATUS
                    ? TargetStatus.responseCodeMismatch(target.id, target.port)
                    : TargetStatus.failedHealthChecks(target.id, target.port);
            default -> TargetStatus.initial(target.id, target.port);
        };
    }

    private static void purgeDrained(TargetGroupState state, Instant now) {
        state.targets.values().removeIf(t -> t.draining() && !now.isBefore(t.drainUntil));
    }

    /**
     * Keeps every target group's "in use" flag in step with the listeners and rules: health checks (re)start
     * when a group comes into use; a group that falls out of use reports its targets {@code unused} and
     * drops those that were draining.
     */
    private void refreshUsage() {
        Set<String> used = new HashSet<>();
        listeners.values().forEach(l -> l.defaultActions().forEach(a -> a.targetGroups().forEach(
                g -> used.add(g.targetGroupArn()))));
        rules.values().forEach(r -> r.actions().forEach(a -> a.targetGroups().forEach(
                g -> used.add(g.targetGroupArn()))));
        Instant now = clock.instant();
        for (TargetGroupState state : targetGroups.values()) {
            boolean isUsed = used.contains(state.group.arn());
            if (isUsed && state.usedSince == null) {
                state.usedSince = now;
                Duration interval = Duration.ofSeconds(state.group.healthCheck().intervalSeconds());
                state.targets.values().forEach(t -> t.restartChecks(now, interval));
            } else if (!isUsed && state.usedSince != null) {
                state.usedSince = null;
                state.targets.values().removeIf(RegisteredTarget::draining);
            }
        }
    }

    private static boolean references(List<Action> actions, String targetGroupArn) {
        for (Action action : actions) {
            if (action.weightOf(targetGroupArn) != null) {
                return true;
            }
        }
        return false;
    }

    /** Target groups forwarded to by the load balancer's listeners and rules, except {@code exceptOwner}'s. */
    private Set<String> targetGroupsOf(String loadBalancerArn, String exceptOwner) {
        Set<String> arns = new HashSet<>();
        for (Listener listener : listenersOf(loadBalancerArn)) {
            if (!listener.arn().equals(exceptOwner)) {
                listener.defaultActions().forEach(a -> a.targetGroups().forEach(g -> arns.add(g.targetGroupArn())));
            }
        }
        for (Rule rule : rules.values()) {
            if (!rule.arn().equals(exceptOwner) && Arns.loadBalancerOf(rule.listenerArn()).equals(loadBalancerArn)) {
                rule.actions().forEach(a -> a.targetGroups().forEach(g -> arns.add(g.targetGroupArn())));
            }
        }
        return arns;
    }

    /** Validates a listener's or rule's actions; {@code owner} is the listener or rule being modified. */
    private void validateActions(List<Action> actions, String loadBalancerArn, String owner, String protocol) {
        if (actions == null || actions.isEmpty()) {
            throw ElbErrors.validation("At least one action must be specified");
        }
        for (Action action : actions) {
            if (!ACTION_TYPES.contains(action.type())) {
                throw enumError("type", action.type(), "[forward, authenticate-oidc, authenticate-cognito, redirect, "
                        + "fixed-response]");
            }
        }
        requireHttpsForAuthentication(actions, protocol);
        if (actions.stream().filter(Action::terminal).count() > 1) {
            throw ElbErrors.error("TooManyActions",
                    "A rule can have only one forward, redirect or fixed-response action");
        }
        if (actions.size() > 1 && actions.stream().anyMatch(a -> a.order() == null)) {
            throw ElbErrors.validation("An action order must be specified for every action of a rule with multiple actions");
        }
        if (actions.stream().filter(a -> a.authenticate() != null || a.type().startsWith("authenticate-")).count() > 1) {
            throw ElbErrors.error("TooManyActions", "A rule can have at most one authenticate action");
        }
        Action last = actions.stream().max(Comparator.comparing(a -> a.order() == null ? 0 : a.order())).orElseThrow();
        if (!last.terminal()) {
            throw ElbErrors.error("InvalidLoadBalancerAction",
                    "The last action (highest order) must be a forward, redirect or fixed-response action");
        }
        int terminal = 0;
        Set<Integer> orders = new HashSet<>();
        for (Action action : actions) {
            if (!ACTION_TYPES.contains(action.type())) {
                throw enumError("type", action.type(), "[forward, authenticate-oidc, authenticate-cognito, redirect, "
                        + "fixed-response]");
            }
            if (action.order() != null) {
                if (action.order() < 1 || action.order() > MAX_PRIORITY) {
                    throw ElbErrors.validation("Action order '" + action.order() + "' must be between 1 and 50000");
                }
                if (!orders.add(action.order())) {
                    throw ElbErrors.validation("Action order '" + action.order() + "' was provided multiple times");
                }
            }
            if (action.terminal()) {
                terminal++;
            }
            switch (action.type()) {
                case Action.FORWARD -> validateForward(action, loadBalancerArn);
                case Action.FIXED_RESPONSE -> validateFixedResponse(action.fixedResponse());
                case Action.REDIRECT -> validateRedirect(action.redirect());
                default -> validateAuthenticate(action, owner);
            }
        }
        if (terminal > 1) {
            throw ElbErrors.error("TooManyActions",
                    "A rule can have only one forward, redirect or fixed-response action");
        }
        Set<String> groups = targetGroupsOf(loadBalancerArn, owner);
        actions.forEach(a -> a.targetGroups().forEach(g -> groups.add(g.targetGroupArn())));
        if (groups.size() > MAX_TARGET_GROUPS_PER_LOAD_BALANCER) {
            throw ElbErrors.error("TooManyUniqueTargetGroupsPerLoadBalancer", "You've reached the limit on the number "
                    + "of unique target groups per load balancer across all listeners (" + MAX_TARGET_GROUPS_PER_LOAD_BALANCER + ")");
        }
    }

    /** Authenticate actions are for HTTPS listeners only. */
    private static void requireHttpsForAuthentication(List<Action> actions, String protocol) {
        if (!"HTTPS".equals(protocol) && actions.stream().anyMatch(a -> a.type().startsWith("authenticate-"))) {
            throw ElbErrors.error("InvalidLoadBalancerAction", "Authenticate actions are supported only on HTTPS listeners");
        }
    }

    private void validateAuthenticate(Action action, String owner) {
        Action.Authenticate auth = action.authenticate();
        boolean oidc = action.type().equals(Action.AUTHENTICATE_OIDC);
        String configName = oidc ? "authenticateOidcConfig" : "authenticateCognitoConfig";
        if (auth == null) {
            throw ElbErrors.validation("A " + configName + " must be specified for an action of type '" + action.type() + "'");
        }
        List<String> required = oidc ? List.of("Issuer", "AuthorizationEndpoint", "TokenEndpoint", "UserInfoEndpoint", "ClientId")
                : List.of("UserPoolArn", "UserPoolClientId", "UserPoolDomain");
        for (String member : required) {
            if (auth.get(member) == null || auth.get(member).isEmpty()) {
                throw ElbErrors.validation("1 validation error detected: Value null at '" + configName + "."
                        + Character.toLowerCase(member.charAt(0)) + member.substring(1)
                        + "' failed to satisfy constraint: Member must not be null");
            }
        }
        if (!Set.of("deny", "allow", "authenticate").contains(auth.onUnauthenticatedRequest())) {
            throw enumError(configName + ".onUnauthenticatedRequest", auth.onUnauthenticatedRequest(),
                    "[deny, allow, authenticate]");
        }
        if (oidc && auth.get("ClientSecret") == null) {
            boolean reuse = "true".equals(auth.get("UseExistingClientSecret"));
            if (!reuse || !hasOidcSecret(owner)) {
                throw ElbErrors.validation("A client secret must be specified for an 'authenticate-oidc' action, "
                        + "or UseExistingClientSecret for an existing one");
            }
        }
    }

    /**
     * The actions as stored: an OIDC action sent with {@code UseExistingClientSecret} keeps the client
     * secret in place, so the next modification can say {@code UseExistingClientSecret} again (the flag is
     * an instruction for this request, not part of the configuration ELBv2 keeps).
     */
    private List<Action> keepingSecrets(List<Action> actions, String owner) {
        if (actions.stream().noneMatch(a -> a.authenticate() != null && "true".equals(a.authenticate().get("UseExistingClientSecret")))) {
            return actions;
        }
        List<Action> current = listeners.containsKey(owner) ? listeners.get(owner).defaultActions()
                : rules.containsKey(owner) ? rules.get(owner).actions() : List.of();
        String secret = current.stream().filter(a -> a.authenticate() != null && a.authenticate().get("ClientSecret") != null)
                .map(a -> a.authenticate().get("ClientSecret")).findFirst().orElse(null);
        List<Action> out = new ArrayList<>();
        for (Action a : actions) {
            Action.Authenticate auth = a.authenticate();
            if (auth == null || !"true".equals(auth.get("UseExistingClientSecret"))) {
                out.add(a);
                continue;
            }
            Map<String, String> config = new HashMap<>(auth.config());
            config.remove("UseExistingClientSecret");
            if (config.get("ClientSecret") == null && secret != null) config.put("ClientSecret", secret);
            out.add(a.withAuthenticate(new Action.Authenticate(config, auth.extraParams())));
        }
        return out;
    }

    /** Whether the listener's default rule or the rule being modified already has an OIDC client secret. */
    private boolean hasOidcSecret(String owner) {
        if (owner == null) {
            return false;
        }
        List<Action> current = listeners.containsKey(owner) ? listeners.get(owner).defaultActions()
                : rules.containsKey(owner) ? rules.get(owner).actions() : List.of();
        return current.stream().anyMatch(a -> a.authenticate() != null && a.authenticate().get("ClientSecret") != null);
    }

    private void validateForward(Action action, String loadBalancerArn) {
        List<Action.TargetGroupWeight> groups = action.targetGroups();
        if (groups.isEmpty()) {
            throw ElbErrors.validation("A forward action must specify a target group ARN or at least one target group "
                    + "in its forward config");
        }
        if (groups.size() > MAX_TARGET_GROUPS_PER_ACTION) {
            throw ElbErrors.validation("A forward action can have at most " + MAX_TARGET_GROUPS_PER_ACTION
                    + " target groups, but " + groups.size() + " were specified");
        }
        Set<String> seen = new HashSet<>();
        for (Action.TargetGroupWeight group : groups) {
            if (group.weight() < 0 || group.weight() > MAX_WEIGHT) {
                throw ElbErrors.validation("The weight for each target group must be between 0 and 999, inclusive");
            }
            if (!seen.add(group.targetGroupArn())) {
                throw ElbErrors.validation("Target group '" + group.targetGroupArn()
                        + "' cannot be specified more than once in a forward action");
            }
            checkArn(Arns.TARGET_GROUP, "target group", group.targetGroupArn());
            TargetGroupState state = targetGroups.get(group.targetGroupArn());
            if (state == null) {
                throw ElbErrors.targetGroupNotFound("Target group '" + group.targetGroupArn() + "' not found");
            }
            for (String lb : loadBalancerArnsOf(group.targetGroupArn())) {
                if (!lb.equals(loadBalancerArn)) {
                    throw ElbErrors.error("TargetGroupAssociationLimit", "The following target groups cannot be "
                            + "associated with more than one load balancer: " + group.targetGroupArn());
                }
            }
        }
        Action.Stickiness stickiness = action.stickiness();
        if (stickiness != null && stickiness.enabled()) {
            Integer duration = stickiness.durationSeconds();
            if (duration == null || duration < 1 || duration > 604_800) {
                throw ElbErrors.validation("Target group stickiness duration must be between 1 and 604800 seconds");
            }
        }
    }














    private static int targetPort(TargetGroup group, TargetDescription description) {
        int port = description.port() != null ? description.port() : group.port();
        checkRange("port", port, 1, 65535);
        return port;
    }


    private interface ArnForId {
        String arn(String id);
    }

    private static String newId(String requested, Set<String> taken, ArnForId arnForId) {
        if (requested != null) {
            if (taken.contains(arnForId.arn(requested))) {
                throw new IllegalArgumentException("a resource with id " + requested + " already exists: "
                        + arnForId.arn(requested));
            }
            return requested;
        }
        String id;
        do {
            id = Arns.randomId();
        } while (taken.contains(arnForId.arn(id)));
        return id;
    }

    /** The simulated VPC of a region: one per region, shared by every load balancer and target group. */
    static String vpcId(String region) {
        return "vpc-0" + Arns.derivedId("vpc " + region);
    }
}

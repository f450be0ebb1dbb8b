package io.ecsbluegreen.sim.autoscaling;

import com.fasterxml.jackson.databind.JsonNode;
import io.ecsbluegreen.sim.SimClock;
import io.ecsbluegreen.sim.protocol.AwsErrorException;
import io.ecsbluegreen.sim.spi.ScalableServices;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * The state of the simulated Application Auto Scaling, for ECS services only (namespace {@code ecs},
 * dimension {@code ecs:service:DesiredCount}): scalable targets and their scaling policies. No scaling
 * activity runs (there is no CPU to track): a target-tracking policy is stored and described, and
 * registering a range brings the service's desired count inside it, as AWS does. One lock guards everything.
 */
public final class AutoScalingStore {
    static final String ECS = "ecs";
    static final String ECS_DIMENSION = "ecs:service:DesiredCount";

    private final SimClock clock;
    private final String accountId;
    private final ScalableServices services;
    /** Scalable targets by resource id, in registration order. */
    private final Map<String, Target> targets = new LinkedHashMap<>();

    /** A scalable target. */
    static final class Target {
        final String resourceId;
        final String arn;
        final Instant createdAt;
        String roleArn;
        int min;
        int max;
        boolean scaleInSuspended;
        boolean scaleOutSuspended;
        boolean scheduledSuspended;
        final Map<String, String> tags = new LinkedHashMap<>();
        /** Policies by name, in creation order. */
        final Map<String, Policy> policies = new LinkedHashMap<>();

        Target(String resourceId, String arn, Instant createdAt) {
            this.resourceId = resourceId;
            this.arn = arn;
            this.createdAt = createdAt;
        }
    }

    /**
     * A scaling policy: its type and configuration as put ({@code TargetTrackingScalingPolicyConfiguration}
     * or {@code StepScalingPolicyConfiguration}), and the alarms AWS reports for it.
     */
    record Policy(String name, String arn, String resourceId, String type, JsonNode configuration, List<String> alarms,
                  Instant createdAt) {}

    public AutoScalingStore(SimClock clock, String accountId, ScalableServices services) {
        this.clock = clock;
        this.accountId = accountId;
        this.services = services;
    }

    /** The cluster and service of an ECS resource id, {@code service/CLUSTER/SERVICE}; ValidationException otherwise. */
    static String[] ecsService(String resourceId) {
        String[] parts = resourceId.split("/", -1);
        if (parts.length != 3 || !parts[0].equals("service") || parts[1].isEmpty() || parts[2].isEmpty()) {
            throw validation("Unsupported resource ID " + resourceId + ": an ECS service is service/CLUSTER/SERVICE");
        }
        return parts;
    }

    static void requireEcs(String namespace, String dimension) {
        if (!ECS.equals(namespace)) {
            throw validation("The simulator serves the ecs service namespace only, not " + namespace);
        }
        if (dimension != null && !ECS_DIMENSION.equals(dimension)) {
            throw validation("Unsupported scalable dimension " + dimension + " for service namespace ecs");
        }
    }

    /**
     * RegisterScalableTarget: a new target needs both capacities and an ACTIVE ECS service; an update changes
     * only what it names. A {@code SuspendedState} given replaces the whole state (a member it leaves out is
     * false, its documented default). The service's desired count is brought inside the range.
     */
    synchronized String register(String region, String resourceId, Integer min, Integer max, String roleArn,
                                 JsonNode suspended, Map<String, String> tags) {
        String[] svc = ecsService(resourceId);
        OptionalInt count = services.desiredCount(svc[1], svc[2]);
        if (count.isEmpty()) throw validation("ECS service doesn't exist: " + resourceId);
        if ((min != null && min < 0) || (max != null && max < 0)) throw validation("Capacity cannot be negative");
        Target t = targets.get(resourceId);
        if (t == null) {
            if (min == null || max == null) {
                throw validation("MinCapacity and MaxCapacity are required to register a new scalable target");
            }
            if (max < min) throw validation("Maximum capacity cannot be less than minimum capacity");
            t = new Target(resourceId, "arn:aws:application-autoscaling:" + region + ":" + accountId + ":scalable-target/0ec"
                    + UUID.randomUUID().toString().replace("-", ""), clock.instant());
            t.roleArn = roleArn != null ? roleArn : "arn:aws:iam::" + accountId
                    + ":role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService";
            t.min = min;
            t.max = max;
            targets.put(resourceId, t);
        } else {
            int newMin = min != null ? min : t.min;
            int newMax = max != null ? max : t.max;
            if (newMax < newMin) throw validation("Maximum capacity cannot be less than minimum capacity");
            t.min = newMin;
            t.max = newMax;
            if (roleArn != null) t.roleArn = roleArn;
        }
        if (suspended != null) {
            t.scaleInSuspended = suspended.path("DynamicScalingInSuspended").asBoolean(false);
            t.scaleOutSuspended = suspended.path("DynamicScalingOutSuspended").asBoolean(false);
            t.scheduledSuspended = suspended.path("ScheduledScalingSuspended").asBoolean(false);
        }
        t.tags.putAll(tags);
        int current = count.getAsInt();
        int clamped = Math.max(t.min, Math.min(t.max, current));
        if (clamped != current) services.setDesiredCount(svc[1], svc[2], clamped);
        return t.arn;
    }

    String accountId() {
        return accountId;
    }

    synchronized List<Target> targets(List<String> resourceIds) {
        List<Target> out = new ArrayList<>();
        for (Target t : targets.values()) {
            if (resourceIds.isEmpty() || resourceIds.contains(t.resourceId)) out.add(t);
        }
        return out;
    }

    /** DeregisterScalableTarget: the target and its policies are deleted. */
    synchronized void deregister(String resourceId) {
        if (targets.remove(resourceId) == null) throw notFound("No scalable target registered for service namespace: ecs, resource ID: "
                + resourceId + ", scalable dimension: " + ECS_DIMENSION);
    }

    /** PutScalingPolicy: creates or replaces a policy of a registered target. */
    synchronized Policy putPolicy(String region, String resourceId, String name, String type, JsonNode configuration) {
        Target t = targets.get(resourceId);
        if (t == null) {
            throw notFound("No scalable target registered for service namespace: ecs, resource ID: " + resourceId
                    + ", scalable dimension: " + ECS_DIMENSION);
        }
        Policy old = t.policies.get(name);
        String id = old != null ? old.arn().split(":")[6] : UUID.randomUUID().toString();
        String arn = "arn:aws:autoscaling:" + region + ":" + accountId + ":scalingPolicy:" + id + ":resource/ecs/" + resourceId
                + ":policyName/" + name;
        List<String> alarms = type.equals("TargetTrackingScaling")
                ? List.of("TargetTracking-" + resourceId + "-AlarmHigh-" + id, "TargetTracking-" + resourceId + "-AlarmLow-" + id)
                : List.of();
        Policy p = new Policy(name, arn, resourceId, type, configuration, alarms, old != null ? old.createdAt() : clock.instant());
        t.policies.put(name, p);
        return p;
    }

    synchronized List<Policy> policies(String resourceId, List<String> names) {
        List<Policy> out = new ArrayList<>();
        for (Target t : targets.values()) {
            if (resourceId != null && !resourceId.equals(t.resourceId)) continue;
            for (Policy p : t.policies.values()) {
                if (names.isEmpty() || names.contains(p.name())) out.add(p);
            }
        }
        return out;
    }

    synchronized void deletePolicy(String resourceId, String name) {
        Target t = targets.get(resourceId);
        if (t == null || t.policies.remove(name) == null) {
            throw notFound("No scaling policy found for service namespace: ecs, resource ID: " + resourceId
                    + ", scalable dimension: " + ECS_DIMENSION + ", policy name: " + name);
        }
    }

    // ---- Java API for tests -----------------------------------------------------------------------

    /** A scalable target as a test sees it. */
    public record TargetView(String resourceId, int min, int max, boolean scaleInSuspended, boolean scaleOutSuspended,
                             boolean scheduledSuspended, List<String> policyNames) {}

    /** The scalable target of an ECS service, or null when it is not registered. */
    public synchronized TargetView target(String cluster, String service) {
        Target t = targets.get("service/" + cluster + "/" + service);
        return t == null ? null : new TargetView(t.resourceId, t.min, t.max, t.scaleInSuspended, t.scaleOutSuspended,
                t.scheduledSuspended, List.copyOf(t.policies.keySet()));
    }

    static AwsErrorException validation(String message) {
        return new AwsErrorException(400, "ValidationException", message);
    }

    static AwsErrorException notFound(String message) {
        return new AwsErrorException(400, "ObjectNotFoundException", message);
    }
}

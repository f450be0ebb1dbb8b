package io.ecsbluegreen.observed;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one service looks like in AWS at the moment of a pass, in the planner's terms (no SDK types).
 *
 * @param service the ECS service; null when it does not exist
 * @param taskSets its task sets, in no particular order
 * @param production the forward action of the production listener or rule
 * @param test the forward action of the test listener or rule; null when the spec has none
 * @param targetGroups the spec's blue and green target groups, by ARN
 * @param desiredTaskDefinitionArn the task definition of the desired revision: the spec's ARN, or the
 *     one the operator registered for the revision; null while not registered yet, and when a task set
 *     already runs the revision (no new task set can be needed then, so it is not looked up)
 * @param alarms the state ({@code OK}, {@code ALARM}, {@code INSUFFICIENT_DATA}) of each of the spec's
 *     rollback alarms that exists; null when they were not read in this pass (nothing to watch, or
 *     their existence already confirmed and no rollout under way)
 * @param scaling the service's Application Auto Scaling registration; null when not read (the spec declares
 *     no {@code scaling: {min, max, targetCpuUtilization}}, or the service does not exist yet)
 */
public record Observed(EcsService service, List<TaskSet> taskSets, Forward production, Forward test,
                       Map<String, TargetGroup> targetGroups, String desiredTaskDefinitionArn, Map<String, String> alarms,
                       Scaling scaling) {

    public Observed {
        taskSets = List.copyOf(taskSets);
        targetGroups = Map.copyOf(targetGroups);
        alarms = alarms == null ? null : Map.copyOf(alarms);
    }

    /** An observation without the scaling registration read. */
    public Observed(EcsService service, List<TaskSet> taskSets, Forward production, Forward test,
                    Map<String, TargetGroup> targetGroups, String desiredTaskDefinitionArn, Map<String, String> alarms) {
        this(service, taskSets, production, test, targetGroups, desiredTaskDefinitionArn, alarms, null);
    }

    /** This observation with the scaling registration as read. */
    public Observed withScaling(Scaling newScaling) {
        return new Observed(service, taskSets, production, test, targetGroups, desiredTaskDefinitionArn, alarms, newScaling);
    }

    /** This observation with the rollback alarms' states as read. */
    public Observed withAlarms(Map<String, String> newAlarms) {
        return new Observed(service, taskSets, production, test, targetGroups, desiredTaskDefinitionArn, newAlarms, scaling);
    }

    /** An observation without alarms read. */
    public Observed(EcsService service, List<TaskSet> taskSets, Forward production, Forward test,
                    Map<String, TargetGroup> targetGroups, String desiredTaskDefinitionArn) {
        this(service, taskSets, production, test, targetGroups, desiredTaskDefinitionArn, null);
    }

    /**
     * The ECS service.
     *
     * @param createdAt when this incarnation of the service was created (a service deleted and created
     *     again keeps its ARN, not this); null when unknown
     */
    public record EcsService(String arn, String status, String deploymentController, int desiredCount,
                             Map<String, String> tags, Instant createdAt) {
        public EcsService {
            tags = Map.copyOf(tags);
        }

        /** A service whose creation time is unknown. */
        public EcsService(String arn, String status, String deploymentController, int desiredCount, Map<String, String> tags) {
            this(arn, status, deploymentController, desiredCount, tags, null);
        }
    }

    /** ECS task set status. */
    public enum TaskSetStatus { PRIMARY, ACTIVE, DRAINING }

    /**
     * A task set.
     *
     * @param revision its {@code externalId}: the revision it runs, when the operator created it
     * @param steady whether ECS reports STEADY_STATE
     * @param taskDefinitionArn the task definition it runs; null when unknown
     */
    public record TaskSet(String id, String arn, String revision, TaskSetStatus status, double scalePercent,
                          int computedDesiredCount, int runningCount, int pendingCount, boolean steady,
                          Instant createdAt, String targetGroupArn, Map<String, String> tags, String taskDefinitionArn) {
        public TaskSet {
            tags = Map.copyOf(tags);
        }

        /** A task set whose task definition is not known. */
        public TaskSet(String id, String arn, String revision, TaskSetStatus status, double scalePercent,
                       int computedDesiredCount, int runningCount, int pendingCount, boolean steady,
                       Instant createdAt, String targetGroupArn, Map<String, String> tags) {
            this(id, arn, revision, status, scalePercent, computedDesiredCount, runningCount, pendingCount, steady, createdAt,
                    targetGroupArn, tags, null);
        }

        public Optional<String> tag(String key) {
            return Optional.ofNullable(tags.get(key));
        }
    }

    /**
     * A listener's default forward action, or a rule's.
     *
     * @param weights target group ARN to weight (0 to 999)
     */
    public record Forward(String arn, boolean rule, Map<String, Integer> weights, Map<String, String> tags) {
        public Forward {
            weights = Map.copyOf(weights);
            tags = Map.copyOf(tags);
        }

        /** The share of traffic a target group gets, in percent, rounded down. */
        public int percentTo(String targetGroupArn) {
            int total = weights.values().stream().mapToInt(Integer::intValue).sum();
            return total == 0 ? 0 : weights.getOrDefault(targetGroupArn, 0) * 100 / total;
        }
    }

    /** A target group and how many of its registered targets are healthy. */
    public record TargetGroup(String arn, String name, int healthy, int registered, Map<String, String> tags) {
        public TargetGroup {
            tags = Map.copyOf(tags);
        }
    }

    /**
     * The service's registration with Application Auto Scaling (dimension {@code ecs:service:DesiredCount}).
     *
     * @param target the scalable target; null when the service is not registered
     * @param policy the operator's target-tracking policy on the target; null when it does not exist
     */
    public record Scaling(ScalableTarget target, Policy policy) {
        /** Nothing registered. */
        public static final Scaling NONE = new Scaling(null, null);
    }

    /** A scalable target: its capacity range and which scaling activities are suspended. */
    public record ScalableTarget(int min, int max, boolean scaleInSuspended, boolean scaleOutSuspended,
                                 boolean scheduledSuspended) {}

    /**
     * A scaling policy as far as the operator compares it.
     *
     * @param type {@code TargetTrackingScaling}, {@code StepScaling} or {@code PredictiveScaling}
     * @param predefinedMetric the target-tracking policy's predefined metric type; null for none
     * @param targetValue the target-tracking policy's target value; 0 for none
     * @param scaleInDisabled whether the target-tracking policy has {@code DisableScaleIn}
     */
    public record Policy(String type, String predefinedMetric, double targetValue, boolean scaleInDisabled) {}
}

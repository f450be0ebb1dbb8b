package io.ecsbluegreen.plan;

import java.util.List;
import java.util.Map;

/**
 * One idempotent change the planner wants made in AWS. A plan's actions run in order; the first that
 * fails stops the pass, and the next pass plans again from what AWS then shows.
 */
public sealed interface Action {

    /**
     * Creates the ECS service with the EXTERNAL deployment controller, tagged with its owner; tag values
     * are made valid by {@link Tags#value}.
     *
     * @param clientToken names this one creation ({@link ClientTokens#service})
     */
    record CreateService(String cluster, String service, int desiredCount, Map<String, String> tags, String clientToken)
            implements Action {
        public CreateService {
            tags = Map.copyOf(Tags.values(tags));
        }
    }

    /** Sets the service's desired count; task sets follow through their scale. */
    record UpdateDesiredCount(String serviceArn, int desiredCount) implements Action {}

    /** Registers the inline task definition of a revision, tagged with it. */
    record RegisterTaskDefinition(Revision revision) implements Action {}

    /**
     * Creates a task set at 100% scale; the revision is its external id.
     *
     * @param clientToken names this one creation ({@link ClientTokens#taskSet})
     * @param serviceArn the service the task set belongs to
     * @param generation the creation generation the token was made with: when AWS answers the token with a
     *     task set that is already deleted (someone deleted it out of band, which raises no generation), the
     *     actor raises it past this one so that the next pass creates with a new token
     */
    record CreateTaskSet(Revision revision, String taskDefinitionArn, String targetGroupArn, String clientToken,
                         String serviceArn, long generation) implements Action {}

    /** Rescales a task set (drift correction). */
    record UpdateTaskSetScale(String taskSetArn, double percent) implements Action {}

    /** Makes a task set the service's primary one. */
    record SetPrimaryTaskSet(String taskSetArn) implements Action {}

    /**
     * Deletes a task set (force: its tasks stop). Never planned for the task set that serves production,
     * nor for one already DRAINING.
     */
    record DeleteTaskSet(String taskSetArn, String why) implements Action {}

    /** Sets a forward action's weights in one change, target group ARN to percent. */
    record SetForwardWeights(String listenerOrRuleArn, boolean rule, Map<String, Integer> weights) implements Action {}

    /**
     * Adds or overwrites tags on any taggable resource (ECS or ELBv2, by ARN); values are made valid by
     * {@link Tags#value} here, so no plan can hold a value AWS refuses.
     */
    record TagResource(String arn, Map<String, String> tags) implements Action {
        public TagResource {
            tags = Map.copyOf(Tags.values(tags));
        }
    }

    /**
     * Starts a lifecycle hook in the background (never waits for it); a later pass sees its result.
     *
     * @param taskSetArn green's task set; null for beforeInstall
     */
    record RunHook(String point, int index, io.ecsbluegreen.model.HookSpec hook, String taskSetArn) implements Action {}

    /**
     * Starts, in the background, the analysis measurements that are due for green (never waits for
     * them); a later pass reads their verdicts.
     *
     * @param stepStartedAt when the traffic step in force began: metrics are counted from then on only
     */
    record Analyze(String taskSetArn, String targetGroupArn, java.time.Instant stepStartedAt) implements Action {}

    /** Removes tags from any taggable resource. */
    record UntagResource(String arn, List<String> keys) implements Action {}

    /**
     * Registers (or updates) the service as an Application Auto Scaling scalable target on
     * {@code ecs:service:DesiredCount} with its capacity range and suspended state, every member of the
     * state sent (the ones the operator does not manage as they were observed).
     */
    record RegisterScalableTarget(String cluster, String service, int min, int max, boolean scaleInSuspended,
                                  boolean scaleOutSuspended, boolean scheduledSuspended) implements Action {}

    /**
     * Creates or replaces the operator's target-tracking policy ({@link ScalingDecisions#POLICY_NAME}) on the
     * service's scalable target: average CPU utilization ({@code ECSServiceAverageCPUUtilization}) held at
     * {@code targetCpuUtilization} percent.
     */
    record PutCpuTargetTrackingPolicy(String cluster, String service, int targetCpuUtilization) implements Action {}
}

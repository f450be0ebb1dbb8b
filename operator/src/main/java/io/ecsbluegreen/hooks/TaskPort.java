package io.ecsbluegreen.hooks;

import io.ecsbluegreen.plan.TaskPlacement;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The narrow part of Amazon ECS a task hook needs: run one task, watch it, stop it. Implementations
 * throw the SDK's exceptions unchanged.
 */
public interface TaskPort {

    /**
     * One task to run.
     *
     * @param cluster the ECS cluster
     * @param taskDefinition a task definition ARN or {@code family:revision}
     * @param placement capacity and network, the service's
     * @param containerName the container whose command and environment are overridden; null for none
     * @param command the command override; empty for the task definition's
     * @param environment environment added to {@code containerName}'s
     * @param startedBy ECS's {@code startedBy} (up to 128 letters, digits, {@code -}, {@code _} and {@code /})
     * @param group ECS's task group
     * @param clientToken RunTask's idempotency token (up to 64 characters): the same token and request
     *     answer the task the first call started, for 24 hours
     */
    record Run(String cluster, String taskDefinition, TaskPlacement placement, String containerName, List<String> command,
               Map<String, String> environment, String startedBy, String group, String clientToken) {}

    /**
     * Starts one task (RunTask with {@code count} 1); returns its ARN. Throws when ECS refuses the request
     * or places no task (its {@code failures}).
     */
    String run(Run run);

    /**
     * A task as DescribeTasks shows it.
     *
     * @param lastStatus {@code PROVISIONING} ... {@code STOPPED}
     * @param stopCode ECS's stop code once stopping ({@code EssentialContainerExited}, {@code UserInitiated},
     *     {@code TaskFailedToStart}...); null before
     * @param stoppedReason why it stopped; null before
     */
    record TaskState(String arn, String lastStatus, String stopCode, String stoppedReason, List<ContainerState> containers) {

        public boolean stopped() {
            return "STOPPED".equals(lastStatus);
        }
    }

    /**
     * A container of a task.
     *
     * @param essential whether the task definition marks it essential (DescribeTasks does not say)
     * @param exitCode its exit code once it exited; null before, or when it never ran
     * @param reason why it stopped, when ECS says (a pull error, an out-of-memory kill)
     */
    record ContainerState(String name, boolean essential, Integer exitCode, String reason) {}

    /** The tasks of a cluster by ARN; tasks ECS does not find are absent. */
    Map<String, TaskState> describe(String cluster, Collection<String> taskArns);

    /** Stops a task (StopTask) with a reason ECS shows as its {@code stoppedReason}. */
    void stop(String cluster, String taskArn, String reason);
}

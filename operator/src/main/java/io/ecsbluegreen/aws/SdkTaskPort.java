package io.ecsbluegreen.aws;

import io.ecsbluegreen.plan.TaskPlacement;
import io.ecsbluegreen.hooks.TaskPort;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * {@link TaskPort} over the SDK v2 ECS client. Which containers are essential comes from the task
 * definition (DescribeTasks does not say), described once per ARN: a task definition revision never changes.
 */
public final class SdkTaskPort implements TaskPort {
    static final int DESCRIBE_TASKS_BATCH = 100;
    /** StopTask's limit on {@code reason}. */
    static final int REASON_MAX = 255;

    private final EcsClient ecs;
    private final Map<String, Map<String, Boolean>> essentialByTaskDefinition = new ConcurrentHashMap<>();

    public SdkTaskPort(EcsClient ecs) {
        this.ecs = ecs;
    }

    @Override
    public String run(Run run) {
        RunTaskRequest.Builder b = RunTaskRequest.builder().cluster(run.cluster()).taskDefinition(run.taskDefinition()).count(1)
                .startedBy(run.startedBy()).group(run.group()).clientToken(run.clientToken());
        Placements.apply(run.placement() == null ? TaskPlacement.DEFAULT : run.placement(), b);
        if (run.containerName() != null) {
            ContainerOverride.Builder o = ContainerOverride.builder().name(run.containerName());
            if (run.command() != null && !run.command().isEmpty()) o.command(run.command());
            if (run.environment() != null && !run.environment().isEmpty()) {
                o.environment(run.environment().entrySet().stream()
                        .map(e -> KeyValuePair.builder().name(e.getKey()).value(e.getValue()).build()).toList());
            }
            b.overrides(v -> v.containerOverrides(o.build()));
        }
        RunTaskResponse response = ecs.runTask(b.build());
        if (!response.hasTasks() || response.tasks().isEmpty()) {
            List<String> why = response.hasFailures() ? response.failures().stream()
                    .map(f -> f.reason() + (f.detail() == null ? "" : " (" + f.detail() + ")") + (f.arn() == null ? "" : " " + f.arn()))
                    .toList() : List.of();
            throw new IllegalStateException("RunTask placed no task of " + run.taskDefinition()
                    + (why.isEmpty() ? "" : ": " + String.join("; ", why)));
        }
        return response.tasks().get(0).taskArn();
    }

    @Override
    public Map<String, TaskState> describe(String cluster, Collection<String> taskArns) {
        List<String> all = new ArrayList<>(new LinkedHashSet<>(taskArns));
        Map<String, TaskState> out = new HashMap<>();
        for (int i = 0; i < all.size(); i += DESCRIBE_TASKS_BATCH) {
            List<String> batch = all.subList(i, Math.min(all.size(), i + DESCRIBE_TASKS_BATCH));
            for (Task t : ecs.describeTasks(r -> r.cluster(cluster).tasks(batch)).tasks()) {
                out.put(t.taskArn(), state(t));
            }
        }
        return out;
    }

    private TaskState state(Task t) {
        Map<String, Boolean> essential = essential(t.taskDefinitionArn());
        List<ContainerState> containers = t.hasContainers() ? t.containers().stream()
                .map(c -> container(c, essential.getOrDefault(c.name(), true))).toList() : List.of();
        return new TaskState(t.taskArn(), t.lastStatus(), t.stopCodeAsString(), t.stoppedReason(), containers);
    }

    private static ContainerState container(Container c, boolean essential) {
        return new ContainerState(c.name(), essential, c.exitCode(), c.reason());
    }

    /** Whether each container of a task definition is essential; ECS's default is yes. */
    private Map<String, Boolean> essential(String taskDefinitionArn) {
        return essentialByTaskDefinition.computeIfAbsent(taskDefinitionArn, arn -> {
            Map<String, Boolean> out = new HashMap<>();
            for (ContainerDefinition c : ecs.describeTaskDefinition(r -> r.taskDefinition(arn)).taskDefinition().containerDefinitions()) {
                out.put(c.name(), c.essential() == null || c.essential());
            }
            return out;
        });
    }

    @Override
    public void stop(String cluster, String taskArn, String reason) {
        String fitted = reason.length() <= REASON_MAX ? reason : reason.substring(0, REASON_MAX - 1) + "…";
        ecs.stopTask(r -> r.cluster(cluster).task(taskArn).reason(fitted));
    }
}

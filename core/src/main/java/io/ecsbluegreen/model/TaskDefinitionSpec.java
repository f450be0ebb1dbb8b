package io.ecsbluegreen.model;

import io.ecsbluegreen.model.meta.Conflicts;
import io.ecsbluegreen.model.meta.Default;
import io.ecsbluegreen.model.meta.Doc;
import io.ecsbluegreen.model.meta.ExactlyOneOf;
import io.ecsbluegreen.model.meta.Pattern;
import io.ecsbluegreen.model.meta.Range;
import io.ecsbluegreen.model.meta.Requires;
import io.ecsbluegreen.model.meta.Size;
import java.util.List;

/**
 * What the service runs: either an existing task definition ({@code arn}) or an inline one that the
 * operator registers, as a new revision only when its content hash changes.
 */
@ExactlyOneOf({"arn", "family"})
@Requires(field = "family", requires = {"containers"})
@Conflicts(field = "arn", with = {"cpu", "memory", "executionRoleArn", "taskRoleArn", "networkMode", "runtimePlatform",
        "ephemeralStorageGiB", "containers"})
@Doc("Either `arn` (an existing task definition) or an inline definition starting with `family`.")
public record TaskDefinitionSpec(
        @Pattern(value = Patterns.TASK_DEFINITION_REF, hint = Patterns.TASK_DEFINITION_REF_HINT)
        @Doc("An existing task definition, used as given.")
        String arn,

        @Pattern(value = Patterns.ECS_NAME, hint = Patterns.ECS_NAME_HINT)
        @Doc("Family of the inline task definition; the operator registers revisions in it.")
        String family,

        @Range(min = 128, max = 196608)
        @Doc("Task CPU units (1024 = 1 vCPU). Required for Fargate.")
        Integer cpu,

        @Range(min = 128, max = 983040)
        @Doc("Task memory in MiB. Required for Fargate.")
        Integer memory,

        @Pattern(value = Patterns.ROLE_ARN, hint = Patterns.ROLE_ARN_HINT)
        @Doc("Role ECS uses to pull images and write logs.")
        String executionRoleArn,

        @Pattern(value = Patterns.ROLE_ARN, hint = Patterns.ROLE_ARN_HINT)
        @Doc("Role the containers run with.")
        String taskRoleArn,

        @Default("awsvpc")
        @Doc("Docker networking mode; `awsvpc` is required by Fargate and by IP target groups.")
        NetworkMode networkMode,

        @Doc("CPU architecture and operating system.")
        RuntimePlatform runtimePlatform,

        @Range(min = 21, max = 200)
        @Doc("Fargate ephemeral storage in GiB (21 to 200); 20 GiB when absent.")
        Integer ephemeralStorageGiB,

        @Size(min = 1, max = 10)
        @Doc("The containers (1 to 10). At least one must be essential.")
        List<ContainerSpec> containers) {

    /** Whether the operator registers this task definition itself. */
    public boolean inline() {
        return family != null;
    }
}

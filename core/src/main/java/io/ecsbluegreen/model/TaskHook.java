package io.ecsbluegreen.model;

import io.ecsbluegreen.model.meta.Doc;
import io.ecsbluegreen.model.meta.KeyPattern;
import io.ecsbluegreen.model.meta.Pattern;
import io.ecsbluegreen.model.meta.Required;
import io.ecsbluegreen.model.meta.Size;
import java.util.List;
import java.util.Map;

/** An ECS RunTask in the service's cluster and network; success is every essential container exiting 0. */
@Doc("Run an ECS task in the service's cluster and network; success is every essential container exiting 0.")
public record TaskHook(
        @Required @Pattern(value = Patterns.TASK_DEFINITION_REF, hint = Patterns.TASK_DEFINITION_REF_HINT)
        @Doc("Task definition ARN or family:revision.")
        String taskDefinition,

        @Pattern(value = Patterns.ECS_NAME, hint = Patterns.ECS_NAME_HINT)
        @Doc("Container whose command and environment are overridden.")
        String containerName,

        @Size(max = 100)
        @Doc("Command override for `containerName`.")
        List<String> command,

        @Size(max = 200) @KeyPattern(value = Patterns.ENV_NAME, hint = Patterns.ENV_NAME_HINT)
        @Doc("Extra environment for `containerName`.")
        Map<String, String> environment) {}

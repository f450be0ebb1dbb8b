package io.ecsbluegreen.model;

import io.ecsbluegreen.model.meta.Default;
import io.ecsbluegreen.model.meta.Doc;
import io.ecsbluegreen.model.meta.DurationRange;
import io.ecsbluegreen.model.meta.KeyPattern;
import io.ecsbluegreen.model.meta.Pattern;
import io.ecsbluegreen.model.meta.Range;
import io.ecsbluegreen.model.meta.Required;
import io.ecsbluegreen.model.meta.Size;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One container of an inline task definition. */
@Doc("A container of the inline task definition.")
public record ContainerSpec(
        @Required @Pattern(value = Patterns.ECS_NAME, hint = Patterns.ECS_NAME_HINT)
        @Doc("Container name, unique within the task definition.")
        String name,

        @Required @Pattern(value = Patterns.IMAGE, hint = Patterns.IMAGE_HINT)
        @Doc("Image reference; a digest (`@sha256:…`) makes the revision immutable.")
        String image,

        @Default("true")
        @Doc("Whether the task stops when this container stops.")
        Boolean essential,

        @Range(min = 0, max = 196608)
        @Doc("CPU units reserved for the container.")
        Integer cpu,

        @Range(min = 6, max = 983040)
        @Doc("Hard memory limit in MiB.")
        Integer memory,

        @Range(min = 6, max = 983040)
        @Doc("Soft memory limit in MiB.")
        Integer memoryReservation,

        @Size(max = 100)
        @Doc("Entry point override.")
        List<String> entryPoint,

        @Size(max = 100)
        @Doc("Command override.")
        List<String> command,

        @Size(max = 100)
        @Doc("Port mappings; the traffic container's port must be among them.")
        List<PortMapping> portMappings,

        @Size(max = 200) @KeyPattern(value = Patterns.ENV_NAME, hint = Patterns.ENV_NAME_HINT)
        @Doc("Environment variables. Numbers and booleans are turned into strings.")
        Map<String, String> environment,

        @Size(max = 200) @KeyPattern(value = Patterns.ENV_NAME, hint = Patterns.ENV_NAME_HINT)
        @Pattern(value = Patterns.SECRET_REF, hint = Patterns.SECRET_REF_HINT)
        @Doc("Secrets as environment variables: name to Secrets Manager or SSM parameter reference (`valueFrom`).")
        Map<String, String> secrets,

        @Doc("Container health check run by the ECS agent.")
        ContainerHealthCheck healthCheck,

        @Doc("Where the container's logs go.")
        LogConfiguration logConfiguration,

        @Default("false")
        @Doc("Mount the root filesystem read-only.")
        Boolean readonlyRootFilesystem,

        @DurationRange(min = "2s", max = "120s")
        @Doc("Time between SIGTERM and SIGKILL when the container stops.")
        Duration stopTimeout) {}

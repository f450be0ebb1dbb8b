package io.ecsbluegreen.sim.seed;

import io.ecsbluegreen.model.meta.Default;
import io.ecsbluegreen.model.meta.Doc;
import io.ecsbluegreen.model.meta.DurationRange;
import io.ecsbluegreen.model.meta.Pattern;
import io.ecsbluegreen.model.meta.Range;
import io.ecsbluegreen.model.meta.Required;
import java.time.Duration;

/** A target group of the seed. */
@Doc("An HTTP target group with ip targets.")
public record SeedTargetGroup(
        @Required @Pattern(value = "^[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?$", hint = "1 to 32 letters, digits or hyphens")
        @Doc("Name.")
        String name,

        @Pattern(value = "^[0-9a-f]{16}$", hint = "16 hex digits") @Doc("Fixed id for the ARN; random when absent.")
        String id,

        @Default("8080") @Range(min = 1, max = 65535) @Doc("Target port.")
        Integer port,

        @Default("/health") @Doc("Health check path.")
        String healthCheckPath,

        @Default("10s") @DurationRange(min = "5s", max = "300s") @Doc("Health check interval.")
        Duration healthCheckInterval,

        @Default("2") @Range(min = 2, max = 10) @Doc("Checks to become healthy.")
        Integer healthyThreshold,

        @Default("30s") @DurationRange(min = "0s", max = "3600s") @Doc("Deregistration delay.")
        Duration deregistrationDelay) {}

package io.ecsbluegreen.model;

import io.ecsbluegreen.model.meta.Default;
import io.ecsbluegreen.model.meta.Doc;
import io.ecsbluegreen.model.meta.DurationRange;
import io.ecsbluegreen.model.meta.Range;
import io.ecsbluegreen.model.meta.Required;
import io.ecsbluegreen.model.meta.Size;
import java.time.Duration;
import java.util.List;

/** The ECS container health check, with the bounds ECS enforces. */
@Doc("Container health check run by the ECS agent, with the bounds ECS enforces.")
public record ContainerHealthCheck(
        @Required @Size(min = 1, max = 100)
        @Doc("Command, for example `[CMD-SHELL, curl -f http://localhost:8080/health || exit 1]`.")
        List<String> command,

        @Default("30s") @DurationRange(min = "5s", max = "300s")
        @Doc("Time between checks (5s to 300s).")
        Duration interval,

        @Default("5s") @DurationRange(min = "2s", max = "60s")
        @Doc("Time a check may take (2s to 60s).")
        Duration timeout,

        @Default("3") @Range(min = 1, max = 10)
        @Doc("Consecutive failures before the container is unhealthy.")
        Integer retries,

        @Default("0s") @DurationRange(min = "0s", max = "300s")
        @Doc("Grace period after start during which failures do not count (0s to 300s).")
        Duration startPeriod) {}

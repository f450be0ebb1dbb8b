package io.ecsbluegreen.model;

import io.ecsbluegreen.model.meta.Doc;
import io.ecsbluegreen.model.meta.DurationRange;
import io.ecsbluegreen.model.meta.Range;
import io.ecsbluegreen.model.meta.Required;
import java.time.Duration;

/** One canary step: send {@code weight}% of production to green, then wait {@code pause}. */
@Doc("Send `weight` percent of production traffic to green, then wait `pause` while alarms and analysis watch.")
public record CanaryStep(
        @Required @Range(min = 1, max = 100)
        @Doc("Percent of production traffic on green; each step higher than the one before.")
        Integer weight,

        @Required @DurationRange(min = "1s", max = "24h")
        @Doc("Time at this weight before the next step.")
        Duration pause) {}

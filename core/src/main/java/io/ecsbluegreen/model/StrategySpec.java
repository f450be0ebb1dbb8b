package io.ecsbluegreen.model;

import io.ecsbluegreen.model.meta.Default;
import io.ecsbluegreen.model.meta.Doc;
import io.ecsbluegreen.model.meta.DurationRange;
import io.ecsbluegreen.model.meta.PresentWhen;
import java.time.Duration;

/** How a new revision is rolled out and how long the old one is kept. */
@Doc("How production traffic moves to a new revision, and how long the previous revision is kept warm.")
public record StrategySpec(
        @Default("AllAtOnce")
        @Doc("`AllAtOnce`, `Canary` (explicit steps) or `Linear` (equal steps at a fixed interval).")
        StrategyType type,

        @PresentWhen(field = "type", equals = "Canary")
        @Doc("Canary steps; required when type is Canary, forbidden otherwise.")
        CanarySpec canary,

        @PresentWhen(field = "type", equals = "Linear")
        @Doc("Linear steps; required when type is Linear, forbidden otherwise.")
        LinearSpec linear,

        @Default("0s") @DurationRange(min = "0s", max = "24h")
        @Doc("Time production runs fully on green, watched by alarms and analysis, before green becomes primary.")
        Duration bakeTime,

        @Default("1h") @DurationRange(min = "0s", max = "48h")
        @Doc("How long the previous revision stays running after a rollout, for instant rollback (CodeDeploy's termination wait).")
        Duration blueRetention,

        @Default("auto")
        @Doc("`auto`, or `manual` to wait in phase AwaitingPromotion before production traffic moves.")
        Promotion promotion,

        @Default("30m") @DurationRange(min = "1m", max = "24h")
        @Doc("Time green has to become stable and healthy; past it the rollout rolls back.")
        Duration progressDeadline) {}

package io.ecsbluegreen.model;

import io.ecsbluegreen.model.meta.Doc;
import io.ecsbluegreen.model.meta.DurationRange;
import io.ecsbluegreen.model.meta.Range;
import io.ecsbluegreen.model.meta.Required;
import java.time.Duration;

/** Equal traffic steps at a fixed interval. */
@Doc("Move `stepPercent` more of production traffic to green every `interval`.")
public record LinearSpec(
        @Required @Range(min = 1, max = 50)
        @Doc("Percent added at each step; must divide 100 (1, 2, 4, 5, 10, 20, 25 or 50).")
        Integer stepPercent,

        @Required @DurationRange(min = "1s", max = "24h")
        @Doc("Time between steps.")
        Duration interval) {

    /** How many steps reach 100%. */
    public int steps() {
        return 100 / stepPercent;
    }
}

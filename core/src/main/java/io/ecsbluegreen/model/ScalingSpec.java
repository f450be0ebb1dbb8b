package io.ecsbluegreen.model;

import io.ecsbluegreen.model.meta.Conflicts;
import io.ecsbluegreen.model.meta.Doc;
import io.ecsbluegreen.model.meta.ExactlyOneOf;
import io.ecsbluegreen.model.meta.Range;
import io.ecsbluegreen.model.meta.Requires;
import io.ecsbluegreen.model.meta.Shorthand;

/**
 * How the service's desired count is set when the spec does not fix it: {@code external} (someone else
 * scales it; the operator follows), or a target-tracking policy the operator registers with Application
 * Auto Scaling ({@code min}, {@code max}, {@code targetCpuUtilization}). Either way the operator never
 * writes the service's desired count itself; with a policy it suspends dynamic scale-in while production is
 * split between blue and green (see docs/autoscaling.md).
 */
@Shorthand(field = "mode")
@ExactlyOneOf({"mode", "min"})
@Requires(field = "min", requires = {"max", "targetCpuUtilization"})
@Conflicts(field = "mode", with = {"max", "targetCpuUtilization"})
@Doc("Who scales the service: `external` (an autoscaler of your own; the operator follows its count), or `{min, max, targetCpuUtilization}` (the operator registers the scalable target and a target-tracking policy on average CPU with Application Auto Scaling, and suspends scale-in while production is split, see docs/autoscaling.md). Either way the operator follows the count and never writes it. Not together with desiredCount.")
public record ScalingSpec(
        @Doc("`external`: the desired count is set outside the operator, which follows it and never writes it.")
        ScalingMode mode,

        @Range(min = 1, max = 5000)
        @Doc("Fewest tasks (the scalable target's MinCapacity); also the count a new service starts at.")
        Integer min,

        @Range(min = 1, max = 5000)
        @Doc("Most tasks (the scalable target's MaxCapacity); at least min.")
        Integer max,

        @Range(min = 1, max = 100)
        @Doc("Average CPU utilization, in percent, the target-tracking policy (ECSServiceAverageCPUUtilization) holds.")
        Integer targetCpuUtilization) {

    /** Whether the operator registers the scaling with Application Auto Scaling. */
    public boolean registered() {
        return mode == null && min != null;
    }
}

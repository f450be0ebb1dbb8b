package io.ecsbluegreen.plan;

import io.ecsbluegreen.model.ScalingSpec;
import io.ecsbluegreen.observed.Observed;
import io.ecsbluegreen.observed.Observed.Forward;
import java.util.ArrayList;
import java.util.List;

/**
 * What the operator writes to Application Auto Scaling for a service whose spec declares
 * {@code scaling: {min, max, targetCpuUtilization}}: the scalable target ({@code ecs:service:DesiredCount},
 * capacity {@code min..max}) and one target-tracking policy on average CPU, each written only when what
 * AWS shows differs, so a second pass writes nothing. Dynamic scale-in is suspended while production
 * traffic is split between blue and green (a scale-in mid-canary would shrink blue and green at once while
 * both serve) and resumed once one task set has it all again (Steady, or rolled back). Scale-out and
 * scheduled scaling are never touched: their suspended state is sent back as observed.
 *
 * <p>Nothing is ever deregistered or deleted: a spec that drops its scaling block leaves the registration
 * to whoever manages it next.
 */
public final class ScalingDecisions {

    /** The name of the operator's target-tracking policy on each service's scalable target. */
    public static final String POLICY_NAME = "ecsbluegreen-cpu-target-tracking";
    /** Application Auto Scaling's policy type of a target-tracking policy. */
    public static final String TARGET_TRACKING = "TargetTrackingScaling";
    /** The predefined metric of the policy: the service's average CPU utilization. */
    public static final String CPU_METRIC = "ECSServiceAverageCPUUtilization";

    private ScalingDecisions() {}

    /**
     * The writes that make AWS match the spec: a {@link Action.RegisterScalableTarget} first when the target
     * is missing or differs (range or scale-in suspension), then a {@link Action.PutCpuTargetTrackingPolicy}
     * when the policy is missing or differs. Empty when the spec registers nothing or the state was not read.
     *
     * @param split whether production traffic is split between blue and green (as observed, or once this
     *     pass's listener changes are made)
     */
    public static List<Action> actions(ScalingSpec spec, String cluster, String service, Observed.Scaling observed,
                                       boolean split) {
        List<Action> out = new ArrayList<>();
        if (spec == null || !spec.registered() || observed == null) return out;
        Observed.ScalableTarget target = observed.target();
        boolean scaleOut = target != null && target.scaleOutSuspended();
        boolean scheduled = target != null && target.scheduledSuspended();
        if (target == null || target.min() != spec.min() || target.max() != spec.max() || target.scaleInSuspended() != split) {
            out.add(new Action.RegisterScalableTarget(cluster, service, spec.min(), spec.max(), split, scaleOut, scheduled));
        }
        Observed.Policy policy = observed.policy();
        boolean policyMatches = policy != null && TARGET_TRACKING.equals(policy.type()) && CPU_METRIC.equals(policy.predefinedMetric())
                && policy.targetValue() == spec.targetCpuUtilization() && !policy.scaleInDisabled();
        if (!policyMatches) out.add(new Action.PutCpuTargetTrackingPolicy(cluster, service, spec.targetCpuUtilization()));
        return out;
    }

    /** Whether a forward action sends traffic to more than one target group. */
    public static boolean split(Forward forward) {
        return forward != null && forward.weights().values().stream().filter(w -> w > 0).count() > 1;
    }
}

package io.ecsbluegreen.aws;

import io.ecsbluegreen.observed.Observed;
import java.util.Collection;
import java.util.Map;

/**
 * Application Auto Scaling for ECS services (namespace {@code ecs}, dimension {@code ecs:service:DesiredCount},
 * resource id {@code service/CLUSTER/SERVICE}): what the operator reads and writes of a service's scalable
 * target and its target-tracking policy.
 */
public interface ScalingPort {

    /** No Application Auto Scaling: nothing is read (the planner then writes nothing) and a write fails. */
    ScalingPort NONE = new ScalingPort() {
        @Override
        public Map<String, Observed.Scaling> read(Collection<String> resourceIds, String policyName) {
            return Map.of();
        }

        @Override
        public void registerScalableTarget(String cluster, String service, int min, int max, boolean scaleInSuspended,
                                           boolean scaleOutSuspended, boolean scheduledSuspended) {
            throw new IllegalStateException("no Application Auto Scaling client configured");
        }

        @Override
        public void putCpuTargetTrackingPolicy(String cluster, String service, String policyName, int targetCpuUtilization) {
            throw new IllegalStateException("no Application Auto Scaling client configured");
        }
    };

    /** The resource id of an ECS service: {@code service/CLUSTER/SERVICE}. */
    static String resourceId(String cluster, String service) {
        return "service/" + cluster + "/" + service;
    }

    /**
     * The registration of each service, by resource id: the scalable target (50 resource ids per
     * DescribeScalableTargets call) and, for each registered one, the policy named {@code policyName}.
     * A service without a scalable target maps to {@link Observed.Scaling#NONE}; ids not answered are absent.
     */
    Map<String, Observed.Scaling> read(Collection<String> resourceIds, String policyName);

    /** RegisterScalableTarget with the range and the whole suspended state. */
    void registerScalableTarget(String cluster, String service, int min, int max, boolean scaleInSuspended,
                                boolean scaleOutSuspended, boolean scheduledSuspended);

    /** PutScalingPolicy: a target-tracking policy holding {@code ECSServiceAverageCPUUtilization} at the target. */
    void putCpuTargetTrackingPolicy(String cluster, String service, String policyName, int targetCpuUtilization);
}

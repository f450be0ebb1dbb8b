package io.ecsbluegreen.aws;

import io.ecsbluegreen.observed.Observed;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.applicationautoscaling.model.DescribeScalableTargetsResponse;
import software.amazon.awssdk.services.applicationautoscaling.model.MetricType;
import software.amazon.awssdk.services.applicationautoscaling.model.PolicyType;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableDimension;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalingPolicy;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;
import software.amazon.awssdk.services.applicationautoscaling.model.SuspendedState;
import software.amazon.awssdk.services.applicationautoscaling.model.TargetTrackingScalingPolicyConfiguration;

/**
 * {@link ScalingPort} over the SDK's Application Auto Scaling client. Reads are batched where the API
 * allows: DescribeScalableTargets takes 50 resource ids a call; DescribeScalingPolicies takes one resource
 * id, so the policy is read only for services that are registered.
 */
public final class SdkScalingPort implements ScalingPort {
    /** DescribeScalableTargets: at most 50 resource ids and results per call. */
    static final int TARGETS_PER_CALL = 50;

    private final ApplicationAutoScalingClient client;

    public SdkScalingPort(ApplicationAutoScalingClient client) {
        this.client = client;
    }

    @Override
    public Map<String, Observed.Scaling> read(Collection<String> resourceIds, String policyName) {
        List<String> all = new ArrayList<>(resourceIds.stream().distinct().toList());
        Map<String, Observed.ScalableTarget> targets = new HashMap<>();
        for (int i = 0; i < all.size(); i += TARGETS_PER_CALL) {
            List<String> page = all.subList(i, Math.min(all.size(), i + TARGETS_PER_CALL));
            String token = null;
            do {
                String next = token;
                DescribeScalableTargetsResponse r = client.describeScalableTargets(b -> b.serviceNamespace(ServiceNamespace.ECS)
                        .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT).resourceIds(page)
                        .maxResults(TARGETS_PER_CALL).nextToken(next));
                for (ScalableTarget t : r.scalableTargets()) targets.put(t.resourceId(), target(t));
                token = r.nextToken();
            } while (token != null);
        }
        Map<String, Observed.Scaling> out = new HashMap<>();
        for (String id : all) {
            Observed.ScalableTarget target = targets.get(id);
            if (target == null) {
                out.put(id, Observed.Scaling.NONE);
                continue;
            }
            List<ScalingPolicy> policies = client.describeScalingPolicies(b -> b.serviceNamespace(ServiceNamespace.ECS)
                    .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT).resourceId(id).policyNames(policyName))
                    .scalingPolicies();
            out.put(id, new Observed.Scaling(target, policies.stream().filter(p -> policyName.equals(p.policyName()))
                    .findFirst().map(SdkScalingPort::policy).orElse(null)));
        }
        return out;
    }

    private static Observed.ScalableTarget target(ScalableTarget t) {
        SuspendedState s = t.suspendedState();
        return new Observed.ScalableTarget(t.minCapacity(), t.maxCapacity(), s != null && Boolean.TRUE.equals(s.dynamicScalingInSuspended()),
                s != null && Boolean.TRUE.equals(s.dynamicScalingOutSuspended()), s != null && Boolean.TRUE.equals(s.scheduledScalingSuspended()));
    }

    private static Observed.Policy policy(ScalingPolicy p) {
        TargetTrackingScalingPolicyConfiguration c = p.targetTrackingScalingPolicyConfiguration();
        String metric = c == null || c.predefinedMetricSpecification() == null ? null
                : c.predefinedMetricSpecification().predefinedMetricTypeAsString();
        return new Observed.Policy(p.policyTypeAsString(), metric, c == null || c.targetValue() == null ? 0 : c.targetValue(),
                c != null && Boolean.TRUE.equals(c.disableScaleIn()));
    }

    @Override
    public void registerScalableTarget(String cluster, String service, int min, int max, boolean scaleInSuspended,
                                       boolean scaleOutSuspended, boolean scheduledSuspended) {
        client.registerScalableTarget(b -> b.serviceNamespace(ServiceNamespace.ECS)
                .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT).resourceId(ScalingPort.resourceId(cluster, service))
                .minCapacity(min).maxCapacity(max)
                .suspendedState(s -> s.dynamicScalingInSuspended(scaleInSuspended).dynamicScalingOutSuspended(scaleOutSuspended)
                        .scheduledScalingSuspended(scheduledSuspended)));
    }

    @Override
    public void putCpuTargetTrackingPolicy(String cluster, String service, String policyName, int targetCpuUtilization) {
        client.putScalingPolicy(b -> b.serviceNamespace(ServiceNamespace.ECS)
                .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT).resourceId(ScalingPort.resourceId(cluster, service))
                .policyName(policyName).policyType(PolicyType.TARGET_TRACKING_SCALING)
                .targetTrackingScalingPolicyConfiguration(c -> c.targetValue((double) targetCpuUtilization)
                        .predefinedMetricSpecification(m -> m.predefinedMetricType(MetricType.ECS_SERVICE_AVERAGE_CPU_UTILIZATION))));
    }
}

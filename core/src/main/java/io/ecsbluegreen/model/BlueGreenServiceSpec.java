package io.ecsbluegreen.model;

import io.ecsbluegreen.model.meta.AtMostOneOf;
import io.ecsbluegreen.model.meta.Default;
import io.ecsbluegreen.model.meta.Doc;
import io.ecsbluegreen.model.meta.KeyPattern;
import io.ecsbluegreen.model.meta.Pattern;
import io.ecsbluegreen.model.meta.Range;
import io.ecsbluegreen.model.meta.Required;
import io.ecsbluegreen.model.meta.Size;
import java.util.List;
import java.util.Map;

/** The desired state of one blue/green ECS service. */
@AtMostOneOf({"launchType", "capacityProviderStrategy"})
@Doc("The desired state of the service.")
public record BlueGreenServiceSpec(
        @Pattern(value = Patterns.REGION, hint = Patterns.REGION_HINT)
        @Doc("AWS region of the cluster and load balancer; the operator's default region when absent.")
        String region,

        @Pattern(value = Patterns.ROLE_ARN, hint = Patterns.ROLE_ARN_HINT)
        @Doc("IAM role the operator assumes for this service, for cross-account deployments; its STS session is named bluegreen-NAME after metadata.name. The operator's own credentials when absent.")
        String roleArn,

        @Pattern(value = Patterns.EXTERNAL_ID, hint = Patterns.EXTERNAL_ID_HINT)
        @Doc("External id the role's trust policy demands (sts:ExternalId), passed to STS with roleArn.")
        String externalId,

        @Required @Pattern(value = Patterns.CLUSTER, hint = Patterns.CLUSTER_HINT)
        @Doc("ECS cluster name or ARN.")
        String cluster,

        @Required @Pattern(value = Patterns.ECS_NAME, hint = Patterns.ECS_NAME_HINT)
        @Doc("ECS service name. The service must use the EXTERNAL deployment controller; the operator creates it when absent.")
        String service,

        @Range(min = 1, max = 5000)
        @Doc("Number of tasks each task set runs (green is scaled to the same count as blue); the operator corrects any other count as drift. Absent: the operator never writes the count and follows whatever sets it (an autoscaler), creating a new service at 1 task or scaling.min. Not together with scaling.")
        Integer desiredCount,

        @Doc("Who scales the service when desiredCount is absent (docs/autoscaling.md).")
        ScalingSpec scaling,

        @Doc("Launch type of the task sets. Absent together with capacityProviderStrategy means the cluster's default capacity provider strategy.")
        LaunchType launchType,

        @Size(max = 20)
        @Doc("Capacity provider strategy of the task sets, instead of a launch type.")
        List<CapacityProviderItem> capacityProviderStrategy,

        @Pattern(value = Patterns.CONTAINER_PLATFORM_VERSION, hint = Patterns.CONTAINER_PLATFORM_VERSION_HINT)
        @Doc("Fargate platform version of the task sets.")
        String platformVersion,

        @Doc("awsvpc network configuration of the task sets.")
        NetworkConfiguration networkConfiguration,

        @Required
        @Doc("What the service runs: an inline task definition or an existing one.")
        TaskDefinitionSpec taskDefinition,

        @Required
        @Doc("How the load balancer reaches the tasks.")
        TrafficSpec traffic,

        @Default("{}")
        @Doc("How a new revision is rolled out.")
        StrategySpec strategy,

        @Default("{}")
        @Doc("Lifecycle hooks, run at CodeDeploy's five lifecycle points.")
        HooksSpec hooks,

        @Default("{}")
        @Doc("Automatic rollback triggers.")
        RollbackSpec rollback,

        @Default("{}")
        @Doc("Metric checks run at every traffic step and through the bake.")
        AnalysisSpec analysis,

        @Size(max = 40) @KeyPattern(value = Patterns.TAG_KEY, hint = Patterns.TAG_KEY_HINT)
        @Doc("AWS tags applied to the service, its task sets and its task definitions (the operator adds its own `ecsbluegreen.io/` tags beside them).")
        Map<String, String> tags) {

    /** Whether the operator owns the service's desired count: the spec fixes it, and any other count is drift. */
    public boolean ownsDesiredCount() {
        return desiredCount != null;
    }

    /** The count a new service is created at: the spec's, else scaling.min, else 1. */
    public int initialDesiredCount() {
        if (desiredCount != null) return desiredCount;
        return scaling != null && scaling.min() != null ? scaling.min() : 1;
    }
}

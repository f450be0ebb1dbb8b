package io.ecsbluegreen.sim.autoscaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.SimClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.applicationautoscaling.model.ApplicationAutoScalingException;
import software.amazon.awssdk.services.applicationautoscaling.model.MetricType;
import software.amazon.awssdk.services.applicationautoscaling.model.ObjectNotFoundException;
import software.amazon.awssdk.services.applicationautoscaling.model.PolicyType;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableDimension;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;
import software.amazon.awssdk.services.applicationautoscaling.model.ValidationException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DeploymentControllerType;

/** Application Auto Scaling for ECS services through the SDK, with the validation and errors AWS documents. */
class AutoScalingServiceTest {
    static final String ID = "service/demo/web";

    AwsSimulator sim;
    EcsClient ecs;
    ApplicationAutoScalingClient scaling;

    @BeforeEach
    void start() {
        sim = AwsSimulator.start();
        ecs = SimClients.ecsWithoutRetries(sim);
        scaling = ApplicationAutoScalingClient.builder().endpointOverride(sim.endpoint()).region(Region.EU_WEST_1)
                .credentialsProvider(SimClients.CREDENTIALS).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
        ecs.createCluster(r -> r.clusterName("demo"));
        ecs.createService(r -> r.cluster("demo").serviceName("web").desiredCount(1)
                .deploymentController(d -> d.type(DeploymentControllerType.EXTERNAL)));
    }

    @AfterEach
    void stop() {
        scaling.close();
        ecs.close();
        sim.close();
    }

    void register(Integer min, Integer max, Boolean scaleInSuspended) {
        scaling.registerScalableTarget(r -> {
            r.serviceNamespace(ServiceNamespace.ECS).scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT).resourceId(ID)
                    .minCapacity(min).maxCapacity(max);
            if (scaleInSuspended != null) r.suspendedState(s -> s.dynamicScalingInSuspended(scaleInSuspended));
        });
    }

    ScalableTarget target() {
        return scaling.describeScalableTargets(r -> r.serviceNamespace(ServiceNamespace.ECS).resourceIds(ID)
                .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT)).scalableTargets().get(0);
    }

    int desiredCount() {
        return ecs.describeServices(r -> r.cluster("demo").services("web")).services().get(0).desiredCount();
    }

    @Test
    void registeringARangeBringsTheServicesCountInsideItAndAnUpdateChangesOnlyWhatItNames() {
        register(2, 5, null);
        assertThat(desiredCount()).isEqualTo(2);
        ScalableTarget t = target();
        assertThat(t.minCapacity()).isEqualTo(2);
        assertThat(t.maxCapacity()).isEqualTo(5);
        assertThat(t.suspendedState().dynamicScalingInSuspended()).isFalse();
        assertThat(t.scalableTargetARN()).startsWith("arn:aws:application-autoscaling:eu-west-1:");
        assertThat(t.roleARN()).endsWith("/AWSServiceRoleForApplicationAutoScaling_ECSService");

        register(null, 4, true);
        t = target();
        assertThat(t.minCapacity()).isEqualTo(2);
        assertThat(t.maxCapacity()).isEqualTo(4);
        assertThat(t.suspendedState().dynamicScalingInSuspended()).isTrue();

        register(null, null, null);
        assertThat(target().suspendedState().dynamicScalingInSuspended()).as("no SuspendedState: kept").isTrue();
    }

    @Test
    void aNewTargetNeedsBothCapacitiesAndAnExistingServiceAndMaxAtLeastMin() {
        assertThatThrownBy(() -> register(1, null, null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> register(3, 2, null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> scaling.registerScalableTarget(r -> r.serviceNamespace(ServiceNamespace.ECS)
                .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT).resourceId("service/demo/missing")
                .minCapacity(1).maxCapacity(2)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("ECS service doesn't exist");
        assertThat(scaling.describeScalableTargets(r -> r.serviceNamespace(ServiceNamespace.ECS)).scalableTargets()).isEmpty();
    }

    @Test
    void aPolicyNeedsARegisteredTargetAndATargetTrackingConfigurationWithOneMetric() {
        assertThatThrownBy(() -> putCpuPolicy(60)).isInstanceOf(ObjectNotFoundException.class);
        register(1, 3, null);
        putCpuPolicy(60);
        putCpuPolicy(70);
        var policies = scaling.describeScalingPolicies(r -> r.serviceNamespace(ServiceNamespace.ECS).resourceId(ID)).scalingPolicies();
        assertThat(policies).hasSize(1);
        assertThat(policies.get(0).targetTrackingScalingPolicyConfiguration().targetValue()).isEqualTo(70.0);
        assertThat(policies.get(0).alarms()).hasSize(2);

        assertThatThrownBy(() -> scaling.putScalingPolicy(r -> r.serviceNamespace(ServiceNamespace.ECS)
                .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT).resourceId(ID).policyName("p")
                .policyType(PolicyType.TARGET_TRACKING_SCALING).targetTrackingScalingPolicyConfiguration(c -> c.targetValue(50.0))))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> scaling.describeScalingPolicies(r -> r.serviceNamespace(ServiceNamespace.ECS).maxResults(11)))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> scaling.describeScalableTargets(r -> r.serviceNamespace(ServiceNamespace.ECS)
                .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT)))
                .isInstanceOf(ValidationException.class);

        scaling.deregisterScalableTarget(r -> r.serviceNamespace(ServiceNamespace.ECS)
                .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT).resourceId(ID));
        assertThat(scaling.describeScalingPolicies(r -> r.serviceNamespace(ServiceNamespace.ECS)).scalingPolicies())
                .as("deregistering deletes the policies").isEmpty();
        assertThatThrownBy(() -> scaling.deleteScalingPolicy(r -> r.serviceNamespace(ServiceNamespace.ECS)
                .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT).resourceId(ID).policyName("cpu")))
                .isInstanceOf(ObjectNotFoundException.class);
    }

    @Test
    void theModelCheckRefusesAnUnknownNamespaceBeforeTheOperation() {
        assertThatThrownBy(() -> scaling.describeScalableTargets(r -> r.serviceNamespace("nope")))
                .isInstanceOf(ApplicationAutoScalingException.class)
                .satisfies(e -> assertThat(((ApplicationAutoScalingException) e).awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    }

    void putCpuPolicy(double target) {
        scaling.putScalingPolicy(r -> r.serviceNamespace(ServiceNamespace.ECS)
                .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT).resourceId(ID).policyName("cpu")
                .policyType(PolicyType.TARGET_TRACKING_SCALING)
                .targetTrackingScalingPolicyConfiguration(c -> c.targetValue(target)
                        .predefinedMetricSpecification(m -> m.predefinedMetricType(MetricType.ECS_SERVICE_AVERAGE_CPU_UTILIZATION))));
    }
}

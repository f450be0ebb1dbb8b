package io.ecsbluegreen.conformance;

import static io.ecsbluegreen.conformance.Refusal.refused;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ecs.model.ClusterField;

/**
 * What the operator observes through ECS, and what a task set needs of its target group.
 * DescribeServices (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServices.html):
 * "You may specify up to 10 services to describe", and a Service's {@code taskSets} are "the task sets of
 * a service using the EXTERNAL deployment controller type". CreateTaskSet's load balancer must be one the
 * target group is attached to (the service's load balancer, LoadBalancer in the API reference; ECS refuses
 * a target group with no associated load balancer). DescribeClusters returns the cluster's
 * {@code defaultCapacityProviderStrategy}, which a task set without a launch type would use.
 */
@ExtendWith(OnAccount.class)
class ServicesTest {
    Fixture fixture;

    @BeforeEach
    void setUp(Fixture fixture) {
        this.fixture = fixture;
    }

    @AfterEach
    void clear() {
        fixture.clearProbeTaskSets();
    }

    @Test
    void describeServicesReturnsTheTaskSetsOfAnExternalService() {
        var created = fixture.probeTaskSet(r -> r.externalId("rev-x"));
        assertThat(fixture.probeTaskSets()).singleElement().satisfies(t -> {
            assertThat(t.taskSetArn()).isEqualTo(created.taskSetArn());
            assertThat(t.externalId()).isEqualTo("rev-x");
            assertThat(t.status()).isEqualTo("ACTIVE");
            assertThat(t.loadBalancers()).singleElement().satisfies(lb -> assertThat(lb.targetGroupArn()).isEqualTo(fixture.probeGroup));
        });
    }

    @Test
    void describeServicesTakesTenServicesAndNotEleven() {
        List<String> names = new ArrayList<>(List.of(fixture.probeService));
        for (int i = 1; i < 10; i++) names.add(fixture.name + "-absent-" + i);
        var ten = fixture.account.ecs().describeServices(r -> r.cluster(fixture.name).services(names));
        assertThat(ten.services()).hasSize(1);
        assertThat(ten.failures()).hasSize(9).allSatisfy(f -> assertThat(f.reason()).isEqualTo("MISSING"));
        names.add(fixture.name + "-absent-10");
        refused(() -> fixture.account.ecs().describeServices(r -> r.cluster(fixture.name).services(names)));
    }

    @Test
    void aTaskSetCannotUseATargetGroupThatNoListenerForwardsTo() {
        refused(() -> fixture.probeTaskSet(r -> r.loadBalancers(l -> l.targetGroupArn(fixture.looseGroup)
                .containerName(Fixture.CONTAINER).containerPort(Account.PORT))));
        assertThat(fixture.probeTaskSets()).isEmpty();
    }

    @Test
    void aTaskSetMayUseATargetGroupThatAListenerForwardsToAtWeightZero() {
        var created = fixture.probeTaskSet(r -> r.loadBalancers(l -> l.targetGroupArn(fixture.greenGroup)
                .containerName(Fixture.CONTAINER).containerPort(Account.PORT)));
        assertThat(created.loadBalancers()).singleElement().satisfies(lb -> assertThat(lb.targetGroupArn()).isEqualTo(fixture.greenGroup));
    }

    @Test
    void theClusterDefaultCapacityProviderStrategyIsReadableThroughDescribeClusters() {
        var cluster = fixture.account.ecs().describeClusters(r -> r.clusters(fixture.name).include(ClusterField.SETTINGS))
                .clusters().get(0);
        assertThat(cluster.defaultCapacityProviderStrategy()).singleElement().satisfies(item -> {
            assertThat(item.capacityProvider()).isEqualTo("FARGATE");
            assertThat(item.weight()).isEqualTo(1);
        });
    }
}

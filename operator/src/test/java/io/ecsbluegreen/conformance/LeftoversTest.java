package io.ecsbluegreen.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * What an interrupted run leaves is found by its name prefix and deleted. With {@code -Dconformance.cleanup=true}
 * (deploy/conformance/run.sh cleanup) nothing is made first and every {@code bgconf-} resource of the
 * account's region is deleted: the leftovers of every earlier run.
 */
@ExtendWith(OnAccount.class)
class LeftoversTest {
    static final String CLEANUP = "conformance.cleanup";

    @Test
    void whatAnInterruptedRunLeftIsDeletedByItsNamePrefix(Account account) {
        String prefix = Boolean.getBoolean(CLEANUP) ? Fixture.PREFIX : Fixture.newRunName();
        if (!Boolean.getBoolean(CLEANUP)) {
            // free resources only (no load balancer, no tasks): a run killed after its first calls
            account.ecs().createCluster(r -> r.clusterName(prefix));
            account.ecs().registerTaskDefinition(r -> r.family(prefix + "-web").networkMode("awsvpc")
                    .requiresCompatibilitiesWithStrings("FARGATE").cpu("256").memory("512")
                    .containerDefinitions(c -> c.name(Fixture.CONTAINER).image(account.healthyImage())));
            account.elb().createTargetGroup(r -> r.name(prefix + "-blue").protocol(ProtocolEnum.HTTP).port(Account.PORT)
                    .vpcId(account.network().vpcId()).targetType(TargetTypeEnum.IP));
            assertThat(Leftovers.remaining(account, prefix)).hasSize(3);
        }
        Leftovers.delete(account, prefix);
        assertThat(Leftovers.remaining(account, prefix)).isEmpty();
    }
}

package io.ecsbluegreen.sim.elb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.SimulatorConfig;
import java.time.Instant;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ElasticLoadBalancingV2Exception;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/** A simulator and an SDK client per test, with shortcuts to create resources through the API. */
abstract class ElbFixture {

    static final Instant START = Instant.parse("2025-06-01T12:00:00Z");
    static final String VPC = "vpc-0123456789abcdef0";

    AwsSimulator sim;
    ElasticLoadBalancingV2Client elb;

    SimulatorConfig config() {
        return SimulatorConfig.defaults().withClockStart(START);
    }

    @BeforeEach
    void startSimulator() {
        sim = AwsSimulator.start(config());
        elb = ElbClients.elb(sim);
    }

    @AfterEach
    void stopSimulator() {
        elb.close();
        sim.close();
    }

    LoadBalancer createLoadBalancer(String name) {
        return elb.createLoadBalancer(b -> b.name(name).subnets("subnet-aaaa1111", "subnet-bbbb2222"))
                .loadBalancers().get(0);
    }

    TargetGroup createTargetGroup(String name) {
        return createTargetGroup(name, 8080);
    }

    TargetGroup createTargetGroup(String name, int port) {
        return elb.createTargetGroup(b -> b.name(name).protocol(ProtocolEnum.HTTP).port(port).vpcId(VPC)
                .targetType(TargetTypeEnum.IP)).targetGroups().get(0);
    }

    Listener createListener(String loadBalancerArn, int port, String targetGroupArn) {
        return elb.createListener(b -> b.loadBalancerArn(loadBalancerArn).protocol(ProtocolEnum.HTTP).port(port)
                .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(targetGroupArn))).listeners().get(0);
    }

    /** Asserts that the call fails with an ELBv2 error of this code and status 400. */
    static AbstractThrowableAssert<?, ? extends Throwable> assertElbError(Executable call, String code) {
        return assertThatThrownBy(call::execute)
                .isInstanceOf(ElasticLoadBalancingV2Exception.class)
                .satisfies(e -> {
                    ElasticLoadBalancingV2Exception error = (ElasticLoadBalancingV2Exception) e;
                    assertThat(error.awsErrorDetails().errorCode()).isEqualTo(code);
                    assertThat(error.statusCode()).isEqualTo(400);
                });
    }
}

package io.ecsbluegreen.sim.elb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DuplicateListenerException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ForwardActionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ListenerNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupAssociationLimitException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TooManyListenersException;

/** Listeners: CreateListener, DescribeListeners, ModifyListener, DeleteListener, and action validation. */
class ListenerApiTest extends ElbFixture {

    private String lb;
    private String blue;
    private String green;

    @BeforeEach
    void resources() {
        lb = createLoadBalancer("demo").loadBalancerArn();
        blue = createTargetGroup("blue").targetGroupArn();
        green = createTargetGroup("green").targetGroupArn();
    }

    private static Action weighted(Object... arnsAndWeights) {
        List<TargetGroupTuple> groups = new ArrayList<>();
        for (int i = 0; i < arnsAndWeights.length; i += 2) {
            groups.add(TargetGroupTuple.builder().targetGroupArn((String) arnsAndWeights[i])
                    .weight((Integer) arnsAndWeights[i + 1]).build());
        }
        return Action.builder().type(ActionTypeEnum.FORWARD)
                .forwardConfig(ForwardActionConfig.builder().targetGroups(groups).build()).build();
    }

    private Listener createWeighted(int port, Action action) {
        return elb.createListener(b -> b.loadBalancerArn(lb).protocol(ProtocolEnum.HTTP).port(port)
                .defaultActions(action)).listeners().get(0);
    }

    @Test
    void createListenerWithOneTargetGroupReportsTheLegacyArnAndTheForwardConfig() {
        Listener listener = createListener(lb, 80, blue);

        assertThat(listener.listenerArn()).matches(
                "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/demo/[0-9a-f]{16}/[0-9a-f]{16}")
                .startsWith(lb.replace(":loadbalancer/", ":listener/"));
        assertThat(listener.loadBalancerArn()).isEqualTo(lb);
        assertThat(listener.protocol()).isEqualTo(ProtocolEnum.HTTP);
        Action action = listener.defaultActions().get(0);
        assertThat(action.type()).isEqualTo(ActionTypeEnum.FORWARD);
        assertThat(action.targetGroupArn()).isEqualTo(blue);
        assertThat(action.forwardConfig().targetGroups()).extracting(t -> t.targetGroupArn() + "=" + t.weight())
                .containsExactly(blue + "=1");
        assertThat(action.forwardConfig().targetGroupStickinessConfig().enabled()).isFalse();
    }

    @Test
    void inEphemeralModeTheReportedPortIsTheLoopbackPortTheListenerReallyListensOn() {
        Listener listener = createListener(lb, 80, blue);

        assertThat(listener.port()).isNotEqualTo(80).isBetween(1024, 65535);
        assertThat(elb.describeListeners(b -> b.loadBalancerArn(lb)).listeners().get(0).port())
                .isEqualTo(listener.port());
        assertThat(ElbClients.get(ElbClients.http(), "http://127.0.0.1:" + listener.port() + "/").statusCode())
                .isEqualTo(503);
    }

    @Test
    void createListenerTakesAWeightedForwardConfigWithStickiness() {
        Action action = weighted(blue, 90, green, 10).toBuilder()
                .forwardConfig(f -> f.targetGroups(TargetGroupTuple.builder().targetGroupArn(blue).weight(90).build(),
                                TargetGroupTuple.builder().targetGroupArn(green).weight(10).build())
                        .targetGroupStickinessConfig(s -> s.enabled(true).durationSeconds(300))).build();

        Listener listener = createWeighted(80, action);

        Action described = elb.describeListeners(b -> b.listenerArns(listener.listenerArn())).listeners().get(0)
                .defaultActions().get(0);
        assertThat(described.targetGroupArn()).isNull();
        assertThat(described.forwardConfig().targetGroups()).extracting(t -> t.targetGroupArn() + "=" + t.weight())
                .containsExactly(blue + "=90", green + "=10");
        assertThat(described.forwardConfig().targetGroupStickinessConfig().enabled()).isTrue();
        assertThat(described.forwardConfig().targetGroupStickinessConfig().durationSeconds()).isEqualTo(300);
        assertThat(elb.describeTargetGroups(b -> b.targetGroupArns(green)).targetGroups().get(0).loadBalancerArns())
                .containsExactly(lb);
    }

    @Test
    void aWeightedForwardNeedsOneToFiveTargetGroupsWithWeightsFromZeroTo999() {
        List<String> six = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            six.add(createTargetGroup("tg-" + i).targetGroupArn());
        }

        assertElbError(() -> createWeighted(80, weighted()), "ValidationError");
        assertElbError(() -> createWeighted(80, weighted(six.get(0), 1, six.get(1), 1, six.get(2), 1, six.get(3), 1,
                six.get(4), 1, six.get(5), 1)), "ValidationError").hasMessageContaining("at most 5 target groups");
        assertElbError(() -> createWeighted(80, weighted(blue, 1000, green, 0)), "ValidationError")
                .hasMessageContaining("The weight for each target group must be between 0 and 999, inclusive");
        assertElbError(() -> createWeighted(80, weighted(blue, -1)), "ValidationError");
        assertElbError(() -> createWeighted(80, weighted(blue, 1, blue, 2)), "ValidationError");

        Listener five = createWeighted(80, weighted(six.get(0), 0, six.get(1), 999, six.get(2), 1, six.get(3), 1,
                six.get(4), 1));
        assertThat(five.defaultActions().get(0).forwardConfig().targetGroups()).hasSize(5);
    }

    @Test
    void aForwardToAnUnknownTargetGroupFails() {
        String missing = blue.replaceAll("[0-9a-f]{16}$", "0000000000000000");

        assertElbError(() -> createListener(lb, 80, missing), "TargetGroupNotFound")
                .isInstanceOf(TargetGroupNotFoundException.class).hasMessageContaining(missing);
        assertElbError(() -> createListener(lb, 80, "arn:bad"), "ValidationError");
    }

    @Test
    void aTargetGroupServesOnlyOneLoadBalancer() {
        createListener(lb, 80, blue);
        String other = createLoadBalancer("other").loadBalancerArn();

        assertElbError(() -> createListener(other, 80, blue), "TargetGroupAssociationLimit")
                .isInstanceOf(TargetGroupAssociationLimitException.class)
                .hasMessageContaining("cannot be associated with more than one load balancer");
        createListener(lb, 8080, blue);
    }

    @Test
    void createListenerTakesFixedResponsesAndValidatesThem() {
        Listener listener = elb.createListener(b -> b.loadBalancerArn(lb).protocol(ProtocolEnum.HTTP).port(80)
                .defaultActions(a -> a.type(ActionTypeEnum.FIXED_RESPONSE).fixedResponseConfig(
                        f -> f.statusCode("404").contentType("text/plain").messageBody("nothing here")))).listeners().get(0);

        assertThat(listener.defaultActions().get(0).fixedResponseConfig().statusCode()).isEqualTo("404");
        assertThat(listener.defaultActions().get(0).fixedResponseConfig().messageBody()).isEqualTo("nothing here");
        assertElbError(() -> elb.createListener(b -> b.loadBalancerArn(lb).protocol(ProtocolEnum.HTTP).port(81)
                .defaultActions(a -> a.type(ActionTypeEnum.FIXED_RESPONSE).fixedResponseConfig(f -> f.statusCode("302")))),
                "ValidationError");
        assertElbError(() -> elb.createListener(b -> b.loadBalancerArn(lb).protocol(ProtocolEnum.HTTP).port(81)
                .defaultActions(a -> a.type(ActionTypeEnum.FIXED_RESPONSE).fixedResponseConfig(
                        f -> f.statusCode("200").contentType("image/png")))), "ValidationError");
        assertElbError(() -> elb.createListener(b -> b.loadBalancerArn(lb).protocol(ProtocolEnum.HTTP).port(81)
                .defaultActions(a -> a.type(ActionTypeEnum.AUTHENTICATE_OIDC))), "InvalidLoadBalancerAction");
        assertElbError(() -> elb.createListener(b -> b.loadBalancerArn(lb).protocol(ProtocolEnum.HTTP).port(81)
                .defaultActions(a -> a.type("teleport"))), "ValidationError");
    }

    @Test
    void createListenerValidatesProtocolPortCertificatesAndLoadBalancer() {
        assertElbError(() -> elb.createListener(b -> b.loadBalancerArn(lb).protocol(ProtocolEnum.TCP).port(80)
                .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(blue))), "UnsupportedProtocol");
        assertElbError(() -> elb.createListener(b -> b.loadBalancerArn(lb).protocol(ProtocolEnum.HTTPS).port(443)
                .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(blue))), "ValidationError")
                .hasMessageContaining("certificate");
        assertElbError(() -> elb.createListener(b -> b.loadBalancerArn(lb).protocol(ProtocolEnum.HTTP).port(70000)
                .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(blue))), "ValidationError");
        assertElbError(() -> createListener(lb.replaceAll("[0-9a-f]{16}$", "0000000000000000"), 80, blue),
                "LoadBalancerNotFound");

        Listener https = elb.createListener(b -> b.loadBalancerArn(lb).protocol(ProtocolEnum.HTTPS).port(443)
                .certificates(c -> c.certificateArn("arn:aws:acm:us-east-1:000000000000:certificate/abc"))
                .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(blue))).listeners().get(0);
        assertThat(https.sslPolicy()).isEqualTo("ELBSecurityPolicy-2016-08");
        assertThat(https.certificates()).extracting(c -> c.certificateArn())
                .containsExactly("arn:aws:acm:us-east-1:000000000000:certificate/abc");
    }

    @Test
    void aSecondListenerOnTheSamePortIsADuplicateUnlessItHasTheSameSettings() {
        Listener first = createListener(lb, 80, blue);

        assertThat(createListener(lb, 80, blue).listenerArn()).isEqualTo(first.listenerArn());
        assertElbError(() -> createListener(lb, 80, green), "DuplicateListener")
                .isInstanceOf(DuplicateListenerException.class)
                .hasMessageContaining("A listener already exists on this port for this load balancer");
        assertThat(elb.describeListeners(b -> b.loadBalancerArn(lb)).listeners()).hasSize(1);
    }

    @Test
    void aLoadBalancerHasAtMostFiftyListeners() {
        for (int i = 0; i < ElbStore.MAX_LISTENERS_PER_LOAD_BALANCER; i++) {
            createListener(lb, 8000 + i, blue);
        }

        assertElbError(() -> createListener(lb, 9000, blue), "TooManyListeners")
                .isInstanceOf(TooManyListenersException.class);
        assertThat(elb.describeListenersPaginator(b -> b.loadBalancerArn(lb).pageSize(7)).listeners()).hasSize(50);
    }

    @Test
    void describeListenersNeedsALoadBalancerOrListenerArnsThatExist() {
        Listener listener = createListener(lb, 80, blue);

        assertThat(elb.describeListeners(b -> b.listenerArns(listener.listenerArn())).listeners())
                .extracting(Listener::listenerArn).containsExactly(listener.listenerArn());
        assertElbError(() -> elb.describeListeners(b -> b.listenerArns(
                listener.listenerArn().replaceAll("[0-9a-f]{16}$", "0000000000000000"))), "ListenerNotFound")
                .isInstanceOf(ListenerNotFoundException.class);
        assertElbError(() -> elb.describeListeners(b -> { }), "ValidationError");
        assertElbError(() -> elb.describeListeners(b -> b.loadBalancerArn(lb).listenerArns(listener.listenerArn())),
                "ValidationError");
    }

    @Test
    void modifyListenerReplacesTheDefaultActionsAndKeepsTheRest() {
        Listener listener = createListener(lb, 80, blue);

        Listener modified = elb.modifyListener(b -> b.listenerArn(listener.listenerArn())
                .defaultActions(weighted(blue, 50, green, 50))).listeners().get(0);

        assertThat(modified.port()).isEqualTo(listener.port());
        assertThat(modified.defaultActions().get(0).forwardConfig().targetGroups())
                .extracting(t -> t.targetGroupArn() + "=" + t.weight()).containsExactly(blue + "=50", green + "=50");
        elb.modifyListener(b -> b.listenerArn(listener.listenerArn()).port(listener.port()).defaultActions(
                a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(green)));
        elb.deleteTargetGroup(b -> b.targetGroupArn(blue));
        assertElbError(() -> elb.modifyListener(b -> b.listenerArn(listener.listenerArn())
                .defaultActions(weighted(green, 1000))), "ValidationError");
        assertElbError(() -> elb.modifyListener(b -> b.listenerArn(listener.listenerArn().replaceAll("[0-9a-f]{16}$",
                "0000000000000000")).port(81)), "ListenerNotFound");
    }

    @Test
    void deleteListenerRemovesItsRulesAndReleasesItsTargetGroups() {
        Listener listener = createListener(lb, 80, blue);
        elb.createRule(b -> b.listenerArn(listener.listenerArn()).priority(5)
                .conditions(c -> c.field("path-pattern").values("/g/*"))
                .actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(green)));

        elb.deleteListener(b -> b.listenerArn(listener.listenerArn()));

        assertThat(elb.describeListeners(b -> b.loadBalancerArn(lb)).listeners()).isEmpty();
        assertElbError(() -> elb.describeRules(b -> b.listenerArn(listener.listenerArn())), "ListenerNotFound");
        elb.deleteTargetGroup(b -> b.targetGroupArn(blue));
        elb.deleteTargetGroup(b -> b.targetGroupArn(green));
        assertElbError(() -> elb.deleteListener(b -> b.listenerArn(listener.listenerArn())), "ListenerNotFound");
    }
}

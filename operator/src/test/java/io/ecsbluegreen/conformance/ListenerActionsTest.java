package io.ecsbluegreen.conformance;

import static io.ecsbluegreen.conformance.Refusal.refused;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ElasticLoadBalancingV2Exception;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ForwardActionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ListenerNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupStickinessConfig;

/**
 * How ELBv2 takes and reports listeners' and rules' actions. ModifyListener
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ModifyListener.html): "To add an
 * item to a list, remove an item from a list, or update an item in a list, you must provide the entire
 * list", so DefaultActions (and ModifyRule's Actions) replace what was there: an authenticate action or a
 * forward's TargetGroupStickinessConfig that is not sent back is gone. DescribeListeners, DescribeRules and
 * DescribeTargetGroups fail with ListenerNotFound, RuleNotFound, TargetGroupNotFound when any ARN or name
 * asked for does not exist (their Errors sections), rather than answering with the others.
 */
@ExtendWith(OnAccount.class)
class ListenerActionsTest {
    /** An HTTPS listener needs a certificate; on AWS one of the account's (ACM), given with this property. */
    static final String CERTIFICATE = "conformance.certificateArn";

    Fixture fixture;

    @BeforeEach
    void setUp(Fixture fixture) {
        this.fixture = fixture;
    }

    static String missing(String arn) {
        return arn.substring(0, arn.lastIndexOf('/') + 1) + "0badc0de0badc0de";
    }

    Action forward(String group, boolean sticky) {
        ForwardActionConfig.Builder config = ForwardActionConfig.builder().targetGroups(Fixture.tuple(group, 1));
        if (sticky) config.targetGroupStickinessConfig(TargetGroupStickinessConfig.builder().enabled(true).durationSeconds(300).build());
        return Action.builder().type(ActionTypeEnum.FORWARD).forwardConfig(config.build()).build();
    }

    static boolean sticky(List<Action> actions) {
        return actions.stream().filter(a -> a.type() == ActionTypeEnum.FORWARD).anyMatch(a -> a.forwardConfig() != null
                && a.forwardConfig().targetGroupStickinessConfig() != null
                && Boolean.TRUE.equals(a.forwardConfig().targetGroupStickinessConfig().enabled()));
    }

    List<Action> probeListenerActions() {
        return fixture.account.elb().describeListeners(r -> r.listenerArns(fixture.probeListener)).listeners().get(0).defaultActions();
    }

    @Test
    void modifyListenerWithoutTheStickinessConfigDropsIt() {
        var elb = fixture.account.elb();
        elb.modifyListener(r -> r.listenerArn(fixture.probeListener).defaultActions(forward(fixture.probeGroup, true)));
        assertThat(sticky(probeListenerActions())).as("stickiness set").isTrue();
        elb.modifyListener(r -> r.listenerArn(fixture.probeListener).defaultActions(forward(fixture.probeGroup, false)));
        assertThat(sticky(probeListenerActions())).as("stickiness gone with the action list replaced").isFalse();
    }

    @Test
    void modifyRuleWithoutTheStickinessConfigDropsIt() {
        var elb = fixture.account.elb();
        String rule = elb.createRule(r -> r.listenerArn(fixture.probeListener).priority(10)
                .conditions(c -> c.field("path-pattern").pathPatternConfig(p -> p.values("/sticky/*")))
                .actions(forward(fixture.probeGroup, true)).tags(fixture.elbTags())).rules().get(0).ruleArn();
        try {
            assertThat(sticky(elb.describeRules(r -> r.ruleArns(rule)).rules().get(0).actions())).isTrue();
            elb.modifyRule(r -> r.ruleArn(rule).actions(forward(fixture.probeGroup, false)));
            assertThat(sticky(elb.describeRules(r -> r.ruleArns(rule)).rules().get(0).actions())).isFalse();
        } finally {
            elb.deleteRule(r -> r.ruleArn(rule));
        }
    }

    @Test
    void modifyListenerWithoutTheAuthenticateOidcActionDropsIt() {
        String certificate = fixture.account.simulated()
                ? "arn:aws:acm:" + fixture.account.region() + ":000000000000:certificate/0c0f0000-0000-4000-8000-000000000001"
                : System.getProperty(CERTIFICATE, "");
        Assumptions.assumeFalse(certificate.isBlank(), "authenticate actions need an HTTPS listener: give -D" + CERTIFICATE);
        var elb = fixture.account.elb();
        Action oidc = Action.builder().type(ActionTypeEnum.AUTHENTICATE_OIDC).order(1).authenticateOidcConfig(o -> o
                .issuer("https://idp.example.com").authorizationEndpoint("https://idp.example.com/authorize")
                .tokenEndpoint("https://idp.example.com/token").userInfoEndpoint("https://idp.example.com/userinfo")
                .clientId("bgconf").clientSecret("bgconf-secret")).build();
        Action forward = forward(fixture.probeGroup, false).toBuilder().order(2).build();
        String listener = elb.createListener(r -> r.loadBalancerArn(fixture.loadBalancerArn).protocol(ProtocolEnum.HTTPS).port(8443)
                .certificates(c -> c.certificateArn(certificate)).defaultActions(oidc, forward).tags(fixture.elbTags()))
                .listeners().get(0).listenerArn();
        try {
            assertThat(elb.describeListeners(r -> r.listenerArns(listener)).listeners().get(0).defaultActions())
                    .extracting(Action::type).containsExactly(ActionTypeEnum.AUTHENTICATE_OIDC, ActionTypeEnum.FORWARD);
            elb.modifyListener(r -> r.listenerArn(listener).defaultActions(forward.toBuilder().order(1).build()));
            assertThat(elb.describeListeners(r -> r.listenerArns(listener)).listeners().get(0).defaultActions())
                    .extracting(Action::type).containsExactly(ActionTypeEnum.FORWARD);
        } finally {
            elb.deleteListener(r -> r.listenerArn(listener));
        }
    }

    @Test
    void describeListenersFailsTheWholeCallWhenOneArnIsMissing() {
        var e = refused(() -> fixture.account.elb().describeListeners(r -> r.listenerArns(fixture.probeListener,
                missing(fixture.probeListener))));
        assertThat(e).isInstanceOf(ListenerNotFoundException.class);
    }

    @Test
    void describeRulesFailsTheWholeCallWhenOneArnIsMissing() {
        String defaultRule = fixture.account.elb().describeRules(r -> r.listenerArn(fixture.probeListener)).rules().get(0).ruleArn();
        var e = refused(() -> fixture.account.elb().describeRules(r -> r.ruleArns(defaultRule, missing(defaultRule))));
        assertThat(e).isInstanceOf(RuleNotFoundException.class);
    }

    @Test
    void describeTargetGroupsFailsTheWholeCallWhenOneArnOrNameIsMissing() {
        var elb = fixture.account.elb();
        ElasticLoadBalancingV2Exception byArn = (ElasticLoadBalancingV2Exception) refused(() -> elb.describeTargetGroups(r -> r
                .targetGroupArns(fixture.probeGroup, missing(fixture.probeGroup))));
        assertThat(byArn).isInstanceOf(TargetGroupNotFoundException.class);
        var byName = refused(() -> elb.describeTargetGroups(r -> r.names(fixture.name + "-probe", fixture.name + "-absent")));
        assertThat(byName).isInstanceOf(TargetGroupNotFoundException.class);
    }
}

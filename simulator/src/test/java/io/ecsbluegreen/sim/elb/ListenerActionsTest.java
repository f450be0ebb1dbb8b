package io.ecsbluegreen.sim.elb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.AuthenticateCognitoActionConditionalBehaviorEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.AuthenticateOidcActionConditionalBehaviorEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RedirectActionStatusCodeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;

/**
 * Listener and rule actions of every type: kept and described as given (the OIDC client secret
 * excepted), validated as ELBv2 documents, and performed by the data plane in order.
 */
class ListenerActionsTest extends ElbFixture {

    static final String CERT = "arn:aws:acm:us-east-1:000000000000:certificate/abc";
    static final String POOL = "arn:aws:cognito-idp:eu-west-1:000000000000:userpool/eu-west-1_AbC";

    String lb;
    String tg;

    @BeforeEach
    void resources() {
        lb = createLoadBalancer("web").loadBalancerArn();
        tg = createTargetGroup("web-blue").targetGroupArn();
    }

    static Action oidc(int order, AuthenticateOidcActionConditionalBehaviorEnum unauthenticated) {
        return Action.builder().type(ActionTypeEnum.AUTHENTICATE_OIDC).order(order).authenticateOidcConfig(c -> c
                .issuer("https://idp.example.test").authorizationEndpoint("https://idp.example.test/authorize")
                .tokenEndpoint("https://idp.example.test/token").userInfoEndpoint("https://idp.example.test/userinfo")
                .clientId("app").clientSecret("s3cret").onUnauthenticatedRequest(unauthenticated)
                .authenticationRequestExtraParams(java.util.Map.of("prompt", "login"))).build();
    }

    static Action cognito(int order) {
        return Action.builder().type(ActionTypeEnum.AUTHENTICATE_COGNITO).order(order).authenticateCognitoConfig(c -> c
                .userPoolArn(POOL).userPoolClientId("client-1").userPoolDomain("shop")
                .onUnauthenticatedRequest(AuthenticateCognitoActionConditionalBehaviorEnum.AUTHENTICATE)).build();
    }

    Action forward(int order) {
        return Action.builder().type(ActionTypeEnum.FORWARD).order(order)
                .forwardConfig(f -> f.targetGroups(t -> t.targetGroupArn(tg).weight(1))
                        .targetGroupStickinessConfig(s -> s.enabled(true).durationSeconds(600))).build();
    }

    static Action fixed(int order, String status) {
        return Action.builder().type(ActionTypeEnum.FIXED_RESPONSE).order(order)
                .fixedResponseConfig(f -> f.statusCode(status).contentType("text/plain").messageBody("hi")).build();
    }

    Listener https(Action... actions) {
        return elb.createListener(b -> b.loadBalancerArn(lb).protocol(ProtocolEnum.HTTPS).port(443)
                .certificates(c -> c.certificateArn(CERT)).defaultActions(actions)).listeners().get(0);
    }

    TlsClient.Response get(Listener listener, String... headers) {
        return TlsClient.get(sim.elb().tls().clientContext(), listener.port(), "shop.example.test", "/cart", headers);
    }

    @Test
    void everyActionTypeIsKeptAndDescribedAsGivenButTheClientSecret() {
        Listener listener = https(oidc(1, AuthenticateOidcActionConditionalBehaviorEnum.DENY), fixed(2, "200"));
        Rule rule = elb.createRule(b -> b.listenerArn(listener.listenerArn()).priority(1)
                .conditions(c -> c.field("path-pattern").values("/shop/*")).actions(cognito(1), forward(2))).rules().get(0);
        Rule redirect = elb.createRule(b -> b.listenerArn(listener.listenerArn()).priority(2)
                .conditions(c -> c.field("path-pattern").values("/old/*")).actions(a -> a.type(ActionTypeEnum.REDIRECT)
                        .redirectConfig(r -> r.path("/new/#{path}").statusCode(RedirectActionStatusCodeEnum.HTTP_301)))).rules().get(0);

        List<Action> described = elb.describeListeners(b -> b.listenerArns(listener.listenerArn())).listeners().get(0).defaultActions();
        assertThat(described).extracting(Action::type).containsExactly(ActionTypeEnum.AUTHENTICATE_OIDC, ActionTypeEnum.FIXED_RESPONSE);
        var config = described.get(0).authenticateOidcConfig();
        assertThat(config.issuer()).isEqualTo("https://idp.example.test");
        assertThat(config.clientId()).isEqualTo("app");
        assertThat(config.clientSecret()).as("never described").isNull();
        assertThat(config.onUnauthenticatedRequest()).isEqualTo(AuthenticateOidcActionConditionalBehaviorEnum.DENY);
        assertThat(config.sessionCookieName()).isEqualTo("AWSELBAuthSessionCookie");
        assertThat(config.scope()).isEqualTo("openid");
        assertThat(config.sessionTimeout()).isEqualTo(604800L);
        assertThat(config.authenticationRequestExtraParams()).containsEntry("prompt", "login");

        List<Rule> rules = elb.describeRules(b -> b.ruleArns(rule.ruleArn(), redirect.ruleArn())).rules();
        assertThat(rules.get(0).actions().get(0).authenticateCognitoConfig().userPoolDomain()).isEqualTo("shop");
        assertThat(rules.get(0).actions().get(1).forwardConfig().targetGroupStickinessConfig().durationSeconds()).isEqualTo(600);
        assertThat(rules.get(1).actions().get(0).redirectConfig().path()).isEqualTo("/new/#{path}");
    }

    @Test
    void actionListsFollowElbv2sRules() {
        Listener plain = createListener(lb, 80, tg);
        assertElbError(() -> elb.modifyListener(b -> b.listenerArn(plain.listenerArn())
                .defaultActions(oidc(1, AuthenticateOidcActionConditionalBehaviorEnum.DENY), fixed(2, "200"))),
                "InvalidLoadBalancerAction").hasMessageContaining("HTTPS");
        assertElbError(() -> https(oidc(2, AuthenticateOidcActionConditionalBehaviorEnum.DENY), fixed(1, "200")),
                "InvalidLoadBalancerAction").as("the terminal action comes last");
        assertElbError(() -> https(oidc(1, AuthenticateOidcActionConditionalBehaviorEnum.DENY)), "InvalidLoadBalancerAction")
                .as("a terminal action is needed");
        assertElbError(() -> https(oidc(1, AuthenticateOidcActionConditionalBehaviorEnum.DENY), cognito(2), fixed(3, "200")),
                "TooManyActions");
        assertElbError(() -> https(fixed(1, "200"), fixed(2, "404")), "TooManyActions");
        assertElbError(() -> https(oidc(1, AuthenticateOidcActionConditionalBehaviorEnum.DENY),
                fixed(2, "200").toBuilder().order(null).build()), "ValidationError").hasMessageContaining("order");
        assertElbError(() -> https(Action.builder().type(ActionTypeEnum.AUTHENTICATE_OIDC).order(1)
                .authenticateOidcConfig(c -> c.issuer("https://i").authorizationEndpoint("https://a").tokenEndpoint("https://t")
                        .userInfoEndpoint("https://u").clientId("app")).build(), fixed(2, "200")), "ValidationError")
                .hasMessageContaining("client secret");
    }

    @Test
    void anHttpsListenerCanBeModifiedKeepingItsExistingClientSecret() {
        Listener listener = https(oidc(1, AuthenticateOidcActionConditionalBehaviorEnum.DENY), fixed(2, "200"));
        Action reuse = Action.builder().type(ActionTypeEnum.AUTHENTICATE_OIDC).order(1).authenticateOidcConfig(c -> c
                .issuer("https://i").authorizationEndpoint("https://a").tokenEndpoint("https://t").userInfoEndpoint("https://u")
                .clientId("app").useExistingClientSecret(true)).build();
        elb.modifyListener(b -> b.listenerArn(listener.listenerArn()).defaultActions(reuse, fixed(2, "204")));
        assertElbError(() -> elb.modifyListener(b -> b.listenerArn(listener.listenerArn()).protocol(ProtocolEnum.HTTP)),
                "InvalidLoadBalancerAction");
    }

    @Test
    void theExistingClientSecretCanBeKeptAgainAndAgain() {
        // Every weight write of the operator says UseExistingClientSecret: the secret must survive the first one.
        Listener listener = https(oidc(1, AuthenticateOidcActionConditionalBehaviorEnum.DENY), fixed(2, "200"));
        Action reuse = Action.builder().type(ActionTypeEnum.AUTHENTICATE_OIDC).order(1).authenticateOidcConfig(c -> c
                .issuer("https://i").authorizationEndpoint("https://a").tokenEndpoint("https://t").userInfoEndpoint("https://u")
                .clientId("app").useExistingClientSecret(true)).build();
        for (String status : List.of("204", "202", "200")) {
            elb.modifyListener(b -> b.listenerArn(listener.listenerArn()).defaultActions(reuse, fixed(2, status)));
        }
        String rule = elb.describeRules(b -> b.listenerArn(listener.listenerArn())).rules().get(0).ruleArn();
        elb.modifyRule(b -> b.ruleArn(rule).actions(reuse, fixed(2, "201")));
        elb.modifyRule(b -> b.ruleArn(rule).actions(reuse, fixed(2, "200")));
        Action described = elb.describeListeners(b -> b.listenerArns(listener.listenerArn())).listeners().get(0).defaultActions().get(0);
        assertThat(described.authenticateOidcConfig().clientSecret()).as("never described").isNull();
        assertThat(described.authenticateOidcConfig().useExistingClientSecret()).as("an instruction, not kept").isNull();
    }

    @Test
    void theDataPlanePerformsAuthenticateActionsBeforeTheTerminalOne() {
        Listener denied = https(oidc(1, AuthenticateOidcActionConditionalBehaviorEnum.DENY), fixed(2, "200"));
        assertThat(get(denied).status()).isEqualTo(401);
        TlsClient.Response withSession = get(denied, "Cookie", "AWSELBAuthSessionCookie-0=abc");
        assertThat(withSession.status()).isEqualTo(200);
        assertThat(withSession.body()).isEqualTo("hi");

        elb.modifyListener(b -> b.listenerArn(denied.listenerArn())
                .defaultActions(oidc(1, AuthenticateOidcActionConditionalBehaviorEnum.AUTHENTICATE), fixed(2, "200")));
        TlsClient.Response login = get(denied);
        assertThat(login.status()).isEqualTo(302);
        assertThat(login.headers().get("location"))
                .startsWith("https://idp.example.test/authorize?response_type=code&client_id=app&")
                .contains("scope=openid").contains("prompt=login");

        elb.modifyListener(b -> b.listenerArn(denied.listenerArn()).defaultActions(cognito(1), fixed(2, "200")));
        assertThat(get(denied).headers().get("location"))
                .startsWith("https://shop.auth.eu-west-1.amazoncognito.com/oauth2/authorize?")
                .contains("client_id=client-1");

        elb.modifyListener(b -> b.listenerArn(denied.listenerArn())
                .defaultActions(oidc(1, AuthenticateOidcActionConditionalBehaviorEnum.ALLOW), fixed(2, "503")));
        assertThat(get(denied).status()).as("allow goes on to the next action").isEqualTo(503);
    }

    // ---- HTTPS ------------------------------------------------------------------------------------

    @Test
    void anHttpsListenerServesTlsWithACertificateForTheApplicationsDomainNotTheLoadBalancers() {
        Listener listener = https(fixed(1, "200"));
        assertThat(listener.port()).isPositive();
        assertThat(get(listener).body()).isEqualTo("hi");
        assertThat(sim.elb().tls().caCertificate().getBasicConstraints()).as("a CA").isGreaterThanOrEqualTo(0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TlsClient.get(sim.elb().tls().clientContext(),
                listener.port(), "web-123.us-east-1.elb.amazonaws.com", "/"))
                .as("the load balancer's DNS name is not on the certificate").isInstanceOf(java.io.UncheckedIOException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TlsClient.get(javax.net.ssl.SSLContext.getDefault(),
                listener.port(), "shop.example.test", "/")).as("not a public CA").isInstanceOf(java.io.UncheckedIOException.class);

        sim.elb().tls().names(List.of("shop.test"));
        elb.modifyListener(b -> b.listenerArn(listener.listenerArn()).protocol(ProtocolEnum.HTTP));
        elb.modifyListener(b -> b.listenerArn(listener.listenerArn()).protocol(ProtocolEnum.HTTPS)
                .certificates(c -> c.certificateArn(CERT)));
        int port = elb.describeListeners(b -> b.listenerArns(listener.listenerArn())).listeners().get(0).port();
        assertThat(TlsClient.get(sim.elb().tls().clientContext(), port, "shop.test", "/").status())
                .as("the names set, after a protocol change rebinds").isEqualTo(200);
    }

    // ---- NotFound fails the whole call -----------------------------------------------------------

    @Test
    void describeCallsFailWholeWhenAnyOneArnOrNameIsMissing() {
        Listener listener = createListener(lb, 80, tg);
        String rule = elb.describeRules(b -> b.listenerArn(listener.listenerArn())).rules().get(0).ruleArn();
        String zeros = "0000000000000000";
        assertElbError(() -> elb.describeListeners(b -> b.listenerArns(listener.listenerArn(),
                listener.listenerArn().replaceAll("[0-9a-f]{16}$", zeros))), "ListenerNotFound");
        assertElbError(() -> elb.describeRules(b -> b.ruleArns(rule, rule.replaceAll("[0-9a-f]{16}$", zeros))), "RuleNotFound");
        assertElbError(() -> elb.describeTargetGroups(b -> b.targetGroupArns(tg, tg.replaceAll("[0-9a-f]{16}$", zeros))),
                "TargetGroupNotFound");
        assertElbError(() -> elb.describeTargetGroups(b -> b.names("web-blue", "web-none")), "TargetGroupNotFound");
        assertElbError(() -> elb.describeTargetHealth(b -> b.targetGroupArn(tg.replaceAll("[0-9a-f]{16}$", zeros))),
                "TargetGroupNotFound");
    }
}

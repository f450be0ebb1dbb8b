package io.ecsbluegreen.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.sim.AwsSimulator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupStickinessConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/** The ELB port through the SDK against the simulator: weight writes keep the rest of the action list. */
class SdkElbPortOnSimulatorTest {

    AwsSimulator sim;
    ElasticLoadBalancingV2Client elb;
    SdkElbPort port;
    String loadBalancer;
    String blue;
    String green;

    @BeforeEach
    void start() {
        sim = AwsSimulator.start();
        elb = ElasticLoadBalancingV2Client.builder().endpointOverride(sim.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .httpClient(UrlConnectionHttpClient.create()).overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        port = new SdkElbPort(elb);
        loadBalancer = elb.createLoadBalancer(b -> b.name("web").subnets("subnet-aaaa1111", "subnet-bbbb2222"))
                .loadBalancers().get(0).loadBalancerArn();
        blue = targetGroup("blue");
        green = targetGroup("green");
    }

    @AfterEach
    void stop() {
        elb.close();
        sim.close();
    }

    String targetGroup(String name) {
        return elb.createTargetGroup(b -> b.name(name).protocol(ProtocolEnum.HTTP).port(8080).vpcId("vpc-0123456789abcdef0")
                .targetType(TargetTypeEnum.IP)).targetGroups().get(0).targetGroupArn();
    }

    static final TargetGroupStickinessConfig STICKY = TargetGroupStickinessConfig.builder().enabled(true).durationSeconds(600).build();

    Action stickyForward() {
        return Action.builder().type(ActionTypeEnum.FORWARD).forwardConfig(c -> c.targetGroupStickinessConfig(STICKY)
                .targetGroups(t -> t.targetGroupArn(blue).weight(1), t -> t.targetGroupArn(green).weight(0))).build();
    }

    Map<String, Integer> weights(int b, int g) {
        Map<String, Integer> w = new LinkedHashMap<>();
        w.put(blue, b);
        w.put(green, g);
        return w;
    }

    String listener(int port, Action... actions) {
        return elb.createListener(b -> b.loadBalancerArn(loadBalancer).protocol(ProtocolEnum.HTTP).port(port).defaultActions(actions))
                .listeners().get(0).listenerArn();
    }

    List<Action> defaultActions(String listener) {
        return elb.describeListeners(r -> r.listenerArns(listener)).listeners().get(0).defaultActions();
    }

    @Test
    void aWeightChangeOnAListenerKeepsTargetGroupStickiness() {
        String listener = listener(80, stickyForward());

        port.setForward(listener, false, weights(90, 10));

        Action forward = defaultActions(listener).get(0);
        assertThat(forward.forwardConfig().targetGroupStickinessConfig()).isEqualTo(STICKY);
        assertThat(SdkElbPort.weights(List.of(forward))).isEqualTo(weights(90, 10));
    }

    @Test
    void aWeightChangeOnARuleKeepsTargetGroupStickiness() {
        String listener = listener(80, Action.builder().type(ActionTypeEnum.FIXED_RESPONSE).fixedResponseConfig(c -> c.statusCode("404")).build());
        String rule = elb.createRule(b -> b.listenerArn(listener).priority(10)
                .conditions(c -> c.field("host-header").hostHeaderConfig(h -> h.values("app.example.com")))
                .actions(stickyForward())).rules().get(0).ruleArn();

        port.setForward(rule, true, weights(0, 100));

        Action forward = elb.describeRules(r -> r.ruleArns(rule)).rules().get(0).actions().get(0);
        assertThat(forward.forwardConfig().targetGroupStickinessConfig()).isEqualTo(STICKY);
        assertThat(SdkElbPort.weights(List.of(forward))).isEqualTo(weights(0, 100));
    }

    @Test
    void aChangeMadeToTheListenerAfterTheObservationSurvivesTheWeightWrite() {
        String listener = listener(80, Action.builder().type(ActionTypeEnum.FORWARD).targetGroupArn(blue).build());
        port.forwards(List.of(listener), List.of());
        // Someone turns stickiness on between the pass's observation and its write.
        elb.modifyListener(b -> b.listenerArn(listener).defaultActions(stickyForward()));

        port.setForward(listener, false, weights(50, 50));

        assertThat(defaultActions(listener).get(0).forwardConfig().targetGroupStickinessConfig()).isEqualTo(STICKY);
    }

    static final String CERTIFICATE = "arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-0000-0000-000000000001";

    /** An authenticate-oidc action: ELBv2 takes it on HTTPS listeners only. */
    static Action oidc() {
        return Action.builder().type(ActionTypeEnum.AUTHENTICATE_OIDC).order(1)
                .authenticateOidcConfig(c -> c.issuer("https://idp.example.com").clientId("app").clientSecret("secret")
                        .authorizationEndpoint("https://idp.example.com/auth").tokenEndpoint("https://idp.example.com/token")
                        .userInfoEndpoint("https://idp.example.com/userinfo")).build();
    }

    String httpsListener(Action... actions) {
        return elb.createListener(b -> b.loadBalancerArn(loadBalancer).protocol(ProtocolEnum.HTTPS).port(443)
                .certificates(c -> c.certificateArn(CERTIFICATE)).defaultActions(actions)).listeners().get(0).listenerArn();
    }

    /** The simulator keeps authenticate actions (issue 10, defect 5): this runs, it is not skipped. */
    @Test
    void aWeightChangeKeepsTheOidcActionInFrontOfTheForward() {
        String listener = httpsListener(oidc(), stickyForward().toBuilder().order(2).build());
        assertThat(defaultActions(listener)).extracting(Action::type)
                .as("the simulator keeps what was created").containsExactly(ActionTypeEnum.AUTHENTICATE_OIDC, ActionTypeEnum.FORWARD);

        port.setForward(listener, false, weights(80, 20));

        List<Action> after = defaultActions(listener);
        assertThat(after).extracting(Action::type).containsExactly(ActionTypeEnum.AUTHENTICATE_OIDC, ActionTypeEnum.FORWARD);
        assertThat(after).extracting(Action::order).containsExactly(1, 2);
        assertThat(after.get(0).authenticateOidcConfig().issuer()).isEqualTo("https://idp.example.com");
        assertThat(after.get(0).authenticateOidcConfig().clientId()).isEqualTo("app");
        assertThat(SdkElbPort.weights(after)).isEqualTo(weights(80, 20));
    }

    @Test
    void everyWeightWriteOfARolloutBehindOidcKeepsStickinessEnabledAndItsDuration() {
        String listener = httpsListener(oidc(), stickyForward().toBuilder().order(2).build());

        for (int green : new int[] {10, 50, 100, 0}) {
            port.setForward(listener, false, weights(100 - green, green));

            List<Action> after = defaultActions(listener);
            assertThat(after).as("after green at " + green + "%").extracting(Action::type)
                    .containsExactly(ActionTypeEnum.AUTHENTICATE_OIDC, ActionTypeEnum.FORWARD);
            TargetGroupStickinessConfig stickiness = after.get(1).forwardConfig().targetGroupStickinessConfig();
            assertThat(stickiness.enabled()).as("after green at " + green + "%").isTrue();
            assertThat(stickiness.durationSeconds()).as("after green at " + green + "%").isEqualTo(600);
            assertThat(SdkElbPort.weights(after)).isEqualTo(weights(100 - green, green));
        }
    }

    // ---- a batch of weight writes shares its reads --------------------------------------------------

    /** Rules behind one listener, each forwarding to blue with stickiness and behind its own host. */
    List<String> rules(int n) {
        String listener = listener(80, Action.builder().type(ActionTypeEnum.FIXED_RESPONSE).fixedResponseConfig(c -> c.statusCode("404")).build());
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            int priority = i + 1;
            out.add(elb.createRule(b -> b.listenerArn(listener).priority(priority)
                    .conditions(c -> c.field("host-header").hostHeaderConfig(h -> h.values("app" + priority + ".example.com")))
                    .actions(stickyForward())).rules().get(0).ruleArn());
        }
        return out;
    }

    List<Action> ruleActions(String rule) {
        return elb.describeRules(r -> r.ruleArns(rule)).rules().get(0).actions();
    }

    @Test
    void twentyRuleWeightWritesOfABatchReadTheirActionListsInOneDescribeRulesAndKeepStickiness() {
        List<String> rules = rules(20);
        sim.resetStats();

        ElbPort.ForwardWrites writes = port.forwardWrites(List.of(), rules);
        for (String rule : rules) writes.setForward(rule, true, weights(0, 100));

        assertThat(sim.stats().calls("elasticloadbalancing", "DescribeRules")).isEqualTo(1);
        assertThat(sim.stats().calls("elasticloadbalancing", "ModifyRule")).isEqualTo(20);
        for (String rule : rules) {
            Action forward = ruleActions(rule).get(0);
            assertThat(forward.forwardConfig().targetGroupStickinessConfig()).isEqualTo(STICKY);
            assertThat(SdkElbPort.weights(List.of(forward))).isEqualTo(weights(0, 100));
        }
    }

    @Test
    void aBatchWhoseWritesNeverComeReadsNothing() {
        List<String> rules = rules(3);
        sim.resetStats();

        port.forwardWrites(List.of(), rules);

        assertThat(sim.stats().calls("elasticloadbalancing", "DescribeRules")).isZero();
    }

    @Test
    void aSecondWriteToTheSameListenerInABatchBuildsOnTheFirstAndKeepsTheOidcAction() {
        String listener = httpsListener(oidc(), stickyForward().toBuilder().order(2).build());
        sim.resetStats();

        ElbPort.ForwardWrites writes = port.forwardWrites(List.of(listener), List.of());
        writes.setForward(listener, false, weights(50, 50));
        writes.setForward(listener, false, weights(100, 0));

        assertThat(sim.stats().calls("elasticloadbalancing", "DescribeListeners")).isEqualTo(1);
        List<Action> after = defaultActions(listener);
        assertThat(after).extracting(Action::type).containsExactly(ActionTypeEnum.AUTHENTICATE_OIDC, ActionTypeEnum.FORWARD);
        assertThat(after.get(1).forwardConfig().targetGroupStickinessConfig()).isEqualTo(STICKY);
        assertThat(SdkElbPort.weights(after)).isEqualTo(weights(100, 0));
    }

    /** Issue 10, defect 7: ELBv2 fails a whole DescribeRules for one missing rule; only its own write fails. */
    @Test
    void aRuleDeletedBeforeTheBatchsWritesFailsOnlyItsOwnWrite() {
        List<String> rules = rules(5);
        String deleted = rules.get(2);
        elb.deleteRule(r -> r.ruleArn(deleted));

        ElbPort.ForwardWrites writes = port.forwardWrites(List.of(), rules);
        List<String> failed = new java.util.ArrayList<>();
        for (String rule : rules) {
            try {
                writes.setForward(rule, true, weights(0, 100));
            } catch (software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleNotFoundException e) {
                failed.add(rule);
            }
        }

        assertThat(failed).containsExactly(deleted);
        for (String rule : rules) {
            if (!rule.equals(deleted)) assertThat(SdkElbPort.weights(ruleActions(rule))).isEqualTo(weights(0, 100));
        }
    }
}

package io.ecsbluegreen.sim.elb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.ListenerPortMode;
import io.ecsbluegreen.sim.SimulatorConfig;
import io.ecsbluegreen.sim.spi.TargetHealthState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;

/** The Java API of {@code sim.elb()}: explicit ids for hard-coded ARNs, seeding, inspection, port modes. */
class JavaApiTest extends ElbFixture {

    private static final String DEMO_LB = "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/demo/5f2b3c4d5e6f7a8b";
    private static final String PRODUCTION = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/demo/5f2b3c4d5e6f7a8b/1a2b3c4d5e6f7081";
    private static final String TEST = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/demo/5f2b3c4d5e6f7a8b/9a8b7c6d5e4f3021";
    private static final String CANARY_RULE = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/demo/5f2b3c4d5e6f7a8b/1a2b3c4d5e6f7081/00000000000000d1";

    @Test
    void resourcesCreatedWithExplicitIdsHaveTheArnsTheExamplesHardCode() {
        ElbStore store = sim.elb();

        LoadBalancer demo = store.createLoadBalancer("demo", "5f2b3c4d5e6f7a8b");
        TargetGroup blue = store.createTargetGroup("catalog-blue", "0000000000000b01", 8080);
        TargetGroup green = store.createTargetGroup("catalog-green", "0000000000000b02", 8080);
        Listener production = store.createListener(demo.arn(), "1a2b3c4d5e6f7081", 80, Action.fixedResponse(404,
                "text/plain", "no route"));
        Listener test = store.createListener(demo.arn(), "9a8b7c6d5e4f3021", 8080, Action.forward(green.arn()));
        Rule canary = store.createRule(production.arn(), "00000000000000d1", 10, List.of(Condition.pathPattern("/*")),
                Action.forward(blue.arn()));

        assertThat(demo.arn()).isEqualTo(DEMO_LB);
        assertThat(production.arn()).isEqualTo(PRODUCTION);
        assertThat(test.arn()).isEqualTo(TEST);
        assertThat(canary.arn()).isEqualTo(CANARY_RULE);
        assertThat(blue.arn()).isEqualTo("arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/catalog-blue/0000000000000b01");
        assertThat(elb.describeListeners(b -> b.listenerArns(PRODUCTION, TEST)).listeners()).hasSize(2);
        assertThat(elb.describeRules(b -> b.ruleArns(CANARY_RULE)).rules().get(0).priority()).isEqualTo("10");
        assertThat(store.loadBalancerArnsOf(blue.arn())).containsExactly(DEMO_LB);
    }

    @Test
    void theOperatorCanShiftWeightsOnASeededRuleThroughTheSdkAndTrafficFollows() {
        ElbStore store = sim.elb();
        LoadBalancer demo = store.createLoadBalancer("demo", "5f2b3c4d5e6f7a8b");
        TargetGroup blue = store.createTargetGroup("catalog-blue", null, 8080);
        TargetGroup green = store.createTargetGroup("catalog-green", null, 8080);
        Listener production = store.createListener(demo.arn(), "1a2b3c4d5e6f7081", 80, Action.forward(blue.arn()));
        store.createRule(production.arn(), "00000000000000d1", 10, List.of(Condition.pathPattern("/*")),
                Action.forward(blue.arn()));
        store.registerTarget(blue.arn(), "10.0.1.1", 8080);
        store.registerTarget(green.arn(), "10.0.2.1", 8080);
        sim.clock().advance(Duration.ofSeconds(150));

        elb.modifyRule(b -> b.ruleArn(CANARY_RULE).actions(a -> a.type(ActionTypeEnum.FORWARD).forwardConfig(f ->
                f.targetGroups(t -> t.targetGroupArn(blue.arn()).weight(0), t -> t.targetGroupArn(green.arn()).weight(1)))));

        assertThat(ElbClients.get(ElbClients.http(), store.endpoint(production.arn()) + "/").headers()
                .firstValue("X-Sim-Target-Group")).hasValue("catalog-green");
        assertThat(store.rule(CANARY_RULE).orElseThrow().actions().get(0).weightOf(green.arn())).isEqualTo(1);
    }

    @Test
    void theJavaApiValidatesAsTheApiDoesAndRefusesDuplicateIds() {
        ElbStore store = sim.elb();
        LoadBalancer demo = store.createLoadBalancer("demo", "5f2b3c4d5e6f7a8b");
        TargetGroup blue = store.createTargetGroup("blue", null, 8080);

        assertThatThrownBy(() -> store.createLoadBalancer("other", "XYZ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.createListener(demo.arn(), "1a2b3c4d5e6f7081", 80, Action.forward(Map.of(
                blue.arn(), 1000)))).hasMessageContaining("between 0 and 999");
        store.createListener(demo.arn(), "1a2b3c4d5e6f7081", 80, Action.forward(blue.arn()));
        assertThatThrownBy(() -> store.createListener(demo.arn(), "1a2b3c4d5e6f7081", 81, Action.forward(blue.arn())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already exists");
    }

    @Test
    void inspectionMethodsReportWhatTheApiReports() {
        ElbStore store = sim.elb();
        LoadBalancer demo = store.createLoadBalancer("demo", null);
        TargetGroup blue = store.createTargetGroup("blue", null, 8080);
        TargetGroup green = store.createTargetGroup("green", null, 8080);
        Map<String, Integer> weights = new LinkedHashMap<>();
        weights.put(blue.arn(), 90);
        weights.put(green.arn(), 10);
        Listener listener = store.createListener(demo.arn(), null, 80, Action.forward(weights));
        store.registerTarget(blue.arn(), "10.0.1.1", 8080);

        assertThat(store.loadBalancerByName("demo")).contains(demo);
        assertThat(store.targetGroupByName("green")).contains(green);
        assertThat(store.listeners()).containsExactly(listener);
        assertThat(store.endpoint(listener.arn())).hasToString("http://127.0.0.1:" + listener.port());
        assertThat(store.rules(listener.arn())).singleElement().satisfies(rule -> {
            assertThat(rule.isDefault()).isTrue();
            assertThat(rule.actions().get(0).weightOf(green.arn())).isEqualTo(10);
        });
        assertThat(store.targetHealth(blue.arn())).containsExactly(new TargetStatus("10.0.1.1", 8080,
                TargetHealthState.INITIAL, "Elb.InitialHealthChecking", "Initial health checks in progress"));

        store.setDefaultAction(listener.arn(), Action.forward(green.arn()));
        assertThat(store.listener(listener.arn()).orElseThrow().defaultActions()).containsExactly(Action.forward(green.arn()));
        assertThat(store.targetHealth(blue.arn())).extracting(TargetStatus::state).containsExactly(TargetHealthState.UNUSED);
    }

    @Test
    void inExactModeAListenerListensOnItsOwnPortAndAnOccupiedPortIsRefused() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        try (AwsSimulator exact = AwsSimulator.start(SimulatorConfig.defaults()
                .withListenerPortMode(ListenerPortMode.EXACT));
             ElasticLoadBalancingV2Client client = ElbClients.elb(exact)) {
            LoadBalancer demo = exact.elb().createLoadBalancer("demo", null);
            Listener listener = exact.elb().createListener(demo.arn(), null, port,
                    Action.fixedResponse(200, "text/plain", "exact"));

            assertThat(client.describeListeners(b -> b.listenerArns(listener.arn())).listeners().get(0).port())
                    .isEqualTo(port);
            assertThat(ElbClients.get(ElbClients.http(), "http://127.0.0.1:" + port + "/").body()).isEqualTo("exact");
            try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                assertElbError(() -> client.createListener(b -> b.loadBalancerArn(demo.arn()).protocol("HTTP")
                        .port(taken.getLocalPort()).defaultActions(a -> a.type(ActionTypeEnum.FIXED_RESPONSE)
                                .fixedResponseConfig(f -> f.statusCode("200")))), "InvalidConfigurationRequest")
                        .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort());
            }
        }
    }

    @Test
    void inExactModeModifyListenerMovesTheListenerToItsNewPortAndFreesTheOldOne() throws IOException {
        int[] ports = new int[2];
        for (int i = 0; i < 2; i++) {
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                ports[i] = probe.getLocalPort();
            }
        }
        try (AwsSimulator exact = AwsSimulator.start(SimulatorConfig.defaults()
                .withListenerPortMode(ListenerPortMode.EXACT));
             ElasticLoadBalancingV2Client client = ElbClients.elb(exact)) {
            LoadBalancer demo = exact.elb().createLoadBalancer("demo", null);
            Listener listener = exact.elb().createListener(demo.arn(), null, ports[0],
                    Action.fixedResponse(200, "text/plain", "moved"));

            int reported = client.modifyListener(b -> b.listenerArn(listener.arn()).port(ports[1])).listeners().get(0).port();

            assertThat(reported).isEqualTo(ports[1]);
            assertThat(ElbClients.get(ElbClients.http(), "http://127.0.0.1:" + ports[1] + "/").body()).isEqualTo("moved");
            try (ServerSocket free = new ServerSocket()) {
                free.bind(new java.net.InetSocketAddress(InetAddress.getByName("127.0.0.1"), ports[0]));
            }
        }
    }

    @Test
    void anAccountHasAtMost3000TargetGroups() {
        for (int i = 0; i < ElbStore.MAX_TARGET_GROUPS; i++) {
            sim.elb().createTargetGroup("tg-" + i, null, 8080);
        }

        assertElbError(() -> createTargetGroup("one-too-many"), "TooManyTargetGroups");
    }

    @Test
    void aLoadBalancerForwardsToAtMostOneHundredUniqueTargetGroups() {
        ElbStore store = sim.elb();
        LoadBalancer demo = store.createLoadBalancer("demo", null);
        TargetGroup first = store.createTargetGroup("tg-0", null, 8080);
        Listener listener = store.createListener(demo.arn(), null, 80, Action.forward(first.arn()));
        int groups = 1;
        for (int rule = 1; groups < ElbStore.MAX_TARGET_GROUPS_PER_LOAD_BALANCER; rule++) {
            Map<String, Integer> weights = new LinkedHashMap<>();
            for (int i = 0; i < 5 && groups < ElbStore.MAX_TARGET_GROUPS_PER_LOAD_BALANCER; i++, groups++) {
                weights.put(store.createTargetGroup("tg-" + groups, null, 8080).arn(), 1);
            }
            store.createRule(listener.arn(), null, rule, List.of(Condition.pathPattern("/" + rule)),
                    Action.forward(weights));
        }
        String extra = store.createTargetGroup("tg-extra", null, 8080).arn();

        assertElbError(() -> elb.createRule(b -> b.listenerArn(listener.arn()).priority(1000)
                .conditions(c -> c.field("path-pattern").values("/extra"))
                .actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(extra))),
                "TooManyUniqueTargetGroupsPerLoadBalancer");
        elb.createRule(b -> b.listenerArn(listener.arn()).priority(1000)
                .conditions(c -> c.field("path-pattern").values("/again"))
                .actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(first.arn())));
    }
}

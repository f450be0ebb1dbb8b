package io.ecsbluegreen.sim.elb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.OperationNotPermittedException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.PriorityInUseException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TooManyRulesException;

/** Listener rules: CreateRule, DescribeRules, ModifyRule, DeleteRule, SetRulePriorities and conditions. */
class RuleApiTest extends ElbFixture {

    private String lb;
    private String listener;
    private String blue;
    private String green;

    @BeforeEach
    void resources() {
        lb = createLoadBalancer("demo").loadBalancerArn();
        blue = createTargetGroup("blue").targetGroupArn();
        green = createTargetGroup("green").targetGroupArn();
        listener = createListener(lb, 80, blue).listenerArn();
    }

    private Rule createPathRule(int priority, String path, String targetGroupArn) {
        return elb.createRule(b -> b.listenerArn(listener).priority(priority)
                .conditions(c -> c.field("path-pattern").values(path))
                .actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(targetGroupArn))).rules().get(0);
    }

    @Test
    void theDefaultRuleIsReportedLastWithIsDefaultAndNoConditions() {
        createPathRule(20, "/b/*", blue);
        createPathRule(10, "/a/*", green);

        List<Rule> rules = elb.describeRules(b -> b.listenerArn(listener)).rules();

        assertThat(rules).extracting(Rule::priority).containsExactly("10", "20", "default");
        Rule defaultRule = rules.get(2);
        assertThat(defaultRule.isDefault()).isTrue();
        assertThat(defaultRule.conditions()).isEmpty();
        assertThat(defaultRule.actions().get(0).targetGroupArn()).isEqualTo(blue);
        assertThat(defaultRule.ruleArn()).matches(
                "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/demo/[0-9a-f]{16}/[0-9a-f]{16}/[0-9a-f]{16}")
                .startsWith(listener.replace(":listener/", ":listener-rule/"));
        assertThat(rules.get(0).isDefault()).isFalse();
        assertThat(elb.describeRules(b -> b.ruleArns(defaultRule.ruleArn())).rules().get(0).isDefault()).isTrue();
    }

    @Test
    void createRuleReportsConditionsInBothTheLegacyAndTheConfigForm() {
        Rule rule = elb.createRule(b -> b.listenerArn(listener).priority(1)
                .conditions(c -> c.field("host-header").hostHeaderConfig(h -> h.values("*.example.com")),
                        c -> c.field("path-pattern").values("/api/*"),
                        c -> c.field("http-header").httpHeaderConfig(h -> h.httpHeaderName("X-Canary").values("on")))
                .actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(green))).rules().get(0);

        assertThat(rule.priority()).isEqualTo("1");
        RuleCondition host = rule.conditions().get(0);
        assertThat(host.field()).isEqualTo("host-header");
        assertThat(host.values()).containsExactly("*.example.com");
        assertThat(host.hostHeaderConfig().values()).containsExactly("*.example.com");
        RuleCondition path = rule.conditions().get(1);
        assertThat(path.values()).containsExactly("/api/*");
        assertThat(path.pathPatternConfig().values()).containsExactly("/api/*");
        RuleCondition header = rule.conditions().get(2);
        assertThat(header.httpHeaderConfig().httpHeaderName()).isEqualTo("X-Canary");
        assertThat(header.httpHeaderConfig().values()).containsExactly("on");
    }

    @Test
    void createRuleTakesMethodQueryStringAndSourceIpConditions() {
        Rule rule = elb.createRule(b -> b.listenerArn(listener).priority(2)
                .conditions(c -> c.field("http-request-method").httpRequestMethodConfig(m -> m.values("GET", "HEAD")),
                        c -> c.field("query-string").queryStringConfig(q -> q.values(v -> v.key("v").value("2"))),
                        c -> c.field("source-ip").sourceIpConfig(s -> s.values("127.0.0.0/8")))
                .actions(a -> a.type(ActionTypeEnum.FIXED_RESPONSE).fixedResponseConfig(f -> f.statusCode("204"))))
                .rules().get(0);

        assertThat(rule.conditions().get(0).httpRequestMethodConfig().values()).containsExactly("GET", "HEAD");
        assertThat(rule.conditions().get(1).queryStringConfig().values())
                .extracting(v -> v.key() + "=" + v.value()).containsExactly("v=2");
        assertThat(rule.conditions().get(2).sourceIpConfig().values()).containsExactly("127.0.0.0/8");
    }

    @Test
    void prioritiesGoFromOneTo50000AndAreUniquePerListener() {
        createPathRule(10, "/a", blue);

        assertElbError(() -> createPathRule(10, "/b", green), "PriorityInUse")
                .isInstanceOf(PriorityInUseException.class).hasMessageContaining("Priority '10' is currently in use");
        assertElbError(() -> createPathRule(0, "/b", green), "ValidationError");
        assertElbError(() -> createPathRule(50_001, "/b", green), "ValidationError");
        createPathRule(50_000, "/b", green);
        String other = createListener(lb, 8080, blue).listenerArn();
        elb.createRule(b -> b.listenerArn(other).priority(10).conditions(c -> c.field("path-pattern").values("/a"))
                .actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(green)));
    }

    @Test
    void conditionsAreValidatedAsAlbDoes() {
        assertElbError(() -> elb.createRule(b -> b.listenerArn(listener).priority(1).conditions(List.of())
                .actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(green))), "ValidationError")
                .hasMessageContaining("at least one condition");
        assertElbError(() -> elb.createRule(b -> b.listenerArn(listener).priority(1)
                .conditions(c -> c.field("cookie").values("x"))
                .actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(green))), "ValidationError");
        assertElbError(() -> elb.createRule(b -> b.listenerArn(listener).priority(1)
                .conditions(c -> c.field("path-pattern").values("/a"), c -> c.field("path-pattern").values("/b"))
                .actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(green))), "ValidationError")
                .hasMessageContaining("only have one 'path-pattern' condition");
        assertElbError(() -> elb.createRule(b -> b.listenerArn(listener).priority(1)
                .conditions(c -> c.field("path-pattern").pathPatternConfig(p -> p.values("/1", "/2", "/3", "/4", "/5", "/6")))
                .actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(green))), "ValidationError")
                .hasMessageContaining("'5' condition values");
        assertElbError(() -> elb.createRule(b -> b.listenerArn(listener).priority(1)
                .conditions(c -> c.field("http-header").httpHeaderConfig(h -> h.httpHeaderName("Host").values("x")))
                .actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(green))), "ValidationError");
        assertElbError(() -> elb.createRule(b -> b.listenerArn(listener).priority(1)
                .conditions(c -> c.field("host-header").hostHeaderConfig(h -> h.values("*a*", "*b*", "?c?")))
                .actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(green))), "ValidationError")
                .hasMessageContaining("'5' wildcards");
    }

    @Test
    void createRuleChecksTheListenerAndTheActions() {
        String missing = listener.replaceAll("[0-9a-f]{16}$", "0000000000000000");

        assertElbError(() -> elb.createRule(b -> b.listenerArn(missing).priority(1)
                .conditions(c -> c.field("path-pattern").values("/a"))
                .actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(green))), "ListenerNotFound");
        assertElbError(() -> elb.createRule(b -> b.listenerArn(listener).priority(1)
                .conditions(c -> c.field("path-pattern").values("/a"))
                .actions(a -> a.type(ActionTypeEnum.FORWARD).forwardConfig(f -> f.targetGroups(
                        t -> t.targetGroupArn(blue).weight(1000))))), "ValidationError");
        assertElbError(() -> elb.createRule(b -> b.listenerArn(listener).priority(1)
                .conditions(c -> c.field("path-pattern").values("/a"))
                .actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(green),
                        a -> a.type(ActionTypeEnum.FIXED_RESPONSE).fixedResponseConfig(f -> f.statusCode("200")))),
                "TooManyActions");
    }

    @Test
    void aLoadBalancerHasAtMostOneHundredRules() {
        for (int i = 1; i <= ElbStore.MAX_RULES_PER_LOAD_BALANCER; i++) {
            createPathRule(i, "/p" + i, blue);
        }

        assertElbError(() -> createPathRule(101, "/p101", blue), "TooManyRules")
                .isInstanceOf(TooManyRulesException.class);
        assertThat(elb.describeRulesPaginator(b -> b.listenerArn(listener).pageSize(30)).rules()).hasSize(101);
    }

    @Test
    void modifyRuleReplacesConditionsOrActions() {
        Rule rule = createPathRule(10, "/a/*", blue);

        Rule modified = elb.modifyRule(b -> b.ruleArn(rule.ruleArn())
                .actions(a -> a.type(ActionTypeEnum.FORWARD).forwardConfig(f -> f.targetGroups(
                        t -> t.targetGroupArn(blue).weight(80), t -> t.targetGroupArn(green).weight(20)))))
                .rules().get(0);

        assertThat(modified.conditions().get(0).values()).containsExactly("/a/*");
        assertThat(modified.actions().get(0).forwardConfig().targetGroups())
                .extracting(t -> t.weight()).containsExactly(80, 20);
        Rule moved = elb.modifyRule(b -> b.ruleArn(rule.ruleArn()).conditions(c -> c.field("path-pattern").values("/b/*")))
                .rules().get(0);
        assertThat(moved.conditions().get(0).values()).containsExactly("/b/*");
        assertThat(moved.actions().get(0).forwardConfig().targetGroups()).hasSize(2);
        assertElbError(() -> elb.modifyRule(b -> b.ruleArn(rule.ruleArn())), "ValidationError");
        assertElbError(() -> elb.modifyRule(b -> b.ruleArn(rule.ruleArn().replaceAll("[0-9a-f]{16}$", "0000000000000000"))
                .conditions(c -> c.field("path-pattern").values("/c"))), "RuleNotFound")
                .isInstanceOf(RuleNotFoundException.class);
    }

    @Test
    void theDefaultRuleTakesNewActionsButNoConditionsAndCannotBeDeleted() {
        String defaultRule = elb.describeRules(b -> b.listenerArn(listener)).rules().get(0).ruleArn();

        elb.modifyRule(b -> b.ruleArn(defaultRule).actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(green)));

        assertThat(elb.describeListeners(b -> b.listenerArns(listener)).listeners().get(0).defaultActions().get(0)
                .targetGroupArn()).isEqualTo(green);
        assertElbError(() -> elb.modifyRule(b -> b.ruleArn(defaultRule)
                .conditions(c -> c.field("path-pattern").values("/x"))), "OperationNotPermitted");
        assertElbError(() -> elb.deleteRule(b -> b.ruleArn(defaultRule)), "OperationNotPermitted")
                .isInstanceOf(OperationNotPermittedException.class);
        assertElbError(() -> elb.setRulePriorities(b -> b.rulePriorities(p -> p.ruleArn(defaultRule).priority(5))),
                "OperationNotPermitted");
    }

    @Test
    void deleteRuleRemovesIt() {
        Rule rule = createPathRule(10, "/a/*", green);

        elb.deleteRule(b -> b.ruleArn(rule.ruleArn()));

        assertThat(elb.describeRules(b -> b.listenerArn(listener)).rules()).hasSize(1);
        assertElbError(() -> elb.deleteRule(b -> b.ruleArn(rule.ruleArn())), "RuleNotFound");
        assertElbError(() -> elb.describeRules(b -> b.ruleArns(rule.ruleArn())), "RuleNotFound");
    }

    @Test
    void setRulePrioritiesSwapsPrioritiesAtomicallyAndRejectsConflicts() {
        Rule a = createPathRule(10, "/a", blue);
        Rule b = createPathRule(20, "/b", green);
        Rule c = createPathRule(30, "/c", green);

        List<Rule> changed = elb.setRulePriorities(r -> r.rulePriorities(
                p -> p.ruleArn(a.ruleArn()).priority(20), p -> p.ruleArn(b.ruleArn()).priority(10))).rules();

        assertThat(changed).extracting(Rule::priority).containsExactly("20", "10");
        assertThat(elb.describeRules(r -> r.listenerArn(listener)).rules()).extracting(Rule::ruleArn)
                .containsExactly(b.ruleArn(), a.ruleArn(), c.ruleArn(),
                        elb.describeRules(r -> r.listenerArn(listener)).rules().get(3).ruleArn());
        assertElbError(() -> elb.setRulePriorities(r -> r.rulePriorities(p -> p.ruleArn(a.ruleArn()).priority(30))),
                "PriorityInUse");
        assertElbError(() -> elb.setRulePriorities(r -> r.rulePriorities(p -> p.ruleArn(a.ruleArn()).priority(5),
                p -> p.ruleArn(b.ruleArn()).priority(5))), "ValidationError");
        assertThat(elb.describeRules(r -> r.ruleArns(a.ruleArn())).rules().get(0).priority()).isEqualTo("20");
    }
}

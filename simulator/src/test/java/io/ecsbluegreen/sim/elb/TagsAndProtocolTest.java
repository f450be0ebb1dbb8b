package io.ecsbluegreen.sim.elb;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.sim.RawHttp;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DuplicateTagKeysException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TagDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TooManyTagsException;

/** AddTags, RemoveTags, DescribeTags on every resource kind, and Query-protocol details on the wire. */
class TagsAndProtocolTest extends ElbFixture {

    private static Map<String, String> asMap(TagDescription description) {
        return description.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value));
    }

    @Test
    void tagsCanBeAddedRemovedAndDescribedOnLoadBalancersTargetGroupsListenersAndRules() {
        String lb = createLoadBalancer("demo").loadBalancerArn();
        String tg = createTargetGroup("blue").targetGroupArn();
        String listener = createListener(lb, 80, tg).listenerArn();
        String rule = elb.createRule(b -> b.listenerArn(listener).priority(1)
                .conditions(c -> c.field("path-pattern").values("/x")).actions(a -> a.type("forward").targetGroupArn(tg))
                .tags(t -> t.key("kind").value("rule"))).rules().get(0).ruleArn();
        String defaultRule = elb.describeRules(b -> b.listenerArn(listener)).rules().get(1).ruleArn();
        List<String> all = List.of(lb, tg, listener, rule, defaultRule);

        elb.addTags(b -> b.resourceArns(all).tags(t -> t.key("team").value("web"), t -> t.key("env").value("dev")));
        elb.addTags(b -> b.resourceArns(tg).tags(t -> t.key("env").value("prod")));
        elb.removeTags(b -> b.resourceArns(lb, listener).tagKeys("env"));

        List<TagDescription> described = elb.describeTags(b -> b.resourceArns(all)).tagDescriptions();
        assertThat(described).extracting(TagDescription::resourceArn).containsExactlyElementsOf(all);
        assertThat(asMap(described.get(0))).containsExactlyInAnyOrderEntriesOf(Map.of("team", "web"));
        assertThat(asMap(described.get(1))).containsExactlyInAnyOrderEntriesOf(Map.of("team", "web", "env", "prod"));
        assertThat(asMap(described.get(2))).containsExactlyInAnyOrderEntriesOf(Map.of("team", "web"));
        assertThat(asMap(described.get(3)))
                .containsExactlyInAnyOrderEntriesOf(Map.of("kind", "rule", "team", "web", "env", "dev"));
        assertThat(asMap(described.get(4))).containsExactlyInAnyOrderEntriesOf(Map.of("team", "web", "env", "dev"));
    }

    @Test
    void taggingUnknownResourcesFailsWithTheirKindsNotFoundError() {
        String lb = createLoadBalancer("demo").loadBalancerArn();
        String tg = createTargetGroup("blue").targetGroupArn();
        String listener = createListener(lb, 80, tg).listenerArn();
        String zeros = "0000000000000000";

        assertElbError(() -> elb.describeTags(b -> b.resourceArns(lb.replaceAll("[0-9a-f]{16}$", zeros))),
                "LoadBalancerNotFound");
        assertElbError(() -> elb.addTags(b -> b.resourceArns(tg.replaceAll("[0-9a-f]{16}$", zeros))
                .tags(t -> t.key("k").value("v"))), "TargetGroupNotFound");
        assertElbError(() -> elb.removeTags(b -> b.resourceArns(listener.replaceAll("[0-9a-f]{16}$", zeros))
                .tagKeys("k")), "ListenerNotFound");
        assertElbError(() -> elb.describeTags(b -> b.resourceArns(
                listener.replace(":listener/", ":listener-rule/") + "/" + zeros)), "RuleNotFound");
        assertElbError(() -> elb.describeTags(b -> b.resourceArns("arn:aws:s3:::bucket")), "ValidationError");
    }

    @Test
    void tagsAreLimitedToFiftyWithUniqueKeys() {
        String tg = createTargetGroup("blue").targetGroupArn();
        Tag[] fifty = new Tag[50];
        for (int i = 0; i < fifty.length; i++) {
            fifty[i] = Tag.builder().key("k" + i).value("v").build();
        }
        elb.addTags(b -> b.resourceArns(tg).tags(fifty));

        assertElbError(() -> elb.addTags(b -> b.resourceArns(tg).tags(t -> t.key("one-more").value("v"))), "TooManyTags")
                .isInstanceOf(TooManyTagsException.class);
        assertElbError(() -> elb.addTags(b -> b.resourceArns(tg).tags(t -> t.key("k0").value("a"),
                t -> t.key("k0").value("b"))), "DuplicateTagKeys").isInstanceOf(DuplicateTagKeysException.class);
    }

    @Test
    void anUnsignedQueryRequestIsRoutedByItsActionAndAnsweredInTheElbv2Namespace() {
        createLoadBalancer("demo");

        HttpResponse<String> response = new RawHttp(sim).query(null, "Action=DescribeLoadBalancers&Version=2015-12-01");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/xml");
        assertThat(response.body()).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                        + "<DescribeLoadBalancersResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/\">"
                        + "<DescribeLoadBalancersResult><LoadBalancers><member><LoadBalancerArn>")
                .contains("<LoadBalancerName>demo</LoadBalancerName>")
                .contains("<ResponseMetadata><RequestId>");
    }

    @Test
    void errorsUseTheQueryProtocolErrorDocument() {
        HttpResponse<String> response = new RawHttp(sim).query("elasticloadbalancing",
                "Action=DescribeTargetGroups&Version=2015-12-01&Names.member.1=nope");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains(
                "<ErrorResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/\"><Error>"
                        + "<Type>Sender</Type><Code>TargetGroupNotFound</Code>"
                        + "<Message>One or more target groups not found</Message></Error><RequestId>");
        assertThat(new RawHttp(sim).query("elasticloadbalancing", "Action=DescribeSSLPolicies&Version=2015-12-01")
                .body()).contains("<Code>InvalidAction</Code>");
    }

    @Test
    void describeCallsCountInStatisticsAndShareAThrottlingBucket() {
        sim.throttling().set(io.ecsbluegreen.sim.ThrottleRule.of("elb-describe", "elasticloadbalancing:Describe*", 2, 10));

        elb.describeLoadBalancers();
        elb.describeTargetGroups();

        assertElbError(() -> elb.describeListeners(b -> b.loadBalancerArn("arn:x")), "Throttling");
        assertThat(sim.stats().calls("elasticloadbalancing", "DescribeLoadBalancers")).isEqualTo(1);
        assertThat(sim.stats().throttled("elasticloadbalancing", "DescribeListeners")).isEqualTo(1);
    }
}

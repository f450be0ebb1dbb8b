package io.ecsbluegreen.sim.elb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeLoadBalancersResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DuplicateLoadBalancerNameException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.IpAddressType;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerSchemeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerStateEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.OperationNotPermittedException;

/** CreateLoadBalancer, DescribeLoadBalancers, DeleteLoadBalancer and load balancer attributes through the SDK. */
class LoadBalancerApiTest extends ElbFixture {

    @Test
    void createLoadBalancerAnswersAnActiveApplicationLoadBalancerWithAnArnInTheSigningRegion() {
        try (ElasticLoadBalancingV2Client euElb = ElbClients.elb(sim, Region.EU_WEST_1)) {
            LoadBalancer lb = euElb.createLoadBalancer(b -> b.name("web-1").subnets("subnet-a", "subnet-b")
                    .securityGroups("sg-0123456789abcdef0").scheme(LoadBalancerSchemeEnum.INTERNAL)
                    .tags(t -> t.key("team").value("web"))).loadBalancers().get(0);

            assertThat(lb.loadBalancerArn())
                    .matches("arn:aws:elasticloadbalancing:eu-west-1:000000000000:loadbalancer/app/web-1/[0-9a-f]{16}");
            assertThat(lb.loadBalancerName()).isEqualTo("web-1");
            assertThat(lb.dnsName()).isEqualTo("127.0.0.1");
            assertThat(lb.type()).isEqualTo(LoadBalancerTypeEnum.APPLICATION);
            assertThat(lb.scheme()).isEqualTo(LoadBalancerSchemeEnum.INTERNAL);
            assertThat(lb.state().code()).isEqualTo(LoadBalancerStateEnum.ACTIVE);
            assertThat(lb.ipAddressType()).isEqualTo(IpAddressType.IPV4);
            assertThat(lb.createdTime()).isEqualTo(START);
            assertThat(lb.vpcId()).startsWith("vpc-");
            assertThat(lb.securityGroups()).containsExactly("sg-0123456789abcdef0");
            assertThat(lb.availabilityZones()).extracting(z -> z.zoneName() + "/" + z.subnetId())
                    .containsExactly("eu-west-1a/subnet-a", "eu-west-1b/subnet-b");
            assertThat(euElb.describeTags(b -> b.resourceArns(lb.loadBalancerArn())).tagDescriptions().get(0).tags())
                    .extracting(t -> t.key() + "=" + t.value()).containsExactly("team=web");
        }
    }

    @Test
    void createLoadBalancerIsIdempotentForTheSameSettingsAndRejectsTheSameNameWithOthers() {
        LoadBalancer first = createLoadBalancer("web");

        assertThat(createLoadBalancer("web").loadBalancerArn()).isEqualTo(first.loadBalancerArn());
        assertElbError(() -> elb.createLoadBalancer(b -> b.name("web").subnets("subnet-x", "subnet-y")),
                "DuplicateLoadBalancerName")
                .isInstanceOf(DuplicateLoadBalancerNameException.class)
                .hasMessageContaining("A load balancer with the same name 'web' exists, but with different settings");
    }

    @Test
    void createLoadBalancerValidatesNameSubnetsAndType() {
        assertElbError(() -> elb.createLoadBalancer(b -> b.name("-web").subnets("s-1", "s-2")), "ValidationError")
                .hasMessageContaining("cannot begin or end with '-'");
        assertElbError(() -> elb.createLoadBalancer(b -> b.name("web_1").subnets("s-1", "s-2")), "ValidationError")
                .hasMessageContaining("alphanumeric characters or hyphens");
        assertElbError(() -> elb.createLoadBalancer(b -> b.name("a".repeat(33)).subnets("s-1", "s-2")),
                "ValidationError").hasMessageContaining("cannot be longer than '32' characters");
        assertElbError(() -> elb.createLoadBalancer(b -> b.name("internal-web").subnets("s-1", "s-2")),
                "ValidationError").hasMessageContaining("cannot begin with 'internal-'");
        assertElbError(() -> elb.createLoadBalancer(b -> b.name("web").subnets("s-1")), "ValidationError")
                .hasMessageContaining("At least two subnets in two different Availability Zones");
        assertElbError(() -> elb.createLoadBalancer(b -> b.name("web").subnets("s-1", "s-1")),
                "InvalidConfigurationRequest");
        assertElbError(() -> elb.createLoadBalancer(b -> b.name("web").subnets("s-1", "s-2")
                .type(LoadBalancerTypeEnum.NETWORK)), "InvalidConfigurationRequest");
        assertElbError(() -> elb.createLoadBalancer(b -> b.name("web").subnets("s-1", "s-2").scheme("public")),
                "ValidationError").hasMessageContaining("Member must satisfy enum value set");
    }

    @Test
    void createLoadBalancerStopsAtFiftyLoadBalancers() {
        for (int i = 0; i < ElbStore.MAX_LOAD_BALANCERS; i++) {
            createLoadBalancer("lb-" + i);
        }

        assertElbError(() -> createLoadBalancer("one-too-many"), "TooManyLoadBalancers");
    }

    @Test
    void describeLoadBalancersFindsByArnsOrNamesAndReportsThoseNotFound() {
        LoadBalancer web = createLoadBalancer("web");
        LoadBalancer api = createLoadBalancer("api");

        assertThat(elb.describeLoadBalancers().loadBalancers()).extracting(LoadBalancer::loadBalancerName)
                .containsExactly("web", "api");
        assertThat(elb.describeLoadBalancers(b -> b.loadBalancerArns(api.loadBalancerArn())).loadBalancers())
                .extracting(LoadBalancer::loadBalancerArn).containsExactly(api.loadBalancerArn());
        assertThat(elb.describeLoadBalancers(b -> b.names("web")).loadBalancers())
                .extracting(LoadBalancer::loadBalancerArn).containsExactly(web.loadBalancerArn());

        assertElbError(() -> elb.describeLoadBalancers(b -> b.names("web", "nope")), "LoadBalancerNotFound")
                .isInstanceOf(LoadBalancerNotFoundException.class).hasMessageContaining("Load balancers '[nope]' not found");
        String missing = web.loadBalancerArn().replaceAll("[0-9a-f]{16}$", "0000000000000000");
        assertElbError(() -> elb.describeLoadBalancers(b -> b.loadBalancerArns(missing)), "LoadBalancerNotFound")
                .hasMessageContaining("One or more load balancers not found");
        assertElbError(() -> elb.describeLoadBalancers(b -> b.loadBalancerArns("arn:nope")), "ValidationError")
                .hasMessageContaining("'arn:nope' is not a valid load balancer ARN");
    }

    @Test
    void describeLoadBalancersPagesWithMarkerAndPageSize() {
        for (int i = 0; i < 7; i++) {
            createLoadBalancer("lb-" + i);
        }

        List<String> names = new ArrayList<>();
        String marker = null;
        int pages = 0;
        do {
            String current = marker;
            DescribeLoadBalancersResponse page = elb.describeLoadBalancers(b -> b.pageSize(3).marker(current));
            page.loadBalancers().forEach(lb -> names.add(lb.loadBalancerName()));
            marker = page.nextMarker();
            pages++;
        } while (marker != null && pages < 10);

        assertThat(pages).isEqualTo(3);
        assertThat(names).containsExactly("lb-0", "lb-1", "lb-2", "lb-3", "lb-4", "lb-5", "lb-6");
        assertThat(elb.describeLoadBalancersPaginator(b -> b.pageSize(2)).loadBalancers()).hasSize(7);
        assertElbError(() -> elb.describeLoadBalancers(b -> b.pageSize(401)), "ValidationError");
        assertElbError(() -> elb.describeLoadBalancers(b -> b.marker("not-a-marker")), "ValidationError");
    }

    @Test
    void deleteLoadBalancerRemovesItAndItsListenersAndSucceedsWhenAlreadyGone() {
        LoadBalancer lb = createLoadBalancer("web");
        String tg = createTargetGroup("blue").targetGroupArn();
        String listener = createListener(lb.loadBalancerArn(), 80, tg).listenerArn();

        elb.deleteLoadBalancer(b -> b.loadBalancerArn(lb.loadBalancerArn()));
        elb.deleteLoadBalancer(b -> b.loadBalancerArn(lb.loadBalancerArn()));

        assertThat(elb.describeLoadBalancers().loadBalancers()).isEmpty();
        assertElbError(() -> elb.describeListeners(b -> b.listenerArns(listener)), "ListenerNotFound");
        assertThat(elb.describeTargetGroups(b -> b.targetGroupArns(tg)).targetGroups().get(0).loadBalancerArns())
                .isEmpty();
        elb.deleteTargetGroup(b -> b.targetGroupArn(tg));
    }

    @Test
    void loadBalancerAttributesHaveAwsDefaultsAndDeletionProtectionBlocksDeletion() {
        String arn = createLoadBalancer("web").loadBalancerArn();

        assertThat(elb.describeLoadBalancerAttributes(b -> b.loadBalancerArn(arn)).attributes())
                .extracting(a -> a.key() + "=" + a.value())
                .contains("deletion_protection.enabled=false", "idle_timeout.timeout_seconds=60",
                        "routing.http2.enabled=true");

        elb.modifyLoadBalancerAttributes(b -> b.loadBalancerArn(arn)
                .attributes(a -> a.key("deletion_protection.enabled").value("true")));

        assertElbError(() -> elb.deleteLoadBalancer(b -> b.loadBalancerArn(arn)), "OperationNotPermitted")
                .isInstanceOf(OperationNotPermittedException.class).hasMessageContaining("deletion protection");
        assertElbError(() -> elb.modifyLoadBalancerAttributes(b -> b.loadBalancerArn(arn)
                .attributes(a -> a.key("idle_timeout.timeout_seconds").value("5000"))), "ValidationError");
        assertElbError(() -> elb.modifyLoadBalancerAttributes(b -> b.loadBalancerArn(arn)
                .attributes(a -> a.key("no.such.attribute").value("1"))), "ValidationError");
    }
}

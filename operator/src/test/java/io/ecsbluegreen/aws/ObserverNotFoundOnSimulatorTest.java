package io.ecsbluegreen.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.aws.SdkEcsPort;
import io.ecsbluegreen.aws.SdkElbPort;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.plan.Revision;
import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.seed.SeedApplier;
import io.ecsbluegreen.sim.seed.SeedLoader;
import io.ecsbluegreen.spec.SpecParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;

/**
 * ELBv2 fails a whole DescribeRules, DescribeListeners or DescribeTargetGroups call when one ARN or name
 * in it does not exist: one service whose rule was deleted must not stop the observation of the others.
 */
class ObserverNotFoundOnSimulatorTest {
    static final String PRODUCTION_LISTENER =
            "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/demo/5f2b3c4d5e6f7a8b/1a2b3c4d5e6f7081";
    static final String SEEDED_RULE =
            "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/demo/5f2b3c4d5e6f7a8b/1a2b3c4d5e6f7081/00000000000000c1";

    AwsSimulator sim;
    ElasticLoadBalancingV2Client elb;
    EcsClient ecs;
    Observer observer;
    final List<String> rules = new ArrayList<>();
    final List<Observer.Subject> subjects = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        sim = AwsSimulator.start();
        SeedApplier.apply(SeedLoader.load("seed", Files.readAllBytes(Path.of("../examples/simulator/seed.yaml"))).seed().withoutCommands().withoutEvents(), sim);
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"));
        elb = ElasticLoadBalancingV2Client.builder().endpointOverride(sim.endpoint()).region(Region.US_EAST_1).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
        ecs = EcsClient.builder().endpointOverride(sim.endpoint()).region(Region.US_EAST_1).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
        observer = new Observer(new SdkEcsPort(ecs), new SdkElbPort(elb));
        String blue = elb.describeTargetGroups(r -> r.names("orders-blue")).targetGroups().get(0).targetGroupArn();
        String yaml = Files.readString(Path.of("../examples/strategies/linear.yaml"));
        for (int i = 0; i < 20; i++) {
            String host = "svc" + i + ".example.com";
            int priority = 100 + i;
            String rule = elb.createRule(b -> b.listenerArn(PRODUCTION_LISTENER).priority(priority)
                    .conditions(c -> c.field("host-header").hostHeaderConfig(h -> h.values(host)))
                    .actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(blue))).rules().get(0).ruleArn();
            rules.add(rule);
            subjects.add(subject(i, yaml.replace(SEEDED_RULE, rule)));
        }
    }

    static Observer.Subject subject(int i, String yaml) throws Exception {
        String service = yaml.replace("name: orders", "name: svc" + i).replace("service: orders", "service: svc" + i);
        BlueGreenService s = new SpecParser().parse("svc" + i + ".yaml", service.getBytes(StandardCharsets.UTF_8)).services().get(0).service();
        return new Observer.Subject(s.name(), s.spec(), Revision.of(s.spec()));
    }

    @AfterEach
    void stop() {
        elb.close();
        ecs.close();
        sim.close();
    }

    @Test
    void oneDeletedRuleIsReportedForItsServiceAndTheOtherNineteenAreObserved() {
        elb.deleteRule(r -> r.ruleArn(rules.get(7)));
        sim.resetStats();

        Map<String, Observer.Result> results = observer.observe(subjects);

        assertThat(results).hasSize(20);
        assertThat(results.get("svc7").problem()).isEqualTo("production rule " + rules.get(7) + " not found");
        assertThat(results.get("svc7").observed()).isNull();
        results.forEach((name, result) -> {
            if (name.equals("svc7")) return;
            assertThat(result.problem()).as(name).isNull();
            assertThat(result.observed().production().arn()).as(name).isEqualTo(rules.get(Integer.parseInt(name.substring(3))));
        });
        // Twenty rules and the shared test rule: a batch of 20 that fails, halves until the missing rule
        // stands alone, and a batch of one.
        long first = sim.stats().calls("elasticloadbalancing", "DescribeRules");
        assertThat(first).isBetween(3L, 12L);

        sim.resetStats();
        Map<String, Observer.Result> again = observer.observe(subjects);

        assertThat(again.get("svc7").problem()).isEqualTo("production rule " + rules.get(7) + " not found");
        assertThat(again.values()).filteredOn(r -> r.problem() == null).hasSize(19);
        // The missing rule is asked alone from now on: the other twenty fit one call that succeeds.
        assertThat(sim.stats().calls("elasticloadbalancing", "DescribeRules")).isEqualTo(2);
    }

    @Test
    void aMissingTargetGroupNameIsReportedForItsServiceOnly() throws Exception {
        List<Observer.Subject> all = new ArrayList<>(subjects);
        all.set(3, subject(3, Files.readString(Path.of("../examples/strategies/linear.yaml")).replace(SEEDED_RULE, rules.get(3))
                .replace("greenTargetGroup: orders-green", "greenTargetGroup: orders-grene")));

        Map<String, Observer.Result> results = observer.observe(all);

        assertThat(results.get("svc3").problem()).isEqualTo("target group orders-grene not found");
        assertThat(results.values()).filteredOn(r -> r.problem() == null).hasSize(19);
    }
}

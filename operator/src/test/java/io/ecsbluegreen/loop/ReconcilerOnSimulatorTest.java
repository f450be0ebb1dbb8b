package io.ecsbluegreen.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.model.Phase;
import io.ecsbluegreen.plan.Revision;
import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.spec.SpecParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * The reconcile engine's core (observe, plan, act) against the simulator on simulated time: the greeter
 * from nothing to v1, then a canary to v2, then blue's retention running out.
 */
class ReconcilerOnSimulatorTest {
    static final String PROD = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/demo/5f2b3c4d5e6f7a8b/1a2b3c4d5e6f7081";
    static final String BLUE = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/greeter-blue/0a00000000000001";
    static final String GREEN = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/greeter-green/0a00000000000002";

    SimAccount account;
    AwsSimulator sim;
    EcsClient ecs;
    ElasticLoadBalancingV2Client elb;
    Reconciler reconciler;

    @BeforeEach
    void start() throws Exception {
        account = new SimAccount();
        sim = account.sim;
        ecs = account.ecs;
        elb = account.elb;
        reconciler = account.reconciler();
    }

    @AfterEach
    void stop() {
        account.close();
    }

    static BlueGreenService greeter(String edit) throws Exception {
        String yaml = Files.readString(Path.of("../examples/greeter/greeter.yaml"));
        if (edit != null) yaml = yaml.replace("greeter:1.0.0", edit);
        return new SpecParser().parse("greeter.yaml", yaml.getBytes(StandardCharsets.UTF_8)).services().get(0).service();
    }

    /** Runs passes, advancing simulated time by each plan's requeue, until converged; returns the phases seen. */
    List<Phase> converge(BlueGreenService service) {
        List<Phase> phases = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Reconciler.Pass pass = reconciler.reconcile(service, Set.of());
            assertThat(pass.problem()).isNull();
            Phase phase = pass.plan().status().phase();
            if (phases.isEmpty() || phases.get(phases.size() - 1) != phase) phases.add(phase);
            if (pass.plan().status().converged() && pass.plan().actions().isEmpty()) return phases;
            Duration wait = pass.plan().requeueAfter() == null ? Duration.ofSeconds(30) : pass.plan().requeueAfter();
            sim.clock().advance(wait.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : wait);
        }
        throw new AssertionError("did not converge; phases " + phases);
    }

    int productionPercentTo(String tg) {
        var tuples = elb.describeListeners(r -> r.listenerArns(PROD)).listeners().get(0).defaultActions().get(0).forwardConfig().targetGroups();
        int total = tuples.stream().mapToInt(t -> t.weight()).sum();
        return tuples.stream().filter(t -> t.targetGroupArn().equals(tg)).mapToInt(t -> t.weight()).sum() * 100 / total;
    }

    @Test
    void trafficThroughTheListenerShowsUpInCloudWatchTargetGroupMetrics() throws Exception {
        sim.imageBehaviours().set("ghcr.io/ecsbluegreen/greeter:1.0.0", io.ecsbluegreen.sim.spi.ImageBehaviour.erroring(0.5));
        converge(greeter(null));
        var listener = elb.describeListeners(r -> r.listenerArns(PROD)).listeners().get(0);
        var lb = elb.describeLoadBalancers(r -> r.loadBalancerArns(listener.loadBalancerArn())).loadBalancers().get(0);
        java.net.URI url = java.net.URI.create("http://" + lb.dnsName() + ":" + listener.port() + "/");
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        int errors = 0;
        for (int i = 0; i < 40; i++) {
            int status = http.send(java.net.http.HttpRequest.newBuilder(url).build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status >= 500) errors++;
        }
        java.time.Instant now = sim.clock().instant();
        sim.clock().advance(Duration.ofMinutes(1));
        try (var cw = software.amazon.awssdk.services.cloudwatch.CloudWatchClient.builder().endpointOverride(sim.endpoint())
                .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            var dimension = software.amazon.awssdk.services.cloudwatch.model.Dimension.builder().name("TargetGroup")
                    .value("targetgroup/greeter-blue/0a00000000000001").build();
            var result = cw.getMetricData(r -> r.startTime(now.minus(Duration.ofMinutes(5))).endTime(now.plus(Duration.ofMinutes(5)))
                    .metricDataQueries(
                            q -> q.id("requests").metricStat(m -> m.metric(x -> x.namespace("AWS/ApplicationELB").metricName("RequestCount")
                                    .dimensions(dimension)).period(600).stat("Sum")),
                            q -> q.id("errors").metricStat(m -> m.metric(x -> x.namespace("AWS/ApplicationELB")
                                    .metricName("HTTPCode_Target_5XX_Count").dimensions(dimension)).period(600).stat("Sum"))));
            var byId = new java.util.HashMap<String, Double>();
            result.metricDataResults().forEach(d -> byId.put(d.id(), d.values().stream().mapToDouble(Double::doubleValue).sum()));
            assertThat(byId.get("requests")).isEqualTo(40.0);
            assertThat(byId.get("errors")).isEqualTo((double) errors);
            assertThat(errors).as("about half, from a 0.5 error rate").isBetween(5, 35);
        }
    }

    @Test
    void theGreeterIsCreatedThenRolledOutAsACanaryThenBlueExpires() throws Exception {
        BlueGreenService v1 = greeter(null);
        List<Phase> first = converge(v1);
        assertThat(first).startsWith(Phase.Deploying).endsWith(Phase.Steady);
        var taskSets = sim.ecs().taskSets("demo", "greeter");
        assertThat(taskSets).hasSize(1);
        assertThat(taskSets.get(0).status()).isEqualTo("PRIMARY");
        assertThat(taskSets.get(0).externalId()).isEqualTo(Revision.of(v1.spec()).id());
        assertThat(taskSets.get(0).targetGroupArn()).isEqualTo(BLUE);
        assertThat(productionPercentTo(BLUE)).isEqualTo(100);

        BlueGreenService v2 = greeter("ghcr.io/ecsbluegreen/greeter:2.0.0");
        List<Phase> rollout = converge(v2);
        assertThat(rollout).containsSubsequence(Phase.Deploying, Phase.TestTraffic, Phase.Shifting, Phase.Baking, Phase.Steady);
        taskSets = sim.ecs().taskSets("demo", "greeter");
        assertThat(taskSets).extracting(t -> t.externalId() + "/" + t.status()).containsExactlyInAnyOrder(
                Revision.of(v2.spec()).id() + "/PRIMARY", Revision.of(v1.spec()).id() + "/ACTIVE");
        assertThat(productionPercentTo(GREEN)).isEqualTo(100);

        sim.clock().advance(Duration.ofMinutes(15));
        converge(v2);
        assertThat(sim.ecs().taskSets("demo", "greeter")).extracting(t -> t.externalId())
                .containsExactly(Revision.of(v2.spec()).id());
    }
}

package io.ecsbluegreen.sim.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.elb.HealthCheck;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * Capacity of the simulator: 10,000 EXTERNAL services with 20,000 task sets (2 tasks each) must fit in
 * 512 MiB of heap. Prints figures; asserts only the counts. Run with
 * {@code ./mvnw test -Pbench -Dtest=SimulatorCapacityBenchmark} (the profile sets -Xmx512m).
 */
@Tag("benchmark")
class SimulatorCapacityBenchmark {
    static final int SERVICES = 10_000;

    @Test
    void tenThousandServicesWithTwentyThousandTaskSetsFitInHalfAGigabyte() throws Exception {
        long t0 = System.nanoTime();
        try (AwsSimulator sim = AwsSimulator.start();
             EcsClient ecs = EcsClient.builder().endpointOverride(sim.endpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                     .httpClient(UrlConnectionHttpClient.create()).build()) {
            System.out.printf("simulator start-up: %d ms%n", sim.startupTime().toMillis());
            sim.elb().targetGroupQuota(2 * SERVICES);
            EcsStore store = sim.ecs();
            ObjectMapper json = new ObjectMapper();
            store.createCluster("us-east-1", "bench");
            EcsStore.Cluster cluster = store.cluster("bench");
            HealthCheck check = HealthCheck.defaults("HTTP");
            List<EcsStore.TaskDef> defs = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                ObjectNode request = json.createObjectNode().put("family", "app" + i).put("networkMode", "awsvpc");
                request.putArray("containerDefinitions").addObject().put("name", "web").put("image", "app:" + i)
                        .putArray("portMappings").addObject().put("containerPort", 8080);
                defs.add(store.registerTaskDefinition("us-east-1", "app" + i, request, Map.of()));
            }
            ObjectNode network = json.createObjectNode();
            network.putObject("awsvpcConfiguration").putArray("subnets").add("subnet-0a1b2c3d4e5f60718");
            for (int i = 0; i < SERVICES; i++) {
                String blue = sim.elb().createTargetGroup("us-east-1", "b" + i, null, "HTTP", 8080, "ip", check).arn();
                String green = sim.elb().createTargetGroup("us-east-1", "g" + i, null, "HTTP", 8080, "ip", check).arn();
                EcsStore.Service service = store.createService(cluster, "svc" + i, "EXTERNAL", 2,
                        Map.of("ecsbluegreen.io/owner", "svc" + i), null);
                EcsStore.TaskDef td = defs.get(i % defs.size());
                for (String tg : List.of(blue, green)) {
                    store.createTaskSet(service, "us-east-1", "r-" + i, td, "FARGATE", null, null, network, tg, "web", 8080, 100,
                            null, network, Map.of("ecsbluegreen.io/revision", "r-" + i));
                }
            }
            long populated = System.nanoTime();
            sim.clock().advance(Duration.ofMinutes(5));
            // A full read through the API: every service described, ten per call, as an operator's resync does.
            int taskSets = 0;
            for (int i = 0; i < SERVICES; i += 10) {
                List<String> names = new ArrayList<>();
                for (int j = i; j < i + 10; j++) names.add("svc" + j);
                for (var s : ecs.describeServices(r -> r.cluster("bench").services(names)).services()) taskSets += s.taskSets().size();
            }
            long described = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(200);
            }
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            Map<String, Integer> counts = store.counts();
            System.out.printf("populated %d services, %d task sets, %d tasks in %d ms%n", counts.get("services"),
                    counts.get("taskSets"), counts.get("tasks"), (populated - t0) / 1_000_000);
            System.out.printf("full DescribeServices pass (%d calls): %d ms%n", SERVICES / 10, (described - populated) / 1_000_000);
            System.out.printf("heap used after GC: %.1f MiB (max %.0f MiB)%n", heap / 1048576.0,
                    Runtime.getRuntime().maxMemory() / 1048576.0);
            assertThat(counts.get("services")).isEqualTo(SERVICES);
            assertThat(taskSets).isEqualTo(2 * SERVICES);
        }
    }
}

package io.ecsbluegreen.sim.elb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.ecsbluegreen.sim.spi.ImageBehaviour;
import io.ecsbluegreen.sim.spi.SimTask;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;

/**
 * Traffic that keeps flowing while an operator moves weights, and the data plane's throughput. Prints the
 * figures it measures.
 */
class SteadyTrafficTest extends ElbFixture {

    /** Requests sent under each weight before the next one is set. */
    private static final int PER_STEP = 6;
    /** Bound of the client's loop. */
    private static final int MAX_REQUESTS = 2_000;
    private static final Duration EVERY = Duration.ofMillis(100);

    private SimTask task(String ip, String taskSet) {
        return new SimTask("arn:aws:ecs:us-east-1:000000000000:task/demo/" + ip.replace(".", ""), taskSet, ip,
                "greeter:1.0.0", Map.of(), sim.clock().instant(), ImageBehaviour.healthy());
    }

    private void setWeights(String listenerArn, String blue, int blueWeight, String green, int greenWeight) {
        elb.modifyListener(b -> b.listenerArn(listenerArn).defaultActions(a -> a.type(ActionTypeEnum.FORWARD)
                .forwardConfig(f -> f.targetGroups(t -> t.targetGroupArn(blue).weight(blueWeight),
                        t -> t.targetGroupArn(green).weight(greenWeight)))));
    }

    @Test
    void aClientSendingARequestEvery100MillisecondsSeesNoFailureWhileWeightsMoveFromBlueToGreen() throws Exception {
        String lb = createLoadBalancer("demo").loadBalancerArn();
        String blue = createTargetGroup("blue").targetGroupArn();
        String green = createTargetGroup("green").targetGroupArn();
        HttpServer realGreen = DataPlaneTest.echoServer();
        try {
            Listener listener = createListener(lb, 80, blue);
            sim.elb().register(blue, task("10.0.1.10", "ecs-svc/blue"), 8080);
            sim.elb().register(blue, task("10.0.1.11", "ecs-svc/blue"), 8080);
            elb.registerTargets(b -> b.targetGroupArn(green)
                    .targets(t -> t.id("127.0.0.1").port(realGreen.getAddress().getPort())));
            sim.clock().advance(Duration.ofSeconds(150));
            String url = "http://127.0.0.1:" + listener.port() + "/";

            HttpClient http = ElbClients.http();
            List<String> seen = Collections.synchronizedList(new ArrayList<>());
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger failures = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService client = Executors.newSingleThreadExecutor();
            // one request at a time, one every 100 ms at most, until told to stop (bounded)
            Future<?> traffic = client.submit(() -> {
                for (int i = 0; i < MAX_REQUESTS && !stop.get(); i++) {
                    long started = System.nanoTime();
                    try {
                        HttpResponse<String> response = ElbClients.get(http, url);
                        latencies.add(System.nanoTime() - started);
                        if (response.statusCode() != 200) {
                            failures.incrementAndGet();
                        }
                        seen.add(response.headers().firstValue("X-Sim-Target-Group").orElse("?"));
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                        seen.add("failed: " + e);
                    }
                    long rest = EVERY.toNanos() - (System.nanoTime() - started);
                    if (rest > 0) {
                        TimeUnit.NANOSECONDS.sleep(rest);
                    }
                }
                return null;
            });

            // each weight stays until the client has sent PER_STEP requests under it: counted, not timed
            int[] greenWeights = {0, 10, 25, 50, 75, 100};
            int lastSwitch = 0;
            for (int weight : greenWeights) {
                setWeights(listener.listenerArn(), blue, 100 - weight, green, weight);
                // a request in flight while the weights changed may have gone either way: skip it
                lastSwitch = seen.size() + 1;
                int until = lastSwitch + PER_STEP;
                await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() >= until);
            }
            stop.set(true);
            traffic.get(30, TimeUnit.SECONDS);
            client.shutdown();

            assertThat(failures.get()).as("failed requests: %s", seen).isZero();
            assertThat(seen).hasSizeGreaterThanOrEqualTo(greenWeights.length * PER_STEP).contains("blue", "green");
            assertThat(seen.get(0)).as("before any weight moved").isEqualTo("blue");
            assertThat(seen.subList(lastSwitch, seen.size())).as("after green took 100%%").isNotEmpty().containsOnly("green");
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("steady traffic: %d requests every %d ms, 0 failed, latency p50 %.2f ms, max %.2f ms%n",
                    seen.size(), EVERY.toMillis(), sorted[sorted.length / 2] / 1e6, sorted[sorted.length - 1] / 1e6);
        } finally {
            realGreen.stop(0);
        }
    }

    @Test
    void theDataPlaneServesConcurrentKeepAliveClientsWithoutErrors() throws Exception {
        String lb = createLoadBalancer("demo").loadBalancerArn();
        String blue = createTargetGroup("blue").targetGroupArn();
        String green = createTargetGroup("green").targetGroupArn();
        HttpServer realGreen = DataPlaneTest.echoServer();
        try {
            Listener listener = createListener(lb, 80, blue);
            setWeights(listener.listenerArn(), blue, 50, green, 50);
            sim.elb().register(blue, task("10.0.1.10", "ecs-svc/blue"), 8080);
            elb.registerTargets(b -> b.targetGroupArn(green)
                    .targets(t -> t.id("127.0.0.1").port(realGreen.getAddress().getPort())));
            String url = "http://127.0.0.1:" + listener.port() + "/";
            int clients = 4;
            int perClient = 250;
            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            long[][] latencies = new long[clients][perClient];
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            for (int warmup = 0; warmup < 50; warmup++) {
                ElbClients.get(ElbClients.http(), url);
            }

            long started = System.nanoTime();
            List<Future<?>> runs = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                runs.add(pool.submit(() -> {
                    HttpClient http = ElbClients.http();
                    for (int i = 0; i < perClient; i++) {
                        long t0 = System.nanoTime();
                        int status = ElbClients.get(http, url).statusCode();
                        latencies[client][i] = System.nanoTime() - t0;
                        statuses.computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get(60, TimeUnit.SECONDS);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            pool.shutdown();

            long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
            System.out.printf("data plane: %d requests from %d keep-alive clients in %.2f s = %.0f req/s; latency p50 "
                            + "%.2f ms, p99 %.2f ms (half simulated tasks in-process, half proxied to a loopback server)%n",
                    all.length, clients, seconds, all.length / seconds, all[all.length / 2] / 1e6,
                    all[(int) (all.length * 0.99)] / 1e6);
            assertThat(statuses.keySet()).containsOnly(200);
            assertThat(sim.elb().traffic(blue).requests() + sim.elb().traffic(green).requests())
                    .isEqualTo(clients * perClient + 50);
        } finally {
            realGreen.stop(0);
        }
    }
}

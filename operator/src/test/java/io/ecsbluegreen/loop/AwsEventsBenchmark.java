package io.ecsbluegreen.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.awsevents.AwsEventMetrics;
import io.ecsbluegreen.awsevents.EventConsumer;
import io.ecsbluegreen.desired.DesiredState;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.model.Phase;
import io.ecsbluegreen.sim.ApiAction;
import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.RequestLog;
import io.ecsbluegreen.sim.cloudwatch.AlarmState;
import io.ecsbluegreen.status.ServiceReport;
import io.ecsbluegreen.status.StatusBook;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * AWS events on the simulator: how long from something happening in AWS to the operator acting on it, and
 * what events save in AWS reads. Prints, in simulated time (the loop moves the clock 100 ms between
 * receives) and wall time (SQS receive, routing, wake, the pass and its AWS calls, all over HTTP):
 * <ul>
 *   <li>an alarm state change during a canary to production back on blue;
 *   <li>a task crash (StopTask) to the first DescribeServices of its service;
 *   <li>an S3 file change (the spec's object put, the bucket sending events to EventBridge) to the first AWS write;
 * </ul>
 * and AWS read calls per steady service per hour, events on (fallback resync 30 min) versus polling (resync 5 min).
 * What the simulator does not model: EventBridge's own delivery delay and the SQS long poll's wake-up (here a
 * receive without wait, once per loop). Assertions only on what happened, never on times.
 *
 * <p>{@code ./mvnw -B -o test -Pbench -pl operator -am -Dtest=AwsEventsBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Tag("benchmark")
class AwsEventsBenchmark {
        static final int SAMPLES = Integer.getInteger("bench.samples", 5);


    @Test
    void latenciesFromAnAlarmATaskCrashAndAnS3FileChangeToTheOperatorActing() throws Exception {
        System.out.printf("%n=== AWS events: latencies on the simulator (%d samples each, a fresh simulator each) ===%n", SAMPLES);
        List<EventRig.Latency> alarm = new ArrayList<>();
        List<EventRig.Latency> crash = new ArrayList<>();
        List<EventRig.Latency> file = new ArrayList<>();
        for (int sample = 0; sample < SAMPLES; sample++) {
            try (EventRig rig = new EventRig()) {
                rig.put("greeter:1.0.0");
                rig.sources.syncAll();
                rig.until(ServiceReport::converged);
                rig.settle();

                // A task crash to the first read of its service.
                rig.sim.requests().startRecording();
                String cluster = "arn:aws:ecs:us-east-1:000000000000:cluster/demo";
                String task = rig.account.ecs.listTasks(r -> r.cluster(cluster).serviceName("greeter")).taskArns().get(0);
                crash.add(rig.measure(() -> rig.account.ecs.stopTask(r -> r.cluster(cluster).task(task).reason("crashed in a benchmark")),
                        () -> first(rig, e -> e.api().equals(new ApiAction("ecs", "DescribeServices")) && e.excerpt().contains("greeter")) != null,
                        () -> "DescribeServices"));
                rig.until(ServiceReport::converged);
                rig.settle();

                // An S3 file change to the first AWS write.
                String r1 = rig.report().activeRevision();
                rig.sim.requests().startRecording();
                file.add(rig.measure(() -> {
                    try {
                        rig.put("greeter:2.0.0");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, () -> first(rig, AwsEventsBenchmark::awsWrite) != null, () -> first(rig, AwsEventsBenchmark::awsWrite).api().action()));

                // An alarm during the canary to production back on blue.
                ServiceReport shifting = rig.until(r -> r.phase() == Phase.Shifting);
                assertThat(shifting.productionWeights().get(r1)).isLessThan(100);
                rig.settle();
                alarm.add(rig.measure(() -> rig.sim.cloudwatch().setAlarmState(EventRig.ALARM, AlarmState.ALARM, "5xx above threshold"),
                        () -> Map.of(r1, 100).equals(rig.report().productionWeights()), () -> rig.report().phase().name()));
            }
        }
        print("alarm state change -> production back on blue", alarm);
        print("task crash (StopTask) -> first DescribeServices of its service", crash);
        print("S3 file change -> first AWS write", file);
    }

    @Test
    void awsReadCallsPerSteadyServicePerHourWithEventsAndWithPolling() throws Exception {
        int n = 100;
        int hours = 2;
        System.out.printf("%n=== AWS reads per steady service per hour, %d services, over %d simulated hours ===%n", n, hours);
        double polling = readsPerServiceHour(n, hours, false);
        double events = readsPerServiceHour(n, hours, true);
        System.out.printf("polling (resync 5 min): %.2f reads per service per hour; events (fallback resync 30 min): %.2f (%.1fx fewer)%n",
                polling, events, polling / events);
    }

    double readsPerServiceHour(int n, int hours, boolean events) throws Exception {
        try (AwsSimulator sim = AwsSimulator.start(); EngineBenchmark.Clients clients = new EngineBenchmark.Clients(sim);
             SqsClient sqs = SqsClient.builder().endpointOverride(sim.endpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                     .httpClient(UrlConnectionHttpClient.create()).overrideConfiguration(SimAccount.NO_RETRIES).build()) {
            EngineBenchmark.Fleet fleet = EngineBenchmark.populate(sim, n);
            List<BlueGreenService> specs = new ArrayList<>();
            for (int i = 0; i < n; i++) specs.add(EngineBenchmark.spec(i, fleet.ruleArns().get(i), "1.0.0"));
            AtomicReference<DesiredState> desired = new AtomicReference<>(EngineBenchmark.state(specs));
            StatusBook book = new StatusBook(sim.clock());
            Duration resync = events ? Duration.ofMinutes(30) : Duration.ofMinutes(5);
            // The operator's defaults otherwise, the health watch included.
            Engine engine = clients.engine(sim, desired, book, new Engine.Settings(4, 20, resync, 20, 100, Engine.Settings.DEFAULT.backoff(),
                    Engine.Settings.HEALTH_WATCH));
            String queueUrl = events ? sim.events().routeTo("us-east-1", "bluegreen-events") : null;
            AwsEventMetrics metrics = new AwsEventMetrics(new SimpleMeterRegistry());
            EventConsumer consumer = !events ? null : EventRig.consumer(sqs, queueUrl, desired::get, List::of, engine::enqueue, id -> { }, metrics);
            engine.desiredChanged(desired.get());
            EngineBenchmark.converge(sim, engine, book, n, Duration.ofSeconds(5), 400);
            // Settle: the deployments' last passes and the drained blue task sets are behind us.
            Duration tick = Duration.ofSeconds(10);
            for (int i = 0; i < 60; i++) {
                if (consumer != null && i % 2 == 0) consumer.pollOnce();
                engine.drain(EngineBenchmark.MAX);
                sim.clock().advance(tick);
            }
            sim.resetStats();
            double woke = metrics.count("woke");
            long passes = 0;
            for (int i = 0; i < hours * 360; i++) {
                // A receive every 20 s, as a long poll with the longest wait returns when nothing comes.
                if (consumer != null && i % 2 == 0) consumer.pollOnce();
                passes += engine.drain(EngineBenchmark.MAX);
                sim.clock().advance(tick);
            }
            Map<String, Long> reads = new TreeMap<>();
            long total = 0;
            for (var e : sim.stats().calls().entrySet()) {
                ApiAction a = e.getKey();
                if (a.service().equals("sqs")) continue;
                if (a.action().startsWith("Describe") || a.action().startsWith("List") || a.action().startsWith("Get")) {
                    reads.put(a.service() + ":" + a.action(), e.getValue());
                    total += e.getValue();
                }
            }
            long writes = sim.stats().calls().entrySet().stream().filter(e -> !e.getKey().service().equals("sqs"))
                    .filter(e -> !e.getKey().action().matches("(Describe|List|Get).*")).mapToLong(Map.Entry::getValue).sum();
            double perServiceHour = total / (double) n / hours;
            System.out.printf("%s: %d passes, %d AWS reads = %.2f per service per hour %s; writes %d; SQS receives %d (%.0f per hour, "
                            + "for the whole operator)%n", events ? "events, fallback resync 30 min" : "polling, resync 5 min", passes, total,
                    perServiceHour, reads, writes, sim.stats().calls("sqs", "ReceiveMessage"), sim.stats().calls("sqs", "ReceiveMessage") / (double) hours);
            if (events) System.out.printf("  events that woke a service meanwhile: %.0f%n", metrics.count("woke") - woke);
            assertThat(book.all()).allMatch(ServiceReport::converged);
            engine.close();
            return perServiceHour;
        }
    }

    static boolean awsWrite(RequestLog.Entry e) {
        String service = e.api().service();
        return (service.equals("ecs") || service.equals("elasticloadbalancing")) && !e.api().action().matches("(Describe|List|Get).*");
    }

    static RequestLog.Entry first(EventRig rig, Predicate<RequestLog.Entry> match) {
        for (RequestLog.Entry e : rig.sim.requests().recorded()) if (match.test(e)) return e;
        return null;
    }

    static void print(String label, List<EventRig.Latency> samples) {
        List<Long> simulated = samples.stream().map(EventRig.Latency::simulatedMillis).toList();
        List<Long> wall = samples.stream().map(EventRig.Latency::wallMillis).toList();
        System.out.printf("%s: simulated ms %s; wall ms %s (each: %s)%n", label, EngineBenchmark.spread(simulated), EngineBenchmark.spread(wall),
                samples.stream().map(l -> l.simulatedMillis() + "/" + l.wallMillis() + " " + l.what()).toList());
    }
}

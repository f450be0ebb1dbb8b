package io.ecsbluegreen.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.awsevents.AwsEventMetrics;
import io.ecsbluegreen.awsevents.EventConsumer;
import io.ecsbluegreen.desired.DesiredService;
import io.ecsbluegreen.desired.DesiredState;
import io.ecsbluegreen.desired.Origin;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.model.Phase;
import io.ecsbluegreen.plan.Revision;
import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.cloudwatch.AlarmState;
import io.ecsbluegreen.sim.spi.ImageBehaviour;
import io.ecsbluegreen.status.ServiceReport;
import io.ecsbluegreen.status.StatusBook;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * AWS events on the simulator: its ECS, CloudWatch and S3 send EventBridge events to an SQS queue, the
 * operator's consumer wakes the services they concern. The engine resyncs once an hour and its health
 * watch is off, so that only an event can explain a pass between two drains on a clock that stands still.
 */
class AwsEventsOnSimulatorTest {
    static final String ALARM = "catalog-5xx-high";

    SimAccount account;
    AwsSimulator sim;
    StatusBook book;
    Engine engine;
    SqsClient sqs;
    String queueUrl;
    EventConsumer consumer;
    AwsEventMetrics metrics;
    final AtomicReference<DesiredState> desired = new AtomicReference<>(DesiredState.EMPTY);

    @BeforeEach
    void start() throws Exception {
        account = new SimAccount();
        sim = account.sim;
        // SetAlarmState holds until the alarm's next evaluation; without datapoints that would undo it at once.
        sim.cloudwatch().alarmEvaluation(false);
        book = new StatusBook(sim.clock());
        Reconciler reconciler = account.reconciler();
        Engine.Settings settings = new Engine.Settings(4, 20, Duration.ofHours(1), 20, 100,
                new WorkQueue.Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5)), Duration.ZERO);
        engine = new Engine(desired::get, region -> reconciler, sim.clock(), settings, book, Engine.Ownership.ALL,
                (service, result, took, plan) -> { });
        queueUrl = sim.events().routeTo("us-east-1", "bluegreen-events");
        sqs = SqsClient.builder().endpointOverride(sim.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .httpClient(UrlConnectionHttpClient.create()).overrideConfiguration(SimAccount.NO_RETRIES).build();
        metrics = new AwsEventMetrics(new SimpleMeterRegistry());
        // No wait: the test polls between drains, so each receive answers what is there now.
        consumer = EventRig.consumer(sqs, queueUrl, desired::get, List::of, engine::enqueue, id -> { }, metrics);
    }

    @AfterEach
    void stop() {
        engine.close();
        sqs.close();
        account.close();
    }

    void declare(BlueGreenService s) {
        DesiredState state = new DesiredState(Map.of(s.name(), new DesiredService(s.name(), DesiredService.State.READY, s,
                new Origin("dir:examples", s.name() + ".yaml", 1, "v1", null), List.of())), List.of());
        desired.set(state);
        engine.desiredChanged(state);
    }

    /** Drains and advances simulated time a second at a time until the condition holds, consuming events as they come. */
    ServiceReport until(Predicate<ServiceReport> done) {
        for (int i = 0; i < 3600; i++) {
            consumer.pollOnce();
            engine.drain(1000);
            ServiceReport r = book.get("greeter").orElse(null);
            if (r != null && done.test(r)) return r;
            sim.clock().advance(Duration.ofSeconds(1));
        }
        throw new AssertionError("never reached the condition; last report " + book.get("greeter").orElse(null));
    }

    static BlueGreenService greeter(String image) throws Exception {
        return EngineOnSimulatorTest.parse("../examples/greeter/greeter.yaml", Map.of("greeter:1.0.0", image,
                "  strategy:\n", "  rollback:\n    alarms: [" + ALARM + "]\n  strategy:\n"));
    }

    /** Consumes what is queued now, on a clock that stands still; no pass may run without an event. */
    void settle() {
        for (int i = 0; i < 20 && (consumer.pollOnce() > 0 | engine.drain(1000) > 0); i++) {
            // bounded: until neither events nor passes are left
        }
        assertThat(engine.drain(1000)).as("nothing is queued without an event").isZero();
    }

    @Test
    void anAlarmStateChangeBringsProductionBackOnBlueWithoutWaitingForThePauseOrAPoll() throws Exception {
        BlueGreenService v1 = greeter("greeter:1.0.0");
        String r1 = Revision.of(v1.spec()).id();
        declare(v1);
        until(ServiceReport::converged);
        declare(greeter("greeter:2.0.0"));
        ServiceReport shifting = until(r -> r.phase() == Phase.Shifting);
        assertThat(shifting.productionWeights().get(r1)).isLessThan(100);
        settle();

        sim.cloudwatch().setAlarmState(ALARM, AlarmState.ALARM, "5xx above threshold");
        ServiceReport back = null;
        // The clock stands still: the canary's one-minute pause never ends and no resync comes in this loop.
        for (int i = 0; i < 20 && back == null; i++) {
            consumer.pollOnce();
            engine.drain(1000);
            ServiceReport r = book.get("greeter").orElseThrow();
            if (Map.of(r1, 100).equals(r.productionWeights())) back = r;
        }

        assertThat(back).as("production back on blue after the alarm's event alone").isNotNull();
        assertThat(back.phase()).isIn(Phase.RollingBack, Phase.RolledBack);
        assertThat(metrics.count("woke")).isPositive();
    }

    @Test
    void aTaskThatStopsWakesItsServiceWhichReadsEcsAtOnce() throws Exception {
        declare(greeter("greeter:1.0.0"));
        until(ServiceReport::converged);
        settle();
        long describesBefore = sim.stats().calls("ecs", "DescribeServices");

        String cluster = "arn:aws:ecs:us-east-1:000000000000:cluster/demo";
        String task = account.ecs.listTasks(r -> r.cluster(cluster).serviceName("greeter")).taskArns().get(0);
        account.ecs.stopTask(r -> r.cluster(cluster).task(task).reason("crashed in a test"));
        int handled = 0;
        for (int i = 0; i < 20 && handled == 0; i++) handled += consumer.pollOnce();
        engine.drain(1000);

        assertThat(handled).isPositive();
        assertThat(metrics.count("woke")).isPositive();
        assertThat(sim.stats().calls("ecs", "DescribeServices")).as("the woken pass read its service").isGreaterThan(describesBefore);
        assertThat(sim.sqs().depth(queueUrl)).as("handled messages are deleted").isZero();
    }

    @Test
    void theSimulatorsTaskStartImpairedServiceActionAloneWakesItsServiceWhichReadsEcsAtOnce() throws Exception {
        declare(greeter("greeter:1.0.0"));
        until(ServiceReport::converged);
        settle();
        // Its tasks now crash before their first health check passes: ECS warns that they cannot start.
        sim.imageBehaviours().set("ghcr.io/ecsbluegreen/greeter:1.0.0", ImageBehaviour.crashesAfter(Duration.ofSeconds(1)));
        String cluster = "arn:aws:ecs:us-east-1:000000000000:cluster/demo";
        String task = account.ecs.listTasks(r -> r.cluster(cluster).serviceName("greeter")).taskArns().get(0);
        account.ecs.stopTask(r -> r.cluster(cluster).task(task).reason("crashed in a test"));
        sim.clock().advance(Duration.ofMinutes(2));
        sim.ecs().syncAll();

        // Keep the simulator's SERVICE_TASK_START_IMPAIRED event alone in the queue: the task events would wake the service too.
        String impaired = null;
        for (int i = 0; i < 100; i++) {
            List<Message> got = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)).messages();
            if (got.isEmpty()) break;
            for (Message m : got) {
                if (m.body().contains("\"ECS Service Action\"") && m.body().contains("\"SERVICE_TASK_START_IMPAIRED\"")) impaired = m.body();
                sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
        assertThat(impaired).as("the simulator sent SERVICE_TASK_START_IMPAIRED").isNotNull();
        assertThat(engine.drain(1000)).as("nothing woke the service yet").isZero();
        String body = impaired;
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body));
        long describesBefore = sim.stats().calls("ecs", "DescribeServices");
        double wokeBefore = metrics.count("woke");

        assertThat(consumer.pollOnce()).isEqualTo(1);
        engine.drain(1000);

        assertThat(metrics.count("woke")).as("the event woke its service").isEqualTo(wokeBefore + 1);
        assertThat(sim.stats().calls("ecs", "DescribeServices")).as("the woken pass read its service").isGreaterThan(describesBefore);
        assertThat(sim.sqs().depth(queueUrl)).isZero();
    }

    @Test
    void anS3FileChangeReadsItsSourceAgainAndStartsTheRolloutWithoutWaitingForAPoll() throws Exception {
        try (EventRig rig = new EventRig()) {
            rig.put("greeter:1.0.0");
            rig.sources.syncAll();
            ServiceReport v1 = rig.until(ServiceReport::converged);
            rig.settle();
            long writes = ecsWrites(rig.sim);

            // The clock stands still and the source is never polled: only the object's event can explain what follows.
            rig.put("greeter:2.0.0");
            int handled = 0;
            for (int i = 0; i < 20 && handled == 0; i++) handled += rig.consumer.pollOnce();
            rig.engine.drain(1000);

            assertThat(handled).isPositive();
            String image = rig.store.current().service("greeter").orElseThrow().spec().spec().taskDefinition().containers().get(0).image();
            assertThat(image).endsWith("greeter:2.0.0");
            assertThat(rig.report().desiredRevision()).isNotEqualTo(v1.activeRevision());
            assertThat(ecsWrites(rig.sim)).as("2.0.0's task definition or green task set").isGreaterThan(writes);
        }
    }

    static long ecsWrites(AwsSimulator sim) {
        return sim.stats().calls("ecs", "RegisterTaskDefinition") + sim.stats().calls("ecs", "CreateTaskSet");
    }

    @Test
    void aMalformedOrUnknownEventIsCountedAndDroppedAndTheConsumerGoesOn() {
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody("this is not json"));
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody("{\"source\":\"aws.ec2\",\"detail-type\":\"EC2 Instance State-change Notification\",\"detail\":{}}"));
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody("{\"source\":\"aws.ecs\",\"detail-type\":\"ECS Task State Change\",\"detail\":{}}"));

        assertThat(consumer.pollOnce()).isEqualTo(3);

        assertThat(metrics.count("malformed")).isEqualTo(2);
        assertThat(metrics.count("unknown")).isEqualTo(1);
        assertThat(sim.sqs().depth(queueUrl)).isZero();
        assertThat(consumer.pollOnce()).isZero();
    }
}

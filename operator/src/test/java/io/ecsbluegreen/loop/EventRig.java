package io.ecsbluegreen.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.awsevents.AwsEventMetrics;
import io.ecsbluegreen.awsevents.EventConsumer;
import io.ecsbluegreen.desired.DesiredState;
import io.ecsbluegreen.desired.DesiredStateStore;
import io.ecsbluegreen.desired.SourceSync;
import io.ecsbluegreen.desired.SyncListener;
import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.source.DesiredStateSource;
import io.ecsbluegreen.source.SourceFactory;
import io.ecsbluegreen.spec.SpecParser;
import io.ecsbluegreen.status.ServiceReport;
import io.ecsbluegreen.status.StatusBook;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The operator's event path on one simulator: an S3 source whose bucket sends events, the desired-state
 * store feeding the engine (resync 30 min, the fallback while events flow; health watch off, so that
 * only an event explains a pass), and the consumer waking services and sources.
 */
final class EventRig implements AutoCloseable {
    static final String BUCKET = "bluegreen-specs";
    static final String KEY = "services/greeter.yaml";
    static final String ALARM = AwsEventsOnSimulatorTest.ALARM;
    /** Simulated time between two receives while measuring. */
    static final Duration STEP = Duration.ofMillis(100);

    /** One latency: simulated and wall, and what ended it. */
    record Latency(long simulatedMillis, long wallMillis, String what) {}

    final SimAccount account = new SimAccount();
    final AwsSimulator sim = account.sim;
    final StatusBook book = new StatusBook(sim.clock());
    final SqsClient sqs;
    final String queueUrl;
    final DesiredStateStore store;
    final SourceSync sources;
    final Engine engine;
    final EventConsumer consumer;

    EventRig() throws Exception {
        sim.cloudwatch().alarmEvaluation(false);
        queueUrl = sim.events().routeTo("us-east-1", "bluegreen-events");
        sim.s3().createBucket(BUCKET);
        sim.s3().sendEventsToEventBridge(BUCKET);
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"));
        sqs = SqsClient.builder().endpointOverride(sim.endpoint()).region(Region.US_EAST_1).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).overrideConfiguration(SimAccount.NO_RETRIES).build();
        DesiredStateSource source = new SourceFactory(Path.of("target/bench-git"), region -> S3Client.builder()
                .endpointOverride(sim.endpoint()).region(Region.US_EAST_1).credentialsProvider(credentials).forcePathStyle(true)
                .httpClient(UrlConnectionHttpClient.create()).overrideConfiguration(SimAccount.NO_RETRIES).build())
                .create("s3://" + BUCKET + "/services/");
        store = new DesiredStateStore(new SpecParser(), sim.clock(), List.of(source.id()));
        sources = new SourceSync(List.of(source), store, new SyncListener() {
            @Override
            public void register(String s) {
            }

            @Override
            public void synced(String s, boolean success) {
            }
        });
        Reconciler reconciler = account.reconciler();
        engine = new Engine(store::current, region -> reconciler, sim.clock(), new Engine.Settings(4, 20, Duration.ofMinutes(30), 20, 100,
                Engine.Settings.DEFAULT.backoff(), Duration.ZERO), book, Engine.Ownership.ALL, (service, result, took, plan) -> { });
        store.addListener(engine::desiredChanged);
        consumer = consumer(sqs, queueUrl, store::current, sources::sourceIds, engine::enqueue, sources::sync,
                new AwsEventMetrics(new SimpleMeterRegistry()));
    }

    /**
     * A consumer that receives without waiting (a test or benchmark receives between drains, so each receive
     * answers what is there now), waking services and sources through the given functions.
     */
    static EventConsumer consumer(SqsClient sqs, String queueUrl, Supplier<DesiredState> desired, Supplier<List<String>> sourceIds,
                                  Consumer<String> wakeService, Consumer<String> wakeSource, AwsEventMetrics metrics) {
        return new EventConsumer(sqs, new EventConsumer.Settings(queueUrl, Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1),
                "us-east-1"), desired, sourceIds, new EventConsumer.Wakes() {
                    @Override
                    public void service(String name) {
                        wakeService.accept(name);
                    }

                    @Override
                    public void source(String sourceId) {
                        wakeSource.accept(sourceId);
                    }

                    @Override
                    public void flowing(boolean flowing) {
                    }
                }, metrics);
    }

    /** The greeter example at an image, with the alarm as a rollback alarm, put in the bucket (an S3 event follows). */
    void put(String image) throws Exception {
        String yaml = Files.readString(Path.of("../examples/greeter/greeter.yaml")).replace("greeter:1.0.0", image)
                .replace("  strategy:\n", "  rollback:\n    alarms: [" + ALARM + "]\n  strategy:\n");
        sim.s3().putObject(BUCKET, KEY, yaml.getBytes(StandardCharsets.UTF_8));
    }

    ServiceReport report() {
        return book.get("greeter").orElse(null);
    }

    /** Consumes events and drains, a second of simulated time at a time, until the report matches; bounded. */
    ServiceReport until(Predicate<ServiceReport> done) {
        for (int i = 0; i < 3600; i++) {
            consumer.pollOnce();
            engine.drain(1000);
            ServiceReport r = report();
            if (r != null && done.test(r)) return r;
            sim.clock().advance(Duration.ofSeconds(1));
        }
        throw new AssertionError("never reached the condition; last report " + report());
    }

    /** Consumes what is queued now on a clock that stands still, until neither events nor passes are left. */
    void settle() {
        for (int i = 0; i < 20 && (consumer.pollOnce() > 0 | engine.drain(1000) > 0); i++) {
            // bounded
        }
        assertThat(engine.drain(1000)).as("nothing is queued without an event").isZero();
    }

    /**
     * Runs {@code cause}, then receives, drains and moves the clock 100 ms at a time until
     * {@code done}; bounded at a simulated minute.
     */
    Latency measure(Runnable cause, BooleanSupplier done, java.util.function.Supplier<String> what) {
        Instant s0 = sim.clock().instant();
        long w0 = System.nanoTime();
        cause.run();
        for (int i = 0; i < 600; i++) {
            consumer.pollOnce();
            engine.drain(1000);
            if (done.getAsBoolean()) {
                return new Latency(Duration.between(s0, sim.clock().instant()).toMillis(), (System.nanoTime() - w0) / 1_000_000, what.get());
            }
            sim.clock().advance(STEP);
        }
        throw new AssertionError("not reached within a simulated minute; report " + report());
    }

    @Override
    public void close() {
        engine.close();
        consumer.close();
        sources.close();
        sqs.close();
        account.close();
    }
}

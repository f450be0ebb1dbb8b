package io.ecsbluegreen.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecsbluegreen.config.OperatorConfig;
import io.ecsbluegreen.config.OperatorConfig.WebhookFormat;
import io.ecsbluegreen.events.Event;
import io.ecsbluegreen.events.EventLog;
import io.ecsbluegreen.notify.LocalReceiver.Answer;
import io.ecsbluegreen.sim.SimClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Webhook notifications delivered to a real HTTP receiver on loopback: bodies, filters, retries, drops, timeouts, secrets. */
class WebhookDeliveryTest {
    static final Instant AT = Instant.parse("2026-11-23T10:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    final MeterRegistry registry = new SimpleMeterRegistry();
    final RecordingSleeper sleeper = new RecordingSleeper();
    final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) closing.get(i).close();
    }

    static Event rolledBack(String service, String revision) {
        return new Event(AT, Event.Type.RolloutFailed, service, revision, null, "RolledBack",
                "RolledBack: " + revision + " (AlarmTriggered: alarm " + service + "-5xx is in ALARM)");
    }

    static Event event(Event.Type type, String service, String message) {
        return new Event(AT, type, service, "r-1", "Deploying", "Reason", message);
    }

    LocalReceiver receiver(java.util.function.IntFunction<Answer> answers) {
        LocalReceiver r = LocalReceiver.start(answers);
        closing.add(r);
        return r;
    }

    Receiver webhook(String name, LocalReceiver to, WebhookFormat format, EventFilter filter, Receiver.Settings settings,
                     Duration timeout) {
        Receiver r = new Receiver(name, "webhook", filter, new WebhookTransport(to.url("/hook"), format, Map.of(), timeout),
                settings, sleeper, registry);
        r.start();
        closing.add(() -> r.close(Duration.ofSeconds(1)));
        return r;
    }

    Receiver webhook(LocalReceiver to) {
        return webhook("ops", to, WebhookFormat.JSON, EventFilter.all(), settings(100, 5), Duration.ofSeconds(5));
    }

    static Receiver.Settings settings(int capacity, int attempts) {
        return new Receiver.Settings(capacity, attempts, Backoff.of(Duration.ofMillis(100), Duration.ofSeconds(10)));
    }

    double count(String receiver, String outcome) {
        var c = registry.find("bluegreen.notifications").tags("receiver", receiver, "outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    static JsonNode json(String body) throws Exception {
        return JSON.readTree(body);
    }

    @Test
    void aJsonWebhookGetsTheEventAsAVersionedJsonObjectWithItsId() throws Exception {
        LocalReceiver to = receiver(n -> Answer.status(204));
        Receiver r = webhook(to);
        Notification n = Notification.of(rolledBack("shop", "r-2"));
        r.offer(n);

        await().atMost(Duration.ofSeconds(10)).until(() -> count("ops", "delivered") == 1);
        LocalReceiver.Request request = to.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/hook");
        assertThat(request.header("Content-Type")).startsWith("application/json");
        assertThat(request.header("X-Bluegreen-Event")).isEqualTo("RolloutFailed");
        assertThat(request.header("X-Bluegreen-Event-Id")).isEqualTo(n.id());
        JsonNode body = json(request.body());
        assertThat(body.get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(body.get("id").asText()).isEqualTo(n.id());
        assertThat(body.get("type").asText()).isEqualTo("RolloutFailed");
        assertThat(body.get("at").asText()).isEqualTo("2026-11-23T10:00:00Z");
        assertThat(body.get("service").asText()).isEqualTo("shop");
        assertThat(body.get("revision").asText()).isEqualTo("r-2");
        assertThat(body.get("phase").isNull()).isTrue();
        assertThat(body.get("reason").asText()).isEqualTo("RolledBack");
        assertThat(body.get("message").asText()).isEqualTo("RolledBack: r-2 (AlarmTriggered: alarm shop-5xx is in ALARM)");
        assertThat(body.get("summary").asText()).isEqualTo("shop rolled back r-2 (AlarmTriggered: alarm shop-5xx is in ALARM)");
    }

    @Test
    void aSlackWebhookGetsAReadableOneLineSummaryAsTextAndBlocks() throws Exception {
        LocalReceiver to = receiver(n -> Answer.status(200));
        Receiver r = webhook("slack", to, WebhookFormat.SLACK, EventFilter.all(), settings(10, 3), Duration.ofSeconds(5));
        r.offer(Notification.of(rolledBack("shop", "r-2")));
        r.offer(Notification.of(new Event(AT, Event.Type.PhaseChanged, "shop", "r-3", "Deploying", "CreatingGreen",
                "Steady -> Deploying: creating a task set for r-3")));

        await().atMost(Duration.ofSeconds(10)).until(() -> count("slack", "delivered") == 2);
        JsonNode first = json(to.requests().get(0).body());
        assertThat(first.get("text").asText())
                .isEqualTo(":rotating_light: shop rolled back r-2 (AlarmTriggered: alarm shop-5xx is in ALARM)");
        assertThat(first.at("/blocks/0/type").asText()).isEqualTo("section");
        assertThat(first.at("/blocks/0/text/type").asText()).isEqualTo("mrkdwn");
        assertThat(first.at("/blocks/0/text/text").asText()).isEqualTo(first.get("text").asText());
        assertThat(first.at("/blocks/1/elements/0/text").asText())
                .isEqualTo("*RolloutFailed* · revision r-2 · RolledBack · 2026-11-23T10:00:00Z");
        JsonNode second = json(to.requests().get(1).body());
        assertThat(second.get("text").asText())
                .as("Slack wants & < > escaped").isEqualTo(":arrows_counterclockwise: shop Steady -&gt; Deploying: creating a task set for r-3");
    }

    @Test
    void filtersLetThroughOnlyTheNamedTypesOfServicesMatchingAGlob() throws Exception {
        LocalReceiver to = receiver(n -> Answer.status(200));
        Receiver r = webhook("shops", to, WebhookFormat.JSON,
                EventFilter.of(List.of("RolloutFailed", "HookFailed"), List.of("shop-*", "cart")), settings(10, 3), Duration.ofSeconds(5));
        Notifier notifier = new Notifier(List.of(r), Duration.ofSeconds(1));
        notifier.accept(rolledBack("shop-eu", "r-1"));                          // type and glob match
        notifier.accept(rolledBack("shopping", "r-1"));                         // no service match
        notifier.accept(event(Event.Type.PhaseChanged, "shop-eu", "phase"));    // type not chosen
        notifier.accept(event(Event.Type.HookFailed, "cart", "hook failed"));   // exact name
        notifier.accept(event(Event.Type.HookFailed, "cart-2", "hook failed")); // an exact name is no prefix

        await().atMost(Duration.ofSeconds(10)).until(() -> count("shops", "delivered") == 2);
        assertThat(to.requests()).extracting(q -> json(q.body()).get("service").asText() + " " + json(q.body()).get("type").asText())
                .containsExactly("shop-eu RolloutFailed", "cart HookFailed");
        assertThat(EventFilter.of(List.of(), List.of("?pi")).matches(event(Event.Type.SourceError, "api", "x"))).isTrue();
    }

    @Test
    void aReceiverAnswering503TwiceThenOkGetsEveryEventOnceAndInOrderAfterBackingOff() throws Exception {
        LocalReceiver to = receiver(n -> n <= 2 ? new Answer(503, "busy", Map.of(), false) : Answer.status(200));
        Receiver r = webhook(to);
        List<Notification> sent = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Notification n = Notification.of(rolledBack("shop", "r-" + i));
            sent.add(n);
            r.offer(n);
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> count("ops", "delivered") == 3);
        List<LocalReceiver.Request> requests = to.requests();
        assertThat(requests).hasSize(5);
        assertThat(requests).extracting(q -> json(q.body()).get("id").asText())
                .containsExactly(sent.get(0).id(), sent.get(0).id(), sent.get(0).id(), sent.get(1).id(), sent.get(2).id());
        assertThat(count("ops", "failed")).isZero();
        assertThat(registry.get("bluegreen.notification.retries").tag("receiver", "ops").counter().count()).isEqualTo(2);
        List<Duration> waits = sleeper.waits();
        assertThat(waits).hasSize(2);
        assertThat(waits.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(waits.get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void aReceiverThatIsDownGetsTheEventOnceItComesBack() throws Exception {
        int port = LocalReceiver.freePort();
        AtomicReference<LocalReceiver> up = new AtomicReference<>();
        // the second wait is when the receiver comes back: two attempts are refused, the third is taken
        int[] sleeps = {0};
        sleeper.onSleep(() -> {
            if (++sleeps[0] == 2) up.set(LocalReceiver.listenOn(port, n -> Answer.status(200)));
        });
        Receiver r = new Receiver("down", "webhook", EventFilter.all(),
                new WebhookTransport(java.net.URI.create("http://127.0.0.1:" + port + "/hook"), WebhookFormat.JSON, Map.of(),
                        Duration.ofSeconds(5)), settings(10, 5), sleeper, registry);
        r.start();
        try {
            r.offer(Notification.of(rolledBack("shop", "r-2")));
            await().atMost(Duration.ofSeconds(10)).until(() -> count("down", "delivered") == 1);
            assertThat(up.get().requests()).hasSize(1);
            assertThat(sleeper.waits()).hasSize(2);
            assertThat(count("down", "failed")).isZero();
        } finally {
            r.close(Duration.ofSeconds(1));
            if (up.get() != null) up.get().close();
        }
    }

    @Test
    void aHangingReceiverTimesOutWhileRecordingEventsNeverWaitsForIt() {
        LocalReceiver to = receiver(n -> Answer.hanging());
        Receiver r = webhook("hangs", to, WebhookFormat.JSON, EventFilter.all(), settings(1000, 2), Duration.ofMillis(300));
        EventLog log = new EventLog(SimClock.virtual(AT));
        log.subscribe(new Notifier(List.of(r), Duration.ofSeconds(1)));

        for (int i = 0; i < 200; i++) {
            log.record(rolledBack("shop", "r-" + i));
        }
        // recording returned with the events queued, not delivered: each one the hanging receiver holds
        // takes two attempts of 300 ms, so at most a few can have left the queue (no wall-clock bound)
        assertThat(r.depth()).as("200 events recorded while the receiver hangs").isGreaterThan(150);
        assertThat(count("hangs", "delivered")).isZero();

        await().atMost(Duration.ofSeconds(10)).until(() -> count("hangs", "failed") >= 1);
        assertThat(to.requests().size()).as("two attempts of the first event, each timed out").isGreaterThanOrEqualTo(2);
    }

    @Test
    void aFullQueueDropsTheOldestWaitingNotificationAndCountsIt() throws Exception {
        LocalReceiver to = receiver(n -> n == 1 ? Answer.hanging() : Answer.status(200));
        Receiver r = webhook("small", to, WebhookFormat.JSON, EventFilter.all(), settings(3, 1), Duration.ofSeconds(5));
        r.offer(Notification.of(rolledBack("shop", "r-1")));
        await().atMost(Duration.ofSeconds(10)).until(() -> to.requests().size() == 1);   // r-1 in flight, queue empty
        for (int i = 2; i <= 6; i++) {
            r.offer(Notification.of(rolledBack("shop", "r-" + i)));
        }
        assertThat(r.depth()).isEqualTo(3);
        assertThat(count("small", "dropped")).isEqualTo(2);
        assertThat(registry.get("bluegreen.notification.queue.depth").tag("receiver", "small").gauge().value()).isEqualTo(3);

        to.release();
        await().atMost(Duration.ofSeconds(10)).until(() -> count("small", "delivered") == 4);
        assertThat(to.requests()).extracting(q -> json(q.body()).get("revision").asText())
                .containsExactly("r-1", "r-4", "r-5", "r-6");
    }

    @Test
    void aClientErrorIsNotRetriedButTooManyRequestsIsAfterItsRetryAfter() throws Exception {
        LocalReceiver bad = receiver(n -> new Answer(400, "{\"error\":\"invalid_payload\"}", Map.of(), false));
        Receiver r = webhook("bad", bad, WebhookFormat.JSON, EventFilter.all(), settings(10, 5), Duration.ofSeconds(5));
        r.offer(Notification.of(rolledBack("shop", "r-1")));
        await().atMost(Duration.ofSeconds(10)).until(() -> count("bad", "failed") == 1);
        assertThat(bad.requests()).hasSize(1);
        assertThat(sleeper.waits()).isEmpty();

        LocalReceiver busy = receiver(n -> n == 1 ? new Answer(429, "", Map.of("Retry-After", "7"), false) : Answer.status(200));
        Receiver b = webhook("busy", busy, WebhookFormat.JSON, EventFilter.all(), settings(10, 5), Duration.ofSeconds(5));
        b.offer(Notification.of(rolledBack("shop", "r-1")));
        await().atMost(Duration.ofSeconds(10)).until(() -> count("busy", "delivered") == 1);
        assertThat(busy.requests()).hasSize(2);
        assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void afterItsLastAttemptANotificationIsCountedFailedAndTheNextOneIsSent() throws Exception {
        LocalReceiver to = receiver(n -> n <= 3 ? Answer.status(500) : Answer.status(200));
        Receiver r = webhook("flaky", to, WebhookFormat.JSON, EventFilter.all(), settings(10, 3), Duration.ofSeconds(5));
        r.offer(Notification.of(rolledBack("shop", "r-1")));
        r.offer(Notification.of(rolledBack("shop", "r-2")));

        await().atMost(Duration.ofSeconds(10)).until(() -> count("flaky", "delivered") == 1);
        assertThat(count("flaky", "failed")).isEqualTo(1);
        assertThat(to.requests()).extracting(q -> json(q.body()).get("revision").asText()).containsExactly("r-1", "r-1", "r-1", "r-2");
        assertThat(sleeper.waits()).hasSize(2);
    }

    @Test
    void closingDrainsWithinItsTimeoutAndCountsWhatIsLeftAsDropped() {
        LocalReceiver to = receiver(n -> Answer.hanging());
        Receiver r = new Receiver("stuck", "webhook", EventFilter.all(),
                new WebhookTransport(to.url("/hook"), WebhookFormat.JSON, Map.of(), Duration.ofSeconds(30)), settings(10, 1),
                sleeper, registry);
        r.start();
        Notifier notifier = new Notifier(List.of(r), Duration.ofMillis(300));
        for (int i = 1; i <= 4; i++) notifier.accept(rolledBack("shop", "r-" + i));
        await().atMost(Duration.ofSeconds(10)).until(() -> to.requests().size() == 1);

        notifier.close();
        // close did not wait for the hanging request (30 s of transport timeout): it counts it as dropped,
        // not failed, and the receiver never answered it
        assertThat(count("stuck", "dropped")).as("three queued and the one in flight").isEqualTo(4);
        assertThat(count("stuck", "failed")).isZero();
        assertThat(to.requests()).hasSize(1);
        notifier.accept(rolledBack("shop", "r-5"));
        assertThat(count("stuck", "dropped")).as("after close").isEqualTo(5);
    }

    @Test
    void configuredHeadersAndSecretFileHeadersAreSentButNeverLogged(@TempDir Path dir) throws Exception {
        String secret = "s3cr3t-token-value";
        String urlSecret = "B0000XXXXSECRETPATH";
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, "Bearer " + secret + "\n");
        LocalReceiver to = receiver(n -> n == 1 ? Answer.status(200) : new Answer(401, "bad token", Map.of(), false));
        Map<String, String> props = new HashMap<>();
        props.put("bluegreen.notify.webhooks[0].name", "secured");
        props.put("bluegreen.notify.webhooks[0].url", to.url("/services/T0000/" + urlSecret).toString());
        props.put("bluegreen.notify.webhooks[0].headers.X-Team", "blue");
        props.put("bluegreen.notify.webhooks[0].header-files.Authorization", tokenFile.toString());
        props.put("bluegreen.notify.webhooks[1].name", "down");
        props.put("bluegreen.notify.webhooks[1].url", "http://127.0.0.1:" + LocalReceiver.freePort() + "/hooks/" + urlSecret);
        props.put("bluegreen.notify.webhooks[1].headers.Authorization", "Bearer " + secret);
        props.put("bluegreen.notify.webhooks[1].max-attempts", "2");
        OperatorConfig config = NotifyConfigTest.bind(props, Map.of());

        try (LogCapture logs = new LogCapture()) {
            Notifier notifier = Receivers.fromConfig(config.notifications(), registry, region -> null, sleeper).start();
            closing.add(notifier);
            notifier.accept(rolledBack("shop", "r-1"));
            notifier.accept(rolledBack("shop", "r-2"));
            await().atMost(Duration.ofSeconds(10)).until(() -> count("secured", "delivered") == 1 && count("secured", "failed") == 1
                    && count("down", "failed") == 2);

            LocalReceiver.Request first = to.requests().get(0);
            assertThat(first.path()).isEqualTo("/services/T0000/" + urlSecret);
            assertThat(first.header("Authorization")).isEqualTo("Bearer " + secret);
            assertThat(first.header("X-Team")).isEqualTo("blue");
            assertThat(notifier.receivers()).extracting(Receiver::toString)
                    .allSatisfy(s -> assertThat(s).doesNotContain(secret).doesNotContain(urlSecret));
            assertThat(logs.all()).contains("refused the RolloutFailed event", "HTTP 401", "gave up", "http://127.0.0.1:");
            assertThat(logs.all()).doesNotContain(secret).doesNotContain(urlSecret);
        }
    }

    @Test
    void misconfiguredReceiversAreRefusedTogetherNamingEachProperty() {
        Map<String, String> props = new HashMap<>();
        props.put("bluegreen.notify.webhooks[0].name", "ops");
        props.put("bluegreen.notify.webhooks[0].url", "ftp://example.com/x");
        props.put("bluegreen.notify.webhooks[0].events", "RolloutFailed,Rolloutfailed");
        props.put("bluegreen.notify.webhooks[1].name", "ops");
        props.put("bluegreen.notify.webhooks[1].url", "https://example.com/x");
        props.put("bluegreen.notify.webhooks[1].headers.Connection", "close");
        props.put("bluegreen.notify.webhooks[1].max-attempts", "0");
        props.put("bluegreen.notify.sns[0].name", "topic");
        props.put("bluegreen.notify.sns[0].topic-arn", "arn:aws:sqs:us-east-1:123456789012:q");
        OperatorConfig config = NotifyConfigTest.bind(props, Map.of());

        assertThatThrownBy(() -> Receivers.fromConfig(config.notifications(), registry, region -> null, sleeper))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bluegreen.notify.webhooks[0].url: an http or https URL")
                .hasMessageContaining("unknown event type Rolloutfailed (did you mean RolloutFailed?)")
                .hasMessageContaining("bluegreen.notify.webhooks[1].name: another receiver is named ops")
                .hasMessageContaining("bluegreen.notify.webhooks[1].headers: header Connection cannot be set")
                .hasMessageContaining("bluegreen.notify.webhooks[1].max-attempts must be 1 to 100: 0")
                .hasMessageContaining("bluegreen.notify.sns[0].topic-arn: not an SNS topic ARN");
    }
}

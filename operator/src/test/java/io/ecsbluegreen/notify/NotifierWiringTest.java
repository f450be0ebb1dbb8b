package io.ecsbluegreen.notify;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecsbluegreen.events.Event;
import io.ecsbluegreen.events.EventLog;
import io.ecsbluegreen.sim.AwsSimulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The running operator binds a list of webhooks and an SNS topic from its configuration, subscribes the
 * notifier to the event log, delivers, and shows the outcome in /q/metrics.
 */
@QuarkusTest
@TestProfile(NotifierWiringTest.WithReceivers.class)
class NotifierWiringTest {

    /** Two webhooks (one filtered) and an SNS topic on the simulator. */
    public static class WithReceivers implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ReceiversResource.class));
        }
    }

    /** A loopback receiver and a simulator with a topic, for the profile's configuration. */
    public static class ReceiversResource implements QuarkusTestResourceLifecycleManager {
        static volatile LocalReceiver receiver;
        static volatile AwsSimulator simulator;
        static volatile String topicArn;

        @Override
        public Map<String, String> start() {
            receiver = LocalReceiver.start();
            simulator = AwsSimulator.start();
            topicArn = simulator.sns().createTopic("deploys").arn();
            return Map.ofEntries(
                    Map.entry("bluegreen.aws.endpoint-override", simulator.endpoint().toString()),
                    Map.entry("bluegreen.aws.region", "us-east-1"),
                    Map.entry("bluegreen.aws.access-key-id", "test"),
                    Map.entry("bluegreen.aws.secret-access-key", "test"),
                    Map.entry("bluegreen.notify.webhooks[0].name", "ops"),
                    Map.entry("bluegreen.notify.webhooks[0].url", receiver.url("/ops").toString()),
                    Map.entry("bluegreen.notify.webhooks[0].format", "slack"),
                    Map.entry("bluegreen.notify.webhooks[0].events", "RolloutFailed"),
                    Map.entry("bluegreen.notify.webhooks[1].name", "audit"),
                    Map.entry("bluegreen.notify.webhooks[1].url", receiver.url("/audit").toString()),
                    Map.entry("bluegreen.notify.webhooks[1].services", "wiring-*"),
                    Map.entry("bluegreen.notify.webhooks[1].headers.X-Token", "wiring-secret"),
                    Map.entry("bluegreen.notify.sns[0].name", "deploys"),
                    Map.entry("bluegreen.notify.sns[0].topic-arn", topicArn));
        }

        @Override
        public void stop() {
            if (receiver != null) receiver.close();
            if (simulator != null) simulator.close();
        }
    }

    @Inject
    EventLog events;

    @Inject
    Notifier notifier;

    @Test
    void theConfiguredReceiversAreSubscribedDeliverAndAreCountedInMetrics() {
        assertThat(notifier.receivers()).extracting(Receiver::name).containsExactly("ops", "audit", "deploys");

        events.record(new Event(Instant.now(), Event.Type.PhaseChanged, "wiring-shop", "r-2", "Deploying", "CreatingGreen",
                "Steady -> Deploying: creating a task set for r-2"));
        events.record(new Event(Instant.now(), Event.Type.RolloutFailed, "wiring-shop", "r-2", null, "RolledBack",
                "RolledBack: r-2 (AlarmTriggered: alarm wiring-shop-5xx is in ALARM)"));

        await().atMost(Duration.ofSeconds(20)).until(() -> ReceiversResource.receiver.requests().size() == 3
                && ReceiversResource.simulator.sns().published(ReceiversResource.topicArn).stream()
                        .filter(m -> "wiring-shop".equals(m.attribute("service"))).count() == 2);
        List<LocalReceiver.Request> requests = ReceiversResource.receiver.requests();
        assertThat(requests).filteredOn(r -> r.path().equals("/ops")).singleElement()
                .satisfies(r -> assertThat(r.body()).contains(":rotating_light: wiring-shop rolled back r-2"));
        assertThat(requests).filteredOn(r -> r.path().equals("/audit")).hasSize(2)
                .allSatisfy(r -> assertThat(r.header("X-Token")).isEqualTo("wiring-secret"));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(given().get("/q/metrics").asString())
                .contains("bluegreen_notifications_total{outcome=\"delivered\",receiver=\"ops\"} 1.0")
                .contains("bluegreen_notifications_total{outcome=\"delivered\",receiver=\"audit\"} 2.0")
                .contains("bluegreen_notifications_total{outcome=\"failed\",receiver=\"deploys\"} 0.0")
                .contains("bluegreen_notification_queue_depth{receiver=\"deploys\"}")
                .contains("bluegreen_notification_retries_total{receiver=\"ops\"} 0.0"));
    }
}

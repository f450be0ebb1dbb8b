package io.ecsbluegreen.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecsbluegreen.config.OperatorConfig;
import io.ecsbluegreen.events.Event;
import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.FaultRule;
import io.ecsbluegreen.sim.SimClients;
import io.ecsbluegreen.sim.sns.PublishedMessage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;

/** SNS notifications through the real SDK client against the simulator's SNS. */
class SnsNotificationTest {
    static final Instant AT = Instant.parse("2026-11-23T10:00:00Z");

    final MeterRegistry registry = new SimpleMeterRegistry();
    final RecordingSleeper sleeper = new RecordingSleeper();
    AwsSimulator sim;
    SnsClient client;
    Notifier notifier;

    @BeforeEach
    void start() {
        sim = AwsSimulator.start();
        client = SnsClient.builder().endpointOverride(sim.endpoint()).region(Region.EU_WEST_1)
                .credentialsProvider(SimClients.CREDENTIALS).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    @AfterEach
    void stop() {
        if (notifier != null) notifier.close();
        client.close();
        sim.close();
    }

    Notifier notifier(String topicArn, String... more) {
        Map<String, String> props = new HashMap<>();
        props.put("bluegreen.notify.sns[0].name", "topic");
        props.put("bluegreen.notify.sns[0].topic-arn", topicArn);
        for (int i = 0; i + 1 < more.length; i += 2) props.put("bluegreen.notify.sns[0]." + more[i], more[i + 1]);
        OperatorConfig config = NotifyConfigTest.bind(props, Map.of());
        List<String> regions = new java.util.ArrayList<>();
        notifier = Receivers.fromConfig(config.notifications(), registry, region -> {
            regions.add(region);
            return client;
        }, sleeper).start();
        assertThat(regions).containsExactly("eu-west-1");
        return notifier;
    }

    double count(String outcome) {
        var c = registry.find("bluegreen.notifications").tags("receiver", "topic", "outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    static Event rolledBack() {
        return new Event(AT, Event.Type.RolloutFailed, "shop", "r-2", null, "RolledBack",
                "RolledBack: r-2 (AlarmTriggered: alarm shop-5xx is in ALARM, with a long explanation that goes on and on "
                        + "well past what an e-mail subject may carry)");
    }

    String topic(String name) {
        return client.createTopic(b -> b.name(name)).topicArn();
    }

    @Test
    void anSnsReceiverPublishesTheJsonBodyWithAShortSubjectAndAttributesForFilterPolicies() throws Exception {
        String arn = topic("deploys");
        notifier(arn, "events", "RolloutFailed").accept(rolledBack());
        notifier.accept(new Event(AT, Event.Type.PhaseChanged, "shop", "r-2", "Deploying", "CreatingGreen", "filtered out"));

        await().atMost(Duration.ofSeconds(10)).until(() -> count("delivered") == 1);
        PublishedMessage m = sim.sns().published(arn).get(0);
        JsonNode body = new ObjectMapper().readTree(m.message());
        assertThat(body.get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(body.get("type").asText()).isEqualTo("RolloutFailed");
        assertThat(body.get("service").asText()).isEqualTo("shop");
        assertThat(m.subject()).hasSizeLessThan(100).startsWith("shop rolled back r-2 (AlarmTriggered: alarm shop-5xx").endsWith("...");
        assertThat(m.attributes()).containsOnlyKeys("eventType", "service");
        assertThat(m.attribute("eventType")).isEqualTo("RolloutFailed");
        assertThat(m.attribute("service")).isEqualTo("shop");
        assertThat(m.attributes().get("service").dataType()).isEqualTo("String");
        assertThat(sim.sns().published(arn)).hasSize(1);
    }

    @Test
    void aMissingTopicIsCountedFailedAndNotRetried() {
        String missing = "arn:aws:sns:eu-west-1:" + sim.accountId() + ":gone";
        notifier(missing).accept(rolledBack());

        await().atMost(Duration.ofSeconds(10)).until(() -> count("failed") == 1);
        assertThat(sim.stats().calls("sns", "Publish")).isEqualTo(1);
        assertThat(sleeper.waits()).isEmpty();
        assertThat(count("delivered")).isZero();
    }

    @Test
    void aServerErrorIsRetriedUntilThePublishGoesThrough() {
        String arn = topic("deploys");
        sim.faults().add(FaultRule.errors("sns:Publish", 1.0).withStatus(503));
        sleeper.onSleep(() -> {
            if (sleeper.waits().size() == 2) sim.faults().clear();
        });
        notifier(arn, "max-attempts", "4").accept(rolledBack());

        await().atMost(Duration.ofSeconds(10)).until(() -> count("delivered") == 1);
        assertThat(sim.stats().calls("sns", "Publish")).isEqualTo(3);
        assertThat(sim.stats().faults("sns", "Publish")).isEqualTo(2);
        assertThat(sim.sns().published(arn)).hasSize(1);
    }

    @Test
    void onAFifoTopicTheServiceIsTheMessageGroupAndTheNotificationIdDeduplicates() {
        String arn = client.createTopic(b -> b.name("deploys.fifo").attributes(Map.of("FifoTopic", "true"))).topicArn();
        notifier(arn).accept(rolledBack());

        await().atMost(Duration.ofSeconds(10)).until(() -> count("delivered") == 1);
        PublishedMessage m = sim.sns().published(arn).get(0);
        assertThat(m.messageGroupId()).isEqualTo("shop");
        assertThat(m.messageDeduplicationId()).hasSize(36);
        assertThat(m.sequenceNumber()).isNotNull();
    }
}

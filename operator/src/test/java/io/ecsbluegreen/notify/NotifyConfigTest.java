package io.ecsbluegreen.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.config.OperatorConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** bluegreen.notify.* binds lists of receivers from properties and from environment variables. */
class NotifyConfigTest {

    static OperatorConfig bind(Map<String, String> properties, Map<String, String> env) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test", 300))
                .withSources(new EnvConfigSource(env, 400))
                // Quarkus converts "5s"-style durations; plain SmallRye knows only ISO-8601
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(OperatorConfig.class)
                .build();
        return config.getConfigMapping(OperatorConfig.class);
    }

    @Test
    void withoutReceiversTheListsAreEmpty() {
        OperatorConfig config = bind(Map.of(), Map.of());
        assertThat(config.notifications().webhooks()).isEmpty();
        assertThat(config.notifications().sns()).isEmpty();
        assertThat(config.notifications().drainTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void webhooksAndTopicsBindFromPropertiesWithTheirDefaults() {
        OperatorConfig config = bind(Map.of(
                "bluegreen.notify.webhooks[0].name", "ops",
                "bluegreen.notify.webhooks[0].url", "https://hooks.example.com/a",
                "bluegreen.notify.webhooks[0].format", "slack",
                "bluegreen.notify.webhooks[0].events", "RolloutFailed,HookFailed",
                "bluegreen.notify.webhooks[0].headers.Authorization", "Bearer x",
                "bluegreen.notify.webhooks[1].name", "audit",
                "bluegreen.notify.webhooks[1].url", "http://127.0.0.1:9/b",
                "bluegreen.notify.sns[0].name", "topic",
                "bluegreen.notify.sns[0].topic-arn", "arn:aws:sns:eu-west-1:123456789012:deploys"), Map.of());
        List<OperatorConfig.Webhook> webhooks = config.notifications().webhooks();
        assertThat(webhooks).hasSize(2);
        assertThat(webhooks.get(0).format()).isEqualTo(OperatorConfig.WebhookFormat.SLACK);
        assertThat(webhooks.get(0).events()).contains(List.of("RolloutFailed", "HookFailed"));
        assertThat(webhooks.get(0).headers()).containsEntry("Authorization", "Bearer x");
        assertThat(webhooks.get(1).format()).isEqualTo(OperatorConfig.WebhookFormat.JSON);
        assertThat(webhooks.get(1).headers()).isEmpty();
        assertThat(webhooks.get(1).headerFiles()).isEmpty();
        assertThat(webhooks.get(1).events()).isEmpty();
        assertThat(webhooks.get(1).maxAttempts()).isEqualTo(5);
        assertThat(webhooks.get(1).queueCapacity()).isEqualTo(1000);
        assertThat(webhooks.get(1).timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.notifications().sns()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("topic");
            assertThat(s.topicArn()).isEqualTo("arn:aws:sns:eu-west-1:123456789012:deploys");
            assertThat(s.region()).isEmpty();
        });
    }

    @Test
    void aWebhookBindsFromEnvironmentVariablesAlone() {
        OperatorConfig config = bind(Map.of(), Map.of(
                "BLUEGREEN_NOTIFY_WEBHOOKS_0__NAME", "ops",
                "BLUEGREEN_NOTIFY_WEBHOOKS_0__URL", "https://hooks.example.com/a",
                "BLUEGREEN_NOTIFY_WEBHOOKS_0__MAX_ATTEMPTS", "3",
                "BLUEGREEN_NOTIFY_WEBHOOKS_0__SERVICES", "shop-*,cart",
                "BLUEGREEN_NOTIFY_WEBHOOKS_0__HEADER_FILES_AUTHORIZATION", "/run/secrets/webhook",
                "BLUEGREEN_NOTIFY_SNS_0__NAME", "topic",
                "BLUEGREEN_NOTIFY_SNS_0__TOPIC_ARN", "arn:aws:sns:eu-west-1:123456789012:deploys"));
        assertThat(config.notifications().webhooks()).singleElement().satisfies(w -> {
            assertThat(w.name()).isEqualTo("ops");
            assertThat(w.url().toString()).isEqualTo("https://hooks.example.com/a");
            assertThat(w.maxAttempts()).isEqualTo(3);
            assertThat(w.services()).contains(List.of("shop-*", "cart"));
            // header names are case-insensitive in HTTP: the environment's lower-cased key does
            assertThat(w.headerFiles()).hasSize(1).hasEntrySatisfying(w.headerFiles().keySet().iterator().next(), p -> {
                assertThat(w.headerFiles().keySet().iterator().next()).isEqualToIgnoringCase("authorization");
                assertThat(p.toString()).isEqualTo("/run/secrets/webhook");
            });
        });
        assertThat(config.notifications().sns()).singleElement()
                .satisfies(s -> assertThat(s.topicArn()).endsWith(":deploys"));
    }
}

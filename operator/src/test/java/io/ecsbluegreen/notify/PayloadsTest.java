package io.ecsbluegreen.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.ecsbluegreen.events.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bodies, summaries and subjects receivers get, and the waits between attempts. */
class PayloadsTest {
    static final Instant AT = Instant.parse("2026-11-23T10:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    static Event event(Event.Type type, String revision, String phase, String reason, String message) {
        return new Event(AT, type, "shop", revision, phase, reason, message);
    }

    @Test
    void aRollbackNotificationNamesTheImageAndTheCommitOfTheRevision() throws Exception {
        io.ecsbluegreen.status.RevisionLabel label = new io.ecsbluegreen.status.RevisionLabel("r-2", List.of("shop:2.0.0"),
                io.ecsbluegreen.source.Provenance.commit("1a2b3c4d5e6f", "Bump shop to 2.0.0", "Alice Martin",
                        Instant.parse("2026-11-23T09:12:00Z")));
        Event e = new Event(AT, Event.Type.RolloutFailed, "shop", "r-2", null, "RolledBack",
                "RolledBack: r-2 (AlarmTriggered: alarm shop-5xx is in ALARM)", label);

        assertThat(Payloads.summary(e)).isEqualTo(
                "shop rolled back r-2 [shop:2.0.0 from git 1a2b3c4 \"Bump shop to 2.0.0\" (Alice Martin)] (AlarmTriggered: alarm shop-5xx is in ALARM)");
        JsonNode body = JSON.readTree(Payloads.json(Notification.of(e)));
        assertThat(body.path("images").get(0).asText()).isEqualTo("shop:2.0.0");
        assertThat(body.path("source").path("ref").asText()).isEqualTo("1a2b3c4");
        assertThat(body.path("source").path("author").asText()).isEqualTo("Alice Martin");
        assertThat(Payloads.slack(Notification.of(e))).contains("shop:2.0.0 from git 1a2b3c4");
        assertThat(Payloads.subject(e)).startsWith("shop rolled back r-2 [shop:2.0.0 from git 1a2b3c4");
    }

    @Test
    void everyEventTypeHasAReadableOneLineSummary() {
        assertThat(Payloads.summary(event(Event.Type.RolloutFailed, "r-2", null, "RolledBack",
                "RolledBack: r-2 (AlarmTriggered: alarm shop-5xx is in ALARM)")))
                .isEqualTo("shop rolled back r-2 (AlarmTriggered: alarm shop-5xx is in ALARM)");
        assertThat(Payloads.summary(event(Event.Type.RolloutFailed, "r-2", null, "Aborted", "Aborted: r-2 (aborted through the API)")))
                .isEqualTo("shop aborted r-2 (aborted through the API)");
        assertThat(Payloads.summary(event(Event.Type.RolloutSucceeded, "r-3", null, "Succeeded", "production serves r-3")))
                .isEqualTo("shop rolled out r-3");
        assertThat(Payloads.summary(event(Event.Type.PhaseChanged, "r-3", "Deploying", "CreatingGreen",
                "Steady -> Deploying: creating a task set\nfor r-3"))).isEqualTo("shop Steady -> Deploying: creating a task set for r-3");
        assertThat(Payloads.summary(event(Event.Type.HookFailed, "r-3", null, "TimedOut",
                "afterInstall lambda hook migrate TimedOut after 3 attempt(s): still InProgress")))
                .isEqualTo("shop: afterInstall lambda hook migrate TimedOut after 3 attempt(s): still InProgress");
        assertThat(Payloads.summary(event(Event.Type.AnalysisFailed, null, null, "FAILED", "check error-rate: 0.2 outside <= 0.01")))
                .isEqualTo("shop analysis failed: check error-rate: 0.2 outside <= 0.01");
        assertThat(Payloads.summary(event(Event.Type.DriftCorrected, "r-1", "Steady", "listenerWeights", "production sent 30% away")))
                .isEqualTo("shop drift corrected (listenerWeights): production sent 30% away");
        assertThat(Payloads.summary(new Event(AT, Event.Type.SourceError, "dir:examples", null, null, "InvalidFile",
                "invalid file(s) kept on their last good version: a.yaml")))
                .isEqualTo("source dir:examples: invalid file(s) kept on their last good version: a.yaml");
        for (Event.Type type : Event.Type.values()) {
            Event e = event(type, "r-1", "Steady", "Reason", "some message");
            assertThat(Payloads.summary(e)).as(type.name()).startsWith(type.name().startsWith("Source") ? "source" : "shop")
                    .doesNotContain("\n");
            assertThat(Payloads.emoji(e)).as(type.name()).matches(":[a-z_]+:");
        }
    }

    @Test
    void theSnsSubjectIsPrintableAsciiUnderAHundredCharacters() {
        Event e = event(Event.Type.RolloutFailed, "r-2", null, "RolledBack",
                "RolledBack: r-2 (AlarmTriggered: alarm shöp-5xx → ALARM\t" + "x".repeat(200) + ")");
        String subject = Payloads.subject(e);
        assertThat(subject).hasSize(99).endsWith("...").startsWith("shop rolled back r-2 (AlarmTriggered: alarm sh?p-5xx ? ALARM x");
        assertThat(subject.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
        assertThat(Payloads.subject(event(Event.Type.RolloutSucceeded, "r-3", null, "Succeeded", null))).isEqualTo("shop rolled out r-3");
    }

    @Test
    void theDocumentedJsonSchemaValidatesTheBodyOfEveryEventType() throws Exception {
        String doc = Files.readString(Path.of("../docs/notifications.md"));
        int marker = doc.indexOf("<!-- notification-schema -->");
        assertThat(marker).as("docs/notifications.md marks its schema").isPositive();
        int start = doc.indexOf("```json", marker) + "```json".length();
        String schemaText = doc.substring(start, doc.indexOf("```", start));
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(JSON.readTree(schemaText));
        List<String> problems = new ArrayList<>();
        for (Event.Type type : Event.Type.values()) {
            JsonNode body = JSON.readTree(Payloads.json(Notification.of(event(type, type.ordinal() % 2 == 0 ? null : "r-1", null,
                    "Reason", type.ordinal() % 3 == 0 ? null : "message"))));
            schema.validate(body).forEach(m -> problems.add(type + ": " + m.getMessage()));
            assertThat(body.size()).as("every field present").isEqualTo(10);
        }
        assertThat(problems).isEmpty();
        assertThat(JSON.readTree(schemaText).at("/properties/type/enum")).hasSize(Event.Type.values().length);
    }

    @Test
    void backoffDoublesFromItsBaseWithJitterCapsAtItsMaxAndHonoursRetryAfter() {
        Backoff none = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), () -> 0.0);
        Backoff full = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), () -> 0.999999);
        assertThat(none.delay(1, null)).isEqualTo(Duration.ofMillis(500));
        assertThat(none.delay(2, null)).isEqualTo(Duration.ofSeconds(1));
        assertThat(none.delay(3, null)).isEqualTo(Duration.ofSeconds(2));
        assertThat(full.delay(3, null)).isBetween(Duration.ofMillis(3999), Duration.ofSeconds(4));
        assertThat(none.delay(10, null)).isEqualTo(Duration.ofSeconds(15));
        assertThat(full.delay(99, null)).isLessThanOrEqualTo(Duration.ofSeconds(30));
        assertThat(none.delay(1, Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
        assertThat(none.delay(1, Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(30));
        assertThat(WebhookTransport.retryAfter("12")).isEqualTo(Duration.ofSeconds(12));
        assertThat(WebhookTransport.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isNull();
    }
}

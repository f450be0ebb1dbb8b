package io.ecsbluegreen.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbluegreen.events.Event;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What receivers get, documented in docs/notifications.md: the JSON body (a versioned schema), the
 * Slack-compatible body, the one-line summary both carry, and the SNS subject.
 */
public final class Payloads {

    /** The version of the JSON body; raised only when a field changes meaning or goes away. */
    public static final int SCHEMA_VERSION = 1;
    /** SNS refuses subjects of 100 characters and more. */
    public static final int MAX_SUBJECT = 99;
    /** Slack's limit for a section's text. */
    static final int MAX_SLACK_TEXT = 3000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private Payloads() {}

    /**
     * The JSON body: {@code schemaVersion}, {@code id}, {@code type}, {@code at}, {@code service},
     * {@code revision}, {@code images} and {@code source} (what the revision runs and where it came from, when
     * known: see docs/notifications.md), {@code phase}, {@code reason}, {@code message} (null when the event
     * has none) and {@code summary}.
     */
    public static String json(Notification n) {
        Event e = n.event();
        ObjectNode o = JSON.createObjectNode();
        o.put("schemaVersion", SCHEMA_VERSION);
        o.put("id", n.id());
        o.put("type", e.type().name());
        o.put("at", e.at().toString());
        o.put("service", e.service());
        o.put("revision", e.revision());
        if (e.label() != null) {
            ArrayNode images = o.putArray("images");
            e.label().images().forEach(images::add);
            if (e.label().source() != null) {
                ObjectNode source = o.putObject("source");
                source.put("kind", e.label().source().kind()).put("ref", e.label().source().ref())
                        .put("subject", e.label().source().subject()).put("author", e.label().source().author());
                if (e.label().source().time() != null) source.put("time", e.label().source().time().toString());
            }
        }
        o.put("phase", e.phase());
        o.put("reason", e.reason());
        o.put("message", e.message());
        o.put("summary", summary(e));
        return o.toString();
    }

    /**
     * The Slack-compatible body: {@code text} (the emoji and the summary, what Slack shows in
     * notifications and what Slack-compatible receivers such as Mattermost read) and {@code blocks}: the
     * same line as a section, then a context line with type, revision, phase, reason and time.
     */
    public static String slack(Notification n) {
        Event e = n.event();
        String line = slackEscape(truncate(emoji(e) + " " + summary(e), MAX_SLACK_TEXT));
        ObjectNode o = JSON.createObjectNode();
        o.put("text", line);
        ArrayNode blocks = o.putArray("blocks");
        ObjectNode section = blocks.addObject().put("type", "section");
        section.putObject("text").put("type", "mrkdwn").put("text", line);
        List<String> context = new ArrayList<>();
        context.add("*" + e.type().name() + "*");
        if (e.revision() != null) context.add("revision " + e.revisionText());
        if (e.phase() != null) context.add("phase " + e.phase());
        if (e.reason() != null) context.add(e.reason());
        context.add(e.at().toString());
        ObjectNode ctx = blocks.addObject().put("type", "context");
        ctx.putArray("elements").addObject().put("type", "mrkdwn").put("text", slackEscape(String.join(" · ", context)));
        return o.toString();
    }

    /**
     * One readable line: {@code shop rolled back r-2 [greeter:2.0.0 from git 1a2b3c4 "Bump" (Alice)] (AlarmTriggered:
     * alarm shop-5xx is in ALARM)},
     * {@code shop rolled out r-3}, {@code shop Steady -> Deploying: creating a task set for r-3}.
     */
    public static String summary(Event e) {
        String service = e.service();
        String message = e.message() == null ? "" : e.message();
        String line;
        switch (e.type()) {
            case PhaseChanged:
                line = service + " " + (message.isBlank() ? "is " + e.phase() : message);
                break;
            case RolloutSucceeded:
                line = service + " rolled out " + e.revisionText();
                break;
            case RolloutFailed:
                line = service + " " + rolloutVerb(e.reason()) + " " + e.revisionText() + rolloutDetail(e, message);
                break;
            case HookSucceeded:
            case HookFailed:
                line = service + ": " + message;
                break;
            case AnalysisFailed:
                line = service + " analysis failed: " + message;
                break;
            case DriftCorrected:
                line = service + " drift corrected (" + e.reason() + "): " + message;
                break;
            case SourceError:
            case SourceRecovered:
            case SourceHeld:
                line = message.startsWith("source ") ? message : "source " + service + ": " + message;
                break;
            default:
                line = service + " " + e.type() + ": " + message;
        }
        return oneLine(line);
    }

    /** The Slack emoji of an event: :rotating_light: for a rollback, :white_check_mark: for a rollout done, ... */
    public static String emoji(Event e) {
        switch (e.type()) {
            case PhaseChanged:
                return ":arrows_counterclockwise:";
            case RolloutSucceeded:
            case SourceRecovered:
                return ":white_check_mark:";
            case RolloutFailed:
                if ("Aborted".equals(e.reason())) return ":no_entry_sign:";
                if ("Superseded".equals(e.reason())) return ":fast_forward:";
                return ":rotating_light:";
            case HookSucceeded:
                return ":heavy_check_mark:";
            case HookFailed:
                return ":x:";
            case AnalysisFailed:
                return ":chart_with_downwards_trend:";
            case DriftCorrected:
                return ":wrench:";
            case SourceError:
                return ":warning:";
            case SourceHeld:
                return "HoldReleased".equals(e.reason()) ? ":white_check_mark:" : ":octagonal_sign:";
            default:
                return ":information_source:";
        }
    }

    /**
     * The SNS subject: the summary in printable ASCII (anything else becomes {@code ?}), shortened with
     * {@code ...} to under 100 characters, as SNS requires.
     */
    public static String subject(Event e) {
        StringBuilder sb = new StringBuilder();
        for (char c : summary(e).toCharArray()) {
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        String s = sb.toString().strip();
        if (s.length() > MAX_SUBJECT) s = s.substring(0, MAX_SUBJECT - 3).stripTrailing() + "...";
        return s.isEmpty() ? e.type().name() : s;
    }

    /** The body as UTF-8 bytes. */
    static byte[] bytes(String body) {
        return body.getBytes(StandardCharsets.UTF_8);
    }

    private static String rolloutVerb(String outcome) {
        if (outcome == null) return "did not roll out";
        switch (outcome) {
            case "RolledBack":
                return "rolled back";
            case "Aborted":
                return "aborted";
            case "Superseded":
                return "superseded";
            default:
                return outcome;
        }
    }

    /** The message's part after "OUTCOME: REVISION", e.g. " (AlarmTriggered: ...)"; the whole message otherwise. */
    private static String rolloutDetail(Event e, String message) {
        String prefix = e.reason() + ": " + e.revision();
        if (message.startsWith(prefix)) return message.substring(prefix.length());
        return message.isBlank() ? "" : " (" + message + ")";
    }

    /** Line breaks and runs of blanks become one space. */
    static String oneLine(String text) {
        return text.replaceAll("[\\s\\p{Cntrl}]+", " ").strip();
    }

    /** Slack's mrkdwn escapes: &amp; &lt; &gt;. */
    static String slackEscape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}

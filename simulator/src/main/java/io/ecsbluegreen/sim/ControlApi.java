package io.ecsbluegreen.sim;

import io.ecsbluegreen.sim.protocol.AwsDates;
import io.ecsbluegreen.sim.protocol.Json;
import io.ecsbluegreen.sim.protocol.SimRequest;
import io.ecsbluegreen.sim.protocol.SimResponse;
import io.ecsbluegreen.sim.sns.PublishedMessage;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The simulator's own HTTP endpoints under {@code /_sim/}, served on the same port as the services.
 * No S3 bucket can be named {@code _sim}, so the prefix never hides a path-style S3 request.
 */
final class ControlApi {

    static final String PREFIX = "/_sim/";
    private static final String JSON = "application/json";

    private final AwsSimulator simulator;

    ControlApi(AwsSimulator simulator) {
        this.simulator = simulator;
    }

    static boolean handles(SimRequest request) {
        return request.rawPath().startsWith(PREFIX);
    }

    SimResponse handle(SimRequest request) {
        String route = request.method() + " " + request.rawPath();
        return switch (route) {
            case "GET /_sim/health" -> ok(Json.object().field("status", "UP").build());
            case "GET /_sim/stats" -> ok(simulator.stats().toJson());
            case "POST /_sim/stats/reset" -> {
                simulator.resetStats();
                yield SimResponse.empty(204);
            }
            case "GET /_sim/clock" -> ok(clockJson());
            case "POST /_sim/clock/advance" -> advanceClock(request);
            case "GET /_sim/sns/published" -> ok(published(request.queryParam("topicArn")));
            default -> error(knownPath(request.rawPath()) ? 405 : 404, "no control endpoint " + route);
        };
    }

    private SimResponse advanceClock(SimRequest request) {
        String seconds = request.queryParam("seconds");
        String duration = request.queryParam("duration");
        Duration amount;
        try {
            if (seconds != null) {
                amount = Duration.ofMillis(Math.round(Double.parseDouble(seconds) * 1000));
            } else if (duration != null) {
                amount = Duration.parse(duration);
            } else {
                return error(400, "give ?seconds=N or ?duration=PT30S");
            }
            simulator.clock().advance(amount);
        } catch (NumberFormatException | DateTimeParseException e) {
            return error(400, "not a duration: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return error(400, e.getMessage());
        }
        return ok(clockJson());
    }

    private String clockJson() {
        SimClock clock = simulator.clock();
        return Json.object()
                .field("mode", clock.mode().name())
                .field("now", AwsDates.iso8601(clock.instant()))
                .field("advancedSeconds", clock.advanced().toSeconds())
                .build();
    }

    /** The messages SNS topics accepted, oldest first per topic: all topics, or the one named. */
    private String published(String topicArn) {
        List<PublishedMessage> messages = topicArn == null ? simulator.sns().published() : simulator.sns().published(topicArn);
        List<String> items = new ArrayList<>();
        for (PublishedMessage m : messages) {
            Json attributes = Json.object();
            m.attributes().forEach((name, a) -> attributes.raw(name, Json.object().field("dataType", a.dataType())
                    .field("stringValue", a.stringValue())
                    .field("binaryValue", a.binaryValue() == null ? null : Base64.getEncoder().encodeToString(a.binaryValue()))
                    .build()));
            items.add(Json.object()
                    .field("messageId", m.messageId())
                    .field("topicArn", m.topicArn())
                    .field("time", AwsDates.iso8601(m.time()))
                    .field("subject", m.subject())
                    .field("message", m.message())
                    .field("messageStructure", m.messageStructure())
                    .raw("messageAttributes", attributes.build())
                    .field("messageGroupId", m.messageGroupId())
                    .field("sequenceNumber", m.sequenceNumber())
                    .build());
        }
        return Json.object().raw("messages", "[" + String.join(",", items) + "]").build();
    }

    private static boolean knownPath(String path) {
        return switch (path) {
            case "/_sim/health", "/_sim/stats", "/_sim/stats/reset", "/_sim/clock", "/_sim/clock/advance",
                    "/_sim/sns/published" -> true;
            default -> false;
        };
    }

    private static SimResponse ok(String json) {
        return SimResponse.json(200, JSON, json);
    }

    private static SimResponse error(int status, String message) {
        return SimResponse.json(status, JSON, Json.object().field("message", message).build());
    }
}

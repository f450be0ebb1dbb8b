package io.ecsbluegreen.sim;

import io.ecsbluegreen.sim.protocol.AwsDates;
import io.ecsbluegreen.sim.protocol.Json;
import io.ecsbluegreen.sim.protocol.SimRequest;
import io.ecsbluegreen.sim.protocol.SimResponse;
import java.time.Duration;
import java.time.format.DateTimeParseException;

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

    private static boolean knownPath(String path) {
        return switch (path) {
            case "/_sim/health", "/_sim/stats", "/_sim/stats/reset", "/_sim/clock", "/_sim/clock/advance" -> true;
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

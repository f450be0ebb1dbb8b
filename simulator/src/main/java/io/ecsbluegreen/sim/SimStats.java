package io.ecsbluegreen.sim;

import io.ecsbluegreen.sim.protocol.Json;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A snapshot of the API calls the simulator received since it started or since the last reset.
 * Every call that named an action counts in {@link #calls}, including the ones answered with a
 * throttling error ({@link #throttled}) or an injected fault ({@link #faults}).
 *
 * @param calls calls per action
 * @param throttled calls per action answered with the service's throttling error
 * @param faults calls per action answered with an injected error
 */
public record SimStats(Map<ApiAction, Long> calls, Map<ApiAction, Long> throttled, Map<ApiAction, Long> faults) {

    public SimStats {
        calls = Collections.unmodifiableMap(new TreeMap<>(calls));
        throttled = Collections.unmodifiableMap(new TreeMap<>(throttled));
        faults = Collections.unmodifiableMap(new TreeMap<>(faults));
    }

    /** Calls of one action, 0 when none. */
    public long calls(String service, String action) {
        return calls.getOrDefault(new ApiAction(service, action), 0L);
    }

    /** Throttled calls of one action, 0 when none. */
    public long throttled(String service, String action) {
        return throttled.getOrDefault(new ApiAction(service, action), 0L);
    }

    /** Calls of one action answered with an injected fault, 0 when none. */
    public long faults(String service, String action) {
        return faults.getOrDefault(new ApiAction(service, action), 0L);
    }

    /** All calls of all actions. */
    public long totalCalls() {
        return calls.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Calls of every action of one service. */
    public long totalCalls(String service) {
        return calls.entrySet().stream()
                .filter(e -> e.getKey().service().equals(service))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    /**
     * The JSON the control endpoint {@code GET /_sim/stats} answers:
     * {@code {"total":3,"calls":{"s3:PutObject":2,...},"throttled":{...},"faults":{...}}}.
     */
    public String toJson() {
        return Json.object()
                .field("total", totalCalls())
                .raw("calls", counts(calls))
                .raw("throttled", counts(throttled))
                .raw("faults", counts(faults))
                .build();
    }

    private static String counts(Map<ApiAction, Long> counts) {
        Json json = Json.object();
        counts.forEach((api, count) -> json.field(api.toString(), count));
        return json.build();
    }
}

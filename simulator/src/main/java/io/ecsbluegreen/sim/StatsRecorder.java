package io.ecsbluegreen.sim;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/** Counts calls, throttled calls and injected faults per API action, lock-free. */
final class StatsRecorder {

    private final Map<ApiAction, LongAdder> calls = new ConcurrentHashMap<>();
    private final Map<ApiAction, LongAdder> throttled = new ConcurrentHashMap<>();
    private final Map<ApiAction, LongAdder> faults = new ConcurrentHashMap<>();

    void call(ApiAction api) {
        calls.computeIfAbsent(api, k -> new LongAdder()).increment();
    }

    void throttled(ApiAction api) {
        throttled.computeIfAbsent(api, k -> new LongAdder()).increment();
    }

    void fault(ApiAction api) {
        faults.computeIfAbsent(api, k -> new LongAdder()).increment();
    }

    SimStats snapshot() {
        return new SimStats(sums(calls), sums(throttled), sums(faults));
    }

    void reset() {
        calls.clear();
        throttled.clear();
        faults.clear();
    }

    private static Map<ApiAction, Long> sums(Map<ApiAction, LongAdder> counters) {
        return counters.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().sum()));
    }
}

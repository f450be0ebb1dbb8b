package io.ecsbluegreen.sim.cloudwatch;

import io.ecsbluegreen.sim.spi.LoadBalancerMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** An in-test data plane: the requests each target group served, with status and latency. */
final class FakeTraffic implements LoadBalancerMetrics {

    private record Request(Instant time, int status, double latencySeconds) {}

    private final Map<String, List<Request>> served = new ConcurrentHashMap<>();
    private final List<String> queried = new CopyOnWriteArrayList<>();

    /** Records {@code count} requests answered with {@code status} after {@code latencySeconds}. */
    FakeTraffic serve(String targetGroup, Instant time, int count, int status, double latencySeconds) {
        List<Request> requests = served.computeIfAbsent(targetGroup, k -> new CopyOnWriteArrayList<>());
        for (int i = 0; i < count; i++) {
            requests.add(new Request(time, status, latencySeconds));
        }
        return this;
    }

    /** The target groups CloudWatch asked about, one entry per window. */
    List<String> queried() {
        return List.copyOf(queried);
    }

    @Override
    public Window window(String targetGroupDimension, Instant start, Instant end) {
        queried.add(targetGroupDimension);
        List<Double> latencies = new ArrayList<>();
        long c2 = 0;
        long c4 = 0;
        long c5 = 0;
        for (Request r : served.getOrDefault(targetGroupDimension, List.of())) {
            if (r.time().isBefore(start) || !r.time().isBefore(end)) {
                continue;
            }
            latencies.add(r.latencySeconds());
            switch (r.status() / 100) {
                case 2 -> c2++;
                case 4 -> c4++;
                case 5 -> c5++;
                default -> { }
            }
        }
        if (latencies.isEmpty()) {
            return Window.EMPTY;
        }
        latencies.sort(Double::compare);
        double average = latencies.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double p99 = latencies.get((int) Math.ceil(0.99 * latencies.size()) - 1);
        return new Window(latencies.size(), c5, c4, c2, p99, average);
    }
}

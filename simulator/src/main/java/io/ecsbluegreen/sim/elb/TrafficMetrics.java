package io.ecsbluegreen.sim.elb;

import io.ecsbluegreen.sim.spi.LoadBalancerMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What the data plane served, per target group, in one-second buckets of the simulator clock: request
 * count, target responses by class, ELB-generated 5xx, and every target response time (to compute exact
 * percentiles). Buckets older than {@link #RETENTION} before the newest one are dropped. Thread-safe.
 */
final class TrafficMetrics implements LoadBalancerMetrics {

    /** How much history is kept per target group, counted back from its newest bucket. */
    static final Duration RETENTION = Duration.ofDays(15);

    /** The outcome of one request a listener routed to a target group. */
    enum Outcome {
        TARGET_2XX, TARGET_3XX, TARGET_4XX, TARGET_5XX,
        /** The load balancer answered itself (no target, target unreachable, timeout). */
        ELB_5XX;

        static Outcome ofTargetStatus(int status) {
            if (status >= 500) {
                return TARGET_5XX;
            }
            if (status >= 400) {
                return TARGET_4XX;
            }
            return status >= 300 ? TARGET_3XX : TARGET_2XX;
        }
    }

    private static final class Bucket {
        long requests;
        long target2xx;
        long target3xx;
        long target4xx;
        long target5xx;
        long elb5xx;
        double[] latencies = new double[4];
        int latencyCount;

        void add(Outcome outcome, double latencySeconds) {
            requests++;
            switch (outcome) {
                case TARGET_2XX -> target2xx++;
                case TARGET_3XX -> target3xx++;
                case TARGET_4XX -> target4xx++;
                case TARGET_5XX -> target5xx++;
                case ELB_5XX -> elb5xx++;
            }
            if (outcome != Outcome.ELB_5XX) {
                if (latencyCount == latencies.length) {
                    latencies = Arrays.copyOf(latencies, latencies.length * 2);
                }
                latencies[latencyCount++] = latencySeconds;
            }
        }
    }

    /**
     * Totals over a window, including what {@link LoadBalancerMetrics.Window} leaves out.
     *
     * @param targetResponseTimes every target response time in the window, sorted
     */
    record Totals(long requests, long target2xx, long target3xx, long target4xx, long target5xx, long elb5xx,
                  double[] targetResponseTimes) {

        double percentile(double p) {
            if (targetResponseTimes.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(p / 100.0 * targetResponseTimes.length);
            return targetResponseTimes[Math.max(0, Math.min(rank, targetResponseTimes.length) - 1)];
        }

        double average() {
            return targetResponseTimes.length == 0 ? Double.NaN
                    : Arrays.stream(targetResponseTimes).average().orElse(Double.NaN);
        }

        Window toWindow() {
            return new Window(requests, target5xx, target4xx, target2xx, percentile(99), average());
        }
    }

    private final Map<String, TreeMap<Long, Bucket>> byDimension = new HashMap<>();

    /** Records one request routed to the target group with this CloudWatch dimension. */
    synchronized void record(String targetGroupDimension, Instant at, Outcome outcome, Duration latency) {
        TreeMap<Long, Bucket> buckets = byDimension.computeIfAbsent(targetGroupDimension, k -> new TreeMap<>());
        long second = at.getEpochSecond();
        buckets.computeIfAbsent(second, k -> new Bucket()).add(outcome, latency.toNanos() / 1e9);
        long oldest = second - RETENTION.getSeconds();
        while (!buckets.isEmpty() && buckets.firstKey() < oldest) {
            buckets.pollFirstEntry();
        }
    }

    /** Totals in [{@code start}, {@code end}) for one target group. */
    synchronized Totals totals(String targetGroupDimension, Instant start, Instant end) {
        TreeMap<Long, Bucket> buckets = byDimension.get(targetGroupDimension);
        if (buckets == null) {
            return new Totals(0, 0, 0, 0, 0, 0, new double[0]);
        }
        long from = start.getEpochSecond() + (start.getNano() > 0 ? 1 : 0);
        long to = end.getEpochSecond() + (end.getNano() > 0 ? 1 : 0);
        NavigableMap<Long, Bucket> window = buckets.subMap(from, true, to, false);
        long requests = 0;
        long t2 = 0;
        long t3 = 0;
        long t4 = 0;
        long t5 = 0;
        long e5 = 0;
        int samples = 0;
        for (Bucket bucket : window.values()) {
            requests += bucket.requests;
            t2 += bucket.target2xx;
            t3 += bucket.target3xx;
            t4 += bucket.target4xx;
            t5 += bucket.target5xx;
            e5 += bucket.elb5xx;
            samples += bucket.latencyCount;
        }
        double[] latencies = new double[samples];
        int at = 0;
        for (Bucket bucket : window.values()) {
            System.arraycopy(bucket.latencies, 0, latencies, at, bucket.latencyCount);
            at += bucket.latencyCount;
        }
        Arrays.sort(latencies);
        return new Totals(requests, t2, t3, t4, t5, e5, latencies);
    }

    @Override
    public Window window(String targetGroupDimension, Instant start, Instant end) {
        return totals(targetGroupDimension, start, end).toWindow();
    }

    synchronized void clear() {
        byDimension.clear();
    }
}

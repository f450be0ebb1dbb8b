package io.ecsbluegreen.lease;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Lease metrics: {@code bluegreen.leases.held}, {@code bluegreen.leases.live.replicas},
 * {@code bluegreen.leases.table.reachable} (gauges) and {@code bluegreen.leases.acquired},
 * {@code .lost}, {@code .stolen} (taken over after the holder's lease expired), {@code .released}
 * (counters). Acquired plus released counts the moves of services between replicas.
 */
public final class LeaseMetrics implements LeaseManager.Listener {
    private final Counter acquired;
    private final Counter lost;
    private final Counter stolen;
    private final Counter released;

    public LeaseMetrics(MeterRegistry registry, LeaseManager manager) {
        acquired = Counter.builder("bluegreen.leases.acquired").description("Leases this replica acquired").register(registry);
        lost = Counter.builder("bluegreen.leases.lost").description("Leases that lapsed unrenewed or were found taken").register(registry);
        stolen = Counter.builder("bluegreen.leases.stolen").description("Leases taken over after another replica's expired")
                .register(registry);
        released = Counter.builder("bluegreen.leases.released").description("Leases this replica gave up").register(registry);
        Gauge.builder("bluegreen.leases.held", manager, m -> m.held().size()).description("Leases this replica holds").register(registry);
        Gauge.builder("bluegreen.leases.live.replicas", manager, LeaseManager::liveReplicas)
                .description("Live replicas seen in the lease table").register(registry);
        Gauge.builder("bluegreen.leases.table.reachable", manager, m -> m.reachable() ? 1 : 0)
                .description("1 when the last lease round reached the table").register(registry);
    }

    @Override
    public void acquired(String service, String takenFrom) {
        acquired.increment();
        if (takenFrom != null) stolen.increment();
    }

    @Override
    public void lost(String service) {
        lost.increment();
    }

    @Override
    public void released(String service) {
        released.increment();
    }
}

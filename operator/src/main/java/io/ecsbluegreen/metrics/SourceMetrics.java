package io.ecsbluegreen.metrics;

import io.ecsbluegreen.desired.DesiredState;
import io.ecsbluegreen.desired.SourceStatus;
import io.ecsbluegreen.desired.SyncListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The desired-state sources' metrics. Gauges read the store's current snapshot when scraped, so they
 * can never drift from what the API shows.
 *
 * <ul>
 *   <li>{@code bluegreen_source_sync_total{source,result}}: syncs by outcome ({@code success}, {@code failure});</li>
 *   <li>{@code bluegreen_source_last_success_timestamp_seconds{source}}: Unix time of the last good sync (NaN before);</li>
 *   <li>{@code bluegreen_source_healthy{source}}: 1 when the latest sync succeeded, else 0;</li>
 *   <li>{@code bluegreen_source_invalid_files{source}}: files whose current version has errors;</li>
 *   <li>{@code bluegreen_desired_services{source}}: services declared by the source's valid files;</li>
 *   <li>{@code bluegreen_source_held{source}}: 1 while the removal guard holds the source's newest snapshot, else 0;</li>
 *   <li>{@code bluegreen_source_held_removals{source}}: services the held snapshot would remove (0 when not held).</li>
 * </ul>
 */
public final class SourceMetrics implements SyncListener {
    private final MeterRegistry registry;
    private final Supplier<DesiredState> state;

    public SourceMetrics(MeterRegistry registry, Supplier<DesiredState> state) {
        this.registry = registry;
        this.state = state;
    }

    /** Registers the gauges of one source. */
    @Override
    public void register(String source) {
        gauge("bluegreen.source.last.success.timestamp.seconds", source, "Unix time of the source's last successful sync",
                s -> s.lastSuccess() == null ? Double.NaN : s.lastSuccess().toEpochMilli() / 1000.0);
        gauge("bluegreen.source.healthy", source, "1 when the source's latest sync succeeded, else 0", s -> s.healthy() ? 1 : 0);
        gauge("bluegreen.source.invalid.files", source, "Files of the source whose current version has errors",
                s -> s.invalidFiles().size());
        gauge("bluegreen.desired.services", source, "Services declared by the source's valid files", SourceStatus::services);
        gauge("bluegreen.source.held", source, "1 while the removal guard holds the source's newest snapshot, else 0",
                s -> s.held() ? 1 : 0);
        gauge("bluegreen.source.held.removals", source, "Services the source's held snapshot would remove; 0 when not held",
                s -> s.held() ? s.hold().removed().size() : 0);
        for (String result : new String[] {"success", "failure"}) {
            counter(source, result);
        }
    }

    /** Counts one sync of {@code source}. */
    @Override
    public void synced(String source, boolean success) {
        counter(source, success ? "success" : "failure").increment();
    }

    private Counter counter(String source, String result) {
        return Counter.builder("bluegreen.source.sync")
                .description("Syncs of a desired-state source, by result")
                .tag("source", source).tag("result", result)
                .register(registry);
    }

    private void gauge(String name, String source, String help, ToDoubleFunction<SourceStatus> value) {
        Gauge.builder(name, state, s -> s.get().sources().stream().filter(x -> x.source().equals(source)).findFirst()
                        .map(value::applyAsDouble).orElse(Double.NaN))
                .description(help)
                .tag("source", source)
                .register(registry);
    }
}

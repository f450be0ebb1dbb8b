package io.ecsbluegreen.desired;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An immutable view of everything the operator wants, across all sources; services sorted by name. */
public record DesiredState(Map<String, DesiredService> services, List<SourceStatus> sources) {

    public static final DesiredState EMPTY = new DesiredState(Map.of(), List.of());

    public DesiredState {
        services = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(services));
        sources = List.copyOf(sources);
    }

    public Optional<DesiredService> service(String name) {
        return Optional.ofNullable(services.get(name));
    }

    /** Whether every source's latest sync succeeded (and each has synced at least once) and none is held. */
    public boolean allSourcesHealthy() {
        return sources.stream().allMatch(s -> s.healthy() && !s.held());
    }
}

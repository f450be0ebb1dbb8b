package io.ecsbluegreen.plan;

import io.ecsbluegreen.model.ListenerRef;
import io.ecsbluegreen.model.TrafficSpec;

/**
 * The {@code serverName}s a spec gives its listeners ({@code spec.traffic.production.serverName},
 * {@code spec.traffic.test.serverName}); null where it gives none.
 */
public record ServerNames(String production, String test) {
    public static final ServerNames NONE = new ServerNames(null, null);

    public static ServerNames of(TrafficSpec traffic) {
        return new ServerNames(name(traffic.production()), name(traffic.test()));
    }

    private static String name(ListenerRef ref) {
        return ref == null ? null : ref.serverName();
    }
}

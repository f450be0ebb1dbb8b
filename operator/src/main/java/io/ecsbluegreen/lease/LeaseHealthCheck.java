package io.ecsbluegreen.lease;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/** Readiness of the leases: down while the lease table cannot be reached (this replica then writes nothing for long). */
public final class LeaseHealthCheck implements HealthCheck {
    private final LeaseService leases;

    public LeaseHealthCheck(LeaseService leases) {
        this.leases = leases;
    }

    @Override
    public HealthCheckResponse call() {
        if (leases.manager().isEmpty()) return HealthCheckResponse.named("leases").up().withData("leases", "off").build();
        LeaseManager m = leases.manager().get();
        return HealthCheckResponse.named("leases").status(m.reachable())
                .withData("replica", m.settings().replicaId())
                .withData("held", m.held().size())
                .withData("liveReplicas", m.liveReplicas())
                .withData("table", m.reachable() ? "reachable" : "unreachable: this replica stops writing as its leases lapse")
                .build();
    }
}

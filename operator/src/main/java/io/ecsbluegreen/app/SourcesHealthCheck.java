package io.ecsbluegreen.app;

import io.ecsbluegreen.desired.DesiredState;
import io.ecsbluegreen.desired.SourceStatus;
import io.ecsbluegreen.desired.DesiredStateStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the desired state: down while any source's latest sync failed (or none happened yet), or
 * a source is held by the removal guard, so that an unreadable git repository or bucket, or one that
 * suddenly declares far fewer services, shows in {@code /q/health}. It is not a liveness check:
 * restarting the operator would not repair a source.
 */
@Readiness
@ApplicationScoped
public class SourcesHealthCheck implements HealthCheck {
    private final DesiredStateStore store;

    public SourcesHealthCheck(DesiredStateStore store) {
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        DesiredState state = store.current();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("desired-state sources").status(state.allSourcesHealthy());
        for (SourceStatus s : state.sources()) {
            response.withData(s.source(), s.held() ? "held: " + s.hold().reason() + ": " + s.hold().message()
                    + " (confirm with `bluegreen sources confirm " + s.source() + "`)"
                    : s.healthy() ? "ok at " + s.revision() + ", " + s.services() + " services, " + s.invalidFiles().size() + " invalid files"
                    : "failing: " + s.error() + (s.lastSuccess() == null ? "" : " (last success " + s.lastSuccess() + ")"));
        }
        return response.build();
    }
}

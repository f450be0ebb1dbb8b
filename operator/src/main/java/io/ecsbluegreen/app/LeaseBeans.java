package io.ecsbluegreen.app;

import io.ecsbluegreen.lease.LeaseManager;
import io.ecsbluegreen.lease.LeaseService;
import io.ecsbluegreen.lease.LeaseMetrics;
import io.ecsbluegreen.lease.LeaseHealthCheck;
import io.ecsbluegreen.lease.SdkLeaseTable;
import io.ecsbluegreen.aws.AwsClients;
import io.ecsbluegreen.config.OperatorConfig;
import io.ecsbluegreen.config.OperatorInstance;
import io.ecsbluegreen.desired.DesiredStateStore;
import io.ecsbluegreen.loop.Engine;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import io.ecsbluegreen.status.StatusBook;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.Readiness;

/** Wires the leases from {@code bluegreen.leases.*}: off by default (one replica owns everything). Only this class knows CDI. */
@ApplicationScoped
public class LeaseBeans {

    @Produces
    @Singleton
    LeaseService leases(OperatorConfig config, AwsClients aws, DesiredStateStore store, Clock clock, MeterRegistry registry,
                        StatusBook book) {
        OperatorConfig.Leases c = config.leases();
        if (!c.enabled()) return LeaseService.off();
        LeaseManager.Settings settings = new LeaseManager.Settings(OperatorInstance.replicaId(c), c.duration(), c.renewInterval(),
                c.skewMargin());
        SdkLeaseTable table = new SdkLeaseTable(aws.dynamoDb(), c.table());
        LeaseManager manager = new LeaseManager(table, () -> Set.copyOf(store.current().services().keySet()), clock, settings);
        manager.addListener(new LeaseMetrics(registry, manager));
        manager.addListener(new LeaseManager.Listener() {
            @Override
            public void owners(Map<String, String> owners) {
                // Status, the API and the dashboard show who owns each service, on every replica.
                owners.forEach(book::ownedBy);
            }
        });
        return LeaseService.of(manager, () -> table.ensureTable());
    }

    @Produces
    @Singleton
    Engine.Ownership ownership(LeaseService leases) {
        return leases.ownership();
    }

    @Produces
    @Readiness
    @Singleton
    HealthCheck leaseHealth(LeaseService leases) {
        return new LeaseHealthCheck(leases);
    }

    void start(@Observes StartupEvent event, OperatorConfig config, LeaseService leases, Engine engine) {
        if (config.reconcile().enabled()) leases.start(engine::acquired);
    }

    void stop(@Observes ShutdownEvent event, LeaseService leases, Engine engine) {
        // The engine stops writing first; only then may another replica take the services at once.
        engine.close();
        leases.close();
    }
}

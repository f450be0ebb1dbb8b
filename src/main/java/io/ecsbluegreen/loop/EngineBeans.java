package io.ecsbluegreen.loop;

import io.ecsbluegreen.act.Actor;
import io.ecsbluegreen.act.SdkAlarmPort;
import io.ecsbluegreen.act.SdkEcsPort;
import io.ecsbluegreen.act.SdkElbPort;
import io.ecsbluegreen.config.AwsClients;
import io.ecsbluegreen.config.OperatorConfig;
import io.ecsbluegreen.desired.DesiredStateStore;
import io.ecsbluegreen.metrics.EngineMetrics;
import io.ecsbluegreen.observe.Observer;
import io.ecsbluegreen.status.StatusBook;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Wires the reconcile engine from configuration: one observer and actor per region (their caches are
 * per region too), the status book with its metrics, and the engine, started once the application is
 * up and fed by the desired-state store. Only this class knows CDI.
 */
@ApplicationScoped
public class EngineBeans {
    private static final Logger LOG = Logger.getLogger(EngineBeans.class);

    @Produces
    @Singleton
    StatusBook statusBook(Clock clock) {
        return new StatusBook(clock);
    }

    @Produces
    @Singleton
    EngineMetrics engineMetrics(MeterRegistry registry, Clock clock, StatusBook book) {
        EngineMetrics metrics = new EngineMetrics(registry, clock);
        book.addListener(metrics);
        return metrics;
    }

    @Produces
    @Singleton
    Engine engine(OperatorConfig config, AwsClients aws, DesiredStateStore store, StatusBook book, EngineMetrics metrics,
                  Clock clock) {
        OperatorConfig.Reconcile r = config.reconcile();
        Engine.Settings settings = new Engine.Settings(r.workers(), r.batchSize(), r.resync(), r.ratePerSecond(), r.burst(),
                new WorkQueue.Backoff(r.backoffBase(), r.backoffMax()));
        Map<String, Reconciler> byRegion = new ConcurrentHashMap<>();
        return new Engine(store::current, region -> byRegion.computeIfAbsent(aws.region(region).id(), id -> {
            SdkEcsPort ecs = new SdkEcsPort(aws.ecs(id));
            SdkElbPort elb = new SdkElbPort(aws.elb(id));
            return new Reconciler(new Observer(ecs, elb, new SdkAlarmPort(aws.cloudWatch(id))), new Actor(ecs, elb), clock);
        }), clock, settings, book, Engine.Ownership.ALL, metrics);
    }

    void start(@Observes StartupEvent event, OperatorConfig config, Engine engine, DesiredStateStore store) {
        if (!config.reconcile().enabled()) {
            LOG.info("reconciling is off (bluegreen.reconcile.enabled=false): the desired state is read and reported only");
            return;
        }
        store.addListener(engine::desiredChanged);
        engine.desiredChanged(store.current());
        engine.start();
    }

    void stop(@Observes ShutdownEvent event, Engine engine) {
        engine.close();
    }
}

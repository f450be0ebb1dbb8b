package io.ecsbluegreen.app;

import io.ecsbluegreen.loop.WorkQueue;
import io.ecsbluegreen.loop.ClientReconcilers;
import io.ecsbluegreen.loop.Engine;
import io.ecsbluegreen.events.EventLog;
import io.ecsbluegreen.hooks.HookRunner;
import io.ecsbluegreen.aws.AwsClients;
import io.ecsbluegreen.config.OperatorConfig;
import io.ecsbluegreen.config.OperatorInstance;
import io.ecsbluegreen.plan.OperatorOwnership;
import io.ecsbluegreen.config.TlsTrust;
import io.ecsbluegreen.desired.DesiredStateStore;
import io.ecsbluegreen.metrics.EngineMetrics;
import io.ecsbluegreen.status.StatusBook;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Wires the reconcile engine from configuration: one reconciler per region and identity (see
 * {@link ClientReconcilers}), the status book with its metrics, and the engine, started once the application is
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
    EventLog eventLog(Clock clock, StatusBook book) {
        EventLog events = new EventLog(clock);
        book.addListener(events);
        return events;
    }

    @Produces
    @Singleton
    Engine engine(OperatorConfig config, AwsClients aws, DesiredStateStore store, StatusBook book, EngineMetrics metrics,
                  EventLog events, Clock clock, Engine.Ownership ownership) {
        OperatorConfig.Reconcile r = config.reconcile();
        Engine.Settings settings = new Engine.Settings(r.workers(), r.batchSize(), r.resync(), r.ratePerSecond(), r.burst(),
                new WorkQueue.Backoff(r.backoffBase(), r.backoffMax()), r.healthWatchInterval());
        // Hooks wake their service when they end; the engine exists only once built, hence the holder.
        AtomicReference<Engine> built = new AtomicReference<>();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .sslContext(TlsTrust.context(config.tls().caBundle())).build();
        ClientReconcilers.Wiring wiring = new ClientReconcilers.Wiring((service, run) -> {
            book.hookRan(service, run);
            metrics.hookRan(service, run);
            events.hookRan(service, run);
        }, (service, measurement) -> {
            book.measured(service, measurement);
            metrics.measured(service, measurement);
            events.measured(service, measurement);
        }, name -> built.get().enqueue(name), HookRunner.TaskPolling.DEFAULT, r.healthWatchTargetHealthReadsPerSecond());
        // With leases, the lease decides who writes; the heartbeat tags would only delay a takeover.
        self = config.leases().enabled() ? null : OperatorInstance.of(config.instance());
        reconcilers = new ClientReconcilers(aws, http, clock, wiring, self);
        Engine engine = new Engine(store::current, reconcilers, clock, settings, book, ownership,
                (service, result, took, plan) -> {
                    metrics.passed(service, result, took, plan);
                    events.passed(service, result, took, plan);
                });
        built.set(engine);
        metrics.watchQueue(engine::backlog);
        return engine;
    }

    private volatile ClientReconcilers reconcilers;

    /** Whether no hook run of the engine waits for an answer (tests move a simulated clock only then). */
    public boolean hooksWaitOnClockOnly() {
        ClientReconcilers r = reconcilers;
        return r == null || r.hooksWaitOnClockOnly();
    }
    private volatile OperatorOwnership.Self self;

    void start(@Observes StartupEvent event, OperatorConfig config, Engine engine, DesiredStateStore store, EventLog events) {
        store.addListener(events::desiredChanged);
        events.desiredChanged(store.current());
        if (!config.reconcile().enabled()) {
            LOG.info("reconciling is off (bluegreen.reconcile.enabled=false): the desired state is read and reported only");
            return;
        }
        if (self != null) {
            LOG.infof("operator instance %s: does not write to a service another instance wrote to in the last %ds;"
                    + " run one replica until leases exist (docs/operating.md#replicas)", self.id(), self.takeoverAfter().toSeconds());
        }
        store.addListener(engine::desiredChanged);
        engine.desiredChanged(store.current());
        engine.start();
    }

    void stop(@Observes ShutdownEvent event, Engine engine) {
        engine.close();
        if (reconcilers != null) reconcilers.close();
    }
}

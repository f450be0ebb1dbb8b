package io.ecsbluegreen.loop;

import io.ecsbluegreen.act.Actor;
import io.ecsbluegreen.act.SdkAlarmPort;
import io.ecsbluegreen.act.SdkEndpoints;
import io.ecsbluegreen.act.SdkLambdaPort;
import io.ecsbluegreen.analysis.AnalysisRunner;
import io.ecsbluegreen.analysis.HttpProbeMeasurer;
import io.ecsbluegreen.analysis.PrometheusMeasurer;
import io.ecsbluegreen.analysis.SdkMetricsPort;
import io.ecsbluegreen.analysis.TargetGroupMetricMeasurer;
import io.ecsbluegreen.events.EventLog;
import io.ecsbluegreen.act.SdkTaskPort;
import io.ecsbluegreen.hooks.HookRunner;
import io.ecsbluegreen.act.SdkEcsPort;
import io.ecsbluegreen.act.SdkElbPort;
import io.ecsbluegreen.config.AwsClients;
import io.ecsbluegreen.config.OperatorConfig;
import io.ecsbluegreen.config.TlsTrust;
import io.ecsbluegreen.desired.DesiredStateStore;
import io.ecsbluegreen.metrics.EngineMetrics;
import io.ecsbluegreen.observe.HealthReadBudget;
import io.ecsbluegreen.observe.Observer;
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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
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
    EventLog eventLog(Clock clock, StatusBook book) {
        EventLog events = new EventLog(clock);
        book.addListener(events);
        return events;
    }

    @Produces
    @Singleton
    Engine engine(OperatorConfig config, AwsClients aws, DesiredStateStore store, StatusBook book, EngineMetrics metrics,
                  EventLog events, Clock clock) {
        OperatorConfig.Reconcile r = config.reconcile();
        Engine.Settings settings = new Engine.Settings(r.workers(), r.batchSize(), r.resync(), r.ratePerSecond(), r.burst(),
                new WorkQueue.Backoff(r.backoffBase(), r.backoffMax()), r.healthWatchInterval());
        Map<String, Reconciler> byRegion = new ConcurrentHashMap<>();
        // Hooks wake their service when they end; the engine exists only once built, hence the holder.
        AtomicReference<Engine> built = new AtomicReference<>();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .sslContext(TlsTrust.context(config.tls().caBundle())).build();
        Engine engine = new Engine(store::current, region -> byRegion.computeIfAbsent(aws.region(region).id(), id -> {
            SdkEcsPort ecs = new SdkEcsPort(aws.ecs(id), clock);
            SdkElbPort elb = new SdkElbPort(aws.elb(id));
            HookRunner hooks = new HookRunner(new SdkLambdaPort(aws.lambda(id)), new SdkTaskPort(aws.ecs(id)),
                    new SdkEndpoints(aws.elb(id)), http, clock, (service, run) -> {
                        book.hookRan(service, run);
                        metrics.hookRan(service, run);
                        events.hookRan(service, run);
                    }, name -> built.get().enqueue(name), HOOK_THREADS);
            runners.add(hooks);
            AnalysisRunner analysis = new AnalysisRunner(new TargetGroupMetricMeasurer(new SdkMetricsPort(aws::cloudWatch)),
                    new PrometheusMeasurer(http), new HttpProbeMeasurer(http, new SdkEndpoints(aws.elb(id))), clock,
                    (service, measurement) -> {
                        book.measured(service, measurement);
                        metrics.measured(service, measurement);
                        events.measured(service, measurement);
                    }, name -> built.get().enqueue(name), ANALYSIS_THREADS);
            analysers.add(analysis);
            double reads = r.healthWatchTargetHealthReadsPerSecond();
            HealthReadBudget budget = new HealthReadBudget(clock, reads, (int) Math.ceil(reads));
            return new Reconciler(new Observer(ecs, elb, new SdkAlarmPort(aws.cloudWatch(id)), budget), new Actor(ecs, elb, hooks, analysis),
                    clock, hooks, analysis);
        }), clock, settings, book, Engine.Ownership.ALL, (service, result, took, plan) -> {
            metrics.passed(service, result, took, plan);
            events.passed(service, result, took, plan);
        });
        built.set(engine);
        return engine;
    }

    /** Hooks running at once per region at most. */
    static final int HOOK_THREADS = 8;

    /** Analysis measurements running at once per region at most. */
    static final int ANALYSIS_THREADS = 8;

    private final List<HookRunner> runners = new CopyOnWriteArrayList<>();
    private final List<AnalysisRunner> analysers = new CopyOnWriteArrayList<>();

    void start(@Observes StartupEvent event, OperatorConfig config, Engine engine, DesiredStateStore store, EventLog events) {
        store.addListener(events::desiredChanged);
        events.desiredChanged(store.current());
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
        runners.forEach(HookRunner::close);
        analysers.forEach(AnalysisRunner::close);
    }
}

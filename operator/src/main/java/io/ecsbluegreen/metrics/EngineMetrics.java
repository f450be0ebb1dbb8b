package io.ecsbluegreen.metrics;

import io.ecsbluegreen.observed.Measurement;
import io.ecsbluegreen.hooks.HookRun;
import io.ecsbluegreen.loop.Engine;
import io.ecsbluegreen.loop.WorkQueue;
import io.ecsbluegreen.plan.OperatorOwnership;
import io.ecsbluegreen.model.Phase;
import io.ecsbluegreen.plan.Plan;
import io.ecsbluegreen.status.RevisionLabel;
import io.ecsbluegreen.status.RolloutRecord;
import io.ecsbluegreen.status.ServiceReport;
import io.ecsbluegreen.status.StatusBook;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The reconcile engine's Prometheus metrics. Per-service gauges read the latest report, so a scrape
 * always sees the present; they are registered when a service first appears and removed with it, and
 * the traffic-weight series follow the revisions that carry traffic.
 *
 * <ul>
 *   <li>{@code bluegreen_reconcile_total{result}}: passes by result (success, requeue, error, terminal, skipped)</li>
 *   <li>{@code bluegreen_reconcile_duration_seconds}: time of a pass (histogram)</li>
 *   <li>{@code bluegreen_reconcile_queue_depth} and {@code bluegreen_reconcile_queue_oldest_wait_seconds}: services
 *       ready for a pass that wait for a worker, and the longest wait among them (see {@link #watchQueue})</li>
 *   <li>{@code bluegreen_service_phase{service,phase}}: 1 for the service's phase, 0 for the others
 *       ({@code Queued} from the moment its spec asks for a new revision until its pass)</li>
 *   <li>{@code bluegreen_service_converged{service}}: 1 when production serves the desired revision</li>
 *   <li>{@code bluegreen_traffic_weight{service,listener,revision}}: percent of a listener's traffic</li>
 *   <li>{@code bluegreen_service_revision_info{service,role,revision,images,source}}: 1 for the active and the
 *       desired revision, naming their images ({@code greeter:2.0.0}) and source (commit, S3 version, hash)</li>
 *   <li>{@code bluegreen_rollouts_total{service,outcome}} and {@code bluegreen_rollout_duration_seconds{outcome}}</li>
 *   <li>{@code bluegreen_service_identity_info{service,identity}}: 1, naming who acts in AWS for the service
 *       (its role ARN, or {@code operator}); one series per service</li>
 *   <li>{@code bluegreen_service_foreign_owner{service}}: 1 while another live operator instance writes to
 *       the service and this one does not (see {@link OperatorOwnership})</li>
 *   <li>{@code bluegreen_convergence_lag_seconds{service}}: how long the desired revision has waited; 0 when served</li>
 *   <li>{@code bluegreen_drift_corrections_total{service,kind}}: outside changes corrected</li>
 *   <li>{@code bluegreen_hook_runs_total{service,point,kind,outcome}} and {@code bluegreen_hook_duration_seconds{point,kind}}</li>
 * </ul>
 */
public final class EngineMetrics implements StatusBook.Listener, Engine.PassListener {
    static final String QUEUE_DEPTH = "bluegreen.reconcile.queue.depth";
    static final String QUEUE_OLDEST_WAIT = "bluegreen.reconcile.queue.oldest.wait.seconds";

    private final MeterRegistry registry;
    private final Clock clock;
    private final Timer.Builder passTimer;
    private final Map<String, ServiceMeters> services = new ConcurrentHashMap<>();

    /** The live report of one service and the meters reading it. */
    private final class ServiceMeters {
        volatile ServiceReport report;
        final List<Meter> fixed = new ArrayList<>();
        final Map<String, Meter> weights = new HashMap<>();
        final Map<String, Meter> checks = new HashMap<>();
        final Map<String, Meter> revisions = new HashMap<>();
        Meter identity;
        String identityName;

        ServiceMeters(ServiceReport first) {
            report = first;
            String name = first.name();
            for (Phase phase : Phase.values()) {
                fixed.add(Gauge.builder("bluegreen.service.phase", this, m -> m.report.phase() == phase ? 1 : 0)
                        .description("1 for the phase the service is in, 0 for the others")
                        .tags("service", name, "phase", phase.name()).register(registry));
            }
            fixed.add(Gauge.builder("bluegreen.service.converged", this, m -> m.report.converged() ? 1 : 0)
                    .description("1 when production serves the desired revision and nothing is left to do")
                    .tags("service", name).register(registry));
            fixed.add(Gauge.builder("bluegreen.service.foreign.owner", this,
                            m -> OperatorOwnership.OWNED_BY_ANOTHER_OPERATOR.equals(m.report.reason()) ? 1 : 0)
                    .description("1 while another live operator instance writes to the service and this one does not")
                    .tags("service", name).register(registry));
            fixed.add(Gauge.builder("bluegreen.convergence.lag.seconds", this,
                            m -> m.report.convergenceLag(clock.instant()).toMillis() / 1000.0)
                    .description("How long the desired revision has been waiting to be served; 0 when converged")
                    .tags("service", name).register(registry));
        }

        synchronized void update(ServiceReport next) {
            report = next;
            Map<String, Integer> wanted = new HashMap<>();
            next.productionWeights().forEach((rev, w) -> wanted.put("production\u0000" + rev, w));
            next.testWeights().forEach((rev, w) -> wanted.put("test\u0000" + rev, w));
            weights.entrySet().removeIf(e -> {
                if (wanted.containsKey(e.getKey())) return false;
                registry.remove(e.getValue());
                return true;
            });
            // Revision identity lives on an _info series (value 1), so that other series need no hash label
            // and a join (`* on(service) group_left(revision)`) names the revision when wanted.
            // It also names what the revision runs (images) and where it came from (source: the commit's short
            // SHA, the S3 version or ETag, the file's hash): one series per service and role, replaced when
            // any of them changes, so the cardinality stays at two per service.
            Map<String, String> roles = new HashMap<>();
            if (next.activeRevision() != null) roles.put(infoKey("active", next.label(next.activeRevision())), "active");
            if (next.desiredRevision() != null) roles.put(infoKey("desired", next.label(next.desiredRevision())), "desired");
            revisions.entrySet().removeIf(e -> {
                if (roles.containsKey(e.getKey())) return false;
                registry.remove(e.getValue());
                return true;
            });
            for (String key : roles.keySet()) {
                revisions.computeIfAbsent(key, k -> {
                    String[] parts = k.split("\u0000", 4);
                    return Gauge.builder("bluegreen.service.revision.info", () -> 1)
                            .description("1 for the service's active and desired revisions (labels revision, images, source)")
                            .tags("service", next.name(), "role", parts[0], "revision", parts[1], "images", parts[2],
                                    "source", parts[3]).register(registry);
                });
            }
            if (!next.identity().equals(identityName)) {
                // One series per service: the role changes rarely, and the old series goes when it does.
                if (identity != null) registry.remove(identity);
                identityName = next.identity();
                identity = Gauge.builder("bluegreen.service.identity.info", () -> 1)
                        .description("1, naming who acts in AWS for the service: the role ARN it assumes, or operator")
                        .tags("service", next.name(), "identity", identityName).register(registry);
            }
            for (Measurement measured : next.analysis()) {
                checks.computeIfAbsent(measured.check(), check -> Gauge.builder("bluegreen.analysis.value", this,
                                m -> latest(m.report, check))
                        .description("The latest value an analysis check measured (NaN without data)")
                        .tags("service", next.name(), "check", check).register(registry));
            }
            for (String key : wanted.keySet()) {
                weights.computeIfAbsent(key, k -> {
                    String[] parts = k.split("\u0000", 2);
                    return Gauge.builder("bluegreen.traffic.weight", this, m -> weight(m.report, parts[0], parts[1]))
                            .description("Percent of a listener's traffic served by a revision")
                            .tags("service", next.name(), "listener", parts[0], "revision", parts[1]).register(registry);
                });
            }
        }

        synchronized void close() {
            fixed.forEach(registry::remove);
            weights.values().forEach(registry::remove);
            checks.values().forEach(registry::remove);
            revisions.values().forEach(registry::remove);
            if (identity != null) registry.remove(identity);
        }
    }

    public EngineMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.passTimer = Timer.builder("bluegreen.reconcile.duration")
                .description("Time of one reconcile pass of one service (its share of a batched observation included)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60));
    }

    private static String infoKey(String role, RevisionLabel label) {
        return role + "\u0000" + label.revision() + "\u0000" + label.imageList() + "\u0000" + label.sourceRef();
    }

    private static double latest(ServiceReport report, String check) {
        for (Measurement m : report.analysis()) {
            if (m.check().equals(check)) return m.value() == null ? Double.NaN : m.value();
        }
        return Double.NaN;
    }

    private static double weight(ServiceReport report, String listener, String revision) {
        Map<String, Integer> w = listener.equals("production") ? report.productionWeights() : report.testWeights();
        return w.getOrDefault(revision, 0);
    }

    @Override
    public void changed(ServiceReport before, ServiceReport after) {
        services.computeIfAbsent(after.name(), k -> new ServiceMeters(after)).update(after);
    }

    @Override
    public void removed(ServiceReport last) {
        ServiceMeters m = services.remove(last.name());
        if (m != null) m.close();
    }

    @Override
    public void rolloutEnded(String service, RolloutRecord rollout) {
        String outcome = rollout.outcome().name();
        Counter.builder("bluegreen.rollouts").description("Rollouts that ended, by outcome")
                .tags("service", service, "outcome", outcome).register(registry).increment();
        Timer.builder("bluegreen.rollout.duration").description("Time from a revision being wanted to its rollout ending")
                .tags("outcome", outcome).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofSeconds(1)).maximumExpectedValue(Duration.ofHours(6))
                .register(registry).record(rollout.duration(clock.instant()));
    }

    /**
     * Registers the reconcile queue's gauges, read at each scrape: {@code bluegreen_reconcile_queue_depth}
     * (services ready for a pass that no worker took yet) and {@code bluegreen_reconcile_queue_oldest_wait_seconds}
     * (how long the oldest of them has waited). Together with the {@code Queued} phase they show a large
     * change working its way through the queue.
     */
    public void watchQueue(Supplier<WorkQueue.Backlog> backlog) {
        // One queue per operator: a gauge left by an earlier operator in this JVM (tests) would read its queue.
        for (String name : List.of(QUEUE_DEPTH, QUEUE_OLDEST_WAIT)) registry.find(name).meters().forEach(registry::remove);
        Gauge.builder(QUEUE_DEPTH, () -> backlog.get().ready())
                .description("Services ready for a reconcile pass that no worker has taken yet (busy workers or the rate limit hold them)")
                .strongReference(true).register(registry);
        Gauge.builder(QUEUE_OLDEST_WAIT, () -> backlog.get().oldestWait().toMillis() / 1000.0)
                .description("How long the service longest ready for a pass has waited for a worker; 0 when none waits")
                .strongReference(true).register(registry);
    }

    /** Counts a finished lifecycle-hook run: {@code bluegreen_hook_runs_total}, {@code bluegreen_hook_duration_seconds}. */
    public void hookRan(String service, HookRun run) {
        Counter.builder("bluegreen.hook.runs").description("Lifecycle hook runs, by point, kind and outcome")
                .tags("service", service, "point", run.point(), "kind", run.kind(), "outcome", run.outcome())
                .register(registry).increment();
        Timer.builder("bluegreen.hook.duration").description("Time of a lifecycle hook run, polls and retries included")
                .tags("point", run.point(), "kind", run.kind()).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10)).maximumExpectedValue(Duration.ofHours(1))
                .register(registry).record(run.duration());
    }

    /**
     * Counts a finished analysis measurement by verdict and keeps its value, so an SRE can graph what
     * the operator judged a rollout on ({@code bluegreen_analysis_value} reads the report). Check names
     * are few per service, so the labels stay bounded.
     */
    public void measured(String service, Measurement m) {
        Counter.builder("bluegreen.analysis.measurements").description("Analysis measurements, by check and verdict")
                .tags("service", service, "check", m.check(), "verdict", m.verdict().name())
                .register(registry).increment();
    }

    @Override
    public void passed(String service, String result, Duration took, Plan plan) {
        Counter.builder("bluegreen.reconcile").description("Reconcile passes by result")
                .tags(Tags.of("result", result)).register(registry).increment();
        if (!result.equals("skipped")) passTimer.register(registry).record(took);
        if (plan != null) {
            for (Plan.Drift d : plan.drift()) {
                Counter.builder("bluegreen.drift.corrections").description("Outside changes the operator corrected")
                        .tags("service", service, "kind", d.kind()).register(registry).increment();
            }
        }
    }
}

package io.ecsbluegreen.conformance;

import io.ecsbluegreen.aws.Actor;
import io.ecsbluegreen.aws.SdkAlarmPort;
import io.ecsbluegreen.aws.SdkEcsPort;
import io.ecsbluegreen.aws.SdkElbPort;
import io.ecsbluegreen.aws.SdkEndpoints;
import io.ecsbluegreen.aws.SdkLambdaPort;
import io.ecsbluegreen.aws.SdkTaskPort;
import io.ecsbluegreen.analysis.AnalysisRunner;
import io.ecsbluegreen.analysis.HttpProbeMeasurer;
import io.ecsbluegreen.analysis.PrometheusMeasurer;
import io.ecsbluegreen.analysis.SdkMetricsPort;
import io.ecsbluegreen.analysis.TargetGroupMetricMeasurer;
import io.ecsbluegreen.desired.DesiredService;
import io.ecsbluegreen.desired.DesiredState;
import io.ecsbluegreen.desired.Origin;
import io.ecsbluegreen.hooks.HookRunner;
import io.ecsbluegreen.loop.Engine;
import io.ecsbluegreen.loop.Reconciler;
import io.ecsbluegreen.metrics.EngineMetrics;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.aws.Observer;
import io.ecsbluegreen.status.ServiceReport;
import io.ecsbluegreen.status.StatusBook;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * The operator's own engine ({@code io.ecsbluegreen.loop}) over the account's SDK clients and clock, driven
 * on the test's thread with {@link Engine#drain}: what {@code bluegreen run} does, without its worker
 * threads, its desired-state sources or its HTTP API.
 */
final class Operator implements AutoCloseable {
    /** How often a waiting rollout is looked at: 5 s of the account's time. */
    static final Duration STEP = Duration.ofSeconds(5);

    private final Account account;
    private final HookRunner hooks;
    private final AnalysisRunner analysis;
    private final AtomicReference<DesiredState> desired = new AtomicReference<>(DesiredState.EMPTY);
    final StatusBook book;
    final Engine engine;

    Operator(Account account) {
        this.account = account;
        SdkEcsPort ecs = new SdkEcsPort(account.ecs());
        SdkElbPort elb = new SdkElbPort(account.elb());
        HttpClient http = HttpClient.newHttpClient();
        // Task hooks poll every 5 s of the account's time, looking at its clock every 10 ms of real time.
        hooks = new HookRunner(new SdkLambdaPort(account.lambda()), new SdkTaskPort(account.ecs()), new SdkEndpoints(account.elb()),
                http, account.clock(), (service, run) -> { }, name -> { }, 2,
                new HookRunner.TaskPolling(Duration.ofSeconds(5), Duration.ofMillis(10)));
        analysis = new AnalysisRunner(new TargetGroupMetricMeasurer(new SdkMetricsPort(region -> account.cloudWatch())),
                new PrometheusMeasurer(http), new HttpProbeMeasurer(http, new SdkEndpoints(account.elb())), account.clock(),
                AnalysisRunner.Listener.NONE, name -> { }, 2);
        Reconciler reconciler = new Reconciler(new Observer(ecs, elb, new SdkAlarmPort(account.cloudWatch())),
                new Actor(ecs, elb, hooks, analysis), account.clock(), hooks, analysis);
        book = new StatusBook(account.clock());
        EngineMetrics metrics = new EngineMetrics(new SimpleMeterRegistry(), account.clock());
        book.addListener(metrics);
        engine = new Engine(desired::get, region -> reconciler, account.clock(), Engine.Settings.DEFAULT, book,
                Engine.Ownership.ALL, metrics);
    }

    /** Makes {@code service} the whole desired state, as a source would after a commit. */
    void declare(BlueGreenService service) {
        DesiredState state = new DesiredState(Map.of(service.name(), new DesiredService(service.name(), DesiredService.State.READY,
                service, new Origin("dir:conformance", service.name() + ".yaml", 1, "conformance", null), List.of())), List.of());
        desired.set(state);
        engine.desiredChanged(state);
    }

    /** Runs the passes that are due every {@link #STEP} until the service's report satisfies {@code done}. */
    ServiceReport until(String name, String what, Duration max, Predicate<ServiceReport> done) {
        AtomicReference<ServiceReport> last = new AtomicReference<>();
        try {
            account.waitFor(name + ": " + what, max, STEP, () -> {
                engine.drain(100);
                last.set(book.get(name).orElse(null));
                return last.get() != null && done.test(last.get());
            });
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "; last report " + last.get(), e);
        }
        return last.get();
    }

    @Override
    public void close() {
        engine.close();
        hooks.close();
        analysis.close();
    }
}

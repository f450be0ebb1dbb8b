package io.ecsbluegreen.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.act.Actor;
import io.ecsbluegreen.act.SdkAlarmPort;
import io.ecsbluegreen.act.SdkEcsPort;
import io.ecsbluegreen.act.SdkElbPort;
import io.ecsbluegreen.act.SdkEndpoints;
import io.ecsbluegreen.act.SdkLambdaPort;
import io.ecsbluegreen.act.SdkTaskPort;
import io.ecsbluegreen.desired.DesiredService;
import io.ecsbluegreen.desired.DesiredState;
import io.ecsbluegreen.desired.Origin;
import io.ecsbluegreen.hooks.HookResult;
import io.ecsbluegreen.hooks.HookRunner;
import io.ecsbluegreen.metrics.EngineMetrics;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.observe.Observer;
import io.ecsbluegreen.spec.SpecParser;
import io.ecsbluegreen.status.ServiceReport;
import io.ecsbluegreen.status.StatusBook;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * The greeter's operator over a {@link SimAccount} with hooks on a real {@link HookRunner}, wired as
 * EngineBeans wires them: finished hooks reach the status book and the metrics and wake their service.
 * {@link #restart()} builds a new runner and engine over the same account and desired state.
 */
final class HookedOperator implements AutoCloseable {
    private final SimAccount account;
    private final AtomicReference<DesiredState> desired = new AtomicReference<>(DesiredState.EMPTY);
    private HookRunner runner;
    private Engine engine;
    private StatusBook book;
    private SimpleMeterRegistry registry;

    HookedOperator(SimAccount account) {
        this.account = account;
        restart();
    }

    /** A new runner, engine, status book and metrics: what a restarted operator has. */
    void restart() {
        if (engine != null) close();
        book = new StatusBook(account.sim.clock());
        registry = new SimpleMeterRegistry();
        EngineMetrics metrics = new EngineMetrics(registry, account.sim.clock());
        book.addListener(metrics);
        AtomicReference<Engine> built = new AtomicReference<>();
        StatusBook reports = book;
        runner = new HookRunner(new SdkLambdaPort(account.lambda), new SdkTaskPort(account.ecs),
                new SdkEndpoints(account.elb), HttpClient.newHttpClient(), account.sim.clock(), (service, run) -> {
                    reports.hookRan(service, run);
                    metrics.hookRan(service, run);
                }, name -> built.get().enqueue(name), 4, SimAccount.TASK_POLLING);
        SdkEcsPort ecs = new SdkEcsPort(account.ecs);
        SdkElbPort elb = new SdkElbPort(account.elb);
        Reconciler reconciler = new Reconciler(new Observer(ecs, elb, new SdkAlarmPort(account.cloudWatch)),
                new Actor(ecs, elb, runner), account.sim.clock(), runner);
        engine = new Engine(desired::get, region -> reconciler, account.sim.clock(), Engine.Settings.DEFAULT, book,
                Engine.Ownership.ALL, metrics);
        built.set(engine);
        engine.desiredChanged(desired.get());
        engine.enqueueAll();
    }

    /** Makes {@code s} the one service of the desired state. */
    void declare(BlueGreenService s) {
        DesiredState state = new DesiredState(Map.of(s.name(), new DesiredService(s.name(), DesiredService.State.READY, s,
                new Origin("dir:examples", "greeter.yaml", 1, "v", null), List.of())), List.of());
        desired.set(state);
        engine.desiredChanged(state);
    }

    SimpleMeterRegistry registry() {
        return registry;
    }

    /** Whether a hook of the greeter is running. */
    boolean hookRunning() {
        return runner.results("greeter").values().stream().anyMatch(h -> h.state() == HookResult.State.RUNNING);
    }

    /**
     * Runs the loop until the greeter's report satisfies {@code done}, moving simulated time 5 s a pass.
     * While a hook runs (in real time, on the runner's threads) each pass leaves it 10 ms of real time,
     * and the clock waits unless {@code clockMovesWhileHooksRun}: a task hook's task lives on the clock.
     * Bounded in passes and in real time.
     */
    ServiceReport until(Predicate<ServiceReport> done, boolean clockMovesWhileHooksRun) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        for (int i = 0; i < 5000 && System.nanoTime() < deadline; i++) {
            engine.drain(100);
            ServiceReport r = book.get("greeter").orElse(null);
            if (r != null && done.test(r)) return r;
            boolean hookRunning = hookRunning();
            if (hookRunning) Thread.sleep(10);
            if (!hookRunning || clockMovesWhileHooksRun) account.sim.clock().advance(Duration.ofSeconds(5));
        }
        throw new AssertionError("never reached the condition; last report " + book.get("greeter").orElse(null));
    }

    @Override
    public void close() {
        engine.close();
        runner.close();
    }

    /** examples/greeter with another image and {@code hooks} (a YAML block at spec level) before its strategy. */
    static BlueGreenService greeter(String image, String hooks) throws IOException {
        String yaml = Files.readString(Path.of("examples/greeter/greeter.yaml")).replace("greeter:1.0.0", image);
        yaml = yaml.replace("  strategy:\n", hooks.indent(2) + "  strategy:\n");
        var parsed = new SpecParser().parse("greeter.yaml", yaml.getBytes(StandardCharsets.UTF_8));
        assertThat(parsed.errors()).as(yaml).isEmpty();
        return parsed.services().get(0).service();
    }
}

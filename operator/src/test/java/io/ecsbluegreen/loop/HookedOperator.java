package io.ecsbluegreen.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecsbluegreen.aws.Actor;
import io.ecsbluegreen.aws.SdkAlarmPort;
import io.ecsbluegreen.aws.SdkEcsPort;
import io.ecsbluegreen.aws.SdkTaskPort;
import io.ecsbluegreen.aws.SdkElbPort;
import io.ecsbluegreen.aws.SdkEndpoints;
import io.ecsbluegreen.aws.SdkLambdaPort;
import io.ecsbluegreen.desired.DesiredService;
import io.ecsbluegreen.desired.DesiredState;
import io.ecsbluegreen.desired.Origin;
import io.ecsbluegreen.hooks.HookRunner;
import io.ecsbluegreen.metrics.EngineMetrics;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.aws.Observer;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The operator with lifecycle hooks on a simulated account: a real hook runner, reconciler and engine
 * with a status book and metrics, driven by hand on the simulator's clock, and restartable. Hooks run on
 * the runner's threads, their waits and timeouts on the simulator's clock like the rollout.
 */
final class HookedOperator implements AutoCloseable {
    final SimAccount account;
    final AtomicReference<DesiredState> desired = new AtomicReference<>(DesiredState.EMPTY);
    private final List<AutoCloseable> closing = new ArrayList<>();

    // what the operator running now has; a restart replaces all of them
    HookRunner runner;
    Engine engine;
    StatusBook book;
    SimpleMeterRegistry registry;

    HookedOperator(SimAccount account) {
        this.account = account;
        restart();
    }

    /**
     * A new hook runner, reconciler, engine, status book and metrics over the same account: what a
     * restarted operator has. The old runner is closed, which ends its runs without a result.
     */
    void restart() {
        if (engine != null) engine.close();
        if (runner != null) runner.close();
        StatusBook newBook = new StatusBook(account.sim.clock());
        SimpleMeterRegistry newRegistry = new SimpleMeterRegistry();
        EngineMetrics metrics = new EngineMetrics(newRegistry, account.sim.clock());
        newBook.addListener(metrics);
        AtomicReference<Engine> built = new AtomicReference<>();
        HookRunner newRunner = new HookRunner(new SdkLambdaPort(account.lambda), new SdkTaskPort(account.ecs),
                new SdkEndpoints(account.elb), HttpClient.newHttpClient(), account.sim.clock(), (service, run) -> {
                    newBook.hookRan(service, run);
                    metrics.hookRan(service, run);
                }, name -> built.get().enqueue(name), 4, SimAccount.TASK_POLLING);
        SdkEcsPort ecs = new SdkEcsPort(account.ecs);
        SdkElbPort elb = new SdkElbPort(account.elb);
        Reconciler reconciler = new Reconciler(new Observer(ecs, elb, new SdkAlarmPort(account.cloudWatch)),
                new Actor(ecs, elb, newRunner), account.sim.clock(), newRunner);
        Engine newEngine = new Engine(desired::get, region -> reconciler, account.sim.clock(), Engine.Settings.DEFAULT, newBook,
                Engine.Ownership.ALL, metrics);
        built.set(newEngine);
        closing.add(newRunner);
        closing.add(newEngine);
        runner = newRunner;
        engine = newEngine;
        book = newBook;
        registry = newRegistry;
        engine.desiredChanged(desired.get());
        engine.enqueueAll();
    }

    /** The greeter of examples/ with another image and a {@code hooks:} block (spec level, unindented). */
    static BlueGreenService greeter(String image, String hooks) throws IOException {
        String yaml = Files.readString(Path.of("../examples/greeter/greeter.yaml")).replace("greeter:1.0.0", image);
        yaml = yaml.replace("  strategy:\n", hooks.indent(2) + "  strategy:\n");
        var parsed = new SpecParser().parse("greeter.yaml", yaml.getBytes(StandardCharsets.UTF_8));
        assertThat(parsed.errors()).as(yaml).isEmpty();
        return parsed.services().get(0).service();
    }

    void declare(BlueGreenService s) {
        DesiredState state = new DesiredState(Map.of(s.name(), new DesiredService(s.name(), DesiredService.State.READY, s,
                new Origin("dir:examples", "greeter.yaml", 1, "v", null), List.of())), List.of());
        desired.set(state);
        engine.desiredChanged(state);
    }

    /** {@link #until(Predicate, boolean)} with the clock standing while a hook runs. */
    ServiceReport until(Predicate<ServiceReport> done) {
        return until(done, false);
    }

    SimpleMeterRegistry registry() {
        return registry;
    }

    /**
     * Runs the loop until the greeter's report meets the condition, one round every 10 ms of real time:
     * drain, look at the report, move simulated time 5 s. While a hook calls out or waits for an answer
     * (on the runner's threads) the clock stands unless {@code clockMovesWhileHooksRun} (a task hook's task
     * lives on the clock; a slow endpoint is slow on the clock): it moves only when every run waits on the
     * clock alone ({@link HookRunner#waitsOnClockOnly()}: a poll interval, a retry backoff), so an answer
     * on its way never loses to the clock. Awaitility paces and bounds it (5000 rounds, 2 minutes).
     */
    ServiceReport until(Predicate<ServiceReport> done, boolean clockMovesWhileHooksRun) {
        AtomicReference<ServiceReport> met = new AtomicReference<>();
        AtomicInteger rounds = new AtomicInteger();
        try {
            await().atMost(Duration.ofMinutes(2)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).until(() -> {
                if (rounds.incrementAndGet() > 5000) throw new AssertionError("5000 rounds");
                engine.drain(100);
                ServiceReport r = book.get("greeter").orElse(null);
                if (r != null && done.test(r)) {
                    met.set(r);
                    return true;
                }
                if (runner.waitsOnClockOnly() || clockMovesWhileHooksRun) account.sim.clock().advance(Duration.ofSeconds(5));
                return false;
            });
        } catch (ConditionTimeoutException | AssertionError e) {
            throw new AssertionError("never reached the condition in " + rounds.get() + " rounds; last report "
                    + book.get("greeter").orElse(null), e);
        }
        return met.get();
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : closing) c.close();
    }
}

package io.ecsbluegreen.loop;

import io.ecsbluegreen.metrics.EngineMetrics;
import io.ecsbluegreen.status.StatusBook;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The engine as loop tests on the simulator build it: one account's reconciler, a status book with the
 * engine's metrics (queue gauges included) in a registry the test reads, driven by {@link DeclaredServices}.
 */
record MeteredEngine(StatusBook book, SimpleMeterRegistry registry, Engine engine, DeclaredServices declared) {

    static MeteredEngine on(SimAccount account) {
        DeclaredServices declared = new DeclaredServices(account.sim.clock());
        StatusBook book = new StatusBook(account.sim.clock());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        EngineMetrics metrics = new EngineMetrics(registry, account.sim.clock());
        book.addListener(metrics);
        Reconciler reconciler = account.reconciler();
        Engine engine = new Engine(declared::current, (region, identity) -> reconciler, account.sim.clock(), Engine.Settings.DEFAULT,
                book, Engine.Ownership.ALL, metrics);
        metrics.watchQueue(engine::backlog);
        declared.attach(engine, book);
        return new MeteredEngine(book, registry, engine, declared);
    }
}

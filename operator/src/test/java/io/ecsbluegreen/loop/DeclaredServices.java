package io.ecsbluegreen.loop;

import io.ecsbluegreen.desired.DesiredService;
import io.ecsbluegreen.desired.DesiredState;
import io.ecsbluegreen.desired.Origin;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.sim.SimClock;
import io.ecsbluegreen.status.ServiceReport;
import io.ecsbluegreen.status.StatusBook;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * What a loop test on the simulator declares (as a directory source would hand it over), and the drive that
 * runs the engine on simulated time until a service's report satisfies a condition. The engine reads
 * {@link #current()}; {@link #attach} is called once the engine exists.
 */
final class DeclaredServices {
    /** Simulated time between drained rounds. */
    static final Duration ROUND = Duration.ofSeconds(5);
    /** Rounds before {@link #until} gives up: two simulated hours. */
    static final int MAX_ROUNDS = 1440;

    private final AtomicReference<DesiredState> desired = new AtomicReference<>(DesiredState.EMPTY);
    private final Map<String, DesiredService> declared = new LinkedHashMap<>();
    private final SimClock clock;
    private Engine engine;
    private StatusBook book;

    DeclaredServices(SimClock clock) {
        this.clock = clock;
    }

    DesiredState current() {
        return desired.get();
    }

    void attach(Engine engine, StatusBook book) {
        this.engine = engine;
        this.book = book;
    }

    /** Declares the services (replacing those of the same name, keeping the others) and tells the engine. */
    void declare(BlueGreenService... services) {
        for (BlueGreenService s : services) {
            declared.put(s.name(), new DesiredService(s.name(), DesiredService.State.READY, s,
                    new Origin("dir:examples", s.name() + ".yaml", 1, "v1", null), List.of()));
        }
        DesiredState state = new DesiredState(new LinkedHashMap<>(declared), List.of());
        desired.set(state);
        engine.desiredChanged(state);
    }

    /** Drains the queue and advances simulated time a {@link #ROUND} at a time until the condition holds. */
    ServiceReport until(String name, Predicate<ServiceReport> done) {
        for (int i = 0; i < MAX_ROUNDS; i++) {
            engine.drain(1000);
            ServiceReport r = book.get(name).orElse(null);
            if (r != null && done.test(r)) return r;
            clock.advance(ROUND);
        }
        throw new AssertionError(name + " never reached the condition; last report " + book.get(name).orElse(null));
    }
}

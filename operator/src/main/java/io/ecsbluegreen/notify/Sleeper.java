package io.ecsbluegreen.notify;

import java.time.Duration;

/** Waits between delivery attempts; tests pass one that returns at once and records the waits. */
@FunctionalInterface
public interface Sleeper {

    /** Sleeps in real time; an interrupt (shutdown) ends the wait. */
    Sleeper REAL = d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);

    void sleep(Duration duration) throws InterruptedException;
}

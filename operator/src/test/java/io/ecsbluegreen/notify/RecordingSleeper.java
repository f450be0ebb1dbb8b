package io.ecsbluegreen.notify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Returns at once and records each wait; can run an action at a given wait (a receiver coming back). */
final class RecordingSleeper implements Sleeper {
    private final List<Duration> waits = new ArrayList<>();
    private Runnable onSleep = () -> { };

    @Override
    public synchronized void sleep(Duration duration) {
        waits.add(duration);
        onSleep.run();
    }

    synchronized RecordingSleeper onSleep(Runnable action) {
        this.onSleep = action;
        return this;
    }

    synchronized List<Duration> waits() {
        return List.copyOf(waits);
    }
}

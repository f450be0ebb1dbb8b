package io.ecsbluegreen.notify;

import io.ecsbluegreen.events.Event;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The {@link io.ecsbluegreen.events.EventLog} subscriber that hands each event to every receiver whose
 * filter lets it through. It only queues: it never blocks the reporting thread and never throws.
 */
public final class Notifier implements Consumer<Event>, AutoCloseable {
    private static final Logger LOG = Logger.getLogger("io.ecsbluegreen.notify");

    private final List<Receiver> receivers;
    private final Duration drainTimeout;

    /**
     * @param drainTimeout how long {@link #close()} waits for queued notifications, over all receivers
     */
    public Notifier(List<Receiver> receivers, Duration drainTimeout) {
        this.receivers = List.copyOf(receivers);
        this.drainTimeout = drainTimeout;
    }

    /** Starts every receiver's worker. */
    public Notifier start() {
        receivers.forEach(Receiver::start);
        return this;
    }

    public List<Receiver> receivers() {
        return receivers;
    }

    @Override
    public void accept(Event event) {
        try {
            Notification n = Notification.of(event);
            for (Receiver r : receivers) {
                try {
                    r.offer(n);
                } catch (RuntimeException e) {
                    LOG.warnf("%s %s: could not queue the %s event: %s", r.kind(), r.name(), event.type(), e.toString());
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("notifications: could not queue an event: %s", e.toString());
        }
    }

    /** Gives the receivers up to the drain timeout, together, to send what is queued; the rest is dropped and counted. */
    @Override
    public void close() {
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        receivers.forEach(Receiver::beginClose);
        for (Receiver r : receivers) {
            r.awaitClosed(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
    }
}

package io.ecsbluegreen.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * One notification receiver: a bounded queue and the one worker thread that empties it, in order.
 *
 * <p>{@link #offer} never blocks and never throws: it runs on the thread that reported the event (a
 * reconcile worker). When the queue is full the oldest waiting notification is dropped. The worker sends
 * each notification through the {@link Transport}; a failure worth retrying is retried after a backoff,
 * up to {@code maxAttempts} attempts, then the notification is dropped as failed. Later notifications
 * wait meanwhile, so a receiver sees its events in the order they happened.
 *
 * <p>Metrics: {@code bluegreen_notifications_total{receiver,outcome}} with outcome {@code delivered},
 * {@code failed} (refused, or still failing after the last attempt) and {@code dropped} (pushed out of a
 * full queue, or still queued at shutdown); {@code bluegreen_notification_retries_total{receiver}};
 * {@code bluegreen_notification_queue_depth{receiver}}.
 */
public final class Receiver {
    private static final Logger LOG = Logger.getLogger("io.ecsbluegreen.notify");

    /** How a receiver delivers. */
    public record Settings(int queueCapacity, int maxAttempts, Backoff backoff) {
        public Settings {
            if (queueCapacity < 1) throw new IllegalArgumentException("queue-capacity must be at least 1: " + queueCapacity);
            if (maxAttempts < 1) throw new IllegalArgumentException("max-attempts must be at least 1: " + maxAttempts);
            Objects.requireNonNull(backoff, "backoff");
        }
    }

    private final String name;
    private final String kind;
    private final EventFilter filter;
    private final Transport transport;
    private final Settings settings;
    private final Sleeper sleeper;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition available = lock.newCondition();
    private final ArrayDeque<Notification> queue = new ArrayDeque<>();
    private boolean closing;
    private boolean closed;
    private long droppedFromFullQueue;

    private final Counter delivered;
    private final Counter failed;
    private final Counter dropped;
    private final Counter retries;
    private final Thread worker;

    /**
     * @param name unique among receivers: the {@code receiver} label
     * @param kind {@code webhook} or {@code sns}, for logs
     */
    public Receiver(String name, String kind, EventFilter filter, Transport transport, Settings settings, Sleeper sleeper,
                    MeterRegistry registry) {
        this.name = name;
        this.kind = kind;
        this.filter = filter;
        this.transport = transport;
        this.settings = settings;
        this.sleeper = sleeper;
        this.delivered = outcome(registry, "delivered");
        this.failed = outcome(registry, "failed");
        this.dropped = outcome(registry, "dropped");
        this.retries = Counter.builder("bluegreen.notification.retries").tag("receiver", name)
                .description("Delivery attempts that failed and were retried").register(registry);
        Gauge.builder("bluegreen.notification.queue.depth", this, Receiver::depth).tag("receiver", name)
                .description("Notifications waiting to be sent").register(registry);
        this.worker = new Thread(this::run, "notify-" + name);
        this.worker.setDaemon(true);
    }

    private Counter outcome(MeterRegistry registry, String outcome) {
        // one description for every outcome: Prometheus has one HELP line per metric
        return Counter.builder("bluegreen.notifications").tags("receiver", name, "outcome", outcome)
                .description("Notifications by outcome: delivered; failed (refused, or failing at the last attempt); "
                        + "dropped (pushed out of a full queue, or left at shutdown)").register(registry);
    }

    /** Starts the worker; once. */
    public void start() {
        worker.start();
    }

    public String name() {
        return name;
    }

    public String kind() {
        return kind;
    }

    public EventFilter filter() {
        return filter;
    }

    /** Where it sends, as safe to log. */
    public String target() {
        return transport.target();
    }

    /**
     * Queues {@code n} if the filter lets its event through; drops the oldest waiting one when full.
     * Never blocks beyond a short lock, never throws.
     *
     * @return whether it was queued
     */
    public boolean offer(Notification n) {
        if (!filter.matches(n.event())) return false;
        long droppedSoFar = 0;
        lock.lock();
        try {
            if (closed) {
                dropped.increment();
                return false;
            }
            if (queue.size() >= settings.queueCapacity()) {
                queue.pollFirst();
                dropped.increment();
                droppedSoFar = ++droppedFromFullQueue;
            }
            queue.addLast(n);
            available.signal();
        } finally {
            lock.unlock();
        }
        if (droppedSoFar == 1 || droppedSoFar % 100 == 0 && droppedSoFar > 0) {
            LOG.warnf("%s %s: queue full (%d): dropped the oldest notification (%d so far)", kind, name,
                    settings.queueCapacity(), droppedSoFar);
        }
        return true;
    }

    /** Notifications waiting (not counting the one being sent). */
    public int depth() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (true) {
            Notification n;
            lock.lock();
            try {
                while (queue.isEmpty()) {
                    if (closing) return;
                    available.await();
                }
                n = queue.pollFirst();
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            try {
                deliver(n);
            } catch (InterruptedException e) {
                dropped.increment();
                return;
            } catch (RuntimeException e) {
                failed.increment();
                LOG.errorf(e, "%s %s: %s event for %s could not be sent", kind, name, n.event().type(), n.event().service());
            }
        }
    }

    private void deliver(Notification n) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            Attempt a;
            try {
                a = transport.send(n);
            } catch (RuntimeException e) {
                a = Attempt.retry(e.getClass().getSimpleName() + ": " + Payloads.oneLine(String.valueOf(e.getMessage())));
            }
            switch (a.outcome()) {
                case DELIVERED -> {
                    delivered.increment();
                    if (attempt > 1) {
                        LOG.infof("%s %s: %s event for %s delivered at attempt %d", kind, name, n.event().type(),
                                n.event().service(), attempt);
                    }
                    return;
                }
                case REJECTED -> {
                    failed.increment();
                    LOG.warnf("%s %s (%s) refused the %s event for %s, not retried: %s", kind, name, transport.target(),
                            n.event().type(), n.event().service(), a.detail());
                    return;
                }
                default -> {
                    if (attempt >= settings.maxAttempts()) {
                        failed.increment();
                        LOG.warnf("%s %s (%s): gave up on the %s event for %s after %d attempt(s): %s", kind, name,
                                transport.target(), n.event().type(), n.event().service(), attempt, a.detail());
                        return;
                    }
                    retries.increment();
                    Duration wait = settings.backoff().delay(attempt, a.retryAfter());
                    LOG.debugf("%s %s: attempt %d for the %s event failed (%s); next in %s", kind, name, attempt,
                            n.event().type(), a.detail(), readable(wait));
                    sleeper.sleep(wait);
                }
            }
        }
    }

    /** Stops taking new work and lets the worker empty the queue; {@link #awaitClosed} waits for it. */
    void beginClose() {
        lock.lock();
        try {
            closing = true;
            available.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to {@code wait} for the queue to empty, then stops the worker (an attempt in flight is
     * abandoned) and counts what is left as dropped.
     *
     * @return the notifications dropped at shutdown
     */
    int awaitClosed(Duration wait) {
        beginClose();
        try {
            worker.join(Math.max(1, wait.toMillis()));
            if (worker.isAlive()) {
                worker.interrupt();
                worker.join(TimeUnit.SECONDS.toMillis(2));
            }
        } catch (InterruptedException e) {
            worker.interrupt();
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try {
            closed = true;
            int left = queue.size();
            queue.clear();
            dropped.increment(left);
            if (left > 0) LOG.warnf("%s %s: %d notification(s) still queued at shutdown were dropped", kind, name, left);
            return left;
        } finally {
            lock.unlock();
        }
    }

    /** Empties the queue within {@code wait}, then stops. */
    public void close(Duration wait) {
        awaitClosed(wait);
    }

    /** {@code 300 ms}, {@code 10 s}, {@code 1.5 s}: durations as people write them. */
    static String readable(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) return ms + " ms";
        return (ms % 1000 == 0 ? Long.toString(ms / 1000) : Double.toString(ms / 1000.0)) + " s";
    }

    @Override
    public String toString() {
        return kind + " " + name + " -> " + transport.target() + " (" + filter + ")";
    }
}

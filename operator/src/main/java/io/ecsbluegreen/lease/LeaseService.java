package io.ecsbluegreen.lease;

import io.ecsbluegreen.loop.Engine;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Runs a {@link LeaseManager} on its own thread, one round every renew interval, after making sure the
 * table exists; or stands for "no leases" (one replica writes to everything) when they are off.
 */
public final class LeaseService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LeaseService.class);

    private final LeaseManager manager;
    private final Runnable prepare;
    private ScheduledExecutorService timer;
    private volatile boolean prepared;

    private LeaseService(LeaseManager manager, Runnable prepare) {
        this.manager = manager;
        this.prepare = prepare;
    }

    /** Leases off: this replica owns every service. */
    public static LeaseService off() {
        return new LeaseService(null, () -> { });
    }

    /** @param prepare run before the first round until it succeeds (checks or creates the table) */
    public static LeaseService of(LeaseManager manager, Runnable prepare) {
        return new LeaseService(manager, prepare);
    }

    public Optional<LeaseManager> manager() {
        return Optional.ofNullable(manager);
    }

    /** What the engine asks before each write. */
    public Engine.Ownership ownership() {
        return manager == null ? Engine.Ownership.ALL : manager;
    }

    /** Starts the rounds; {@code acquired} hears of every lease acquired (the engine passes the service at once). */
    public synchronized void start(Consumer<String> acquired) {
        if (manager == null || timer != null) return;
        manager.addListener(new LeaseManager.Listener() {
            @Override
            public void acquired(String service, String takenFrom) {
                acquired.accept(service);
            }
        });
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "leases");
            t.setDaemon(true);
            return t;
        });
        Duration every = manager.settings().renewInterval();
        timer.scheduleWithFixedDelay(this::round, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        LOG.infof("leases on: replica %s, lease %s renewed every %s, stops writing %s before expiry", manager.settings().replicaId(),
                manager.settings().leaseDuration(), every, manager.settings().skewMargin());
    }

    private void round() {
        try {
            if (!prepared) {
                prepare.run();
                prepared = true;
            }
            manager.round();
        } catch (RuntimeException e) {
            LOG.warnf("lease round failed: %s", e.toString());
        }
    }

    /** Stops the rounds and releases every lease; call once the engine no longer writes. */
    @Override
    public synchronized void close() {
        if (timer == null) return;
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer = null;
        manager.close();
    }
}

package io.ecsbluegreen.app;

import io.ecsbluegreen.desired.SourceSync;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** Polls every source on the configured interval; the first poll runs at start-up. */
@ApplicationScoped
public class SourcePoller {
    private final SourceSync sync;

    public SourcePoller(SourceSync sync) {
        this.sync = sync;
    }

    @Scheduled(every = "${bluegreen.sync.interval:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "source-sync")
    void poll() {
        sync.syncAll();
    }
}

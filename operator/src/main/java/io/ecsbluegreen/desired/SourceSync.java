package io.ecsbluegreen.desired;

import io.ecsbluegreen.source.DesiredStateSource;
import io.ecsbluegreen.source.SourceException;
import io.ecsbluegreen.source.SourceListing;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Reads every source and hands the result to the store: on a schedule, and on demand (a webhook from a
 * git host or an S3 event notification calling {@code POST /api/v1/sources/refresh}). One sync runs at a
 * time; a failing source never stops the others.
 */
public final class SourceSync implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SourceSync.class);

    private final List<DesiredStateSource> sources;
    private final DesiredStateStore store;
    private final SyncListener metrics;

    public SourceSync(List<DesiredStateSource> sources, DesiredStateStore store, SyncListener metrics) {
        this.sources = List.copyOf(sources);
        this.store = store;
        this.metrics = metrics;
        sources.forEach(s -> metrics.register(s.id()));
    }

    /** Syncs every source once and returns the resulting state. */
    public synchronized DesiredState syncAll() {
        DesiredState state = store.current();
        for (DesiredStateSource source : sources) {
            state = sync(source);
        }
        return state;
    }

    /** The ids of the sources, as {@link DesiredStateSource#id()} names them ({@code s3://bucket/prefix/}, ...). */
    public List<String> sourceIds() {
        return sources.stream().map(DesiredStateSource::id).toList();
    }

    /**
     * Syncs one source now (an S3 event announced a change in it) and returns the resulting state; empty
     * when no source has that id.
     */
    public synchronized Optional<DesiredState> sync(String sourceId) {
        for (DesiredStateSource source : sources) {
            if (source.id().equals(sourceId)) return Optional.of(sync(source));
        }
        return Optional.empty();
    }

    private DesiredState sync(DesiredStateSource source) {
        boolean wasHealthy = store.current().sources().stream()
                .anyMatch(s -> s.source().equals(source.id()) && s.healthy());
        boolean wasHeld = store.current().sources().stream().anyMatch(s -> s.source().equals(source.id()) && s.held());
        try {
            SourceListing listing = source.fetch();
            DesiredState state = store.accept(source.id(), listing);
            metrics.synced(source.id(), true);
            if (!wasHealthy) {
                LOG.infof("source %s synced at revision %s: %d files", source.id(), listing.revision(), listing.files().size());
            }
            state.sources().stream().filter(s -> s.source().equals(source.id())).findFirst().ifPresent(s -> {
                s.invalidFiles().forEach(f -> f.errors().forEach(e -> LOG.debugf("invalid: %s", e)));
                if (s.held() && !wasHeld) LOG.warnf("%s: %s", s.hold().reason(), s.hold().message());
            });
            return state;
        } catch (SourceException | RuntimeException e) {
            // A RuntimeException here is a bug or an SDK surprise; either way the last good snapshot stays.
            String message = e instanceof SourceException ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
            metrics.synced(source.id(), false);
            if (wasHealthy) {
                LOG.warnf("source %s failed, keeping its last good snapshot: %s", source.id(), message);
            } else {
                LOG.debugf("source %s still failing: %s", source.id(), message);
            }
            return store.failed(source.id(), message);
        }
    }

    @Override
    public void close() {
        sources.forEach(DesiredStateSource::close);
    }
}

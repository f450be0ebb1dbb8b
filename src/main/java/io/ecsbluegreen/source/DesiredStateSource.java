package io.ecsbluegreen.source;

/**
 * A place that holds {@code BlueGreenService} YAML files: a directory, a git branch or an S3 prefix.
 *
 * <p>A source only lists and reads files; parsing, validation and the "last good spec" policy live in
 * the store that consumes {@link SourceListing}s, so every kind of source behaves the same way.
 * Implementations are not thread-safe: one poller calls {@link #fetch()} at a time.
 */
public interface DesiredStateSource extends AutoCloseable {

    /** The URI this source was configured with, with any secret removed; used as the metric label. */
    String id();

    /**
     * Lists every YAML file ({@code .yaml} or {@code .yml}) below the source's root and returns their
     * contents. Implementations re-read only the files whose version (ETag, blob id, mtime and hash)
     * changed since the previous call and return the cached bytes for the others.
     *
     * @throws SourceException when the source cannot be read as a whole (network, auth, missing branch
     *     or bucket); the caller then keeps its previous listing.
     */
    SourceListing fetch() throws SourceException;

    @Override
    default void close() {}
}

package io.ecsbluegreen.source;

/**
 * A place that holds {@code BlueGreenService} YAML files: a directory, a git branch or an S3 prefix.
 *
 * <p>A source only lists and reads files; parsing, validation and the "last good spec" policy live in
 * the store that consumes {@link SourceListing}s, so every kind of source behaves the same way.
 * Implementations are not thread-safe: one poller calls {@link #fetch()} at a time.
 */
public interface DesiredStateSource extends AutoCloseable {

    /**
     * The canonical form of the configured URI ({@link SourceUri#id()}): scheme, location and, for git,
     * branch and sub-path; never a credential. Used as the metric label and at the start of every
     * {@link SourceException} message.
     */
    String id();

    /**
     * Lists every YAML file ({@code .yaml} or {@code .yml}) below the source's root and returns their
     * contents. Files and directories whose name starts with a dot are ignored. Implementations re-read
     * only what changed since the previous call (S3: the ETag; git: the blob id; directory: the
     * modification time or size) and return the cached bytes for the others.
     *
     * @throws SourceException when the source cannot be read as a whole (network, auth, missing branch
     *     or bucket); the caller then keeps its previous listing.
     */
    SourceListing fetch() throws SourceException;

    @Override
    default void close() {}
}

package io.ecsbluegreen.desired;

/**
 * Hears how each source's syncs go (the metrics implement it), so that reading sources depends on no
 * metrics code.
 */
public interface SyncListener {
    /** A source the operator will sync. */
    void register(String source);

    /** One sync of {@code source} ended, well or not. */
    void synced(String source, boolean success);
}

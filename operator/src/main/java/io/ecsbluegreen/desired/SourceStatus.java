package io.ecsbluegreen.desired;

import io.ecsbluegreen.spec.SpecError;
import java.time.Instant;
import java.util.List;

/**
 * How one source stands after its latest sync.
 *
 * @param healthy whether the latest sync succeeded
 * @param revision the revision of the snapshot in use (the last good one when the source fails)
 * @param lastAttempt when the latest sync ran; null before the first
 * @param lastSuccess when a sync last succeeded; null if never
 * @param error why the latest sync failed; null when healthy
 * @param files YAML files in the snapshot in use
 * @param services valid services declared in the snapshot
 * @param invalidFiles the files with errors, with all their errors
 * @param hold why the newest snapshot is held by the removal guard; null when it took effect
 */
public record SourceStatus(String source, boolean healthy, String revision, Instant lastAttempt, Instant lastSuccess,
                           String error, int files, int services, List<InvalidFile> invalidFiles, SourceHold hold) {

    public SourceStatus {
        invalidFiles = List.copyOf(invalidFiles);
    }

    /** A status without a hold. */
    public SourceStatus(String source, boolean healthy, String revision, Instant lastAttempt, Instant lastSuccess,
                        String error, int files, int services, List<InvalidFile> invalidFiles) {
        this(source, healthy, revision, lastAttempt, lastSuccess, error, files, services, invalidFiles, null);
    }

    /** Whether the removal guard holds the source's newest snapshot. */
    public boolean held() {
        return hold != null;
    }

    /** A file whose current version has errors. */
    public record InvalidFile(String file, String version, List<SpecError> errors) {
        public InvalidFile {
            errors = List.copyOf(errors);
        }
    }
}

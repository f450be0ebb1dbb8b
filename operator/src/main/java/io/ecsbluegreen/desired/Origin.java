package io.ecsbluegreen.desired;

import io.ecsbluegreen.source.Provenance;

/**
 * Where a service's spec came from.
 *
 * @param source the source id
 * @param file the file's location (path, {@code s3://…} or git location)
 * @param line the line of {@code metadata.name}
 * @param fileVersion the file's version (ETag, blob id or content hash)
 * @param sourceRevision the source's revision when the spec was read (commit SHA for git)
 * @param provenance where the file's content came from: the commit that last changed it (git), the object
 *     version or ETag (S3), the content hash and modification time (directory); null when unknown
 */
public record Origin(String source, String file, int line, String fileVersion, String sourceRevision, Provenance provenance) {

    /** An origin whose provenance is unknown. */
    public Origin(String source, String file, int line, String fileVersion, String sourceRevision) {
        this(source, file, line, fileVersion, sourceRevision, null);
    }
}

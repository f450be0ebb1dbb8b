package io.ecsbluegreen.source;

import java.util.List;

/**
 * One complete, consistent read of a source.
 *
 * @param revision what identifies this read as a whole: the git commit SHA, or a digest of the S3 ETags
 *     or of the directory's file hashes
 * @param files every YAML file below the source root, sorted by path
 */
public record SourceListing(String revision, List<SourceFile> files) {
    public SourceListing {
        files = List.copyOf(files);
    }
}

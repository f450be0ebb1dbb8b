package io.ecsbluegreen.source;

/**
 * One YAML file read from a source.
 *
 * @param path the path relative to the source root, with {@code /} separators
 * @param location where a user finds the file: an absolute path for directories, {@code s3://bucket/key},
 *     or {@code git-url@branch:path} with the path from the repository root; used in error messages
 * @param version the file's own version: the S3 ETag, the git blob id, or the SHA-256 of a local file
 * @param content the raw bytes
 * @param problem why the file could not be read (a loop of links), or null; such a file counts as an
 *     invalid one (its services keep their last good spec), never as a deletion
 * @param provenance where the content came from (commit, object version, content hash); null when unknown
 */
public record SourceFile(String path, String location, String version, byte[] content, String problem, Provenance provenance) {

    /** A file that was read. */
    public SourceFile(String path, String location, String version, byte[] content) {
        this(path, location, version, content, null, null);
    }

    /** A file that was read, with where its content came from. */
    public SourceFile(String path, String location, String version, byte[] content, Provenance provenance) {
        this(path, location, version, content, null, provenance);
    }

    /** This file with where its content came from. */
    public SourceFile withProvenance(Provenance where) {
        return new SourceFile(path, location, version, content, problem, where);
    }

    /** A file that is listed but cannot be read, for {@code problem}. */
    public static SourceFile unreadable(String path, String location, String problem) {
        return new SourceFile(path, location, "unreadable:" + problem, new byte[0], problem, null);
    }
}

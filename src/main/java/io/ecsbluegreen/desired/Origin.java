package io.ecsbluegreen.desired;

/**
 * Where a service's spec came from.
 *
 * @param source the source id
 * @param file the file's location (path, {@code s3://…} or git location)
 * @param line the line of {@code metadata.name}
 * @param fileVersion the file's version (ETag, blob id or content hash)
 * @param sourceRevision the source's revision when the spec was read (commit SHA for git)
 */
public record Origin(String source, String file, int line, String fileVersion, String sourceRevision) {}

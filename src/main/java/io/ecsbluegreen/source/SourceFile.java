package io.ecsbluegreen.source;

/**
 * One YAML file read from a source.
 *
 * @param path the path relative to the source root, with {@code /} separators
 * @param location where a user finds the file: an absolute path for directories, {@code s3://bucket/key},
 *     or {@code git-url@branch:path} with the path from the repository root; used in error messages
 * @param version the file's own version: the S3 ETag, the git blob id, or the SHA-256 of a local file
 * @param content the raw bytes
 */
public record SourceFile(String path, String location, String version, byte[] content) {}

package io.ecsbluegreen.source;

import java.time.Instant;

/**
 * Where a file's current content came from, in terms people recognise: for git the commit that last
 * changed the file (short SHA, first line of its message, author), for S3 the object's version id (or
 * its ETag in an unversioned bucket), for a directory the content hash and modification time.
 *
 * @param kind {@link #GIT}, {@link #S3} or {@link #DIRECTORY}
 * @param ref the commit's short SHA; the S3 version id or ETag; the first 12 hex digits of the SHA-256
 * @param subject the first line of the commit message; {@code version} or {@code etag} for S3; null for a directory
 * @param author the commit's author name; null otherwise
 * @param time when the commit was made, the object or the file last modified; null when unknown
 */
public record Provenance(String kind, String ref, String subject, String author, Instant time) {
    public static final String GIT = "git";
    public static final String S3 = "s3";
    public static final String DIRECTORY = "dir";

    /** Short SHAs as {@code git log --oneline} shows them by default. */
    public static final int SHORT_SHA = 7;

    /** The commit that last changed a file. */
    public static Provenance commit(String sha, String subject, String author, Instant time) {
        return new Provenance(GIT, sha.substring(0, Math.min(SHORT_SHA, sha.length())), subject, author, time);
    }

    /** An S3 object: its version id when the bucket is versioned, its ETag otherwise. */
    public static Provenance s3(String versionId, String etag, Instant lastModified) {
        boolean versioned = versionId != null && !versionId.isEmpty() && !"null".equals(versionId);
        return new Provenance(S3, versioned ? versionId : etag, versioned ? "version" : "etag", null, lastModified);
    }

    /** A local file: its content hash and modification time. */
    public static Provenance file(String sha256, Instant modified) {
        return new Provenance(DIRECTORY, sha256.substring(0, Math.min(12, sha256.length())), null, null, modified);
    }

    /**
     * One line for people: {@code git 1a2b3c4 "Bump greeter to 2.0.0" (Alice)}, {@code s3 version 3sL4k…},
     * {@code s3 etag 9b2c…}, {@code dir sha256:0c1f… modified 2026-12-06T07:00:00Z}.
     */
    public String display() {
        return switch (kind) {
            case GIT -> "git " + ref + (subject == null || subject.isEmpty() ? "" : " \"" + subject + "\"")
                    + (author == null || author.isEmpty() ? "" : " (" + author + ")");
            case S3 -> "s3 " + subject + " " + ref;
            default -> "dir sha256:" + ref + (time == null ? "" : " modified " + time);
        };
    }
}

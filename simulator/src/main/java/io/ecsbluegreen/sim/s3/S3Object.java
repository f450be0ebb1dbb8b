package io.ecsbluegreen.sim.s3;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One stored object version: the latest of an unversioned bucket's keys, or one of the versions a
 * versioned bucket keeps ({@link Bucket#versioning()}).
 *
 * @param key the object key
 * @param content the bytes; shared, callers must not modify them
 * @param eTag the quoted hex MD5 of the content, as S3 reports it for single-part uploads
 * @param lastModified when the object was written, by the simulator clock
 * @param contentType the {@code Content-Type} to answer with
 * @param contentEncoding the {@code Content-Encoding} the client stored (without {@code aws-chunked}), or null
 * @param userMetadata {@code x-amz-meta-*} headers, names in lower case without the prefix
 * @param checksumAlgorithm the algorithm of {@code checksum}: the client's, or CRC32 when it sent none
 * @param checksum the base64 checksum of the content
 * @param versionId the version id S3 gave the object: null when it was written while the bucket was
 *     unversioned, {@value #NULL_VERSION} when written while versioning was suspended
 */
public record S3Object(
        String key,
        byte[] content,
        String eTag,
        Instant lastModified,
        String contentType,
        String contentEncoding,
        Map<String, String> userMetadata,
        ChecksumAlgorithm checksumAlgorithm,
        String checksum,
        String versionId) {

    /** The version id of objects written while versioning was suspended (and, on reads, of those written before it was on). */
    public static final String NULL_VERSION = "null";

    public S3Object {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(content, "content");
        userMetadata = Map.copyOf(userMetadata);
    }

    /** This object with the version id the bucket gave it. */
    S3Object withVersionId(String id) {
        return new S3Object(key, content, eTag, lastModified, contentType, contentEncoding, userMetadata, checksumAlgorithm,
                checksum, id);
    }

    /** The version id as S3 reports it in a versioned bucket: {@value #NULL_VERSION} for one written before versioning. */
    public String reportedVersionId() {
        return versionId == null ? NULL_VERSION : versionId;
    }

    public long size() {
        return content.length;
    }

    /** The content decoded as UTF-8, for assertions on text objects. */
    public String contentAsString() {
        return new String(content, StandardCharsets.UTF_8);
    }
}

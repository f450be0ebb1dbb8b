package io.ecsbluegreen.sim.s3;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A bucket and its objects, kept in the order S3 lists keys; with versioning on (or suspended), every
 * version of each key too, and the latest in {@link #objects()} unless a delete marker hides it.
 */
final class Bucket {

    /**
     * S3 lists keys in UTF-8 byte order, which is code-point order; {@link String#compareTo} compares
     * UTF-16 units and would misplace characters outside the Basic Multilingual Plane.
     */
    static final Comparator<String> KEY_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    };

    private final String name;
    private final String region;
    private final Instant creationDate;
    private final ConcurrentNavigableMap<String, S3Object> objects = new ConcurrentSkipListMap<>(KEY_ORDER);

    /** {@code Enabled} or {@code Suspended}: the values PutBucketVersioning takes. */
    static final String ENABLED = "Enabled";
    static final String SUSPENDED = "Suspended";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Null until versioning is first enabled: a bucket never returns to unversioned. */
    private volatile String versioning;
    /** The versions of each key kept since versioning was enabled, oldest first (delete markers are not kept). */
    private final Map<String, List<S3Object>> versions = new ConcurrentHashMap<>();

    Bucket(String name, String region, Instant creationDate) {
        this.name = name;
        this.region = region;
        this.creationDate = creationDate;
    }

    String name() {
        return name;
    }

    String region() {
        return region;
    }

    Instant creationDate() {
        return creationDate;
    }

    ConcurrentNavigableMap<String, S3Object> objects() {
        return objects;
    }

    /** {@code Enabled}, {@code Suspended}, or null for a bucket whose versioning was never enabled. */
    String versioning() {
        return versioning;
    }

    void setVersioning(String status) {
        versioning = status;
    }

    /**
     * The object as the bucket stores it now: with a new version id (kept among the key's versions) when
     * versioning is enabled; as the {@code null} version (replacing an earlier one) when suspended; as it
     * is in an unversioned bucket. {@code current} is the key's object before this one, if any.
     */
    S3Object keep(S3Object object, S3Object current) {
        String status = versioning;
        if (status == null) return object;
        S3Object kept = object.withVersionId(ENABLED.equals(status) ? newVersionId() : S3Object.NULL_VERSION);
        versions.compute(object.key(), (k, list) -> {
            List<S3Object> next = list == null ? new ArrayList<>() : new ArrayList<>(list);
            // the current object written before versioning was on is the key's null version
            if (current != null && current.versionId() == null && next.isEmpty()) next.add(current);
            if (kept.versionId().equals(S3Object.NULL_VERSION)) next.removeIf(v -> v.versionId() == null || S3Object.NULL_VERSION.equals(v.versionId()));
            next.add(kept);
            return List.copyOf(next);
        });
        return kept;
    }

    /**
     * A delete of the key's current version in a versioned bucket: a delete marker hides the key (its
     * versions stay); the marker's version id, {@code null} when versioning is suspended (which also
     * removes the null version).
     */
    String deleteMarker(String key) {
        boolean enabled = ENABLED.equals(versioning);
        versions.compute(key, (k, list) -> {
            List<S3Object> next = list == null ? new ArrayList<>() : new ArrayList<>(list);
            S3Object current = objects.get(k);
            if (current != null && current.versionId() == null && next.isEmpty()) next.add(current);
            if (!enabled) next.removeIf(v -> v.versionId() == null || S3Object.NULL_VERSION.equals(v.versionId()));
            return next.isEmpty() ? null : List.copyOf(next);
        });
        objects.remove(key);
        return enabled ? newVersionId() : S3Object.NULL_VERSION;
    }

    /** The version of a key with that id ({@code null} names one written while unversioned or suspended). */
    Optional<S3Object> version(String key, String versionId) {
        List<S3Object> kept = versions.get(key);
        if (kept != null) {
            for (S3Object v : kept) if (versionId.equals(v.reportedVersionId())) return Optional.of(v);
        }
        S3Object current = objects.get(key);
        return current != null && versionId.equals(current.reportedVersionId()) ? Optional.of(current) : Optional.empty();
    }

    boolean hasVersions() {
        return !versions.isEmpty();
    }

    /** 32 URL-safe characters, as S3's version ids look; unique with overwhelming probability. */
    private static String newVersionId() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).replace('-', '.');
    }
}

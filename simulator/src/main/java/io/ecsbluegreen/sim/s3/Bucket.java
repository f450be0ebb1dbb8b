package io.ecsbluegreen.sim.s3;

import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** A bucket and its objects, kept in the order S3 lists keys. */
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
}

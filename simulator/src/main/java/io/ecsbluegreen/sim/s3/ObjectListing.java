package io.ecsbluegreen.sim.s3;

import io.ecsbluegreen.sim.protocol.AwsErrorException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.NavigableMap;

/**
 * One page of a ListObjectsV2 listing: keys under a prefix, rolled up into common prefixes at the
 * delimiter, after a position, at most {@code maxKeys} entries (objects and prefixes together).
 *
 * @param contents the objects of the page
 * @param commonPrefixes the rolled-up prefixes of the page
 * @param truncated whether entries remain after this page
 * @param next where the next page starts, null when not truncated
 */
record ObjectListing(List<S3Object> contents, List<String> commonPrefixes, boolean truncated, Position next) {

    /**
     * A point in the listing: after the key {@code marker}, or after every key under the common prefix
     * {@code marker}. Continuation tokens encode a position, so a page never repeats a common prefix.
     */
    record Position(String marker, boolean afterPrefix) {

        private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

        /** An opaque token for {@code NextContinuationToken}. */
        String toToken() {
            String text = (afterPrefix ? "p:" : "k:") + marker;
            return ENCODER.encodeToString(text.getBytes(StandardCharsets.UTF_8));
        }

        static Position fromToken(String token) {
            String text;
            try {
                text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw invalidToken();
            }
            if (text.startsWith("k:") || text.startsWith("p:")) {
                return new Position(text.substring(2), text.startsWith("p:"));
            }
            throw invalidToken();
        }

        private static AwsErrorException invalidToken() {
            return new AwsErrorException(400, "InvalidArgument", "The continuation token provided is incorrect");
        }
    }

    /**
     * @param objects the bucket's objects in listing order
     * @param prefix only keys starting with it, "" for all
     * @param delimiter roll keys up at the first delimiter after the prefix; null or "" for none
     * @param maxKeys the page size, 0 to 1000
     * @param after start after this position, null for the beginning
     */
    static ObjectListing page(NavigableMap<String, S3Object> objects, String prefix, String delimiter,
            int maxKeys, Position after) {
        List<S3Object> contents = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        if (maxKeys == 0) {
            // S3 answers an empty, untruncated page; a truncated one without a token would loop paginators.
            return new ObjectListing(contents, prefixes, false, null);
        }
        NavigableMap<String, S3Object> tail = objects.tailMap(prefix, true);
        if (after != null && Bucket.KEY_ORDER.compare(after.marker(), prefix) >= 0) {
            tail = objects.tailMap(after.marker(), false);
        }
        boolean rollUp = delimiter != null && !delimiter.isEmpty();
        Position last = null;
        for (S3Object object : tail.values()) {
            String key = object.key();
            if (!key.startsWith(prefix)) {
                break; // sorted: no later key has the prefix either
            }
            if (after != null && after.afterPrefix() && key.startsWith(after.marker())) {
                continue;
            }
            String commonPrefix = null;
            if (rollUp) {
                int at = key.indexOf(delimiter, prefix.length());
                if (at >= 0) {
                    commonPrefix = key.substring(0, at + delimiter.length());
                    if (last != null && last.afterPrefix() && last.marker().equals(commonPrefix)) {
                        continue;
                    }
                }
            }
            if (contents.size() + prefixes.size() == maxKeys) {
                return new ObjectListing(contents, prefixes, true, last);
            }
            if (commonPrefix != null) {
                prefixes.add(commonPrefix);
                last = new Position(commonPrefix, true);
            } else {
                contents.add(object);
                last = new Position(key, false);
            }
        }
        return new ObjectListing(contents, prefixes, false, null);
    }

    /** Objects and common prefixes together, as {@code KeyCount} reports them. */
    int keyCount() {
        return contents.size() + commonPrefixes.size();
    }
}

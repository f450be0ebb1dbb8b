package io.ecsbluegreen.plan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Client tokens for CreateService and CreateTaskSet. AWS answers a token it has seen with the original
 * result and creates nothing, even after that resource is gone, so a token must name one intended
 * creation: equal across retries and restarts of that creation, different for the next one. Each is a
 * hash of everything that tells creations apart, so names sharing a prefix never share a token (AWS
 * allows 36 characters; a prefix would be cut).
 */
public final class ClientTokens {
    private ClientTokens() {}

    /** AWS's limit on CreateService's and CreateTaskSet's client token. */
    public static final int MAX_LENGTH = 36;

    /**
     * The token of a service's creation.
     *
     * @param predecessorCreatedAt the creation time of the INACTIVE service of the same name that
     *     DescribeServices still returns, null when there is none: a service deleted and created again
     *     gets a new token
     */
    public static String service(String cluster, String service, String revision, Instant predecessorCreatedAt) {
        return "svc-" + hash(cluster, service, revision, predecessorCreatedAt == null ? "none" : String.valueOf(predecessorCreatedAt.toEpochMilli()));
    }

    /**
     * The token of a task set's creation.
     *
     * @param serviceCreatedAt the service's creation time: a service created again starts a new series
     * @param generation the service's {@link Tags#GENERATION}, raised before any task set is deleted
     */
    public static String taskSet(String serviceArn, Instant serviceCreatedAt, String revision, String targetGroupArn,
                                 long generation) {
        return "ts-" + hash(serviceArn, serviceCreatedAt == null ? "unknown" : String.valueOf(serviceCreatedAt.toEpochMilli()),
                revision, targetGroupArn, String.valueOf(generation));
    }

    private static String hash(String... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}

package io.ecsbluegreen.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Credentials of the roles services name in {@code spec.roleArn}, assumed through STS with the
 * operator's own credentials, one provider per (role, external id, session). The provider refreshes the
 * credentials in the background {@link #PREFETCH} before they expire, so a pass does not wait for STS
 * while the current ones are still good; it blocks only in the last {@link #STALE} before expiry.
 */
public final class AssumedRoles implements AutoCloseable {
    /** When the background refresh starts, before expiry (sessions last an hour by default). */
    static final Duration PREFETCH = Duration.ofMinutes(5);
    /** From when on a caller waits for new credentials instead of using the current ones. */
    static final Duration STALE = Duration.ofMinutes(1);
    /** STS's RoleSessionName: {@code [\w+=,.@-]*}, 2 to 64 characters. */
    static final int MAX_SESSION_NAME = 64;

    private record Key(String roleArn, String externalId, String sessionName) {}

    private final StsClient sts;
    private final Map<Key, StsAssumeRoleCredentialsProvider> providers = new ConcurrentHashMap<>();

    /** @param sts an STS client signing with the operator's own credentials */
    public AssumedRoles(StsClient sts) {
        this.sts = sts;
    }

    /**
     * The credentials of {@code roleArn} for a service: the session is named after the operator and the
     * service, so CloudTrail in the target account shows which service a call was for.
     *
     * @param externalId the external id the role's trust policy demands, or null
     */
    public AwsCredentialsProvider credentials(String roleArn, String externalId, String service) {
        Key key = new Key(roleArn, externalId, sessionName(service));
        return providers.computeIfAbsent(key, k -> StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts)
                .refreshRequest(r -> {
                    r.roleArn(k.roleArn()).roleSessionName(k.sessionName());
                    if (k.externalId() != null) r.externalId(k.externalId());
                })
                .prefetchTime(PREFETCH)
                .staleTime(STALE)
                .asyncCredentialUpdateEnabled(true)
                .build());
    }

    /**
     * {@code bluegreen-<service>}, with characters STS does not take replaced by {@code -}; a name longer
     * than 64 characters keeps its start and ends with a hash of the whole name, so two long names that
     * share a start stay apart.
     */
    static String sessionName(String service) {
        String name = ("bluegreen-" + service).replaceAll("[^\\w+=,.@-]", "-");
        if (name.length() <= MAX_SESSION_NAME) return name;
        String hash = sha256(name).substring(0, 12);
        return name.substring(0, MAX_SESSION_NAME - hash.length() - 1) + "-" + hash;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        providers.values().forEach(StsAssumeRoleCredentialsProvider::close);
        providers.clear();
    }
}

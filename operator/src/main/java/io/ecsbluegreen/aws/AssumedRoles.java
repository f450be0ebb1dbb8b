package io.ecsbluegreen.aws;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Credentials of the roles services name in {@code spec.roleArn}, assumed through STS with the
 * operator's own credentials, one provider per {@link Identity} (role, external id, session). A provider
 * assumes the role again from {@link #PREFETCH} before the credentials expire; if STS fails then, the
 * current credentials go on serving until {@link #STALE} before expiry, from when on the failure is the
 * caller's. Time is the injected clock's, so tests drive expiry with the simulator's clock.
 */
public final class AssumedRoles implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AssumedRoles.class);
    /** When a new session is asked for, before expiry (sessions last an hour by default). */
    static final Duration PREFETCH = Duration.ofMinutes(5);
    /** From when on the current credentials are not used any more: a refresh must succeed. */
    static final Duration STALE = Duration.ofMinutes(1);
    /** STS's RoleSessionName: {@code [\w+=,.@-]*}, 2 to 64 characters. */
    static final int MAX_SESSION_NAME = 64;

    private final StsClient sts;
    private final Clock clock;
    private final Map<Identity, RoleCredentials> providers = new ConcurrentHashMap<>();

    /**
     * @param sts an STS client signing with the operator's own credentials
     * @param clock the clock credentials expire on
     */
    public AssumedRoles(StsClient sts, Clock clock) {
        this.sts = sts;
        this.clock = clock;
    }

    /**
     * The credentials of {@code roleArn} for a service: the session is named after the operator and the
     * service, so CloudTrail in the target account shows which service a call was for.
     *
     * @param externalId the external id the role's trust policy demands, or null
     */
    public AwsCredentialsProvider credentials(String roleArn, String externalId, String service) {
        return credentials(new Identity(roleArn, externalId, sessionName(service)));
    }

    /** The credentials of an assumed identity (never {@link Identity#OPERATOR}). */
    public AwsCredentialsProvider credentials(Identity identity) {
        if (!identity.assumed()) throw new IllegalArgumentException("the operator's own identity assumes no role");
        return providers.computeIfAbsent(identity, RoleCredentials::new);
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
        providers.clear();
    }

    /** One role session, assumed again as its expiry nears. */
    private final class RoleCredentials implements AwsCredentialsProvider {
        private final Identity identity;
        private AwsSessionCredentials current;
        private Instant expiration;

        RoleCredentials(Identity identity) {
            this.identity = identity;
        }

        @Override
        public synchronized AwsCredentials resolveCredentials() {
            Instant now = clock.instant();
            if (current == null) {
                assume();
                return current;
            }
            if (now.isBefore(expiration.minus(PREFETCH))) return current;
            if (now.isBefore(expiration.minus(STALE))) {
                try {
                    assume();
                } catch (RoleAssumptionException e) {
                    // Still good for a while: the next call tries again, and a rollout goes on meanwhile.
                    LOG.warnf("%s; the current session serves until %s", e.getMessage(), expiration);
                }
                return current;
            }
            assume();
            return current;
        }

        private void assume() {
            AssumeRoleRequest.Builder request = AssumeRoleRequest.builder()
                    .roleArn(identity.roleArn()).roleSessionName(identity.sessionName());
            if (identity.externalId() != null) request.externalId(identity.externalId());
            Credentials c;
            try {
                c = sts.assumeRole(request.build()).credentials();
            } catch (RuntimeException e) {
                throw new RoleAssumptionException(identity, e);
            }
            current = AwsSessionCredentials.builder().accessKeyId(c.accessKeyId()).secretAccessKey(c.secretAccessKey())
                    .sessionToken(c.sessionToken()).expirationTime(c.expiration()).build();
            expiration = c.expiration();
        }
    }
}

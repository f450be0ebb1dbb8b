package io.ecsbluegreen.sim.sts;

import io.ecsbluegreen.sim.SimClock;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The simulated STS state: the sessions AssumeRole issued, so that a client using temporary
 * credentials is recognised by GetCallerIdentity. Any other credentials are the account's root.
 */
public final class StsStore {

    private static final char[] KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    private final SimClock clock;
    private final String accountId;
    private final ConcurrentMap<String, AssumedRoleSession> sessions = new ConcurrentHashMap<>();
    /** Roles whose trust policy demands an external id ({@code sts:ExternalId} condition), by role ARN. */
    private final ConcurrentMap<String, String> externalIds = new ConcurrentHashMap<>();
    /** Roles whose trust policy does not trust the caller. */
    private final Set<String> untrusted = ConcurrentHashMap.newKeySet();
    private final SecureRandom random = new SecureRandom();

    public StsStore(SimClock clock, String accountId) {
        this.clock = clock;
        this.accountId = accountId;
    }

    public String accountId() {
        return accountId;
    }

    /** Every session issued so far. */
    public List<AssumedRoleSession> sessions() {
        return List.copyOf(sessions.values());
    }

    /** The session whose temporary access key is {@code accessKeyId}. */
    public Optional<AssumedRoleSession> session(String accessKeyId) {
        return accessKeyId == null ? Optional.empty() : Optional.ofNullable(sessions.get(accessKeyId));
    }

    /** Who a caller signing with {@code accessKeyId} is: an assumed role it got from us, or the root. */
    public CallerIdentity callerIdentity(String accessKeyId) {
        return session(accessKeyId)
                .map(s -> new CallerIdentity(accountOf(s.roleArn()), s.assumedRoleArn(), s.assumedRoleId()))
                .orElseGet(() -> new CallerIdentity(accountId, "arn:aws:iam::" + accountId + ":root", accountId));
    }

    /**
     * Gives a role a trust policy with the condition {@code "StringEquals": {"sts:ExternalId": externalId}}:
     * AssumeRole without that external id is then denied.
     */
    public void requireExternalId(String roleArn, String externalId) {
        externalIds.put(roleArn, externalId);
    }

    /** Makes the role's trust policy not trust the caller (or the role not exist): AssumeRole is denied. */
    public void distrust(String roleArn) {
        untrusted.add(roleArn);
    }

    /** Trusts the caller again, as a fixed trust policy would. */
    public void trust(String roleArn) {
        untrusted.remove(roleArn);
    }

    /**
     * Whether the caller may assume the role with this external id (null when none was passed): AWS
     * answers a role that does not trust the caller, a missing or wrong external id and a role that does not
     * exist alike, with AccessDenied.
     */
    boolean allowed(String roleArn, String externalId) {
        if (untrusted.contains(roleArn)) return false;
        String wanted = externalIds.get(roleArn);
        return wanted == null || wanted.equals(externalId);
    }

    /**
     * Whether {@code accessKeyId} is temporary credentials this STS issued that have expired by the
     * simulator's clock: AWS then refuses every request they sign.
     */
    public boolean expired(String accessKeyId) {
        return session(accessKeyId).map(s -> !clock.instant().isBefore(s.expiration())).orElse(false);
    }

    /** Issues temporary credentials for a role; validation is the caller's job. */
    AssumedRoleSession assumeRole(String roleArn, String sessionName, Duration duration) {
        String resource = roleArn.substring(roleArn.indexOf(":role/") + ":role/".length());
        String roleName = resource.substring(resource.lastIndexOf('/') + 1);
        String partition = roleArn.substring("arn:".length(), roleArn.indexOf(':', "arn:".length()));
        String roleId = "AROA" + stableId(roleArn);
        AssumedRoleSession session = new AssumedRoleSession(
                "ASIA" + randomKey(16),
                randomKey(40),
                "FwoGZXIvYXdzE" + randomKey(120),
                clock.instant().plus(duration),
                roleArn,
                sessionName,
                roleId + ":" + sessionName,
                "arn:" + partition + ":sts::" + accountOf(roleArn) + ":assumed-role/" + roleName + "/" + sessionName);
        sessions.put(session.accessKeyId(), session);
        return session;
    }

    private static String accountOf(String arn) {
        return arn.split(":", 6)[4];
    }

    /** The same role always gets the same id, as in IAM. */
    private static String stableId(String roleArn) {
        UUID uuid = UUID.nameUUIDFromBytes(roleArn.getBytes(StandardCharsets.UTF_8));
        long bits = uuid.getMostSignificantBits() ^ uuid.getLeastSignificantBits();
        StringBuilder id = new StringBuilder(17);
        for (int i = 0; i < 17; i++) {
            id.append(KEY_ALPHABET[(int) ((bits >>> (i * 3)) & 31)]);
        }
        return id.toString();
    }

    private String randomKey(int length) {
        StringBuilder key = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            key.append(KEY_ALPHABET[random.nextInt(KEY_ALPHABET.length)]);
        }
        return key.toString();
    }
}

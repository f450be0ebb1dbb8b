package io.ecsbluegreen.plan;

import io.ecsbluegreen.model.BlueGreenServiceSpec;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The identity of what a task set runs: a content hash of the task definition (inline content, or the
 * ARN as given) and of the task-set-level settings (launch type or capacity providers, platform version,
 * network configuration, the container and port registered in the target group). It is the task set's
 * {@code externalId} and the task definition's tag, so a rollout can be recognised in AWS after a
 * restart. Settings that do not need new tasks (desired count, strategy, hooks, tags) are left out, so
 * changing them never starts a rollout.
 *
 * @param id {@code r-} and 12 hex digits of the SHA-256
 */
public record Revision(String id) {

    private static final Pattern FORMAT = Pattern.compile("r-[0-9a-f]{12}");

    public Revision {
        if (!FORMAT.matcher(id).matches()) {
            throw new IllegalArgumentException("not a revision id: " + id);
        }
    }

    /** Whether {@code text} is a revision id, e.g. a task set's externalId written by this operator. */
    public static boolean isRevisionId(String text) {
        return text != null && FORMAT.matcher(text).matches();
    }

    /**
     * The revision a spec asks for: the SHA-256 of its canonical encoding ({@link RevisionEncoding}, frozen:
     * the same spec has the same id in every release, or upgrading the operator would roll out every service).
     */
    public static Revision of(BlueGreenServiceSpec spec) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(RevisionEncoding.of(spec));
            return new Revision("r-" + HexFormat.of().formatHex(digest).substring(0, 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("cannot hash a spec", e);
        }
    }

    @Override
    public String toString() {
        return id;
    }
}

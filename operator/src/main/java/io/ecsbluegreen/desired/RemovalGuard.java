package io.ecsbluegreen.desired;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides whether a new snapshot of one source may take effect when it declares fewer services than the
 * snapshot in force: a source that loses all of its services, or more than {@code maxShare} of them in
 * one change, is held (its last good snapshot stays in force) until a person confirms or the files come
 * back. It follows the prune protections of Argo CD (automated sync never prunes to an empty application
 * unless {@code allowEmpty}; {@code Prune=confirm} waits for a person) and Flux
 * ({@code kustomize.toolkit.fluxcd.io/prune: disabled} keeps an object that left the source), for a
 * source whose directory was replaced by an empty one, a commit that deleted every file, or an S3 prefix
 * emptied by mistake. Nothing is ever deleted in AWS either way: what a confirmation changes is that the
 * services become orphaned (watched, no new step) instead of staying declared.
 *
 * <p>A source whose first read after start-up declares nothing is held too ({@link #EMPTY_AT_START}):
 * the operator keeps no snapshot across restarts, so it cannot tell an empty source from one emptied
 * while it was down, and services tagged as managed in AWS must not silently lose their watch.
 *
 * @param enabled whether the guard holds anything at all
 * @param maxShare the largest share of a source's services (0..1) one change may remove without a hold
 */
public record RemovalGuard(boolean enabled, double maxShare) {

    /** Reason: the source declared services and now declares none. */
    public static final String ALL_REMOVED = "AllServicesRemoved";
    /** Reason: more than the allowed share of the source's services went in one change. */
    public static final String TOO_MANY_REMOVED = "TooManyServicesRemoved";
    /** Reason: the first read since start-up declares no service at all. */
    public static final String EMPTY_AT_START = "EmptyAtStart";

    /** The configured default: holds a change that removes more than half of a source's services. */
    public static final RemovalGuard DEFAULT = new RemovalGuard(true, 0.5);
    /** No guard: every snapshot takes effect at once. */
    public static final RemovalGuard OFF = new RemovalGuard(false, 1.0);

    public RemovalGuard {
        if (!(maxShare >= 0 && maxShare <= 1)) {
            throw new IllegalArgumentException("bluegreen.sync.removal-guard.max-share must be between 0 and 1, not " + maxShare);
        }
    }

    /** The guard's answer for one new snapshot. */
    public sealed interface Verdict permits Accept, Hold {}

    /** The snapshot takes effect. */
    public record Accept() implements Verdict {}

    /**
     * The snapshot is held.
     *
     * @param reason one of the reason constants
     * @param removed the names the snapshot would remove, sorted
     * @param before how many services the snapshot in force declares
     * @param message why, for people
     */
    public record Hold(String reason, List<String> removed, int before, String message) implements Verdict {
        public Hold {
            removed = List.copyOf(removed);
        }
    }

    /**
     * @param source the source's id, for the message
     * @param firstRead whether no snapshot of the source took effect since start-up
     * @param before the names the snapshot in force declares
     * @param after the names the new snapshot declares
     */
    public Verdict check(String source, boolean firstRead, Set<String> before, Set<String> after) {
        if (!enabled) return new Accept();
        if (firstRead && after.isEmpty()) {
            return new Hold(EMPTY_AT_START, List.of(), 0, "source " + source + " declares no service at all on its first read"
                    + " since start-up; services managed in AWS are left as they are until the source declares services"
                    + " or the removal is confirmed");
        }
        TreeSet<String> removed = new TreeSet<>(before);
        removed.removeAll(after);
        if (removed.isEmpty()) return new Accept();
        if (after.isEmpty()) {
            return new Hold(ALL_REMOVED, List.copyOf(removed), before.size(), "source " + source + " would remove all "
                    + before.size() + " of its services (" + names(removed) + "); the last good snapshot stays in force"
                    + " until the files return or the removal is confirmed");
        }
        double share = (double) removed.size() / before.size();
        if (share > maxShare) {
            return new Hold(TOO_MANY_REMOVED, List.copyOf(removed), before.size(), "source " + source + " would remove "
                    + removed.size() + " of its " + before.size() + " services in one change (" + names(removed)
                    + "), more than the allowed share of " + Math.round(maxShare * 100) + "%; the last good snapshot stays"
                    + " in force until the files return or the removal is confirmed");
        }
        return new Accept();
    }

    /** At most five names, then how many more: a message stays one readable line. */
    private static String names(TreeSet<String> removed) {
        List<String> first = removed.stream().limit(5).toList();
        return String.join(", ", first) + (removed.size() > 5 ? " and " + (removed.size() - 5) + " more" : "");
    }
}

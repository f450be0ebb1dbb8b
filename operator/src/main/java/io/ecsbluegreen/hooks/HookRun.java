package io.ecsbluegreen.hooks;

import java.time.Duration;
import java.time.Instant;

/**
 * A finished hook run, for the service's status and the metrics.
 *
 * @param revision the revision rolled out
 * @param point the lifecycle point
 * @param name the hook's name
 * @param kind {@code lambda}, {@code http} or {@code task}
 * @param attempts calls made (retries and InProgress polls included)
 * @param startedAt when it started
 * @param duration how long it took
 * @param outcome {@code Succeeded}, {@code Failed} or {@code TimedOut}
 * @param detail a bounded excerpt of the answer, or the reason of the failure
 */
public record HookRun(String revision, String point, String name, String kind, int attempts, Instant startedAt,
                      Duration duration, String outcome, String detail) {

    /** How much of an answer is kept. */
    public static final int EXCERPT = 300;

    static String excerpt(String text) {
        if (text == null) return null;
        String flat = text.replaceAll("\\s+", " ").trim();
        return flat.length() <= EXCERPT ? flat : flat.substring(0, EXCERPT - 1) + "…";
    }
}

package io.ecsbluegreen.observed;

import java.time.Instant;

/**
 * One measurement of one analysis check: what was measured, against what, and the verdict.
 *
 * @param check the check's name
 * @param kind {@code targetGroupMetric}, {@code prometheus} or {@code httpProbe}
 * @param at when the measurement began (the runner's clock)
 * @param value the measured number; null when there was no data or the measurement failed to run
 * @param threshold the passing range as text, e.g. {@code <= 0.01}, {@code >= 100}, {@code 0.5..2}
 * @param verdict the verdict before the check's no-data policy is applied
 * @param detail a short, bounded explanation (the query, the error, the counts)
 */
public record Measurement(String check, String kind, Instant at, Double value, String threshold, Verdict verdict,
                          String detail) {

    /** What one measurement found. */
    public enum Verdict {
        /** The value is within the threshold. */
        PASSED,
        /** The value is outside the threshold. */
        FAILED,
        /** The source answered but had no value (no requests, an empty query result). */
        NO_DATA,
        /**
         * Not yet: no whole metric period lies inside the step and before the metric's delivery delay, so
         * there is nothing honest to judge. Counts neither as a pass nor as no data; the check is measured
         * again at its next interval.
         */
        PENDING,
        /**
         * The measurement could not be made (source unreachable, throttled, a bad query). Counted as a
         * failure: a rollout that cannot be verified is not promoted.
         */
        ERROR
    }
}

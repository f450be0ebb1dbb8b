package io.ecsbluegreen.observed;

import java.time.Instant;

/**
 * What is known of one check in one rollout, with the check's no-data policy applied.
 *
 * @param check the check's name
 * @param measurements measurements taken (finished), of any verdict
 * @param failures measurements that counted as failures: FAILED, ERROR, and NO_DATA under {@code noData: fail}
 * @param failureLimit failures that fail the check
 * @param last the latest finished measurement; null before the first
 * @param lastStartedAt when the latest measurement began (finished or not); null before the first
 * @param lastCountedAt when the latest measurement that counted (pass or failure; not NO_DATA under
 *     {@code noData: wait}) began; null before the first
 * @param measuring a measurement is under way
 */
public record CheckState(String check, int measurements, int failures, int failureLimit, Measurement last,
                         Instant lastStartedAt, Instant lastCountedAt, boolean measuring) {

    /** The check failed: its failures reached the limit. */
    public boolean failed() {
        return failures >= failureLimit;
    }
}

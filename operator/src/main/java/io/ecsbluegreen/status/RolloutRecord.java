package io.ecsbluegreen.status;

import java.time.Duration;
import java.time.Instant;

/**
 * One rollout in a service's history.
 *
 * @param revision the revision rolled out
 * @param from the revision production served when it started; null for a service's first revision
 * @param startedAt when the operator first saw the revision wanted and not served
 * @param endedAt when it ended; null while in progress
 * @param outcome how it ended; null while in progress
 * @param why the reason of the outcome, for people
 */
public record RolloutRecord(String revision, String from, Instant startedAt, Instant endedAt, Outcome outcome, String why) {

    /** How a rollout ended. */
    public enum Outcome {
        /** Production serves the revision. */
        Succeeded,
        /** The revision failed (deadline, unhealthy green, alarm) and production went back to blue. */
        RolledBack,
        /** A person aborted it. */
        Aborted,
        /** A newer revision replaced it before it finished. */
        Superseded
    }

    /** The time from start to end, or to {@code now} while in progress. */
    public Duration duration(Instant now) {
        return Duration.between(startedAt, endedAt == null ? now : endedAt);
    }

    RolloutRecord end(Instant at, Outcome how, String reason) {
        return new RolloutRecord(revision, from, startedAt, at, how, reason);
    }
}

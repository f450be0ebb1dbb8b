package io.ecsbluegreen.events;

import java.time.Instant;

/**
 * One thing that happened to a service (or a source) that people want to know about: what the operator
 * logs as one JSON line, keeps in the service's event history and sends to notification receivers.
 *
 * @param at when it happened (the operator's clock)
 * @param type what happened
 * @param service the BlueGreenService's name; for source events, the source's id
 * @param revision the revision concerned; null when none
 * @param phase the service's phase after the event; null for source events
 * @param reason short CamelCase code (the phase reason, the hook outcome, the drift kind, ...)
 * @param message the same for people
 */
public record Event(Instant at, Type type, String service, String revision, String phase, String reason, String message) {

    /** The kinds of event; notification filters name them. */
    public enum Type {
        /** The service moved to another phase. */
        PhaseChanged,
        /** Production serves the new revision. */
        RolloutSucceeded,
        /** A rollout ended without its revision serving: rolled back, aborted or superseded. */
        RolloutFailed,
        /** A lifecycle hook succeeded. */
        HookSucceeded,
        /** A lifecycle hook failed or timed out. */
        HookFailed,
        /** An analysis measurement failed or could not be made. */
        AnalysisFailed,
        /** An outside change was corrected. */
        DriftCorrected,
        /** A desired-state source could not be read, or a file in it turned invalid. */
        SourceError,
        /** A source that had an error is read cleanly again. */
        SourceRecovered,
        /**
         * A source's newest snapshot would remove all or too many of its services and is held (reason
         * {@code AllServicesRemoved}, {@code TooManyServicesRemoved} or {@code EmptyAtStart}); or the hold
         * ended (reason {@code HoldReleased}: confirmed, or the files returned).
         */
        SourceHeld
    }
}

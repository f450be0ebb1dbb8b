package io.ecsbluegreen.events;

import io.ecsbluegreen.status.RevisionLabel;
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
 * @param label what {@code revision} runs and where it came from (images, commit); null when unknown
 */
public record Event(Instant at, Type type, String service, String revision, String phase, String reason, String message,
                    RevisionLabel label) {

    /** An event whose revision is not labelled. */
    public Event(Instant at, Type type, String service, String revision, String phase, String reason, String message) {
        this(at, type, service, revision, phase, reason, message, null);
    }

    /** The revision as people read it: {@code r-2 [greeter:2.0.0 from git 1a2b3c4 "Bump" (Alice)]}; null without one. */
    public String revisionText() {
        if (revision == null) return null;
        return label == null || !label.revision().equals(revision) ? revision : label.describe();
    }

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

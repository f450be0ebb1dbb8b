package io.ecsbluegreen.plan;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The planner's answer for one service in one pass.
 *
 * @param actions the changes to make, in order
 * @param status the status after this pass's observation
 * @param next what the pass leads to: a look again after a delay, nothing until the next event, or a
 *     stop until a person acts
 * @param drift outside changes this plan corrects, for logs and the drift metric
 */
public record Plan(List<Action> actions, ServiceStatus status, Next next, List<Drift> drift) {

    public Plan {
        actions = List.copyOf(actions);
        Objects.requireNonNull(next, "next");
        drift = List.copyOf(drift);
    }

    /** When to look again, for the callers that schedule: null unless {@link Next.After}. */
    public Duration requeueAfter() {
        return next instanceof Next.After after ? after.delay() : null;
    }

    /** Whether the service needs a person (or a spec change): not retried until then. */
    public boolean terminal() {
        return next instanceof Next.Terminal;
    }

    /** What a pass leads to. */
    public sealed interface Next {
        /** Nothing to wait for: the next event, command or resync brings the service back. */
        Next IDLE = new Idle();
        /** The service needs a person (or a spec change): not retried until then. */
        Next TERMINAL = new Terminal();

        /** Look again after {@code delay} (zero: at once). */
        record After(Duration delay) implements Next {
            public After {
                Objects.requireNonNull(delay, "delay");
            }
        }

        /** Nothing to wait for: the next event, command or resync brings the service back. */
        record Idle() implements Next {}

        /** The service needs a person (or a spec change): not retried until then. */
        record Terminal() implements Next {}

        /** {@link After} the delay; {@link #IDLE} when there is none (null). */
        static Next after(Duration delay) {
            return delay == null ? IDLE : new After(delay);
        }
    }

    /** An outside change the operator corrects. */
    public record Drift(String kind, String detail) {}
}

package io.ecsbluegreen.plan;

import java.time.Duration;

/**
 * The reconcile engine's brain: a pure function of one {@link PlanInput} (desired, observed, commands,
 * hook runs, analysis states, now) to the actions of one pass, the status and when to look again. It
 * holds no state; everything it needs to resume a rollout is in {@code observed} (task sets, listener weights, service tags; see {@link Tags}).
 *
 * <p>Blue is the service's PRIMARY task set; green is the non-primary task set running the desired
 * revision. A rollout creates green on the idle target group, waits until it is stable and every target
 * is healthy (within the progress deadline), points the test listener at it, waits for promotion when
 * manual, shifts production step by step (each step recorded on the service once the listener moved),
 * bakes at 100%, makes green primary and keeps blue warm for the retention window.
 *
 * <p>DRAINING task sets (deleted, their targets deregistering) are never green, primary or serving and
 * are never deleted again; they only count toward ECS's limit of five task sets per service.
 *
 * <p>The decisions live one concern per file around one {@link PassContext}: {@link Ownership},
 * {@link Phases}, {@link TrafficSteps}, {@link HookGates}, {@link AnalysisGate} and {@link StatusView};
 * status reasons are the constants of {@link Reason}.
 */
public final class Planner {

    /** How often to look while something is moving (a task set stabilising, targets becoming healthy). */
    static final Duration POLL = Duration.ofSeconds(10);

    /** How often rollback alarms are looked at while green is watched (test traffic to the end of the bake). */
    static final Duration ALARM_POLL = Duration.ofSeconds(30);

    /** ECS's limit on task sets per service; DRAINING ones count. */
    static final int MAX_TASK_SETS = 5;

    private Planner() {}

    /** The plan of one pass over one service. */
    public static Plan plan(PlanInput input) {
        return new Phases(input).run();
    }
}

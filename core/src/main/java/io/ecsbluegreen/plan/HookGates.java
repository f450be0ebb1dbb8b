package io.ecsbluegreen.plan;

import io.ecsbluegreen.model.Phase;
import static io.ecsbluegreen.plan.Planner.POLL;

import io.ecsbluegreen.plan.HookCall;
import io.ecsbluegreen.observed.HookResult;
import io.ecsbluegreen.model.FailurePolicy;
import io.ecsbluegreen.model.HookSpec;
import io.ecsbluegreen.observed.Observed.TaskSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lifecycle-hook gates: the hooks of each point run one after the other, each success recorded before
 * the next starts; a failure rolls back (or, before green exists, marks the revision failed).
 */
abstract class HookGates extends Ownership {
    /** CodeDeploy's lifecycle points, in order; green's progress tag counts from 1 (afterInstall). */
    static final List<String> HOOK_POINTS = List.of("beforeInstall", "afterInstall", "afterAllowTestTraffic",
            "beforeAllowTraffic", "afterAllowTraffic");

    HookGates(PlanInput input) {
        super(input);
    }

    List<HookSpec> hooksAt(String point) {
        if (spec.hooks() == null) return List.of();
        List<HookSpec> hooks = spec.hooks().byPoint().get(point);
        return hooks == null ? List.of() : hooks;
    }

    /** How many hooks of point {@code p} succeeded, from green's progress tag {@code P.K}. */
    int hooksDone(TaskSet green, int p) {
        Optional<String> tag = fact(Tags.HOOKS, green);
        if (tag.isEmpty()) return 0;
        String[] parts = tag.get().split("\\.");
        try {
            int point = Integer.parseInt(parts[0]);
            int done = Integer.parseInt(parts[1]);
            return point > p ? Integer.MAX_VALUE : point == p ? done : 0;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /**
     * Runs the hooks of lifecycle point {@code p} one after the other, recording each success on green
     * before the next starts; empty once every hook of the point succeeded (or failed with
     * {@code onFailure: ignore}). A failure rolls back.
     */
    Optional<Plan> hookGate(int p, TaskSet green, TaskSet blue, Phase phase) {
        String point = HOOK_POINTS.get(p);
        List<HookSpec> hooks = hooksAt(point);
        int done = hooksDone(green, p);
        if (done >= hooks.size()) return Optional.empty();
        HookSpec hook = hooks.get(done);
        String next = done + 1 >= hooks.size() ? (p + 1) + ".0" : p + "." + (done + 1);
        return Optional.of(hookStep(point, done, hook, green.arn(), blue, phase,
                () -> record(Tags.HOOKS, green, next),
                (reason, message) -> rollback(green, blue, reason, message)));
    }

    /** beforeInstall: before green exists, so progress is kept on the service, and a failure has nothing to undo. */
    Optional<Plan> beforeInstall(TaskSet blue) {
        String revision = desired.revision().id();
        List<HookSpec> hooks = hooksAt("beforeInstall");
        String tag = observed.service().tags().getOrDefault(Tags.BEFORE_INSTALL, "");
        int done = 0;
        if (tag.startsWith(revision + ":")) {
            try {
                done = Integer.parseInt(tag.substring(revision.length() + 1));
            } catch (NumberFormatException e) {
                done = 0;
            }
        }
        if (done >= hooks.size()) return Optional.empty();
        int finished = done + 1;
        return Optional.of(hookStep("beforeInstall", done, hooks.get(done), null, blue, Phase.Deploying,
                () -> new Action.TagResource(observed.service().arn(), Map.of(Tags.BEFORE_INSTALL, revision + ":" + finished)),
                (reason, message) -> {
                    actions.add(new Action.TagResource(observed.service().arn(), Map.of(Tags.FAILED_REVISION, revision,
                            Tags.FAILED_REASON, Tags.encodeText(reason.name() + ": " + message))));
                    return plan(status(Phase.RolledBack, blue.revision(), Reason.RevisionFailed, reason.name() + ": " + message), Duration.ZERO);
                }));
    }

    Plan hookStep(String point, int index, HookSpec hook, String taskSetArn, TaskSet blue, Phase phase,
                          java.util.function.Supplier<Action> recordSuccess,
                          java.util.function.BiFunction<Reason, String, Plan> fail) {
        String label = point + " hook " + hook.name();
        HookResult run = hookRuns.get(HookCall.key(desired.revision().id(), point, index, taskSetArn));
        if (run == null) {
            actions.add(new Action.RunHook(point, index, hook, taskSetArn));
            return plan(status(phase, blue.revision(), Reason.RunningHook, "running " + label), POLL);
        }
        if (run.state() == HookResult.State.RUNNING) {
            return plan(status(phase, blue.revision(), Reason.RunningHook, label + " is running"), POLL);
        }
        if (run.state() == HookResult.State.FAILED && hook.onFailure() != FailurePolicy.IGNORE) {
            return fail.apply(Reason.HookFailed, label + " failed: " + run.message());
        }
        actions.add(recordSuccess.get());
        boolean ignored = run.state() == HookResult.State.FAILED;
        return plan(status(phase, blue.revision(), ignored ? Reason.HookFailureIgnored : Reason.HookSucceeded,
                label + (ignored ? " failed (ignored): " + run.message() : " succeeded")), Duration.ZERO);
    }
}

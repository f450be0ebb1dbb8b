package io.ecsbluegreen.plan;

import io.ecsbluegreen.model.Phase;
import static io.ecsbluegreen.plan.Planner.POLL;

import io.ecsbluegreen.model.CanaryStep;
import io.ecsbluegreen.model.StrategySpec;
import io.ecsbluegreen.observed.Observed.TaskSet;
import io.ecsbluegreen.spec.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Production traffic step by step: the schedule of a strategy, moving the listener one step per due time
 * and recording each step once the listener reached it.
 */
abstract class TrafficSteps extends AnalysisGate {
/** One traffic step: the production share of green and how long it holds before the next step. */
record Step(int weight, Duration hold) {}

/** The traffic steps of a strategy; the last one is 100% and holds for the bake time. */
static List<Step> schedule(StrategySpec strategy) {
    List<Step> steps = new ArrayList<>();
    switch (strategy.type()) {
        case ALL_AT_ONCE -> { }
        case CANARY -> {
            for (CanaryStep s : strategy.canary().steps()) {
                if (s.weight() < 100) steps.add(new Step(s.weight(), s.pause()));
            }
        }
        case LINEAR -> {
            int step = strategy.linear().stepPercent();
            for (int w = step; w < 100; w += step) steps.add(new Step(w, strategy.linear().interval()));
        }
    }
    steps.add(new Step(100, strategy.bakeTime()));
    return steps;
}

/** The traffic step recorded on green: {@code INDEX@EPOCH_SECONDS}. */
record StepTag(int index, Instant since) {
    static Optional<StepTag> parse(String text) {
        return Tags.numberAt(text, StepTag::new);
    }

    @Override
    public String toString() {
        return index + "@" + since.getEpochSecond();
    }
}

    TrafficSteps(PlanInput input) {
        super(input);
    }

    /**
     * Moves production along the schedule, one step per due time, recording each step once the listener
     * reached it: a recorded step always had production on green, which tells a rollback that stopped
     * before its bookkeeping from a step about to begin.
     */
    Plan shift(TaskSet green, TaskSet blue) {
        List<Step> steps = schedule(spec.strategy());
        int last = steps.size() - 1;
        Optional<StepTag> tag = step(green).filter(t -> t.index() <= last);
        int actual = observed.production().percentTo(green.targetGroupArn());
        int next = tag.isEmpty() ? 0 : tag.get().index() + 1;
        if (next <= last && actual == steps.get(next).weight()) {
            // Stopped between moving the listener and recording the step: record it, from now.
            actions.add(record(Tags.STEP, green, new StepTag(next, now).toString()));
            return plan(shiftStatus(green, blue, next, steps, actual), Duration.ZERO);
        }
        if (tag.isEmpty()) {
            return advance(green, blue, steps, 0);
        }
        int k = tag.get().index();
        int expected = steps.get(k).weight();
        if (actual != expected) {
            int previous = k == 0 ? 0 : steps.get(k - 1).weight();
            if (actual != previous) {
                drift.add(new Plan.Drift("listenerWeights", "production sent " + actual + "% to green instead of "
                        + expected + "%"));
            }
            actions.add(forward(observed.production(), weights(green.targetGroupArn(), expected, blue.targetGroupArn())));
            return plan(shiftStatus(green, blue, k, steps, expected), POLL);
        }
        if (!orphaned && fact(Tags.ORPHANED_AT, green).isPresent()) {
            // The spec is declared again: the step's pause restarts now instead of counting the time
            // nobody declared it, which would otherwise jump straight to the next step.
            actions.add(record(Tags.STEP, green, new StepTag(k, now).toString()));
            actions.add(new Action.UntagResource(observed.service().arn(), List.of(Tags.key(Tags.ORPHANED_AT, green.revision()))));
            return plan(shiftStatus(green, blue, k, steps, expected).withReason(Reason.PauseRestarted, "declared again: step "
                    + (k + 1) + " of " + steps.size() + " holds " + Durations.format(steps.get(k).hold()) + " from now"),
                    steps.get(k).hold().isZero() ? Duration.ZERO : steps.get(k).hold());
        }
        if (k == last) {
            Optional<Plan> gate = hookGate(4, green, blue, Phase.Baking);
            if (gate.isPresent()) return gate.get();
        }
        Instant due = tag.get().since().plus(steps.get(k).hold());
        Duration wait = now.isBefore(due) ? Duration.between(now, due) : null;
        if (!checks().isEmpty()) {
            Optional<Plan> gate = analysisGate(green, blue, k, steps, tag.get().since(), due, wait);
            if (gate.isPresent()) return gate.get();
        } else if (wait != null) {
            return plan(shiftStatus(green, blue, k, steps, expected), wait);
        }
        if (k < last) {
            return advance(green, blue, steps, k + 1);
        }
        // Blue is marked retired before green becomes primary: killed in between, the next pass still
        // knows blue is kept for the retention window instead of a leftover to delete.
        actions.add(record(Tags.RETIRED_AT, blue, String.valueOf(now.getEpochSecond())));
        actions.add(new Action.SetPrimaryTaskSet(green.arn()));
        return plan(status(Phase.Steady, green.revision(), Reason.Promoted, "green " + green.revision()
                + " is primary; " + blue.revision() + " stays warm for " + Durations.format(spec.strategy().blueRetention())), Duration.ZERO);
    }

    Plan advance(TaskSet green, TaskSet blue, List<Step> steps, int k) {
        int weight = steps.get(k).weight();
        actions.add(forward(observed.production(), weights(green.targetGroupArn(), weight, blue.targetGroupArn())));
        actions.add(record(Tags.STEP, green, new StepTag(k, now).toString()));
        return plan(shiftStatus(green, blue, k, steps, weight), steps.get(k).hold().isZero() ? Duration.ZERO : steps.get(k).hold());
    }
}

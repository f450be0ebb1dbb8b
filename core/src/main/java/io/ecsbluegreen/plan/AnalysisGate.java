package io.ecsbluegreen.plan;

import static io.ecsbluegreen.plan.Planner.POLL;

import io.ecsbluegreen.plan.AnalysisTarget;
import io.ecsbluegreen.observed.CheckState;
import io.ecsbluegreen.observed.Measurement;
import io.ecsbluegreen.model.AnalysisCheck;
import io.ecsbluegreen.observed.Observed.TaskSet;
import io.ecsbluegreen.plan.TrafficSteps.Step;
import io.ecsbluegreen.spec.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The analysis gate of a traffic step: measurements asked for when due, a failed check rolls back, and a
 * step passes only on numbers taken while it was in force.
 */
abstract class AnalysisGate extends HookGates {
    AnalysisGate(PlanInput input) {
        super(input);
    }

    List<AnalysisCheck> checks() {
        return spec.analysis() == null || spec.analysis().checks() == null ? List.of() : spec.analysis().checks();
    }

    Duration interval(AnalysisCheck check) {
        return check.interval() != null ? check.interval() : spec.analysis().interval();
    }

    /**
     * Asks for the measurements that are due (never measured, or their interval passed since the last
     * began) and returns when the next one will be; measuring in the background wakes the service.
     */
    Duration measureDue(TaskSet green, Map<String, CheckState> states, Instant stepStartedAt) {
        Duration next = null;
        boolean due = false;
        for (AnalysisCheck check : checks()) {
            CheckState state = states.get(check.name());
            if (state != null && state.measuring()) {
                next = min(next, POLL);
                continue;
            }
            Instant at = state == null || state.lastStartedAt() == null ? now : state.lastStartedAt().plus(interval(check));
            if (!now.isBefore(at)) {
                due = true;
                next = min(next, POLL);
            } else {
                next = min(next, Duration.between(now, at));
            }
        }
        if (due) actions.add(new Action.Analyze(green.arn(), green.targetGroupArn(), stepStartedAt));
        return next;
    }

    /** Which number failed, against what, how often: what an on-call engineer reads first. */
    String analysisFailure(CheckState state) {
        Measurement m = state.last();
        String found = m == null ? "no measurement"
                : m.verdict() == Measurement.Verdict.ERROR ? "could not measure (" + m.detail() + ")"
                : m.value() == null ? "no data (" + m.detail() + ")"
                : m.value() + " outside " + m.threshold() + (m.detail() == null ? "" : " (" + m.detail() + ")");
        return "analysis check " + state.check() + " failed " + state.failures() + " of " + state.failureLimit()
                + " allowed time(s); last measurement: " + found;
    }

    /**
     * The analysis gate of traffic step {@code k}, in force since {@code since} and due to end at
     * {@code due}: rolls back on a failed check, asks for due measurements, holds the step until it is
     * due and then until every check has a measurement taken while it was in force (rolling back when
     * none comes within the progress deadline); empty when the step may end.
     *
     * @param wait how long until the step is due; null when it is due
     */
    Optional<Plan> analysisGate(TaskSet green, TaskSet blue, int k, List<Step> steps, Instant since, Instant due, Duration wait) {
        int expected = steps.get(k).weight();
        Map<String, CheckState> states = analysis.getOrDefault(AnalysisTarget.key(desired.revision().id(), green.arn()), Map.of());
        for (AnalysisCheck check : checks()) {
            CheckState state = states.get(check.name());
            if (state != null && state.failed()) return Optional.of(rollback(green, blue, Reason.AnalysisFailed, analysisFailure(state)));
        }
        wait = min(wait, measureDue(green, states, since));
        if (now.isBefore(due)) return Optional.of(plan(shiftStatus(green, blue, k, steps, expected), wait));
        // A step passes only on numbers taken while it was in force.
        List<String> unmeasured = checks().stream().map(AnalysisCheck::name).filter(name -> {
            CheckState state = states.get(name);
            return state == null || state.lastCountedAt() == null || state.lastCountedAt().isBefore(since);
        }).toList();
        if (!unmeasured.isEmpty()) {
            if (!now.isBefore(due.plus(spec.strategy().progressDeadline()))) {
                return Optional.of(rollback(green, blue, Reason.AnalysisInconclusive, "no usable measurement of analysis check"
                        + (unmeasured.size() == 1 ? " " : "s ") + String.join(", ", unmeasured) + " since step " + (k + 1)
                        + " began, " + Durations.format(spec.strategy().progressDeadline()) + " after the step was due to end"));
            }
            return Optional.of(plan(shiftStatus(green, blue, k, steps, expected).withReason(Reason.AwaitingAnalysis,
                    "step " + (k + 1) + " of " + steps.size() + " is due; waiting for a measurement of analysis check"
                            + (unmeasured.size() == 1 ? " " : "s ") + String.join(", ", unmeasured)
                            + " taken since the step began"), wait));
        }
        return Optional.empty();
    }
}

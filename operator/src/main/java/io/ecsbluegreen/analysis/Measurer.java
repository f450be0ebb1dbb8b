package io.ecsbluegreen.analysis;

import io.ecsbluegreen.observed.Measurement;
import io.ecsbluegreen.plan.AnalysisTarget;
import io.ecsbluegreen.model.AnalysisCheck;
import io.ecsbluegreen.model.AnalysisSpec;
import java.time.Instant;

/** Takes one measurement of one kind of check. */
@FunctionalInterface
public interface Measurer {

    /**
     * Measures {@code check} for {@code target}; blocks while it measures. Never throws: a measurement that
     * cannot be made is {@link Measurement.Verdict#ERROR} with the reason in its (bounded) detail.
     *
     * @param spec the analysis block the check belongs to (its default interval, Prometheus address)
     * @param startedAt when the measurement began, on the runner's clock: {@link Measurement#at()}, and the
     *     end of the window a metric is read over
     */
    Measurement measure(AnalysisCheck check, AnalysisSpec spec, AnalysisTarget target, Instant startedAt);
}

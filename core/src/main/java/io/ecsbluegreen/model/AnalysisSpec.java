package io.ecsbluegreen.model;

import io.ecsbluegreen.model.meta.Default;
import io.ecsbluegreen.model.meta.Doc;
import io.ecsbluegreen.model.meta.DurationRange;
import io.ecsbluegreen.model.meta.Pattern;
import io.ecsbluegreen.model.meta.Size;
import java.time.Duration;
import java.util.List;

/** Metric checks run at every traffic step and through the bake. */
@Doc("Checks measured at every canary or linear step and through the bake; a failing check rolls back.")
public record AnalysisSpec(
        @Default("1m") @DurationRange(min = "10s", max = "1h")
        @Doc("Default time between measurements of a check.")
        Duration interval,

        @Pattern(value = Patterns.HTTP_URL, hint = Patterns.HTTP_URL_HINT)
        @Doc("Prometheus base URL for `prometheus` checks, such as http://prometheus:9090.")
        String prometheusAddress,

        @Size(max = 20)
        @Doc("The checks.")
        List<AnalysisCheck> checks) {}

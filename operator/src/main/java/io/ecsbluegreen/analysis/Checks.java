package io.ecsbluegreen.analysis;

import io.ecsbluegreen.model.AnalysisCheck;
import io.ecsbluegreen.model.AnalysisSpec;
import io.ecsbluegreen.model.NoDataPolicy;
import java.time.Duration;
import java.util.List;

/**
 * A check's settings with the schema's defaults applied, for specs that did not go through the
 * {@code SpecBinder} (which applies them when a file is parsed) and for tests that build records directly.
 */
public final class Checks {

    /** {@link Measurement#kind()} of a {@code targetGroupMetric} check. */
    public static final String TARGET_GROUP_METRIC = "targetGroupMetric";
    /** {@link Measurement#kind()} of a {@code prometheus} check. */
    public static final String PROMETHEUS = "prometheus";
    /** {@link Measurement#kind()} of an {@code httpProbe} check. */
    public static final String HTTP_PROBE = "httpProbe";

    /** {@code analysis.interval}'s default. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);

    private Checks() {}

    /** {@link #TARGET_GROUP_METRIC}, {@link #PROMETHEUS} or {@link #HTTP_PROBE}; null for a check of none. */
    public static String kind(AnalysisCheck check) {
        if (check.targetGroupMetric() != null) return TARGET_GROUP_METRIC;
        if (check.prometheus() != null) return PROMETHEUS;
        if (check.httpProbe() != null) return HTTP_PROBE;
        return null;
    }

    /** Time between measurements: the check's interval, else the spec's, else one minute. */
    public static Duration interval(AnalysisCheck check, AnalysisSpec spec) {
        if (check.interval() != null) return check.interval();
        if (spec != null && spec.interval() != null) return spec.interval();
        return DEFAULT_INTERVAL;
    }

    /** Failures that fail the check; 1 when absent. */
    public static int failureLimit(AnalysisCheck check) {
        return check.failureLimit() == null ? 1 : Math.max(1, check.failureLimit());
    }

    /** What no data counts as; {@code fail} when absent. */
    public static NoDataPolicy noData(AnalysisCheck check) {
        return check.noData() == null ? NoDataPolicy.FAIL : check.noData();
    }

    /** The check's passing range: {@code min}/{@code max}, or {@code successRate} and up for a probe. */
    public static Threshold threshold(AnalysisCheck check) {
        if (check.targetGroupMetric() != null) return new Threshold(check.targetGroupMetric().min(), check.targetGroupMetric().max());
        if (check.prometheus() != null) return new Threshold(check.prometheus().min(), check.prometheus().max());
        if (check.httpProbe() != null) {
            Double rate = check.httpProbe().successRate();
            return new Threshold(rate == null ? HttpProbeMeasurer.DEFAULT_SUCCESS_RATE : rate, null);
        }
        return new Threshold(null, null);
    }

    /** The spec's checks; empty when there are none. */
    public static List<AnalysisCheck> of(AnalysisSpec spec) {
        return spec == null || spec.checks() == null ? List.of() : spec.checks();
    }

    /** How much of an explanation a measurement keeps. */
    public static final int DETAIL = 300;

    /** {@code text} on one line, cut to {@link #DETAIL} characters. */
    public static String detail(String text) {
        if (text == null) return null;
        String flat = text.replaceAll("\\s+", " ").trim();
        return flat.length() <= DETAIL ? flat : flat.substring(0, DETAIL - 1) + "…";
    }

    /** A duration as {@code 400 ms}, {@code 30 s}. */
    static String duration(Duration d) {
        return d.toMillis() % 1000 != 0 ? d.toMillis() + " ms" : d.toSeconds() + " s";
    }

    /** A throwable as {@code SimpleName: message}, for details. */
    static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}

package io.ecsbluegreen.sim.cloudwatch;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A statistic the simulator computes: one of the five standard statistics or a percentile
 * ({@code p99}, {@code p99.9}).
 *
 * @param name as written in requests and answers
 * @param percentile 0–100 for percentiles, NaN for standard statistics
 */
record Statistic(String name, double percentile) {

    static final String SUM = "Sum";
    static final String AVERAGE = "Average";
    static final String MINIMUM = "Minimum";
    static final String MAXIMUM = "Maximum";
    static final String SAMPLE_COUNT = "SampleCount";

    private static final Pattern PERCENTILE = Pattern.compile("p(\\d{1,2}(\\.\\d{1,10})?|100(\\.0{1,10})?)");
    /** Extended statistics CloudWatch knows but the simulator does not compute. */
    private static final Pattern OTHER_EXTENDED = Pattern.compile("(?i)(tm|wm|tc|ts|pr|iqm)(\\(.*\\)|\\d.*)?");

    boolean isPercentile() {
        return !Double.isNaN(percentile);
    }

    static boolean isStandard(String name) {
        return switch (name) {
            case SUM, AVERAGE, MINIMUM, MAXIMUM, SAMPLE_COUNT -> true;
            default -> false;
        };
    }

    /**
     * @throws IllegalArgumentException with a reason when {@code name} is no statistic, or one the
     *     simulator does not compute
     */
    static Statistic parse(String name) {
        if (name == null) {
            throw new IllegalArgumentException("missing");
        }
        if (isStandard(name)) {
            return new Statistic(name, Double.NaN);
        }
        Matcher m = PERCENTILE.matcher(name);
        if (m.matches()) {
            return new Statistic(name, Double.parseDouble(name.substring(1)));
        }
        if (OTHER_EXTENDED.matcher(name).matches()) {
            throw new IllegalArgumentException("not supported by the simulator (only Sum, Average, Minimum, Maximum, "
                    + "SampleCount and pNN)");
        }
        throw new IllegalArgumentException("invalid");
    }
}

package io.ecsbluegreen.analysis;

import io.ecsbluegreen.observed.Measurement.Verdict;
import java.math.BigDecimal;
import java.math.MathContext;

/**
 * A passing range: at least {@code min} and at most {@code max} (either may be absent), written as
 * {@code <= 0.01}, {@code >= 100} or {@code 0.5..2}.
 */
public record Threshold(Double min, Double max) {

    /** The range as text, bounds included: {@code <= max}, {@code >= min}, {@code min..max}, or {@code any}. */
    public String text() {
        if (min != null && max != null) return number(min) + ".." + number(max);
        if (max != null) return "<= " + number(max);
        if (min != null) return ">= " + number(min);
        return "any";
    }

    /** Whether {@code value} is within the range (bounds included; NaN never is). */
    public boolean passes(double value) {
        if (Double.isNaN(value)) return false;
        return (min == null || value >= min) && (max == null || value <= max);
    }

    /** PASSED or FAILED for a value; NO_DATA for none. */
    public Verdict verdict(Double value) {
        if (value == null) return Verdict.NO_DATA;
        return passes(value) ? Verdict.PASSED : Verdict.FAILED;
    }

    /** A measured number for a detail: at most 4 significant digits ({@code 0.04333}, {@code 1250}). */
    public static String display(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) return Double.toString(value);
        return number(new BigDecimal(value).round(new MathContext(4)).doubleValue());
    }

    /** A number as people write it: {@code 0.01}, {@code 100}, {@code 1.5E+10} only when huge. */
    public static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) return Double.toString(value);
        BigDecimal d = BigDecimal.valueOf(value).stripTrailingZeros();
        return Math.abs(d.scale()) > 12 ? d.toString() : d.toPlainString();
    }
}

package io.ecsbluegreen.spec;

import java.time.Duration;
import java.util.regex.Matcher;

/**
 * Durations as people write them in YAML: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h30m}, {@code 2d}.
 * ISO-8601 ({@code PT5M}) is deliberately not accepted, so every file spells time the same way.
 */
public final class Durations {
    private Durations() {}

    /** The JSON Schema pattern of a duration, zero allowed. */
    public static final String PATTERN = "^([0-9]+(ms|s|m|h|d))+$";
    /** The JSON Schema pattern of a strictly positive duration. */
    public static final String POSITIVE_PATTERN = "^(?=.*[1-9])([0-9]+(ms|s|m|h|d))+$";

    private static final java.util.regex.Pattern WHOLE = java.util.regex.Pattern.compile(PATTERN);
    private static final java.util.regex.Pattern PART = java.util.regex.Pattern.compile("([0-9]+)(ms|s|m|h|d)");

    /**
     * Parses a duration.
     *
     * @throws IllegalArgumentException with a message fit for users when the text is not a duration
     */
    public static Duration parse(String text) {
        if (text == null || !WHOLE.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; write it like 30s, 5m, 1h30m or 500ms");
        }
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(text);
        try {
            while (m.find()) {
                long n = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    case "d" -> Duration.ofDays(n);
                    default -> throw new IllegalStateException(m.group(2));
                });
            }
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too long a duration");
        }
        return total;
    }

    /** Formats a duration the way {@link #parse} reads it, largest units first: {@code 1h30m}, {@code 0s}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        long days = d.toDays();
        if (days > 0) sb.append(days).append('d');
        if (d.toHoursPart() > 0) sb.append(d.toHoursPart()).append('h');
        if (d.toMinutesPart() > 0) sb.append(d.toMinutesPart()).append('m');
        if (d.toSecondsPart() > 0) sb.append(d.toSecondsPart()).append('s');
        if (d.toMillisPart() > 0) sb.append(d.toMillisPart()).append("ms");
        return sb.toString();
    }
}

package io.ecsbluegreen.sim.protocol;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;

/** The two timestamp formats AWS wire protocols use. */
public final class AwsDates {

    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    // RFC_1123_DATE_TIME prints single-digit days without padding; HTTP dates need two digits.
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private AwsDates() {}

    /** {@code 2009-10-12T17:50:30.000Z}: XML bodies (S3 listings, STS expirations). */
    public static String iso8601(Instant instant) {
        return ISO_MILLIS.format(instant);
    }

    /** {@code Mon, 12 Oct 2009 17:50:30 GMT}: HTTP headers such as {@code Last-Modified}. */
    public static String httpDate(Instant instant) {
        return HTTP_DATE.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** Parses an HTTP date header; empty when absent or malformed (AWS ignores malformed conditions). */
    public static Optional<Instant> parseHttpDate(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}

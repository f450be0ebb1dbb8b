package io.ecsbluegreen.sim.cloudwatch;

import io.ecsbluegreen.sim.protocol.AwsErrorException;
import io.ecsbluegreen.sim.protocol.Encoding;
import io.ecsbluegreen.sim.protocol.SimRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The parameters of a Query-protocol request, with the list and number conventions of CloudWatch
 * ({@code AlarmNames.member.1}, {@code Dimensions.member.2.Name}); JSON 1.0 and RPC v2 CBOR input is
 * read into the same form. Decodes gzip bodies: SDKs and the CLI compress PutMetricData requests of 10 KiB and more
 * ({@code Content-Encoding: gzip}).
 */
final class QueryParams {

    private static final int MAX_INFLATED_BYTES = 64 * 1024 * 1024;

    private final Map<String, List<String>> params;

    private QueryParams(Map<String, List<String>> params) {
        this.params = params;
    }

    /**
     * The parameters of a Query request, or the input of a JSON 1.0 or RPC v2 CBOR request in the same
     * form, so that the operations read every protocol alike.
     */
    static QueryParams of(SimRequest request) {
        String encoding = request.header("Content-Encoding");
        boolean gzip = encoding != null && encoding.toLowerCase(Locale.ROOT).contains("gzip");
        byte[] body = gzip ? inflate(request.body()) : request.body();
        Optional<Map<String, List<String>>> input = CloudWatchService.PROTOCOLS.input(request, body);
        if (input.isPresent()) {
            return new QueryParams(input.get());
        }
        if (!gzip) {
            return new QueryParams(request.params());
        }
        Map<String, List<String>> merged = new TreeMap<>(request.queryParams());
        merged.putAll(Encoding.parseForm(new String(body, StandardCharsets.UTF_8)));
        return new QueryParams(merged);
    }

    private static byte[] inflate(byte[] body) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            byte[] inflated = in.readNBytes(MAX_INFLATED_BYTES + 1);
            if (inflated.length > MAX_INFLATED_BYTES) {
                throw new AwsErrorException(413, "RequestEntityTooLarge", "Request body too large");
            }
            return inflated;
        } catch (IOException e) {
            throw new AwsErrorException(400, "MalformedInput", "The gzip-encoded request body cannot be decoded");
        }
    }

    String get(String name) {
        List<String> values = params.get(name);
        return values == null ? null : values.get(0);
    }

    /** {@code prefix.member.1}, {@code prefix.member.2}, ... that occur, in index order. */
    List<String> members(String prefix) {
        Pattern pattern = Pattern.compile(Pattern.quote(prefix) + "\\.member\\.(\\d+)(\\..*)?");
        TreeMap<Integer, String> indexes = new TreeMap<>();
        for (String name : params.keySet()) {
            if (!name.startsWith(prefix)) {
                continue;
            }
            Matcher m = pattern.matcher(name);
            if (m.matches()) {
                int index = Integer.parseInt(m.group(1));
                indexes.put(index, prefix + ".member." + index);
            }
        }
        return new ArrayList<>(indexes.values());
    }

    /** The values of a list of strings ({@code prefix.member.N}), in index order. */
    List<String> list(String prefix) {
        List<String> values = new ArrayList<>();
        for (String member : members(prefix)) {
            String value = get(member);
            if (value != null) {
                values.add(value);
            }
        }
        return values;
    }

    /** Whether a list parameter was sent, even empty ({@code prefix=} is how the SDK sends an empty list). */
    boolean hasList(String prefix) {
        return params.containsKey(prefix) || !members(prefix).isEmpty();
    }

    Integer integer(String name) {
        String value = get(name);
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw invalid(name, value);
        }
    }

    Double decimal(String name) {
        String value = get(name);
        if (value == null) {
            return null;
        }
        try {
            return Double.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw invalid(name, value);
        }
    }

    Boolean bool(String name) {
        String value = get(name);
        if (value == null) {
            return null;
        }
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.valueOf(value);
        }
        throw invalid(name, value);
    }

    /** An ISO-8601 timestamp, as the SDK sends them, or epoch seconds. */
    Instant instant(String name) {
        String value = get(name);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            // try the other forms
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            // try the other forms
        }
        try {
            double seconds = Double.parseDouble(value);
            return Instant.ofEpochMilli((long) (seconds * 1000));
        } catch (NumberFormatException e) {
            throw invalid(name, value);
        }
    }

    static AwsErrorException invalid(String name, String value) {
        return new AwsErrorException(400, "InvalidParameterValue",
                "The value " + value + " for parameter " + name + " is invalid.");
    }
}

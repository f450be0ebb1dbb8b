package io.ecsbluegreen.sim.elb;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A rule condition: {@code host-header}, {@code path-pattern}, {@code http-header},
 * {@code http-request-method}, {@code query-string} or {@code source-ip}. The values of one condition
 * are alternatives (any one matches); the conditions of a rule must all match.
 *
 * @param field the condition's field
 * @param values the patterns (host names, paths, header values, methods, CIDR blocks); empty for query-string
 * @param httpHeaderName http-header: the header's name
 * @param queryPairs query-string: the key/value patterns (a null key matches any key)
 */
public record Condition(String field, List<String> values, String httpHeaderName, List<QueryPair> queryPairs) {

    public static final String HOST_HEADER = "host-header";
    public static final String PATH_PATTERN = "path-pattern";
    public static final String HTTP_HEADER = "http-header";
    public static final String HTTP_REQUEST_METHOD = "http-request-method";
    public static final String QUERY_STRING = "query-string";
    public static final String SOURCE_IP = "source-ip";
    static final List<String> FIELDS =
            List.of(HTTP_HEADER, HTTP_REQUEST_METHOD, HOST_HEADER, PATH_PATTERN, QUERY_STRING, SOURCE_IP);

    /** A query-string condition's key/value pattern; the key may be null. */
    public record QueryPair(String key, String value) {}

    public Condition {
        Objects.requireNonNull(field, "field");
        values = values == null ? List.of() : List.copyOf(values);
        queryPairs = queryPairs == null ? List.of() : List.copyOf(queryPairs);
    }

    public static Condition hostHeader(String... hosts) {
        return new Condition(HOST_HEADER, List.of(hosts), null, null);
    }

    public static Condition pathPattern(String... paths) {
        return new Condition(PATH_PATTERN, List.of(paths), null, null);
    }

    public static Condition httpHeader(String name, String... values) {
        return new Condition(HTTP_HEADER, List.of(values), name, null);
    }

    public static Condition httpRequestMethod(String... methods) {
        return new Condition(HTTP_REQUEST_METHOD, List.of(methods), null, null);
    }

    public static Condition sourceIp(String... cidrs) {
        return new Condition(SOURCE_IP, List.of(cidrs), null, null);
    }

    public static Condition queryString(QueryPair... pairs) {
        return new Condition(QUERY_STRING, List.of(), null, List.of(pairs));
    }

    /** How many values the condition counts against the limit of five per rule. */
    int valueCount() {
        return field.equals(QUERY_STRING) ? queryPairs.size() : values.size();
    }

    /** How many wildcards ({@code *}, {@code ?}) the condition uses. */
    int wildcardCount() {
        List<String> all = new ArrayList<>(values);
        queryPairs.forEach(pair -> {
            if (pair.key() != null) {
                all.add(pair.key());
            }
            all.add(pair.value());
        });
        int count = 0;
        for (String value : all) {
            for (char c : value.toCharArray()) {
                if (c == '*' || c == '?') {
                    count++;
                }
            }
        }
        return count;
    }

    /** Whether an HTTP request satisfies this condition. */
    boolean matches(HttpRequestInfo request) {
        return switch (field) {
            case HOST_HEADER -> anyMatch(values, request.hostWithoutPort(), true);
            case PATH_PATTERN -> anyMatch(values, request.path(), false);
            case HTTP_HEADER -> request.headerValues(httpHeaderName).stream().anyMatch(v -> anyMatch(values, v, true));
            case HTTP_REQUEST_METHOD -> values.contains(request.method());
            case QUERY_STRING -> queryPairs.stream().anyMatch(pair -> request.queryPairs().stream().anyMatch(
                    actual -> (pair.key() == null || glob(pair.key(), actual.key(), true))
                            && glob(pair.value(), actual.value(), true)));
            case SOURCE_IP -> values.stream().anyMatch(cidr -> inCidr(request.sourceIp(), cidr));
            default -> false;
        };
    }

    private static boolean anyMatch(List<String> patterns, String text, boolean ignoreCase) {
        if (text == null) {
            return false;
        }
        for (String pattern : patterns) {
            if (glob(pattern, text, ignoreCase)) {
                return true;
            }
        }
        return false;
    }

    /** ELBv2 wildcards: {@code *} matches any run of characters, {@code ?} exactly one. */
    static boolean glob(String pattern, String text, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        int flags = Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
        return Pattern.compile(regex.toString(), flags).matcher(text).matches();
    }

    static boolean inCidr(String ip, String cidr) {
        try {
            int slash = cidr.indexOf('/');
            byte[] network = InetAddress.getByName(slash < 0 ? cidr : cidr.substring(0, slash)).getAddress();
            byte[] address = InetAddress.getByName(ip).getAddress();
            if (network.length != address.length) {
                return false;
            }
            int bits = slash < 0 ? network.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
            for (int i = 0; i < network.length && bits > 0; i++, bits -= 8) {
                int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
                if ((network[i] & mask) != (address[i] & mask)) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException | NumberFormatException e) {
            return false;
        }
    }

    String describe() {
        return field.toLowerCase(Locale.ROOT);
    }
}

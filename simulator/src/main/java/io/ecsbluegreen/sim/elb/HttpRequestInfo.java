package io.ecsbluegreen.sim.elb;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the data plane routes on: an HTTP request as a listener received it.
 *
 * @param method the HTTP method
 * @param path the raw path, as sent
 * @param rawQuery the raw query string without {@code ?}, or null
 * @param queryPairs the decoded query parameters
 * @param headers the headers, names in lower case
 * @param sourceIp the client's address
 */
record HttpRequestInfo(String method, String path, String rawQuery, List<Condition.QueryPair> queryPairs,
                       Map<String, List<String>> headers, String sourceIp) {

    List<String> headerValues(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null ? List.of() : values;
    }

    String header(String name) {
        List<String> values = headerValues(name);
        return values.isEmpty() ? null : values.get(0);
    }

    /** The Host header without its port. */
    String hostWithoutPort() {
        String host = header("host");
        if (host == null) {
            return null;
        }
        int colon = host.lastIndexOf(':');
        return colon > 0 && host.indexOf(']') < colon ? host.substring(0, colon) : host;
    }

    /** The value of a cookie, or null. */
    String cookie(String name) {
        for (String header : headerValues("cookie")) {
            for (String part : header.split(";")) {
                int eq = part.indexOf('=');
                if (eq > 0 && part.substring(0, eq).trim().equals(name)) {
                    return part.substring(eq + 1).trim();
                }
            }
        }
        return null;
    }
}

package io.ecsbluegreen.api;

import io.ecsbluegreen.text.Escapes;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides whether one HTTP request may reach the operator, from what the request says alone: a pure
 * function, so that the whole policy is one table (see docs/security.md). The rules, in order:
 * <ol>
 * <li>the request target is a plain origin-form path: no matrix parameters ({@code ;}), no percent-encoding,
 *     no backslash, no empty or dot segments. Every path the operator serves is spelled that way, and a
 *     path that two layers could read differently is refused before either reads it;</li>
 * <li>the {@code Host} is one the operator serves: an IP literal, or a name on the allowed list. A web page
 *     that re-binds its own DNS name to 127.0.0.1 still sends its own name, and is refused;</li>
 * <li>a request that is not GET, HEAD or OPTIONS, whatever its path, comes from no other origin
 *     ({@code Sec-Fetch-Site}, {@code Origin}) and carries the bearer token;</li>
 * <li>reads carry the token too when reads are closed, except health checks and the dashboard's own
 *     files, which hold no data.</li>
 * </ol>
 * The REST layer checks the token once more on the route it resolved ({@link ResolvedRouteGuard}).
 */
public final class RequestGate {

    /** What becomes of a request. */
    public sealed interface Verdict {
        /** The request goes on to routing. */
        record Pass() implements Verdict {}

        /** The request is answered at once with this status and reason; it reaches no resource. */
        record Refuse(int status, String message) implements Verdict {}
    }

    /** The parts of a request the gate reads; header values are null when absent. */
    public record Request(String method, String target, String host, String origin, String secFetchSite,
                         String authorization, boolean tls) {}

    static final Verdict PASS = new Verdict.Pass();

    static final String TOKEN_NEEDED = "this request needs the operator's API token: Authorization: Bearer TOKEN "
            + "(bluegreen.api.token, or the file .bluegreen/api-token it writes; the CLI reads --token, "
            + "BLUEGREEN_API_TOKEN or that file)";

    /** The dashboard's files under src/main/resources/META-INF/resources: static, and without any data. */
    static final Set<String> PAGE = Set.of("/", "/index.html", "/app.js", "/app.css", "/overview.js", "/overview.css");

    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    /** Letters, digits and the few punctuation marks the operator's own paths use. */
    private static final Pattern PLAIN_PATH = Pattern.compile("(/[A-Za-z0-9._~!$&'()*+,=:@-]+)*/?");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9A-Fa-f:.]+]");

    private final ApiToken token;
    private final boolean openReads;
    private final Set<String> allowedHosts;
    private final boolean anyHost;

    /**
     * @param allowedHosts host names (not IP literals, which are always served) that requests may name in
     *     {@code Host}, compared without case; {@code *} serves any
     */
    public RequestGate(ApiToken token, boolean openReads, List<String> allowedHosts) {
        this.token = token;
        this.openReads = openReads;
        this.anyHost = allowedHosts.contains("*");
        this.allowedHosts = allowedHosts.stream().map(RequestGate::hostKey).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    public Verdict decide(Request r) {
        String path = pathOf(r.target());
        if (path == null) {
            return new Verdict.Refuse(400, "the request target must be a plain path: no matrix parameters (;), "
                    + "percent-encoding, backslashes, empty or dot segments");
        }
        if (r.host() == null || r.host().isBlank()) return new Verdict.Refuse(400, "the request has no Host header");
        if (!servesHost(r.host())) {
            return new Verdict.Refuse(403, "host '" + Escapes.printable(r.host()) + "' is not one this operator serves; "
                    + "add it to bluegreen.api.allowed-hosts (IP addresses are always served)");
        }
        boolean read = READS.contains(r.method().toUpperCase(Locale.ROOT));
        if (!read) {
            String crossOrigin = crossOrigin(r);
            if (crossOrigin != null) return new Verdict.Refuse(403, crossOrigin);
            return token.matches(r.authorization()) ? PASS : new Verdict.Refuse(401, TOKEN_NEEDED);
        }
        boolean open = openReads || path.equals("/q/health") || path.startsWith("/q/health/") || PAGE.contains(path);
        return open || token.matches(r.authorization()) ? PASS : new Verdict.Refuse(401, TOKEN_NEEDED);
    }

    /** Whether a request may use the token: reads when they are closed, and everything that changes things. */
    boolean tokenMatches(String authorization) {
        return token.matches(authorization);
    }

    /** Whether reads need the token. */
    boolean openReads() {
        return openReads;
    }

    /** The path of an origin-form request target, or null when it is not spelled plainly. */
    static String pathOf(String target) {
        if (target == null || !target.startsWith("/")) return null;
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        if (!PLAIN_PATH.matcher(path).matches() || path.contains("//")) return null;
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) return null;
        }
        return path;
    }

    private boolean servesHost(String hostHeader) {
        String host = hostKey(hostHeader);
        return anyHost || IPV4.matcher(host).matches() || IPV6.matcher(host).matches() || allowedHosts.contains(host);
    }

    /** The host of a Host header or list entry without its port and trailing dot, lower case. */
    static String hostKey(String hostAndPort) {
        String h = hostAndPort.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.lastIndexOf(':');
        if (colon >= 0) h = h.substring(0, colon);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    /**
     * Why a changing request comes from another origin, or null. Browsers send {@code Sec-Fetch-Site} and
     * {@code Origin} with every cross-origin POST, including the "simple" ones they send without asking;
     * the CLI and curl send neither.
     */
    private static String crossOrigin(Request r) {
        if (r.secFetchSite() != null) {
            String site = r.secFetchSite().strip().toLowerCase(Locale.ROOT);
            if (!site.equals("same-origin") && !site.equals("none")) {
                return "cross-origin requests may not change anything (Sec-Fetch-Site: " + Escapes.printable(r.secFetchSite()) + ")";
            }
        }
        if (r.origin() != null && !sameOrigin(r.origin(), r.host(), r.tls())) {
            return "cross-origin requests may not change anything (Origin: " + Escapes.printable(r.origin()) + ")";
        }
        return null;
    }

    private static boolean sameOrigin(String origin, String hostHeader, boolean tls) {
        URI uri;
        try {
            uri = new URI(origin.strip());
        } catch (URISyntaxException e) {
            return false;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !scheme.equals(tls ? "https" : "http")) return false;
        int defaultPort = tls ? 443 : 80;
        int originPort = uri.getPort() < 0 ? defaultPort : uri.getPort();
        String host = hostHeader.strip();
        int hostPort = defaultPort;
        int colon = host.lastIndexOf(':');
        if (colon > host.lastIndexOf(']')) {
            try {
                hostPort = Integer.parseInt(host.substring(colon + 1));
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return hostKey(uri.getHost()).equals(hostKey(host)) && originPort == hostPort;
    }
}

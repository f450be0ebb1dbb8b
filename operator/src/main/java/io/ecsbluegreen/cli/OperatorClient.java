package io.ecsbluegreen.cli;

import io.ecsbluegreen.text.Escapes;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Talks to a running operator's API for the CLI ({@code status}, {@code promote}, {@code abort},
 * {@code retry}, {@code sources}). The address comes from {@code --api URL}, else {@code BLUEGREEN_API},
 * else the operator's default {@code http://127.0.0.1:8080}. The API token comes from {@code --token},
 * else {@code BLUEGREEN_API_TOKEN}, else the file {@code .bluegreen/api-token} that an operator started in
 * the same directory without a configured token writes.
 *
 * <p>Each request is one HTTP/1.1 exchange on its own connection over a {@link Socket}
 * ({@code Connection: close}; a {@code Content-Length}, chunked or until-close answer): a CLI call's
 * CPU time is mostly class loading, and {@link HttpURLConnection} loads and initialises a hundred
 * classes more (handlers, keep-alive cache and its cleaner thread, proxy selection, cookies) for the
 * same two requests. An {@code https} address goes over an {@link SSLSocket} from the JDK's default
 * context (its trust store: {@code javax.net.ssl.trustStore} and friends), with SNI for the address's
 * host name and the certificate verified against it, as HTTPS clients do (RFC 2818). An address with the
 * JDK's proxy properties set for its scheme goes through {@link HttpURLConnection}, which has the proxies.
 */
final class OperatorClient {
    static final String DEFAULT_API = "http://127.0.0.1:8080";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(15);

    /** An answer: the HTTP status and the JSON body. */
    record Answer(int status, Json body) {}

    /** The operator could not be reached or answered something that is not JSON. */
    static final class Unreachable extends Exception {
        Unreachable(String message) {
            super(message);
        }
    }

    private final URI base;
    private final String token;
    /** Null: the JDK's default, made only when an https address needs it (TLS classes cost time to load). */
    private final SSLSocketFactory tls;

    OperatorClient(String api, String token) {
        this(api, token, null);
    }

    /** With the TLS socket factory for https addresses (a test's trust); null for the JDK's default. */
    OperatorClient(String api, String token, SSLSocketFactory tls) {
        this.tls = tls;
        String value = api != null ? api : System.getenv().getOrDefault("BLUEGREEN_API", DEFAULT_API);
        this.base = URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
        this.token = token != null ? token : System.getenv("BLUEGREEN_API_TOKEN") != null ? System.getenv("BLUEGREEN_API_TOKEN")
                : tokenFile();
    }

    private static String tokenFile() {
        // ApiToken.DEFAULT_FILE, named here so that the small CLI jar needs nothing of the api package;
        // java.io rather than java.nio.file: an absent file costs no exception inside the file system provider
        File file = new File(".bluegreen", "api-token");
        if (!file.isFile() || !file.canRead()) return null;
        try (InputStream in = new FileInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return null;
        }
    }

    URI base() {
        return base;
    }

    Answer get(String path) throws Unreachable {
        return send("GET", path);
    }

    Answer post(String path) throws Unreachable {
        return send("POST", path);
    }

    private Answer send(String method, String path) throws Unreachable {
        try {
            URI uri = base.resolve(path);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("the address must start with http:// or https://, not " + Escapes.printable(base.toString()));
            }
            return System.getProperty(scheme + ".proxyHost") == null
                    ? overSocket(method, uri, scheme.equals("https")) : overUrlConnection(method, uri);
        } catch (IOException | IllegalArgumentException e) {
            if (e instanceof SSLException) {
                // reached, but not trusted: saying "is it running?" would send the reader the wrong way
                throw new Unreachable("cannot talk TLS to the operator at " + base + " (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); its certificate must name the address's host and "
                        + "come from a CA the JVM trusts (its default trust store, or -Djavax.net.ssl.trustStore=FILE, e.g. in BLUEGREEN_CLI_JAVA_OPTS).");
            }
            throw new Unreachable("cannot reach the operator at " + base + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); is `bluegreen run` or `bluegreen demo` running? "
                    + "Set --api URL or BLUEGREEN_API.");
        }
    }

    /** One request on its own connection, over TLS for https. */
    private Answer overSocket(String method, URI uri, boolean https) throws IOException {
        String host = uri.getHost();
        if (host == null) throw new IllegalArgumentException("no host in " + uri);
        int port = uri.getPort() < 0 ? (https ? 443 : 80) : uri.getPort();
        StringBuilder head = new StringBuilder(256).append(method).append(' ')
                .append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
        if (uri.getRawQuery() != null) head.append('?').append(uri.getRawQuery());
        head.append(" HTTP/1.1\r\nHost: ").append(host);
        if (uri.getPort() >= 0) head.append(':').append(port);
        head.append("\r\nUser-Agent: bluegreen-cli\r\nAccept: application/json\r\nConnection: close\r\n");
        if (token != null && !token.isEmpty()) head.append("Authorization: Bearer ").append(headerValue(token)).append("\r\n");
        if (method.equals("POST")) head.append("Content-Length: 0\r\n");
        head.append("\r\n");
        // an IPv6 literal comes bracketed from URI.getHost
        String address = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try (Socket socket = connect(address, port, https)) {
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            int status;
            long length;
            boolean chunked;
            do {
                // "HTTP/1.1 200 OK": the version, a space, three digits; an interim 1xx answer is skipped
                String statusLine = line(in);
                if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
                    throw new IOException("not an HTTP answer: " + Escapes.printable(statusLine));
                }
                try {
                    status = Integer.parseInt(statusLine.substring(9, 12));
                } catch (NumberFormatException e) {
                    throw new IOException("not an HTTP answer: " + Escapes.printable(statusLine));
                }
                length = -1;
                chunked = false;
                for (String h = line(in); !h.isEmpty(); h = line(in)) {
                    int colon = h.indexOf(':');
                    if (colon < 0) continue;
                    String name = h.substring(0, colon).strip();
                    String value = h.substring(colon + 1).strip();
                    if (name.equalsIgnoreCase("Content-Length")) {
                        try {
                            length = Long.parseLong(value);
                        } catch (NumberFormatException e) {
                            throw new IOException("a malformed Content-Length: " + Escapes.printable(value));
                        }
                    } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                        chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
                    }
                }
            } while (status < 200);
            byte[] body;
            if (method.equals("HEAD") || status == 204 || status == 304) {
                body = new byte[0];
            } else if (chunked) {
                body = chunks(in);
            } else if (length >= 0) {
                body = in.readNBytes((int) Math.min(length, Integer.MAX_VALUE));
                if (body.length < length) throw new EOFException("the answer ended after " + body.length + " of " + length + " bytes");
            } else {
                body = in.readAllBytes();
            }
            return answer(status, new String(body, StandardCharsets.UTF_8));
        }
    }

    /**
     * A connected socket, with the TLS handshake done for https: SNI names the host (the JDK sends it for a
     * host name, not for an IP literal), and the certificate must name that host, as
     * {@code HttpsURLConnection} checks it. Closed again when anything fails.
     */
    private Socket connect(String host, int port, boolean https) throws IOException {
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(host, port), (int) CONNECT_TIMEOUT.toMillis());
            plain.setSoTimeout((int) READ_TIMEOUT.toMillis());
            if (!https) return plain;
            SSLSocketFactory factory = tls != null ? tls : (SSLSocketFactory) SSLSocketFactory.getDefault();
            SSLSocket socket = (SSLSocket) factory.createSocket(plain, host, port, true);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /** A header value as sent: a token with a line break or another control character is refused, not sent. */
    private static String headerValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) throw new IllegalArgumentException("the API token holds a control character");
        }
        return value;
    }

    /** One header line without its CRLF (a bare LF is accepted), ISO-8859-1 as HTTP headers are. */
    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) throw new EOFException("the answer ended inside its head");
            if (b.length() > 16384) throw new IOException("a header line longer than 16 KiB");
            if (c != '\r') b.append((char) c);
        }
        return b.toString();
    }

    /** A chunked body, decoded; trailers are read and dropped. */
    private static byte[] chunks(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            int ext = size.indexOf(';');
            int n;
            try {
                n = Integer.parseInt((ext < 0 ? size : size.substring(0, ext)).strip(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("a malformed chunk size: " + Escapes.printable(size));
            }
            if (n == 0) break;
            byte[] chunk = in.readNBytes(n);
            if (chunk.length < n) throw new EOFException("the answer ended inside a chunk");
            body.write(chunk);
            line(in);
        }
        while (!line(in).isEmpty()) {
            // trailers
        }
        return body.toByteArray();
    }

    /** Through the JDK's proxy for the address's scheme. */
    private Answer overUrlConnection(String method, URI uri) throws IOException {
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        try {
            c.setRequestMethod(method);
            c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            c.setReadTimeout((int) READ_TIMEOUT.toMillis());
            c.setInstanceFollowRedirects(false);
            c.setUseCaches(false);
            c.setRequestProperty("Accept", "application/json");
            if (token != null && !token.isEmpty()) c.setRequestProperty("Authorization", "Bearer " + token);
            if (method.equals("POST")) {
                // buffered, not streaming: in streaming mode a 401 answer is thrown away, not read
                c.setDoOutput(true);
                c.getOutputStream().close();
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            if (in == null) return answer(status, "");
            try (in) {
                return answer(status, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } finally {
            c.disconnect();
        }
    }

    /** The body as JSON; a body that is not JSON is kept as one string, for the error message. */
    private static Answer answer(int status, String body) {
        if (body.isBlank()) return new Answer(status, Json.NULL);
        try {
            return new Answer(status, Json.parse(body));
        } catch (IllegalArgumentException e) {
            return new Answer(status, Json.text(body));
        }
    }
}

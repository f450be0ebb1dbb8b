package io.ecsbluegreen.hooks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * HTTPS to a load balancer listener whose certificate names the application, not the load balancer: TCP
 * to the URL's host and port (the load balancer's DNS name), then TLS with SNI for {@code serverName} and
 * the certificate verified against it (HTTPS endpoint identification), and {@code Host} naming it.
 *
 * <p>The JDK's {@code HttpClient} verifies the name it connects to, and Java 17 offers no resolver that
 * would map the application's name to the load balancer for one client only (editing the JVM's name
 * resolution would send every other request for that name there too). So this is a small HTTP/1.1 client
 * of its own: one request per connection ({@code Connection: close}), no redirect followed (a redirect is
 * an answer like any other), a body read up to {@link #MAX_BODY} bytes. Verification is never turned off;
 * what is trusted is the context's.
 */
public final class ListenerHttps {

    /** Body bytes kept at most; the rest is not read. Hooks match a body pattern and keep an excerpt. */
    public static final int MAX_BODY = 1 << 20;
    /** Status line and headers together at most. */
    static final int MAX_HEAD = 64 * 1024;

    /** An answer: its status and body (UTF-8, at most {@link #MAX_BODY} bytes of it). */
    public record Response(int status, String body) {}

    private final SSLContext trust;
    private final Duration connectTimeout;
    private final Clock clock;

    /**
     * @param trust the certificates trusted (the JVM's default and the configured CA bundle)
     * @param connectTimeout the longest TCP connect, as for the operator's other HTTP calls
     */
    public ListenerHttps(SSLContext trust, Duration connectTimeout) {
        this(trust, connectTimeout, Clock.systemUTC());
    }

    /**
     * @param clock decides when a request's time has run out (a hook runner's, so that one clock decides
     *     every hook's timeout); each read waits at most what is left on it, in real time, so an abandoned
     *     request never holds its thread longer than that
     */
    public ListenerHttps(SSLContext trust, Duration connectTimeout, Clock clock) {
        this.trust = trust;
        this.connectTimeout = connectTimeout;
        this.clock = clock;
    }

    /**
     * Sends one request and reads its answer, all within {@code timeout}.
     *
     * @param uri an {@code https} URL of the load balancer (its DNS name and the listener's port)
     * @param serverName the application's host: SNI, the name the certificate must carry, and the {@code Host}
     *     sent unless {@code headers} has one
     * @throws HttpTimeoutException when the connection or the answer takes longer than allowed
     * @throws SSLHandshakeException when the certificate is not trusted or does not name {@code serverName}
     * @throws IllegalArgumentException for a header name or value that would break the request's framing
     */
    public Response send(URI uri, String serverName, String method, Map<String, String> headers, String body, Duration timeout)
            throws IOException {
        Instant deadline = clock.instant().plus(timeout);
        String head = head(uri, serverName, method, headers, body);
        int port = uri.getPort() < 0 ? 443 : uri.getPort();
        try (Socket raw = new Socket()) {
            int connectMillis = (int) Math.max(1, Math.min(connectTimeout.toMillis(), timeout.toMillis()));
            try {
                raw.connect(new InetSocketAddress(uri.getHost(), port), connectMillis);
            } catch (SocketTimeoutException e) {
                throw new HttpConnectTimeoutException("no connection to " + uri.getHost() + ":" + port + " within " + connectMillis + " ms");
            }
            try (SSLSocket tls = (SSLSocket) trust.getSocketFactory().createSocket(raw, serverName, port, true)) {
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                parameters.setServerNames(List.of(new SNIHostName(serverName)));
                tls.setSSLParameters(parameters);
                try {
                    remaining(tls, deadline);
                    handshake(tls, uri, port, serverName);
                    OutputStream out = tls.getOutputStream();
                    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                    if (body != null) out.write(body.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    return read(tls, method, deadline);
                } catch (SocketTimeoutException e) {
                    throw new HttpTimeoutException("no answer from " + uri.getHost() + ":" + port + " within " + timeout.toMillis() + " ms");
                }
            }
        }
    }

    private static void handshake(SSLSocket tls, URI uri, int port, String serverName) throws IOException {
        try {
            tls.startHandshake();
        } catch (SSLHandshakeException e) {
            // the JDK says "No subject alternative DNS name matching ..." or "PKIX path building failed":
            // name the host and the load balancer, so that the status tells what to fix
            SSLHandshakeException named = new SSLHandshakeException("the certificate of " + uri.getHost() + ":" + port
                    + " is not valid for " + serverName + ": " + rootMessage(e));
            named.initCause(e);
            throw named;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        for (int i = 0; i < 10 && root.getCause() != null; i++) root = root.getCause();
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /** The request line and headers. */
    static String head(URI uri, String serverName, String method, Map<String, String> headers, String body) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) path += "?" + uri.getRawQuery();
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        boolean host = headers.keySet().stream().anyMatch("host"::equalsIgnoreCase);
        if (!host) head.append("Host: ").append(serverName).append("\r\n");
        headers.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            // this client frames the request itself; a caller's framing headers would contradict it
            if (lower.equals("connection") || lower.equals("content-length") || lower.equals("transfer-encoding")) return;
            if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+") || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("invalid header " + name);
            }
            head.append(name).append(": ").append(value).append("\r\n");
        });
        if (body != null) head.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
        else if (!method.equals("GET") && !method.equals("HEAD") && !method.equals("DELETE")) head.append("Content-Length: 0\r\n");
        return head.append("Connection: close\r\n\r\n").toString();
    }

    /** Reads the answer: interim (1xx) answers skipped; a body by Content-Length, chunks, or up to the end. */
    private Response read(SSLSocket tls, String method, Instant deadline) throws IOException {
        InputStream in = tls.getInputStream();
        for (int interim = 0; interim < 10; interim++) {
            remaining(tls, deadline);
            String[] lines = readHead(in, tls, deadline).split("\r\n");
            String[] statusLine = lines[0].split(" ", 3);
            if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP/1.1 answer: " + lines[0]);
            }
            int status;
            try {
                status = Integer.parseInt(statusLine[1]);
            } catch (NumberFormatException e) {
                throw new IOException("not an HTTP status: " + lines[0]);
            }
            if (status / 100 == 1) continue;
            String length = null;
            boolean chunked = false;
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon <= 0) continue;
                String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = lines[i].substring(colon + 1).trim();
                if (name.equals("content-length")) length = value;
                if (name.equals("transfer-encoding")) chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
            }
            if (method.equals("HEAD") || status == 204 || status == 304) return new Response(status, "");
            byte[] bytes;
            if (chunked) bytes = dechunk(in, tls, deadline);
            else if (length != null) bytes = readUpTo(in, tls, deadline, Math.min(MAX_BODY, parseLength(length)));
            else bytes = readUpTo(in, tls, deadline, MAX_BODY);
            return new Response(status, new String(bytes, StandardCharsets.UTF_8));
        }
        throw new IOException("more than 10 interim (1xx) answers");
    }

    private static long parseLength(String value) throws IOException {
        try {
            long length = Long.parseLong(value);
            if (length < 0) throw new NumberFormatException(value);
            return length;
        } catch (NumberFormatException e) {
            throw new IOException("invalid Content-Length: " + value);
        }
    }

    /** Status line and headers, without the blank line that ends them. */
    private String readHead(InputStream in, SSLSocket tls, Instant deadline) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            if (head.size() >= MAX_HEAD) throw new IOException("answer headers longer than " + MAX_HEAD + " bytes");
            remaining(tls, deadline);
            int b = in.read();
            if (b < 0) throw new IOException("connection closed before the answer's headers ended");
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.length() - 4);
    }

    private byte[] readUpTo(InputStream in, SSLSocket tls, Instant deadline, long limit) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (body.size() < limit) {
            remaining(tls, deadline);
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - body.size()));
            if (n < 0) break;
            body.write(buffer, 0, n);
        }
        return body.toByteArray();
    }

    /** A chunked body, up to {@link #MAX_BODY} bytes of it. */
    private byte[] dechunk(InputStream in, SSLSocket tls, Instant deadline) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        // each chunk adds at least one byte, so MAX_BODY + 1 chunks reach the limit or the last chunk
        for (int chunks = 0; chunks <= MAX_BODY && body.size() < MAX_BODY; chunks++) {
            String sizeLine = line(in, tls, deadline);
            int semicolon = sizeLine.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("invalid chunk size: " + sizeLine);
            }
            if (size == 0) break;
            byte[] chunk = readUpTo(in, tls, deadline, Math.min(size, MAX_BODY - body.size()));
            body.writeBytes(chunk);
            if (chunk.length < size) break;
            line(in, tls, deadline);
        }
        return body.toByteArray();
    }

    private String line(InputStream in, SSLSocket tls, Instant deadline) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (line.size() < 1024) {
            remaining(tls, deadline);
            int b = in.read();
            if (b < 0) throw new IOException("connection closed inside a chunked body");
            if (b == '\n') break;
            if (b != '\r') line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Lets the next read wait only for what is left of the request's time. */
    private void remaining(SSLSocket tls, Instant deadline) throws IOException {
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.isNegative() || left.isZero()) throw new SocketTimeoutException("the request's time ran out");
        tls.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left.toMillis())));
    }
}

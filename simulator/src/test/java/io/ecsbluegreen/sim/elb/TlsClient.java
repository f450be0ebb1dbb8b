package io.ecsbluegreen.sim.elb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * HTTPS to a listener on 127.0.0.1 as a browser would reach the application's domain: TCP to loopback,
 * TLS with SNI for {@code host} and the certificate verified against {@code host}.
 */
final class TlsClient {

    /** A response: status, headers (lower-case names, last value) and body. */
    record Response(int status, Map<String, String> headers, String body) {}

    private TlsClient() {}

    static Response get(SSLContext trust, int port, String host, String path, String... headerPairs) {
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            raw.setSoTimeout(10_000);
            try (SSLSocket tls = (SSLSocket) trust.getSocketFactory().createSocket(raw, host, port, true)) {
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                parameters.setServerNames(List.of(new SNIHostName(host)));
                tls.setSSLParameters(parameters);
                tls.startHandshake();
                StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n");
                for (int i = 0; i + 1 < headerPairs.length; i += 2) {
                    request.append(headerPairs[i]).append(": ").append(headerPairs[i + 1]).append("\r\n");
                }
                OutputStream out = tls.getOutputStream();
                out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = tls.getInputStream();
                String text = new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
                int split = text.indexOf("\r\n\r\n");
                String[] lines = text.substring(0, split).split("\r\n");
                Map<String, String> headers = new LinkedHashMap<>();
                for (int i = 1; i < lines.length; i++) {
                    int colon = lines[i].indexOf(':');
                    headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
                }
                String body = text.substring(split + 4);
                if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                    body = dechunk(body);
                }
                return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String dechunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        for (int guard = 0; guard < 10_000; guard++) {
            int eol = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, eol).trim(), 16);
            if (size == 0) break;
            body.append(chunked, eol + 2, eol + 2 + size);
            at = eol + 2 + size + 2;
        }
        return body.toString();
    }
}

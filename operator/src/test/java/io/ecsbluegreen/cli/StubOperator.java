package io.ecsbluegreen.cli;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.ecsbluegreen.sim.elb.TlsCertificates;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;

/**
 * A loopback stand-in for a running operator's API with fixed answers: one service mid-rollout
 * ({@code catalog}, step 2 of 4 at 20 %), no held source, {@code promote}, {@code abort} and {@code retry}
 * accepted for catalog with the token and refused (404) for any other name. The listing comes chunked, every
 * other answer with a Content-Length. It records the Authorization header of every request.
 */
final class StubOperator implements AutoCloseable {
    static final String TOKEN = "stub-token";
    /** The commands the stub accepts for catalog. */
    static final List<String> COMMANDS = List.of("promote", "abort", "retry");
    private static final String CATALOG = "/api/v1/services/catalog/";
    static final String SERVICE = """
            {"name": "catalog", "state": "READY", "origin": {"file": "catalog.yaml", "line": 1},
             "status": {"phase": "Shifting", "reason": "StepHolding", "message": "step 2 of 4 holds 60s",
               "lastTransitionTime": "2026-11-23T10:00:00Z", "activeRevision": "r-1", "desiredRevision": "r-2",
               "productionWeights": {"r-1": 80, "r-2": 20}, "testWeights": {"r-2": 100}, "step": 2, "steps": 4,
               "conditions": [{"type": "Progressing", "status": true, "reason": "Shifting", "lastTransitionTime": "2026-11-23T10:00:00Z"}],
               "history": [], "hooks": [], "analysis": []}}
            """;
    static final String LISTING = """
            [{"name": "catalog", "state": "READY", "phase": "Shifting", "activeRevision": "r-1", "desiredRevision": "r-2",
              "productionWeights": {"r-1": 80, "r-2": 20}, "testWeights": {"r-2": 100}, "step": 2, "steps": 4,
              "lastTransitionTime": "2026-11-23T10:00:00Z", "message": "step 2 of 4 holds 60s"}]
            """;

    private final HttpServer server;
    final List<String> authorizations = new CopyOnWriteArrayList<>();

    private final String scheme;

    StubOperator() throws IOException {
        this(null);
    }

    /** With {@code tls}: the same answers over HTTPS, with that context's certificate. */
    StubOperator(SSLContext tls) throws IOException {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            server = HttpServer.create(loopback, 16);
            scheme = "http";
        } else {
            HttpsServer https = HttpsServer.create(loopback, 16);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
            scheme = "https";
        }
        server.createContext("/", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(auth == null ? "" : auth);
            String path = exchange.getRequestURI().getPath();
            boolean post = exchange.getRequestMethod().equals("POST");
            int status;
            String body;
            boolean chunked = false;
            if (!post && path.equals("/api/v1/services")) {
                status = 200;
                body = LISTING;
                chunked = true;
            } else if (!post && path.equals("/api/v1/services/catalog")) {
                status = 200;
                body = SERVICE;
            } else if (!post && path.equals("/api/v1/sources")) {
                status = 200;
                body = "[]";
            } else if (post && path.startsWith(CATALOG) && COMMANDS.contains(path.substring(CATALOG.length()))) {
                boolean authorized = ("Bearer " + TOKEN).equals(auth);
                status = authorized ? 202 : 401;
                body = authorized ? "{\"accepted\": true, \"message\": \"" + path.substring(CATALOG.length()) + " accepted for catalog\"}"
                        : "{\"message\": \"a bearer token is required\"}";
            } else {
                status = 404;
                body = "{\"message\": \"not found\"}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            // as the operator's ApiAuth answers a refused token
            if (status == 401) exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"bluegreen\"");
            // the listing chunked, as a server streams a body it did not measure first; the rest with a length
            exchange.sendResponseHeaders(status, chunked ? 0 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    String api() {
        return api("127.0.0.1");
    }

    /** The address with {@code host} (a name the certificate holds, for https) and the stub's port. */
    String api(String host) {
        return scheme + "://" + host + ":" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** A PKCS12 trust store file holding the certificates' CA (password {@code changeit}). */
    static Path trustStore(TlsCertificates certificates, Path file) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("operator-ca", certificates.caCertificate());
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, "changeit".toCharArray());
        }
        return file;
    }

    /** The JVM options that make a CLI process trust {@code trustStore}. */
    static List<String> trusting(Path trustStore) {
        return List.of("-Djavax.net.ssl.trustStore=" + trustStore, "-Djavax.net.ssl.trustStoreType=PKCS12",
                "-Djavax.net.ssl.trustStorePassword=changeit");
    }
}

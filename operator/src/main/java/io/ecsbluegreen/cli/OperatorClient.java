package io.ecsbluegreen.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Talks to a running operator's API for the CLI ({@code status}, {@code promote}, {@code abort},
 * {@code retry}, {@code sources}). The address comes from {@code --api URL}, else {@code BLUEGREEN_API},
 * else the operator's default {@code http://127.0.0.1:8080}. The API token comes from {@code --token},
 * else {@code BLUEGREEN_API_TOKEN}, else the file {@code .bluegreen/api-token} that an operator started in
 * the same directory without a configured token writes.
 *
 * <p>It uses {@link HttpURLConnection} rather than {@code java.net.http}: for a plain-HTTP address it
 * loads no TLS classes and starts no selector thread, which is most of a short CLI call's CPU time
 * (the JDK's newer client builds its TLS context, cipher suites and CA store included, up front).
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

    OperatorClient(String api, String token) {
        String value = api != null ? api : System.getenv().getOrDefault("BLUEGREEN_API", DEFAULT_API);
        this.base = URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
        this.token = token != null ? token : System.getenv("BLUEGREEN_API_TOKEN") != null ? System.getenv("BLUEGREEN_API_TOKEN")
                : tokenFile();
    }

    private static String tokenFile() {
        try {
            // ApiToken.DEFAULT_FILE, named here so that the small CLI jar needs nothing of the api package
            Path file = Path.of(".bluegreen", "api-token");
            return Files.isReadable(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : null;
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
        HttpURLConnection c = null;
        try {
            c = (HttpURLConnection) base.resolve(path).toURL().openConnection();
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
            String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (in != null) in.close();
            Json node = body.isBlank() ? Json.NULL : parse(body);
            return new Answer(status, node);
        } catch (IOException | IllegalArgumentException e) {
            throw new Unreachable("cannot reach the operator at " + base + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); is `bluegreen run` or `bluegreen demo` running? "
                    + "Set --api URL or BLUEGREEN_API.");
        } finally {
            if (c != null) c.disconnect();
        }
    }

    private static Json parse(String body) {
        try {
            return Json.parse(body);
        } catch (IllegalArgumentException e) {
            return Json.text(body);
        }
    }
}

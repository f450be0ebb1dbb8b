package io.ecsbluegreen.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecsbluegreen.api.ApiToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Talks to a running operator's API for the CLI ({@code status}, {@code promote}, {@code abort},
 * {@code retry}). The address comes from {@code --api URL}, else {@code BLUEGREEN_API}, else the
 * operator's default {@code http://127.0.0.1:8080}. The API token comes from {@code --token}, else
 * {@code BLUEGREEN_API_TOKEN}, else the file {@code .bluegreen/api-token} that an operator started in
 * the same directory without a configured token writes.
 */
final class OperatorClient {
    static final String DEFAULT_API = "http://127.0.0.1:8080";

    /** An answer: the HTTP status and the JSON body. */
    record Answer(int status, JsonNode body) {}

    /** The operator could not be reached or answered something that is not JSON. */
    static final class Unreachable extends Exception {
        Unreachable(String message) {
            super(message);
        }
    }

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    private final String token;

    OperatorClient(String api, String token) {
        String value = api != null ? api : System.getenv().getOrDefault("BLUEGREEN_API", DEFAULT_API);
        this.base = URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
        this.token = token != null ? token : System.getenv("BLUEGREEN_API_TOKEN") != null ? System.getenv("BLUEGREEN_API_TOKEN")
                : tokenFile();
    }

    private static String tokenFile() {
        try {
            Path file = ApiToken.DEFAULT_FILE;
            return Files.isReadable(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : null;
        } catch (IOException e) {
            return null;
        }
    }

    URI base() {
        return base;
    }

    Answer get(String path) throws Unreachable {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    Answer post(String path) throws Unreachable {
        return send(HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private Answer send(HttpRequest.Builder request) throws Unreachable {
        try {
            if (token != null && !token.isEmpty()) request.header("Authorization", "Bearer " + token);
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(15)).header("Accept", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            JsonNode node = body == null || body.isBlank() ? json.nullNode() : parse(body);
            return new Answer(response.statusCode(), node);
        } catch (IOException e) {
            throw new Unreachable("cannot reach the operator at " + base + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); is `bluegreen run` or `bluegreen demo` running? "
                    + "Set --api URL or BLUEGREEN_API.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted");
        }
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return json.getNodeFactory().textNode(body);
        }
    }
}

package io.ecsbluegreen.sim.lambda;

import io.ecsbluegreen.spec.JsonReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The code of a URL-backed function: POSTs the payload to a loopback URL and answers the response body.
 * A non-2xx answer or a connection failure is an unhandled function error; a 2xx answer carrying
 * {@code X-Amz-Function-Error} is a function error whose payload is the body.
 */
final class UrlHandler implements LambdaHandler {

    /** Thrown when the URL reported a function error itself: the body is the error payload. */
    static final class RawFunctionError extends RuntimeException {
        final byte[] payload;
        final boolean handled;

        RawFunctionError(byte[] payload, boolean handled) {
            super("function error", null, false, false);
            this.payload = payload;
            this.handled = handled;
        }
    }

    private static final int MAX_MESSAGE_BODY = 256;

    private static final class Client {
        static final HttpClient INSTANCE = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    private final URI url;

    UrlHandler(URI url) {
        this.url = url;
    }

    URI url() {
        return url;
    }

    @Override
    public byte[] handle(byte[] payload, InvocationContext context) throws Exception {
        Duration remaining = context.remainingTime();
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(remaining.isZero() ? Duration.ofMillis(1) : remaining)
                .header("Content-Type", "application/json")
                .header("Lambda-Runtime-Aws-Request-Id", context.requestId())
                .header("Lambda-Runtime-Invoked-Function-Arn", context.invokedFunctionArn())
                .header("Lambda-Runtime-Deadline-Ms",
                        Long.toString(context.startTime().plus(context.timeout()).toEpochMilli()))
                .header("X-Amz-Executed-Version", context.executedVersion())
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = Client.INSTANCE.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new InvocationContext.TimedOut();
        } catch (IOException e) {
            throw FunctionError.unhandled("Simulator.UrlFunctionUnreachable",
                    "POST " + url + " failed: " + e);
        }
        byte[] body = response.body();
        int status = response.statusCode();
        String declaredError = response.headers().firstValue("X-Amz-Function-Error").orElse(null);
        if (status >= 200 && status < 300) {
            if (declaredError != null) {
                throw new RawFunctionError(body, "Handled".equalsIgnoreCase(declaredError));
            }
            return body;
        }
        // A body already shaped as a Lambda error payload passes through as the function's error.
        String text = new String(body, StandardCharsets.UTF_8);
        try {
            Map<String, Object> json = JsonReader.parseObject(text);
            if (json.get("errorMessage") instanceof String) {
                throw new RawFunctionError(body, false);
            }
        } catch (JsonReader.JsonException e) {
            // not JSON: described below
        }
        String snippet = text.length() > MAX_MESSAGE_BODY ? text.substring(0, MAX_MESSAGE_BODY) + "..." : text;
        throw FunctionError.unhandled("Simulator.UrlFunctionHttpError",
                "POST " + url + " answered HTTP " + status + (snippet.isBlank() ? "" : ": " + snippet));
    }
}

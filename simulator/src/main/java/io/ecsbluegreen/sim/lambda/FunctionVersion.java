package io.ecsbluegreen.sim.lambda;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * One version of a function, {@code $LATEST} or published: its code and configuration, as GetFunction
 * reports them.
 *
 * @param version {@code $LATEST} or {@code 1}, {@code 2}, ...
 * @param handler the code that runs
 * @param url the loopback URL the code forwards to, for URL-backed functions; null otherwise
 * @param timeout how long an invocation may run
 * @param description the function's description
 * @param runtime the runtime GetFunction reports
 * @param handlerName the handler setting GetFunction reports
 * @param role the execution role ARN
 * @param memorySize MiB
 * @param environment environment variables
 * @param codeSha256 base64 SHA-256 of the deployment package
 * @param codeSize the package's size in bytes
 * @param lastModified when this version's code or configuration last changed (simulator clock)
 * @param revisionId changes with every update
 */
public record FunctionVersion(
        String version,
        LambdaHandler handler,
        URI url,
        Duration timeout,
        String description,
        String runtime,
        String handlerName,
        String role,
        int memorySize,
        Map<String, String> environment,
        String codeSha256,
        long codeSize,
        Instant lastModified,
        String revisionId) {

    public FunctionVersion {
        environment = Map.copyOf(environment);
    }

    FunctionVersion withVersion(String newVersion, String newRevisionId) {
        return new FunctionVersion(newVersion, handler, url, timeout, description, runtime, handlerName, role,
                memorySize, environment, codeSha256, codeSize, lastModified, newRevisionId);
    }

    FunctionVersion withCode(LambdaHandler newHandler, URI newUrl, Instant now, String newRevisionId) {
        return new FunctionVersion(version, newHandler, newUrl, timeout, description, runtime, handlerName, role,
                memorySize, environment, codeSha256, codeSize, now, newRevisionId);
    }

    FunctionVersion withTimeout(Duration newTimeout, Instant now, String newRevisionId) {
        return new FunctionVersion(version, handler, url, newTimeout, description, runtime, handlerName, role,
                memorySize, environment, codeSha256, codeSize, now, newRevisionId);
    }
}

package io.ecsbluegreen.sim.lambda;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One invocation a simulated function received, recorded for tests when Lambda accepted it (DryRun
 * calls run nothing and are not recorded).
 *
 * @param functionName the function's name
 * @param qualifier the qualifier the caller named (version or alias), or null
 * @param executedVersion the version that ran: {@code $LATEST} or a version number
 * @param invocationType RequestResponse or Event
 * @param requestId the invocation's request id
 * @param payload the payload the function received
 * @param time when the invocation arrived, on the simulator clock
 */
public record Invocation(String functionName, String qualifier, String executedVersion, InvocationType invocationType,
        String requestId, byte[] payload, Instant time) {

    /** The payload as UTF-8 text. */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}

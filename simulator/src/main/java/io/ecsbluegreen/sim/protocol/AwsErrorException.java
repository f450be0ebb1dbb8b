package io.ecsbluegreen.sim.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An AWS error a service handler answers with. The dispatcher renders it in the protocol of the
 * service (XML error document, JSON {@code __type}, ...) so that handlers never format errors by hand.
 */
public final class AwsErrorException extends RuntimeException {

    private final int status;
    private final String code;
    private final String errorMessage;
    private final Map<String, String> details;

    /**
     * @param status the HTTP status code
     * @param code the AWS error code the SDK maps to an exception ({@code NoSuchKey}, {@code Throttling})
     * @param message the human-readable message
     */
    public AwsErrorException(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    /**
     * @param details extra elements some protocols carry beside code and message, in order (S3 adds
     *     {@code BucketName} or {@code Key}); ignored by protocols without such elements
     */
    public AwsErrorException(int status, String code, String message, Map<String, String> details) {
        // No stack trace: these are answers, not failures of the simulator.
        super(code + ": " + message, null, false, false);
        this.status = status;
        this.code = code;
        this.errorMessage = message;
        this.details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The message without the code prefix that {@link #getMessage()} carries for logs. */
    public String errorMessage() {
        return errorMessage;
    }

    public Map<String, String> details() {
        return details;
    }

    /** Whether the client is at fault ({@code Sender}) rather than the service ({@code Receiver}). */
    public boolean senderFault() {
        return status < 500;
    }
}

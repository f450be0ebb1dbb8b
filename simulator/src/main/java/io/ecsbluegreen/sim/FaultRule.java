package io.ecsbluegreen.sim;

import java.time.Duration;
import java.util.Objects;

/**
 * Fault injection for a set of API actions: added latency on every matching call, and a share of
 * calls answered with an error instead of being performed: a 5xx, or a 4xx such as {@code AccessDenied}
 * to play a missing permission.
 *
 * <p>Latency is real time (the client really waits), unlike the {@link SimClock}. The error's code is
 * the service's own for a 5xx status ({@code InternalError} for S3, {@code InternalFailure} for Query
 * services, ...) and {@code AccessDenied} for a 4xx, unless {@code errorCode} names one.
 *
 * @param matcher the actions affected
 * @param errorRate the probability, 0 to 1, that a matching call fails
 * @param status the HTTP status of injected errors, 400 to 599
 * @param errorCode the AWS error code of injected errors, or null for the service's default
 * @param latency the delay added before every matching call is answered, zero for none
 */
public record FaultRule(ApiMatcher matcher, double errorRate, int status, String errorCode, Duration latency) {

    public FaultRule {
        Objects.requireNonNull(matcher, "matcher");
        Objects.requireNonNull(latency, "latency");
        if (!(errorRate >= 0 && errorRate <= 1)) {
            throw new IllegalArgumentException("errorRate must be between 0 and 1: " + errorRate);
        }
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be a 4xx or 5xx status: " + status);
        }
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative: " + latency);
        }
    }

    /** Fails {@code errorRate} of the calls {@code matcher} names ({@code service:ActionGlob}) with a 500. */
    public static FaultRule errors(String matcher, double errorRate) {
        return new FaultRule(ApiMatcher.parse(matcher), errorRate, 500, null, Duration.ZERO);
    }

    /** Delays every call {@code matcher} names by {@code latency}. */
    public static FaultRule latency(String matcher, Duration latency) {
        return new FaultRule(ApiMatcher.parse(matcher), 0, 500, null, latency);
    }

    public FaultRule withStatus(int newStatus) {
        return new FaultRule(matcher, errorRate, newStatus, errorCode, latency);
    }

    public FaultRule withErrorCode(String newErrorCode) {
        return new FaultRule(matcher, errorRate, status, newErrorCode, latency);
    }

    public FaultRule withLatency(Duration newLatency) {
        return new FaultRule(matcher, errorRate, status, errorCode, newLatency);
    }
}

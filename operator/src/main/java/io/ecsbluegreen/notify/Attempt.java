package io.ecsbluegreen.notify;

import java.time.Duration;

/**
 * How one delivery attempt ended.
 *
 * @param outcome delivered, worth retrying, or refused for good
 * @param detail what the receiver answered or what went wrong, for the log; never carries secrets
 * @param retryAfter how long the receiver asked to wait ({@code Retry-After}); null when it did not say
 */
public record Attempt(Outcome outcome, String detail, Duration retryAfter) {

    /** The three ways an attempt ends. */
    public enum Outcome {
        /** The receiver took it (2xx, or SNS accepted the publish). */
        DELIVERED,
        /** A failure that may pass: 5xx, 429, a timeout, a refused connection, throttling. */
        RETRY,
        /** A failure that will not pass by trying again: 4xx other than 429, a missing topic, no permission. */
        REJECTED
    }

    static Attempt delivered() {
        return new Attempt(Outcome.DELIVERED, "delivered", null);
    }

    static Attempt retry(String detail) {
        return new Attempt(Outcome.RETRY, detail, null);
    }

    static Attempt retry(String detail, Duration retryAfter) {
        return new Attempt(Outcome.RETRY, detail, retryAfter);
    }

    static Attempt rejected(String detail) {
        return new Attempt(Outcome.REJECTED, detail, null);
    }
}

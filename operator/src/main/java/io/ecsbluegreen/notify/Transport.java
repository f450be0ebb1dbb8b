package io.ecsbluegreen.notify;

/** Sends one notification once: an HTTP POST, an SNS Publish. Retrying is the {@link Receiver}'s business. */
public interface Transport {

    /**
     * One attempt; must end within the receiver's timeout.
     *
     * @throws InterruptedException when the worker is stopped mid-attempt (shutdown)
     */
    Attempt send(Notification notification) throws InterruptedException;

    /** Where it sends, safe to log: no secret (a webhook's scheme and host only). */
    String target();
}

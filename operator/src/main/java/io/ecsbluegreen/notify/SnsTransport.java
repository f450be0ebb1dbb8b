package io.ecsbluegreen.notify;

import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.SnsException;

/**
 * Publishes a notification to an SNS topic: the JSON body as {@code Message}, the one-line summary as
 * {@code Subject}, and the message attributes {@code eventType} and {@code service} (both {@code String})
 * for subscription filter policies. On a FIFO topic the service is the message group (events of one
 * service stay in order) and the notification id the deduplication id.
 *
 * <p>Throttling, 5xx answers and client-side failures (timeouts, connections) are worth another attempt;
 * other AWS errors ({@code NotFound}, {@code AuthorizationError}, {@code InvalidParameter}) are not. The
 * client should not retry by itself: the receiver does, with its own bounds.
 */
public final class SnsTransport implements Transport {

    /** The message attribute naming the event type. */
    public static final String EVENT_TYPE = "eventType";
    /** The message attribute naming the service (or the source, for source events). */
    public static final String SERVICE = "service";

    private final SnsClient sns;
    private final String topicArn;
    private final Duration timeout;
    private final boolean fifo;

    public SnsTransport(SnsClient sns, String topicArn, Duration timeout) {
        this.sns = sns;
        this.topicArn = topicArn;
        this.timeout = timeout;
        this.fifo = topicArn.endsWith(".fifo");
    }

    @Override
    public String target() {
        return topicArn;
    }

    @Override
    public Attempt send(Notification n) throws InterruptedException {
        PublishRequest.Builder request = PublishRequest.builder()
                .topicArn(topicArn)
                .message(Payloads.json(n))
                .subject(Payloads.subject(n.event()))
                .messageAttributes(Map.of(
                        EVENT_TYPE, string(n.event().type().name()),
                        SERVICE, string(n.event().service())))
                .overrideConfiguration(o -> o.apiCallTimeout(timeout));
        if (fifo) request.messageGroupId(n.event().service()).messageDeduplicationId(n.id());
        try {
            sns.publish(request.build());
            return Attempt.delivered();
        } catch (SdkServiceException e) {
            String detail = describe(e);
            if (e.isThrottlingException() || e.statusCode() == 429 || e.statusCode() >= 500) return Attempt.retry(detail);
            return Attempt.rejected(detail);
        } catch (AbortedException e) {
            throw interrupted(e);
        } catch (SdkClientException e) {
            if (Thread.currentThread().isInterrupted()) throw interrupted(e);
            return Attempt.retry(e.getClass().getSimpleName() + ": " + Payloads.oneLine(String.valueOf(e.getMessage())));
        }
    }

    private static InterruptedException interrupted(Exception cause) {
        InterruptedException e = new InterruptedException("stopped while publishing");
        e.initCause(cause);
        return e;
    }

    private static String describe(SdkServiceException e) {
        if (e instanceof SnsException && ((SnsException) e).awsErrorDetails() != null) {
            SnsException s = (SnsException) e;
            return s.awsErrorDetails().errorCode() + " (HTTP " + e.statusCode() + "): " + s.awsErrorDetails().errorMessage();
        }
        return "HTTP " + e.statusCode() + ": " + e.getMessage();
    }

    private static MessageAttributeValue string(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value == null || value.isEmpty() ? "-" : value).build();
    }
}

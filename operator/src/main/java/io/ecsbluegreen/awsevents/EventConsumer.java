package io.ecsbluegreen.awsevents;

import io.ecsbluegreen.desired.DesiredState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Long-polls one SQS queue that an EventBridge rule feeds (docs/events.md), wakes the services and sources
 * each event concerns, then deletes the messages in one batch. Waking goes through the work queue, which
 * coalesces duplicates: a burst of task events for one service costs one pass. A message is deleted only
 * after its wake was queued, so a crash in between redelivers it after the visibility timeout (a second
 * wake costs one more pass, never a wrong one). Unknown and malformed events are counted and deleted:
 * they would come back forever otherwise.
 *
 * <p>While receives succeed, events flow: the engine's resync, now only a fallback, runs at its longer
 * interval; when a receive fails, the normal interval returns at once and receives are retried with backoff.
 */
public final class EventConsumer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventConsumer.class);
    /** SQS's ceiling for one receive and one delete batch. */
    static final int BATCH = 10;

    /** What an event can wake. */
    public interface Wakes {
        /** Queues a declared service for a pass now. */
        void service(String name);

        /** Reads a desired-state source again now. */
        void source(String sourceId);

        /** Tells whether events flow (receives succeed): the engine then resyncs only as a fallback. */
        void flowing(boolean flowing);
    }

    /**
     * @param queueUrl the queue's URL
     * @param waitTime the long poll's wait, 1 to 20 s
     * @param retryBase the first wait after a failed receive; doubled up to {@code retryMax}
     * @param defaultRegion the region of services whose spec names none
     */
    public record Settings(String queueUrl, Duration waitTime, Duration retryBase, Duration retryMax, String defaultRegion) {
        public Settings {
            if (waitTime.isNegative() || waitTime.toSeconds() > 20) throw new IllegalArgumentException("wait-time must be 0 to 20 s: " + waitTime);
        }
    }

    private final SqsClient sqs;
    private final Settings settings;
    private final EventRouter router = new EventRouter();
    private final Supplier<DesiredState> desired;
    private final Supplier<List<String>> sourceIds;
    private final Wakes wakes;
    private final AwsEventMetrics metrics;
    private volatile boolean running;
    private Thread thread;
    private Boolean flowing;

    public EventConsumer(SqsClient sqs, Settings settings, Supplier<DesiredState> desired, Supplier<List<String>> sourceIds, Wakes wakes,
                         AwsEventMetrics metrics) {
        this.sqs = sqs;
        this.settings = settings;
        this.desired = desired;
        this.sourceIds = sourceIds;
        this.wakes = wakes;
        this.metrics = metrics;
    }

    /** Starts polling on a thread of its own. */
    public synchronized void start() {
        if (running) return;
        running = true;
        thread = new Thread(this::loop, "aws-events");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Reads the queue's ARN and visibility timeout, which proves the queue exists and may be read before
     * the first event is expected; logged once.
     *
     * @throws SdkException when the queue does not exist or may not be read
     */
    public String describeQueue() {
        var attributes = sqs.getQueueAttributes(r -> r.queueUrl(settings.queueUrl())
                .attributeNames(QueueAttributeName.QUEUE_ARN, QueueAttributeName.VISIBILITY_TIMEOUT)).attributes();
        return attributes.get(QueueAttributeName.QUEUE_ARN) + " (visibility timeout "
                + attributes.get(QueueAttributeName.VISIBILITY_TIMEOUT) + " s)";
    }

    private void loop() {
        int failures = 0;
        boolean described = false;
        while (running) {
            try {
                if (!described) {
                    LOG.infof("aws events: consuming %s", describeQueue());
                    described = true;
                }
                pollOnce();
                failures = 0;
            } catch (SdkException e) {
                if (!running) return;
                failures++;
                flowing(false);
                metrics.receiveFailed();
                Duration wait = backoff(failures);
                LOG.warnf("aws events: receive from %s failed (%s); polling at the normal interval, retrying in %ds",
                        settings.queueUrl(), e.getMessage(), wait.toSeconds());
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            } catch (RuntimeException e) {
                // A bug, never a reason to stop listening; the next receive tries again.
                LOG.errorf(e, "aws events: unexpected failure");
                metrics.receiveFailed();
            }
        }
    }

    Duration backoff(int failures) {
        Duration d = settings.retryBase().multipliedBy(1L << Math.min(20, failures - 1));
        return d.compareTo(settings.retryMax()) > 0 ? settings.retryMax() : d;
    }

    /**
     * One receive (long poll), the wakes of what arrived, one delete batch; returns the messages handled.
     *
     * @throws SdkException when SQS cannot be reached or refuses the receive
     */
    public int pollOnce() {
        List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(settings.queueUrl()).maxNumberOfMessages(BATCH)
                .waitTimeSeconds((int) settings.waitTime().toSeconds())).messages();
        flowing(true);
        if (messages.isEmpty()) return 0;
        DesiredState state = desired.get();
        List<String> sources = sourceIds.get();
        Set<String> services = new LinkedHashSet<>();
        Set<String> sourcesToRead = new LinkedHashSet<>();
        for (Message m : messages) {
            EventRouter.Outcome outcome = router.route(m.body(), state, sources, settings.defaultRegion());
            metrics.event(EventRouter.label(outcome));
            if (outcome instanceof EventRouter.Outcome.Wake w) {
                services.addAll(w.services());
                sourcesToRead.addAll(w.sources());
            } else {
                LOG.debugf("aws events: dropped %s", outcome);
            }
        }
        services.forEach(wakes::service);
        sourcesToRead.forEach(wakes::source);
        delete(messages);
        return messages.size();
    }

    private void delete(List<Message> messages) {
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            entries.add(DeleteMessageBatchRequestEntry.builder().id("m" + i).receiptHandle(messages.get(i).receiptHandle()).build());
        }
        try {
            DeleteMessageBatchResponse response = sqs.deleteMessageBatch(r -> r.queueUrl(settings.queueUrl()).entries(entries));
            if (!response.failed().isEmpty()) {
                // Redelivered after the visibility timeout: one more wake, coalesced by the work queue.
                metrics.deleteFailed(response.failed().size());
                LOG.debugf("aws events: %d message(s) not deleted: %s", response.failed().size(), response.failed());
            }
        } catch (SdkException e) {
            metrics.deleteFailed(entries.size());
            LOG.debugf("aws events: delete failed, %d message(s) will be redelivered: %s", entries.size(), e.getMessage());
        }
    }

    private void flowing(boolean now) {
        if (flowing == null || flowing != now) {
            flowing = now;
            metrics.flowing(now);
            wakes.flowing(now);
        }
    }

    /** Stops polling; a receive in flight is abandoned (its messages come back after the visibility timeout). */
    @Override
    public synchronized void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }
}

package io.ecsbluegreen.sim.sqs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbluegreen.sim.spi.ServiceEvents;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulator's EventBridge: wraps each service event in EventBridge's envelope ({@code version},
 * {@code id}, {@code detail-type}, {@code source}, {@code account}, {@code time}, {@code region},
 * {@code resources}, {@code detail}) and sends it to one SQS queue, as a rule matching every event with that
 * queue as its target would. No queue routed (the default), or a queue that does not exist: the event is
 * dropped and counted, as EventBridge drops what no rule matches.
 */
public final class EventRouting implements ServiceEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SqsStore sqs;
    private final String accountId;
    private volatile Target target;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    private record Target(String region, String queueName) {}

    public EventRouting(SqsStore sqs, String accountId) {
        this.sqs = sqs;
        this.accountId = accountId;
    }

    /** Routes every event from now on to the queue {@code queueName} of {@code region}, created if missing; returns its URL. */
    public String routeTo(String region, String queueName) {
        String url = sqs.createQueue(region, queueName);
        target = new Target(region, queueName);
        return url;
    }

    /** Routes no events from now on. */
    public void stop() {
        target = null;
    }

    /** Whether events go to a queue now. */
    public boolean routing() {
        return target != null;
    }

    /** Events sent to the queue since start. */
    public long delivered() {
        return delivered.get();
    }

    /** Events that went nowhere since start (no queue routed, or it was gone). */
    public long dropped() {
        return dropped.get();
    }

    @Override
    public void emit(Event event) {
        Target t = target;
        if (t == null) {
            dropped.incrementAndGet();
            return;
        }
        if (sqs.sendTo(t.region(), t.queueName(), envelope(event)).isPresent()) {
            delivered.incrementAndGet();
        } else {
            dropped.incrementAndGet();
        }
    }

    /** The event as EventBridge delivers it to an SQS target: the envelope, as the message body. */
    String envelope(Event event) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "0");
        root.put("id", UUID.randomUUID().toString());
        root.put("detail-type", event.detailType());
        root.put("source", event.source());
        root.put("account", accountId);
        root.put("time", DateTimeFormatter.ISO_INSTANT.format(event.time().truncatedTo(ChronoUnit.SECONDS)));
        root.put("region", event.region());
        ArrayNode resources = root.putArray("resources");
        event.resources().forEach(resources::add);
        try {
            root.set("detail", JSON.readTree(event.detailJson()));
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event detail is not JSON: " + event.detailJson(), e);
        }
    }
}

package io.ecsbluegreen.sim.sns;

import io.ecsbluegreen.sim.SimClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The simulated SNS state: topics and the messages published to them, to seed and inspect from Java.
 *
 * <pre>{@code
 * String arn = sim.sns().createTopic("deploys").arn();
 * // ... the code under test publishes through SnsClient ...
 * assertThat(sim.sns().published(arn)).singleElement().satisfies(m -> assertThat(m.subject()).startsWith("shop"));
 * }</pre>
 */
public final class SnsStore {

    /** Messages kept per topic; older ones are forgotten. */
    public static final int KEPT_PER_TOPIC = 10_000;
    /** The region of topics created from Java without one, and of unsigned requests. */
    public static final String DEFAULT_REGION = "us-east-1";
    /** How long FIFO topics remember a deduplication id. */
    static final Duration DEDUPLICATION_WINDOW = Duration.ofMinutes(5);

    private final SimClock clock;
    private final String accountId;
    private final ConcurrentSkipListMap<String, Topic> topics = new ConcurrentSkipListMap<>();
    private final Map<String, Deque<PublishedMessage>> published = new HashMap<>();
    private final Map<String, Map<String, PublishedMessage>> deduplication = new HashMap<>();
    private long sequence;

    public SnsStore(SimClock clock, String accountId) {
        this.clock = clock;
        this.accountId = accountId;
    }

    public String accountId() {
        return accountId;
    }

    /** {@code arn:aws:sns:REGION:ACCOUNT:NAME}. */
    public String arn(String region, String name) {
        return "arn:aws:sns:" + region + ":" + accountId + ":" + name;
    }

    /** Creates a standard topic in {@value #DEFAULT_REGION} (or returns the existing one). */
    public Topic createTopic(String name) {
        return createTopic(DEFAULT_REGION, name, name.endsWith(".fifo") ? Map.of("FifoTopic", "true") : Map.of(), Map.of());
    }

    /** Creates a topic, or returns the existing one of that name and region; names are not checked here. */
    public synchronized Topic createTopic(String region, String name, Map<String, String> attributes, Map<String, String> tags) {
        String arn = arn(region, name);
        Topic existing = topics.get(arn);
        if (existing != null) return existing;
        Topic topic = new Topic(arn, name, region, attributes, tags, clock.instant());
        topics.put(arn, topic);
        return topic;
    }

    public Optional<Topic> topic(String arn) {
        return Optional.ofNullable(topics.get(arn));
    }

    /** Every topic, by ARN. */
    public List<Topic> topics() {
        return List.copyOf(topics.values());
    }

    /** Deletes a topic and what was published to it; true when it existed. */
    public synchronized boolean deleteTopic(String arn) {
        published.remove(arn);
        deduplication.remove(arn);
        return topics.remove(arn) != null;
    }

    /**
     * Records a message on its topic; for a FIFO topic, a deduplication id seen within five minutes
     * answers the first message again instead.
     */
    synchronized PublishedMessage publish(Topic topic, String message, String subject, String structure,
                                          Map<String, PublishedMessage.Attribute> attributes, String groupId, String dedupId) {
        Instant now = clock.instant();
        if (topic.fifo()) {
            Map<String, PublishedMessage> seen = deduplication.computeIfAbsent(topic.arn(), k -> new HashMap<>());
            seen.values().removeIf(m -> m.time().plus(DEDUPLICATION_WINDOW).isBefore(now));
            PublishedMessage first = seen.get(dedupId);
            if (first != null) return first;
        }
        String sequenceNumber = topic.fifo() ? String.format("%020d", ++sequence) : null;
        PublishedMessage m = new PublishedMessage(UUID.randomUUID().toString(), topic.arn(), message, subject, structure,
                attributes, groupId, dedupId, sequenceNumber, now);
        Deque<PublishedMessage> messages = published.computeIfAbsent(topic.arn(), k -> new ArrayDeque<>());
        messages.addLast(m);
        while (messages.size() > KEPT_PER_TOPIC) messages.removeFirst();
        if (topic.fifo()) deduplication.get(topic.arn()).put(dedupId, m);
        return m;
    }

    /** What was published to a topic, oldest first (at most {@value #KEPT_PER_TOPIC}). */
    public synchronized List<PublishedMessage> published(String topicArn) {
        Deque<PublishedMessage> messages = published.get(topicArn);
        return messages == null ? List.of() : List.copyOf(messages);
    }

    /** What was published to any topic, by topic, oldest first within each. */
    public synchronized List<PublishedMessage> published() {
        List<PublishedMessage> all = new ArrayList<>();
        for (String arn : topics.keySet()) all.addAll(published(arn));
        return all;
    }

    /** Forgets every published message; topics stay. */
    public synchronized void clearPublished() {
        published.clear();
        deduplication.clear();
    }
}

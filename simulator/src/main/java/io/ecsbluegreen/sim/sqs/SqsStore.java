package io.ecsbluegreen.sim.sqs;

import io.ecsbluegreen.sim.SimClock;
import io.ecsbluegreen.sim.protocol.AwsErrorException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The simulated SQS state: standard queues with their messages, receipt handles and visibility timeouts,
 * all on the simulator's clock. Queue URLs have AWS's form ({@code https://sqs.REGION.amazonaws.com/ACCOUNT/NAME});
 * clients reach them through their endpoint override, which every SDK JSON call goes to whatever the URL says.
 *
 * <p>A long poll ({@code WaitTimeSeconds}) returns as soon as a message is visible, or when the wait has
 * passed on the simulator's clock; on a virtual clock that nobody advances it also returns once the wait
 * has passed in real time, so that a consumer never hangs a test.
 */
public final class SqsStore {

    /** AWS's defaults and limits (SQS Developer Guide, "Quotas"). */
    public static final int DEFAULT_VISIBILITY_TIMEOUT_SECONDS = 30;
    public static final int MAX_VISIBILITY_TIMEOUT_SECONDS = 12 * 60 * 60;
    public static final int MAX_WAIT_SECONDS = 20;
    public static final int MAX_MESSAGES_PER_RECEIVE = 10;
    public static final int MAX_BATCH_ENTRIES = 10;
    /** The strictest documented message size (256 KiB, the limit before AWS raised it in 2025). */
    public static final int MAX_MESSAGE_BYTES = 262_144;
    public static final int DEFAULT_RETENTION_SECONDS = 345_600;
    /** How often a waiting receive looks at the simulated clock again (time passes without a signal). */
    private static final long RECHECK_MILLIS = 20;

    /** One message and its delivery state. */
    static final class Message {
        final String id;
        final String body;
        final String md5OfBody;
        final Instant sentAt;
        Instant visibleAt;
        int receiveCount;
        Instant firstReceivedAt;
        /** The handle of the latest receive; only it deletes the message or changes its visibility. */
        String receiptHandle;

        Message(String id, String body, Instant sentAt, Instant visibleAt) {
            this.id = id;
            this.body = body;
            this.md5OfBody = md5(body);
            this.sentAt = sentAt;
            this.visibleAt = visibleAt;
        }
    }

    /** A queue. */
    static final class Queue {
        final String name;
        final String region;
        final String url;
        final String arn;
        final Instant createdAt;
        final Map<String, String> attributes = new LinkedHashMap<>();
        final List<Message> messages = new ArrayList<>();

        Queue(String name, String region, String account, Instant createdAt) {
            this.name = name;
            this.region = region;
            this.url = "https://sqs." + region + ".amazonaws.com/" + account + "/" + name;
            this.arn = "arn:aws:sqs:" + region + ":" + account + ":" + name;
            this.createdAt = createdAt;
        }

        int visibilityTimeout() {
            return Integer.parseInt(attributes.getOrDefault("VisibilityTimeout", String.valueOf(DEFAULT_VISIBILITY_TIMEOUT_SECONDS)));
        }

        int receiveWaitTime() {
            return Integer.parseInt(attributes.getOrDefault("ReceiveMessageWaitTimeSeconds", "0"));
        }

        int delaySeconds() {
            return Integer.parseInt(attributes.getOrDefault("DelaySeconds", "0"));
        }
    }

    /** A message as a receive hands it out. */
    public record Received(String messageId, String receiptHandle, String body, String md5OfBody, int receiveCount,
                           Instant sentAt, Instant firstReceivedAt) {}

    /** A message sent. */
    public record Sent(String messageId, String md5OfBody) {}

    private final SimClock clock;
    private final String accountId;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final Map<String, Queue> queues = new LinkedHashMap<>();
    private final AtomicLong handles = new AtomicLong();

    public SqsStore(SimClock clock, String accountId) {
        this.clock = clock;
        this.accountId = accountId;
    }

    public String accountId() {
        return accountId;
    }

    /**
     * Creates a queue, or returns the URL of the existing one when its attributes are the same, as
     * CreateQueue does; other attributes are {@code QueueAlreadyExists}.
     */
    public String createQueue(String region, String name, Map<String, String> attributes) {
        SqsValidation.queueName(name);
        Map<String, String> checked = SqsValidation.attributes(attributes);
        lock.lock();
        try {
            Queue existing = queues.get(key(region, name));
            if (existing != null) {
                for (Map.Entry<String, String> e : checked.entrySet()) {
                    if (!e.getValue().equals(existing.attributes.get(e.getKey()))) {
                        throw new AwsErrorException(400, "QueueAlreadyExists",
                                "A queue already exists with the same name and a different value for attribute " + e.getKey());
                    }
                }
                return existing.url;
            }
            Queue q = new Queue(name, region, accountId, clock.instant());
            q.attributes.putAll(checked);
            queues.put(key(region, name), q);
            return q.url;
        } finally {
            lock.unlock();
        }
    }

    /** Creates a queue with default attributes unless it exists; returns its URL. */
    public String createQueue(String region, String name) {
        return createQueue(region, name, Map.of());
    }

    /** The URL of a queue by name, as GetQueueUrl answers it. */
    public String queueUrl(String region, String name) {
        lock.lock();
        try {
            Queue q = queues.get(key(region, name));
            if (q == null) throw noQueue();
            return q.url;
        } finally {
            lock.unlock();
        }
    }

    /** The queue names, sorted. */
    public List<String> queueNames() {
        lock.lock();
        try {
            return queues.values().stream().map(q -> q.name).sorted().toList();
        } finally {
            lock.unlock();
        }
    }

    /** Messages in a queue, visible or in flight, by queue URL. */
    public int depth(String queueUrl) {
        lock.lock();
        try {
            return queue(queueUrl).messages.size();
        } finally {
            lock.unlock();
        }
    }

    /** The attributes GetQueueAttributes answers: the configurable ones and the computed ones. */
    Map<String, String> attributes(String queueUrl) {
        lock.lock();
        try {
            Queue q = queue(queueUrl);
            Instant now = clock.instant();
            Map<String, String> out = new LinkedHashMap<>();
            out.put("QueueArn", q.arn);
            out.put("ApproximateNumberOfMessages", String.valueOf(q.messages.stream().filter(m -> !m.visibleAt.isAfter(now)).count()));
            out.put("ApproximateNumberOfMessagesNotVisible", String.valueOf(q.messages.stream()
                    .filter(m -> m.visibleAt.isAfter(now) && m.receiveCount > 0).count()));
            out.put("ApproximateNumberOfMessagesDelayed", String.valueOf(q.messages.stream()
                    .filter(m -> m.visibleAt.isAfter(now) && m.receiveCount == 0).count()));
            out.put("CreatedTimestamp", String.valueOf(q.createdAt.getEpochSecond()));
            out.put("LastModifiedTimestamp", String.valueOf(q.createdAt.getEpochSecond()));
            out.put("VisibilityTimeout", String.valueOf(q.visibilityTimeout()));
            out.put("MaximumMessageSize", q.attributes.getOrDefault("MaximumMessageSize", String.valueOf(MAX_MESSAGE_BYTES)));
            out.put("MessageRetentionPeriod", q.attributes.getOrDefault("MessageRetentionPeriod", String.valueOf(DEFAULT_RETENTION_SECONDS)));
            out.put("DelaySeconds", String.valueOf(q.delaySeconds()));
            out.put("ReceiveMessageWaitTimeSeconds", String.valueOf(q.receiveWaitTime()));
            q.attributes.forEach(out::putIfAbsent);
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Sends a message to a queue by URL. */
    public Sent send(String queueUrl, String body, Integer delaySeconds) {
        SqsValidation.body(body);
        lock.lock();
        try {
            Queue q = queue(queueUrl);
            Instant now = clock.instant();
            int delay = delaySeconds != null ? delaySeconds : q.delaySeconds();
            Message m = new Message(UUID.randomUUID().toString(), body, now, now.plusSeconds(delay));
            q.messages.add(m);
            arrived.signalAll();
            return new Sent(m.id, m.md5OfBody);
        } finally {
            lock.unlock();
        }
    }

    /** Sends a message to a queue by region and name, for the simulator's own event routing. */
    public Optional<Sent> sendTo(String region, String name, String body) {
        String url;
        lock.lock();
        try {
            Queue q = queues.get(key(region, name));
            if (q == null) return Optional.empty();
            url = q.url;
        } finally {
            lock.unlock();
        }
        return Optional.of(send(url, body, null));
    }

    /**
     * Receives up to {@code max} visible messages, waiting up to {@code waitSeconds} for the first one:
     * they become invisible for the visibility timeout and get a new receipt handle each.
     */
    public List<Received> receive(String queueUrl, int max, Integer visibilityTimeout, Integer waitSeconds) {
        lock.lock();
        try {
            Queue q = queue(queueUrl);
            int wait = waitSeconds != null ? waitSeconds : q.receiveWaitTime();
            Instant simDeadline = clock.instant().plusSeconds(wait);
            long wallDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(wait);
            while (true) {
                List<Received> got = take(queue(queueUrl), max, visibilityTimeout != null ? visibilityTimeout : q.visibilityTimeout());
                if (!got.isEmpty() || wait == 0) return got;
                long wallLeft = wallDeadline - System.nanoTime();
                if (!clock.instant().isBefore(simDeadline) || wallLeft <= 0) return got;
                try {
                    arrived.await(Math.min(wallLeft, TimeUnit.MILLISECONDS.toNanos(RECHECK_MILLIS)), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    // The simulator is closing: answer what there is (nothing).
                    Thread.currentThread().interrupt();
                    return got;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private List<Received> take(Queue q, int max, int visibilityTimeout) {
        Instant now = clock.instant();
        expire(q, now);
        List<Received> out = new ArrayList<>();
        for (Message m : q.messages) {
            if (out.size() >= max) break;
            if (m.visibleAt.isAfter(now)) continue;
            m.receiveCount++;
            if (m.firstReceivedAt == null) m.firstReceivedAt = now;
            m.visibleAt = now.plusSeconds(visibilityTimeout);
            m.receiptHandle = handle(q, m);
            out.add(new Received(m.id, m.receiptHandle, m.body, m.md5OfBody, m.receiveCount, m.sentAt, m.firstReceivedAt));
        }
        return out;
    }

    private void expire(Queue q, Instant now) {
        long retention = Long.parseLong(q.attributes.getOrDefault("MessageRetentionPeriod", String.valueOf(DEFAULT_RETENTION_SECONDS)));
        q.messages.removeIf(m -> !now.isBefore(m.sentAt.plusSeconds(retention)));
    }

    /**
     * Deletes the message a receipt handle names. A handle of this queue whose message is gone, or that a
     * later receive superseded, deletes nothing and is no error (AWS: "the request succeeds, but the
     * message might not be deleted"); a handle that is not one of this queue's is {@code ReceiptHandleIsInvalid}.
     */
    public void delete(String queueUrl, String receiptHandle) {
        lock.lock();
        try {
            Queue q = queue(queueUrl);
            String messageId = messageIdOf(q, receiptHandle);
            q.messages.removeIf(m -> m.id.equals(messageId) && receiptHandle.equals(m.receiptHandle));
        } finally {
            lock.unlock();
        }
    }

    /** Changes the visibility timeout of a message in flight, counted from now. */
    public void changeVisibility(String queueUrl, String receiptHandle, int visibilityTimeout) {
        SqsValidation.visibilityTimeout(visibilityTimeout);
        lock.lock();
        try {
            Queue q = queue(queueUrl);
            String messageId = messageIdOf(q, receiptHandle);
            Instant now = clock.instant();
            Message m = q.messages.stream().filter(x -> x.id.equals(messageId)).findFirst().orElse(null);
            if (m == null || !receiptHandle.equals(m.receiptHandle) || !m.visibleAt.isAfter(now)) {
                throw new AwsErrorException(400, "AWS.SimpleQueueService.MessageNotInflight", "Message does not exist or is not available for visibility timeout change.");
            }
            m.visibleAt = now.plusSeconds(visibilityTimeout);
            if (visibilityTimeout == 0) arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Sets attributes of an existing queue. */
    public void setAttributes(String queueUrl, Map<String, String> attributes) {
        Map<String, String> checked = SqsValidation.attributes(attributes);
        lock.lock();
        try {
            queue(queueUrl).attributes.putAll(checked);
        } finally {
            lock.unlock();
        }
    }

    /** Wakes waiting receives so they look at the clock again at once (after a test advanced it). */
    public void clockAdvanced() {
        lock.lock();
        try {
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private Queue queue(String queueUrl) {
        if (queueUrl == null) throw noQueue();
        String path = queueUrl.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://[^/]*", "");
        String[] parts = path.split("/");
        // "/ACCOUNT/NAME": the account must be this simulator's, as AWS serves only the caller's queues here.
        if (parts.length != 3 || !parts[0].isEmpty() || !parts[1].equals(accountId)) throw noQueue();
        String region = regionOf(queueUrl);
        Queue q = queues.get(key(region, parts[2]));
        if (q == null) throw noQueue();
        return q;
    }

    /** The region of {@code https://sqs.REGION.amazonaws.com/...}; any other host names the default region. */
    private static String regionOf(String queueUrl) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^https?://sqs\\.([a-z0-9-]+)\\.amazonaws\\.com/").matcher(queueUrl);
        return m.find() ? m.group(1) : "us-east-1";
    }

    private String handle(Queue q, Message m) {
        String raw = q.arn + "|" + m.id + "|" + handles.incrementAndGet();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static String messageIdOf(Queue q, String receiptHandle) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(receiptHandle == null ? "" : receiptHandle), StandardCharsets.UTF_8);
            String[] parts = raw.split("\\|");
            if (parts.length == 3 && parts[0].equals(q.arn)) return parts[1];
        } catch (IllegalArgumentException e) {
            // not base64: invalid, below
        }
        throw new AwsErrorException(400, "ReceiptHandleIsInvalid", "The input receipt handle \"" + receiptHandle + "\" is not a valid receipt handle.");
    }

    static AwsErrorException noQueue() {
        return new AwsErrorException(400, "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.");
    }

    private static String key(String region, String name) {
        return region + "/" + name;
    }

    static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Removes every queue. */
    public void clear() {
        lock.lock();
        try {
            queues.clear();
        } finally {
            lock.unlock();
        }
    }
}

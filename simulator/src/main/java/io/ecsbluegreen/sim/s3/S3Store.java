package io.ecsbluegreen.sim.s3;

import io.ecsbluegreen.sim.SimClock;
import io.ecsbluegreen.sim.protocol.Json;
import io.ecsbluegreen.sim.spi.ServiceEvents;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The simulated S3 state: buckets and objects in memory. Tests use it to seed and inspect S3 directly
 * from Java, bypassing HTTP; the S3 endpoint serves the same state.
 *
 * <pre>{@code
 * sim.s3().putObject("specs", "services/web.yaml", yamlBytes);
 * }</pre>
 */
public final class S3Store {

    /** The region of buckets created without a location constraint, as in S3. */
    public static final String DEFAULT_REGION = "us-east-1";

    private final SimClock clock;
    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    private final ServiceEvents events;
    private final Set<String> eventBridgeBuckets = ConcurrentHashMap.newKeySet();

    public S3Store(SimClock clock) {
        this(clock, ServiceEvents.NONE);
    }

    /** @param events where object events of buckets with EventBridge notifications on go */
    public S3Store(SimClock clock, ServiceEvents events) {
        this.clock = clock;
        this.events = events;
    }

    /**
     * Turns EventBridge notifications of a bucket on, as {@code PutBucketNotificationConfiguration} with an
     * {@code EventBridgeConfiguration} does: from now on its object puts and deletes are sent as
     * {@code Object Created} and {@code Object Deleted} events. Off by default, as in S3.
     */
    public void sendEventsToEventBridge(String bucket) {
        eventBridgeBuckets.add(bucket);
    }

    /** Reports an object put ({@code reason} {@code PutObject}, {@code CopyObject}, ...) when the bucket sends events. */
    void objectCreated(String bucket, S3Object object, String reason) {
        if (!eventBridgeBuckets.contains(bucket)) return;
        Json detail = Json.object().field("version", "0")
                .raw("bucket", Json.object().field("name", bucket).build())
                .raw("object", Json.object().field("key", object.key()).field("size", object.size())
                        .field("etag", object.eTag().replace("\"", "")).field("sequencer", sequencer()).build())
                .field("request-id", UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase(Locale.ROOT))
                .field("requester", "000000000000")
                .field("reason", reason);
        emit(bucket, "Object Created", detail);
    }

    /** Reports an object delete when the bucket sends events. */
    void objectDeleted(String bucket, String key) {
        if (!eventBridgeBuckets.contains(bucket)) return;
        Json detail = Json.object().field("version", "0")
                .raw("bucket", Json.object().field("name", bucket).build())
                .raw("object", Json.object().field("key", key).field("sequencer", sequencer()).build())
                .field("request-id", UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase(Locale.ROOT))
                .field("requester", "000000000000")
                .field("reason", "DeleteObject")
                .field("deletion-type", "Permanently Deleted");
        emit(bucket, "Object Deleted", detail);
    }

    private void emit(String bucket, String detailType, Json detail) {
        Bucket b = buckets.get(bucket);
        events.emit(new ServiceEvents.Event("aws.s3", detailType, b == null ? DEFAULT_REGION : b.region(), clock.instant(),
                List.of("arn:aws:s3:::" + bucket), detail.build()));
    }

    private String sequencer() {
        return String.format(Locale.ROOT, "%018X", sequence.incrementAndGet());
    }

    /** Creates a bucket in {@value #DEFAULT_REGION} unless it exists; true when it was created. */
    public boolean createBucket(String bucket) {
        return createBucket(bucket, DEFAULT_REGION);
    }

    /** Creates a bucket in {@code region} unless it exists; true when it was created. */
    public boolean createBucket(String bucket, String region) {
        boolean[] created = {false};
        buckets.computeIfAbsent(bucket, name -> {
            created[0] = true;
            return new Bucket(name, region, clock.instant());
        });
        return created[0];
    }

    /** Stores an object, creating its bucket if needed, as if a client had put it without checksum. */
    public S3Object putObject(String bucket, String key, byte[] content) {
        createBucket(bucket);
        S3Object object = newObject(key, content.clone(), "binary/octet-stream", null, Map.of(),
                ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32.compute(content));
        Bucket b = buckets.get(bucket);
        S3Object stored = b.objects().compute(key, (k, existing) -> b.keep(object, existing));
        objectCreated(bucket, stored, "PutObject");
        return stored;
    }

    /** Stores a UTF-8 text object, creating its bucket if needed. */
    public S3Object putObject(String bucket, String key, String content) {
        return putObject(bucket, key, content.getBytes(StandardCharsets.UTF_8));
    }

    /** The object, if both bucket and key exist. */
    public Optional<S3Object> getObject(String bucket, String key) {
        return Optional.ofNullable(buckets.get(bucket)).map(b -> b.objects().get(key));
    }

    /** Deletes an object; true when it existed. */
    public boolean deleteObject(String bucket, String key) {
        Bucket b = buckets.get(bucket);
        boolean removed = b != null && b.objects().remove(key) != null;
        if (removed) objectDeleted(bucket, key);
        return removed;
    }

    public boolean bucketExists(String bucket) {
        return buckets.containsKey(bucket);
    }

    /** Every bucket name, sorted. */
    public List<String> bucketNames() {
        return buckets.keySet().stream().sorted().toList();
    }

    /** Every key of a bucket in listing order; empty when the bucket does not exist. */
    public List<String> keys(String bucket) {
        Bucket b = buckets.get(bucket);
        return b == null ? List.of() : List.copyOf(b.objects().keySet());
    }

    /** Removes every bucket and object. */
    public void clear() {
        buckets.clear();
    }

    Optional<Bucket> bucket(String name) {
        return Optional.ofNullable(buckets.get(name));
    }

    List<Bucket> buckets() {
        return buckets.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
    }

    /**
     * Turns versioning of a bucket on, as {@code PutBucketVersioning} with {@code Enabled} does; from now on
     * every put keeps a version with its own id.
     */
    public void enableVersioning(String bucket) {
        Bucket b = buckets.get(bucket);
        if (b == null) throw new IllegalArgumentException("no bucket " + bucket);
        b.setVersioning(Bucket.ENABLED);
    }

    /** Removes an empty bucket; false when it holds objects or object versions. */
    boolean deleteBucketIfEmpty(Bucket bucket) {
        if (!bucket.objects().isEmpty() || bucket.hasVersions()) {
            return false;
        }
        buckets.remove(bucket.name(), bucket);
        return true;
    }

    S3Object newObject(String key, byte[] content, String contentType, String contentEncoding,
            Map<String, String> userMetadata, ChecksumAlgorithm checksumAlgorithm, String checksum) {
        return new S3Object(key, content, eTag(content), clock.instant(), contentType, contentEncoding,
                userMetadata, checksumAlgorithm, checksum, null);
    }

    static String eTag(byte[] content) {
        try {
            return '"' + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content)) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides MD5", e);
        }
    }
}

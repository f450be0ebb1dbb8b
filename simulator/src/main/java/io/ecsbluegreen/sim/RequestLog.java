package io.ecsbluegreen.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which credentials signed which call: while recording, every call that names an action is kept with
 * the access key id of its SigV4 signature (and the start of its body, so a test can tell which
 * resource it was about). Tests prove with it that a service's calls were signed with its assumed role's
 * keys and not with the operator's. Bounded, so a forgotten recording cannot fill the heap. Thread-safe.
 */
public final class RequestLog {
    /** Recording stops keeping calls beyond this many. */
    static final int MAX_ENTRIES = 100_000;
    /** The part of a body kept: enough for the names a request starts with. */
    static final int EXCERPT = 512;

    /**
     * One call.
     *
     * @param api the action called
     * @param accessKeyId the access key id it was signed with; null when unsigned
     * @param excerpt the start of its body (UTF-8, at most {@value #EXCERPT} characters)
     * @param userAgent its User-Agent header (an operator replica names itself there); null when absent
     * @param at when it arrived, on the simulator's clock
     */
    public record Entry(ApiAction api, String accessKeyId, String excerpt, String userAgent, java.time.Instant at) {
        public Entry(ApiAction api, String accessKeyId, String excerpt) {
            this(api, accessKeyId, excerpt, null, null);
        }
    }

    private final java.time.Clock clock;

    /** @param clock the simulator's clock, which dates the entries */
    public RequestLog(java.time.Clock clock) {
        this.clock = clock;
    }

    private final List<Entry> entries = new ArrayList<>();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean recording;

    /** Starts keeping every call (and forgets earlier ones). */
    public void startRecording() {
        synchronized (entries) {
            entries.clear();
            dropped.set(0);
            recording = true;
        }
    }

    /** Stops keeping calls; what was recorded stays readable. */
    public void stopRecording() {
        recording = false;
    }

    /** The calls since {@link #startRecording()}, in the order they arrived. */
    public List<Entry> recorded() {
        synchronized (entries) {
            return List.copyOf(entries);
        }
    }

    /** How many calls the recording left out because it was full. */
    public long dropped() {
        return dropped.get();
    }

    void record(ApiAction api, String accessKeyId, byte[] body, String userAgent) {
        if (!recording) return;
        String text = new String(body, 0, Math.min(body.length, EXCERPT * 4), java.nio.charset.StandardCharsets.UTF_8);
        Entry entry = new Entry(api, accessKeyId, text.length() > EXCERPT ? text.substring(0, EXCERPT) : text, userAgent, clock.instant());
        synchronized (entries) {
            if (entries.size() < MAX_ENTRIES) entries.add(entry);
            else dropped.incrementAndGet();
        }
    }
}

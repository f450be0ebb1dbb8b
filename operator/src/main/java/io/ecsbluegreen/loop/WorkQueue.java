package io.ecsbluegreen.loop;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A work queue keyed by service, in the manner of controller-runtime's: a key is queued at most once
 * (duplicate events coalesce), is never handed to two workers at once (a key added while it is being
 * processed is queued again when its worker is done), may be delayed (a requeue-after, where the earliest
 * request wins), backs off exponentially per key after failures, and leaves the queue no faster than a
 * global rate, which keeps a burst of work from turning into a burst of AWS calls.
 *
 * <p>Time comes from the injected {@link Clock}; {@link #poll()} never blocks (tests drive it with a
 * virtual clock) while {@link #take(Duration)} waits in real time for the next ready key.
 */
public final class WorkQueue<K> {

    /** How failures of one key are spaced: base × 2^(failures − 1), at most max. */
    public record Backoff(Duration base, Duration max) {
        public Duration after(int failures) {
            long factor = 1L << Math.min(30, Math.max(0, failures - 1));
            Duration d = base.multipliedBy(factor);
            return d.compareTo(max) > 0 ? max : d;
        }
    }

    private record Entry<K>(Instant readyAt, long order, K key) {}

    /**
     * The work that waits for a worker now: keys whose time has come but that were not handed out yet
     * (busy workers or the global rate hold them back), and how long the oldest of them has waited since
     * its time came. A key added again while its pass runs counts from the time it asked for; delayed keys
     * (a requeue-after, a failure backoff) count only once their time comes, since waiting is their plan.
     *
     * @param ready keys ready and not handed out
     * @param oldestWait how long the oldest ready key has waited; zero when none is ready
     */
    public record Backlog(int ready, Duration oldestWait) {
        public static final Backlog EMPTY = new Backlog(0, Duration.ZERO);
    }

    private final Clock clock;
    private final Backoff backoff;
    private double ratePerSecond;
    private final int burst;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final PriorityQueue<Entry<K>> queue = new PriorityQueue<>((a, b) -> {
        int c = a.readyAt().compareTo(b.readyAt());
        return c != 0 ? c : Long.compare(a.order(), b.order());
    });
    /**
     * Keys that must not wait behind others (a green serving production turned unhealthy): handed out
     * before every other ready key and regardless of the global rate, until {@link #forget} or
     * {@link #calm}. Their number is bounded by what the health watch finds failing, and their passes
     * move traffic back to blue, so holding them back to spare AWS calls would be the wrong trade.
     */
    private final Set<K> urgent = new HashSet<>();
    private final Map<K, Instant> queued = new HashMap<>();
    private final Set<K> processing = new HashSet<>();
    private final Map<K, Instant> dirty = new HashMap<>();
    private final Map<K, Integer> failures = new HashMap<>();
    private long order;
    private double tokens;
    private Instant tokensAt;
    private boolean shutdown;

    /**
     * @param ratePerSecond keys handed out per second at most, over all workers
     * @param burst keys that may be handed out at once after a quiet period
     */
    public WorkQueue(Clock clock, Backoff backoff, double ratePerSecond, int burst) {
        this.clock = clock;
        this.backoff = backoff;
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.tokens = burst;
        this.tokensAt = clock.instant();
    }

    /** Queues a key now. */
    public void add(K key) {
        addAt(key, clock.instant());
    }

    /** Queues a key after a delay; a key already queued keeps the earlier of the two times. */
    public void addAfter(K key, Duration delay) {
        addAt(key, clock.instant().plus(delay.isNegative() ? Duration.ZERO : delay));
    }

    /** Queues a key after its failure backoff, and counts the failure. */
    public Duration addRateLimited(K key) {
        lock.lock();
        try {
            int n = failures.merge(key, 1, Integer::sum);
            Duration delay = backoff.after(n);
            addAt(key, clock.instant().plus(delay));
            return delay;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues a key now, ahead of every key that is not urgent and past the global rate; it stays urgent
     * (its retries too) until {@link #forget} or {@link #calm}.
     */
    public void addUrgent(K key) {
        lock.lock();
        try {
            if (shutdown) return;
            urgent.add(key);
            addAt(key, clock.instant());
        } finally {
            lock.unlock();
        }
    }

    /** Ends a key's urgency (its danger is over) without forgetting its failures. */
    public void calm(K key) {
        lock.lock();
        try {
            urgent.remove(key);
        } finally {
            lock.unlock();
        }
    }

    /** Forgets a key's failures and urgency, after it succeeded. */
    public void forget(K key) {
        lock.lock();
        try {
            failures.remove(key);
            urgent.remove(key);
        } finally {
            lock.unlock();
        }
    }

    /** The failures counted for a key since it last succeeded. */
    public int failures(K key) {
        lock.lock();
        try {
            return failures.getOrDefault(key, 0);
        } finally {
            lock.unlock();
        }
    }

    private void addAt(K key, Instant at) {
        lock.lock();
        try {
            if (shutdown) return;
            if (processing.contains(key)) {
                dirty.merge(key, at, (a, b) -> a.isBefore(b) ? a : b);
                return;
            }
            Instant current = queued.get(key);
            if (current != null && !at.isBefore(current)) return;
            if (current != null) queue.removeIf(e -> e.key().equals(key));
            queued.put(key, at);
            queue.add(new Entry<>(at, order++, key));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The next ready key, marked as processing, if one is ready and the rate allows; never blocks. */
    public Optional<K> poll() {
        lock.lock();
        try {
            return Optional.ofNullable(next(clock.instant()));
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code timeout} (real time) for a ready key; empty on timeout or shutdown. */
    public Optional<K> take(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!shutdown) {
                Instant now = clock.instant();
                K key = next(now);
                if (key != null) return Optional.of(key);
                long left = deadline - System.nanoTime();
                if (left <= 0) return Optional.empty();
                changed.awaitNanos(Math.min(left, waitNanos(now)));
            }
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    private long waitNanos(Instant now) {
        long wait = TimeUnit.SECONDS.toNanos(1);
        Entry<K> head = queue.peek();
        if (head != null) wait = Math.min(wait, Math.max(1_000_000, Duration.between(now, head.readyAt()).toNanos()));
        if (tokens < 1 && ratePerSecond > 0) wait = Math.min(wait, (long) (1e9 / ratePerSecond));
        return wait;
    }

    private K next(Instant now) {
        refill(now);
        Entry<K> head = null;
        for (Entry<K> e : urgent.isEmpty() ? List.<Entry<K>>of() : queue) {
            // Urgent keys are few; an ordinary head waits behind any of them that is ready.
            if (urgent.contains(e.key()) && !e.readyAt().isAfter(now)
                    && (head == null || e.readyAt().isBefore(head.readyAt()) || (e.readyAt().equals(head.readyAt()) && e.order() < head.order()))) {
                head = e;
            }
        }
        if (head != null) {
            tokens = Math.max(0, tokens - 1);
        } else {
            head = queue.peek();
            if (head == null || head.readyAt().isAfter(now)) return null;
            if (tokens < 1) return null;
            tokens -= 1;
        }
        queue.remove(head);
        queued.remove(head.key());
        processing.add(head.key());
        return head.key();
    }

    private void refill(Instant now) {
        double seconds = Duration.between(tokensAt, now).toNanos() / 1e9;
        if (seconds > 0) {
            tokens = Math.min(burst, tokens + seconds * ratePerSecond);
            tokensAt = now;
        }
    }

    /** Ends the processing of a key; a key added meanwhile is queued now, at the time it asked for. */
    public void done(K key) {
        lock.lock();
        try {
            processing.remove(key);
            Instant again = dirty.remove(key);
            if (again != null) addAt(key, again);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Changes the global rate (keys per second), e.g. to slow down while AWS throttles; keys already
     * handed out are not affected.
     */
    public void rate(double perSecond) {
        lock.lock();
        try {
            refill(clock.instant());
            ratePerSecond = perSecond;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The global rate in force, keys per second. */
    public double rate() {
        lock.lock();
        try {
            return ratePerSecond;
        } finally {
            lock.unlock();
        }
    }

    /** Keys waiting (ready or delayed), not counting those being processed. */
    public int length() {
        lock.lock();
        try {
            return queued.size();
        } finally {
            lock.unlock();
        }
    }

    /** The keys ready now and the wait of the oldest, on the queue's clock. */
    public Backlog backlog() {
        lock.lock();
        try {
            Instant now = clock.instant();
            int ready = 0;
            Instant oldest = null;
            for (Map<K, Instant> waiting : List.of(queued, dirty)) {
                for (Instant at : waiting.values()) {
                    if (at.isAfter(now)) continue;
                    ready++;
                    if (oldest == null || at.isBefore(oldest)) oldest = at;
                }
            }
            return oldest == null ? Backlog.EMPTY : new Backlog(ready, Duration.between(oldest, now));
        } finally {
            lock.unlock();
        }
    }

    /** Stops handing out keys and wakes every waiting worker. */
    public void shutdown() {
        lock.lock();
        try {
            shutdown = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}

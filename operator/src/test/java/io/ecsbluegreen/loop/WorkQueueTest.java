package io.ecsbluegreen.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class WorkQueueTest {

    /** A clock tests move by hand. */
    static final class ManualClock extends Clock {
        // volatile: a taker thread reads it
        volatile Instant now = Instant.parse("2026-11-23T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final ManualClock clock = new ManualClock();
    final WorkQueue<String> queue = new WorkQueue<>(clock, new WorkQueue.Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5)), 1000, 1000);

    @Test
    void duplicateAddsCoalesceIntoOneItem() {
        queue.add("shop");
        queue.add("shop");
        queue.add("cart");
        assertThat(queue.length()).isEqualTo(2);
        assertThat(queue.poll()).contains("shop");
        assertThat(queue.poll()).contains("cart");
        assertThat(queue.poll()).isEmpty();
    }

    @Test
    void aKeyAddedWhileBeingProcessedIsQueuedAgainOnlyWhenItsWorkerIsDone() {
        queue.add("shop");
        assertThat(queue.poll()).contains("shop");
        queue.add("shop");
        assertThat(queue.poll()).as("never to two workers at once").isEmpty();
        queue.done("shop");
        assertThat(queue.poll()).contains("shop");
    }

    @Test
    void aDelayedKeyBecomesReadyAtItsTimeAndTheEarliestRequestWins() {
        queue.addAfter("shop", Duration.ofSeconds(30));
        queue.addAfter("shop", Duration.ofSeconds(10));
        queue.addAfter("shop", Duration.ofSeconds(60));
        clock.advance(Duration.ofSeconds(9));
        assertThat(queue.poll()).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(queue.poll()).contains("shop");
    }

    @Test
    void anEventDuringADelayMakesTheKeyReadyAtOnce() {
        queue.addAfter("shop", Duration.ofMinutes(5));
        queue.add("shop");
        assertThat(queue.poll()).contains("shop");
    }

    @Test
    void failuresBackOffExponentiallyUpToTheCapAndSuccessForgetsThem() {
        assertThat(queue.addRateLimited("shop")).isEqualTo(Duration.ofSeconds(1));
        assertThat(queue.poll()).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(queue.poll()).contains("shop");
        queue.done("shop");
        assertThat(queue.addRateLimited("shop")).isEqualTo(Duration.ofSeconds(2));
        assertThat(queue.addRateLimited("shop")).as("the earlier time stays").isEqualTo(Duration.ofSeconds(4));
        for (int i = 0; i < 20; i++) queue.addRateLimited("shop");
        assertThat(queue.addRateLimited("shop")).isEqualTo(Duration.ofMinutes(5));
        queue.forget("shop");
        assertThat(queue.failures("shop")).isZero();
        assertThat(queue.addRateLimited("shop")).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void theGlobalRateLimitsHowFastKeysLeaveTheQueue() {
        WorkQueue<Integer> limited = new WorkQueue<>(clock, new WorkQueue.Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1)), 2, 2);
        for (int i = 0; i < 10; i++) limited.add(i);
        assertThat(limited.poll()).contains(0);
        assertThat(limited.poll()).contains(1);
        assertThat(limited.poll()).as("burst used up").isEmpty();
        clock.advance(Duration.ofMillis(500));
        assertThat(limited.poll()).contains(2);
        assertThat(limited.poll()).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(limited.poll()).contains(3);
        assertThat(limited.poll()).contains(4);
        assertThat(limited.poll()).isEmpty();
    }

    @Test
    void anUrgentKeyLeavesBeforeEveryOrdinaryReadyKeyAndPastAnExhaustedRate() {
        WorkQueue<String> limited = new WorkQueue<>(clock, new WorkQueue.Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1)), 1, 1);
        limited.add("cart");
        limited.add("shop");
        assertThat(limited.poll()).contains("cart");
        assertThat(limited.poll()).as("rate used up").isEmpty();
        limited.addUrgent("payments");
        assertThat(limited.poll()).contains("payments");
        assertThat(limited.poll()).as("ordinary keys still wait for the rate").isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(limited.poll()).contains("shop");
    }

    @Test
    void aKeyStaysUrgentThroughItsRetriesUntilCalmedOrForgotten() {
        WorkQueue<String> limited = new WorkQueue<>(clock, new WorkQueue.Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1)), 1, 1);
        limited.add("cart");
        limited.addUrgent("payments");
        assertThat(limited.poll()).contains("payments");
        limited.addAfter("payments", Duration.ofSeconds(2)); // throttled: tries again in two seconds
        limited.done("payments");
        clock.advance(Duration.ofSeconds(2));
        limited.add("shop");
        assertThat(limited.poll()).as("the retry is still urgent").contains("payments");
        limited.done("payments");
        limited.calm("payments");
        limited.add("payments");
        clock.advance(Duration.ofSeconds(1));
        assertThat(limited.poll()).as("calmed: in line again").contains("cart");
    }

    @Test
    void aLoweredRateTakesEffectAtOnceAndKeepsTheTokensAlreadyEarned() {
        WorkQueue<Integer> limited = new WorkQueue<>(clock, new WorkQueue.Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1)), 4, 1);
        for (int i = 0; i < 10; i++) limited.add(i);
        assertThat(limited.poll()).contains(0);
        limited.rate(1);
        assertThat(limited.rate()).isEqualTo(1.0);
        clock.advance(Duration.ofMillis(500));
        assertThat(limited.poll()).as("half a token at one a second").isEmpty();
        clock.advance(Duration.ofMillis(500));
        assertThat(limited.poll()).contains(1);
    }

    @Test
    void takeWaitsForADelayedKeyUntilTheQueuesClockReachesItAndShutdownWakesWaiters() throws Exception {
        WorkQueue<String> delayed = new WorkQueue<>(clock, new WorkQueue.Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1)), 100, 10);
        delayed.addAfter("shop", Duration.ofMillis(50));
        ExecutorService taker = Executors.newSingleThreadExecutor();
        try {
            Future<Optional<String>> key = taker.submit(() -> delayed.take(Duration.ofMinutes(1)));
            // real time runs on, the queue's clock stands: the key is not ready
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10)).until(() -> !key.isDone());
            clock.advance(Duration.ofMillis(50));
            await().atMost(Duration.ofSeconds(10)).until(key::isDone);
            assertThat(key.get()).contains("shop");

            Future<Optional<String>> waiting = taker.submit(() -> delayed.take(Duration.ofMinutes(1)));
            delayed.shutdown();
            await().atMost(Duration.ofSeconds(10)).until(waiting::isDone);
            assertThat(waiting.get()).isEmpty();
        } finally {
            taker.shutdownNow();
        }
    }

    @Test
    void theBacklogCountsReadyKeysAndTheWaitOfTheOldestOnTheQueuesClock() {
        assertThat(queue.backlog()).isEqualTo(WorkQueue.Backlog.EMPTY);
        queue.add("shop");
        clock.advance(Duration.ofSeconds(3));
        queue.add("cart");
        queue.add("shop");
        assertThat(queue.backlog()).as("a repeated add keeps the key's first time").isEqualTo(new WorkQueue.Backlog(2, Duration.ofSeconds(3)));
        clock.advance(Duration.ofSeconds(4));
        assertThat(queue.backlog()).isEqualTo(new WorkQueue.Backlog(2, Duration.ofSeconds(7)));
        assertThat(queue.poll()).contains("shop");
        assertThat(queue.backlog()).as("a key handed out no longer waits").isEqualTo(new WorkQueue.Backlog(1, Duration.ofSeconds(4)));
        assertThat(queue.poll()).contains("cart");
        assertThat(queue.backlog()).isEqualTo(WorkQueue.Backlog.EMPTY);
    }

    @Test
    void delayedKeysJoinTheBacklogOnlyOnceTheirTimeComes() {
        queue.addAfter("shop", Duration.ofSeconds(30));
        queue.addRateLimited("cart");
        assertThat(queue.length()).isEqualTo(2);
        assertThat(queue.backlog()).as("waiting is their plan").isEqualTo(WorkQueue.Backlog.EMPTY);
        clock.advance(Duration.ofSeconds(30));
        assertThat(queue.backlog()).isEqualTo(new WorkQueue.Backlog(2, Duration.ofSeconds(29)));
        clock.advance(Duration.ofSeconds(5));
        assertThat(queue.backlog()).isEqualTo(new WorkQueue.Backlog(2, Duration.ofSeconds(34)));
    }

    @Test
    void keysHeldBackByTheRateLimitStayInTheBacklogAndKeepAgeing() {
        WorkQueue<String> slow = new WorkQueue<>(clock, new WorkQueue.Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5)), 1, 1);
        for (int i = 0; i < 5; i++) slow.add("service-" + i);
        assertThat(slow.poll()).contains("service-0");
        assertThat(slow.poll()).as("the burst of one is spent").isEmpty();
        assertThat(slow.backlog()).isEqualTo(new WorkQueue.Backlog(4, Duration.ZERO));
        clock.advance(Duration.ofSeconds(2));
        assertThat(slow.poll()).contains("service-1");
        assertThat(slow.backlog()).isEqualTo(new WorkQueue.Backlog(3, Duration.ofSeconds(2)));
    }

    @Test
    void aKeyAddedWhileItsPassRunsWaitsFromTheTimeItAskedFor() {
        queue.add("shop");
        assertThat(queue.poll()).contains("shop");
        assertThat(queue.backlog()).isEqualTo(WorkQueue.Backlog.EMPTY);
        queue.add("shop");
        clock.advance(Duration.ofSeconds(6));
        assertThat(queue.backlog()).as("its spec changed during the pass: it waits for the pass to end")
                .isEqualTo(new WorkQueue.Backlog(1, Duration.ofSeconds(6)));
        queue.done("shop");
        assertThat(queue.backlog()).isEqualTo(new WorkQueue.Backlog(1, Duration.ofSeconds(6)));
        assertThat(queue.poll()).contains("shop");
        assertThat(queue.backlog()).isEqualTo(WorkQueue.Backlog.EMPTY);
    }
}

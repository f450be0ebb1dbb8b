package io.ecsbluegreen.analysis;

import io.ecsbluegreen.observed.CheckState;
import io.ecsbluegreen.observed.Measurement;
import io.ecsbluegreen.plan.AnalysisTarget;
import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.observed.Measurement.Verdict;
import io.ecsbluegreen.model.AnalysisCheck;
import io.ecsbluegreen.model.AnalysisSpec;
import io.ecsbluegreen.model.HttpProbeCheck;
import io.ecsbluegreen.model.NoDataPolicy;
import io.ecsbluegreen.model.PrometheusCheck;
import io.ecsbluegreen.model.TargetGroupMetric;
import io.ecsbluegreen.model.TargetGroupMetricCheck;
import io.ecsbluegreen.sim.SimClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The runner on a virtual clock, with scripted measurers. */
class AnalysisRunnerTest {

    private static final Instant START = Instant.parse("2025-06-01T12:00:00Z");
    private static final AnalysisTarget R1 = target("rev-1", "ts-1");
    private static final AnalysisTarget R2 = target("rev-2", "ts-2");

    private final SimClock clock = SimClock.virtual(START);
    private final BlockingQueue<String> wakes = new LinkedBlockingQueue<>();
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final Script script = new Script();
    private AnalysisRunner runner = runner(script);

    private static AnalysisTarget target(String revision, String taskSet) {
        return new AnalysisTarget("orders", revision, "us-east-1", taskSet, "tg", "rule", null);
    }

    private AnalysisRunner runner(Measurer measurer) {
        return new AnalysisRunner(measurer, measurer, measurer, clock,
                (service, m) -> heard.add(service + " " + m.check() + " " + m.verdict()), wakes::add, 2);
    }

    @AfterEach
    void close() {
        runner.close();
    }

    /** Answers each check with its next scripted verdict (PASSED when none is left) and records the calls. */
    static final class Script implements Measurer {
        final Map<String, ConcurrentLinkedQueue<Verdict>> verdicts = new java.util.concurrent.ConcurrentHashMap<>();
        final List<String> calls = new CopyOnWriteArrayList<>();

        Script then(String check, Verdict... next) {
            verdicts.computeIfAbsent(check, k -> new ConcurrentLinkedQueue<>()).addAll(List.of(next));
            return this;
        }

        long calls(String check) {
            return calls.stream().filter(c -> c.startsWith(check + "@")).count();
        }

        @Override
        public Measurement measure(AnalysisCheck check, AnalysisSpec spec, AnalysisTarget target, Instant startedAt) {
            calls.add(check.name() + "@" + startedAt);
            Verdict v = verdicts.getOrDefault(check.name(), new ConcurrentLinkedQueue<>()).poll();
            v = v == null ? Verdict.PASSED : v;
            Double value = v == Verdict.PASSED ? Double.valueOf(0) : v == Verdict.FAILED ? Double.valueOf(2) : null;
            return new Measurement(check.name(), Checks.kind(check), startedAt, value, "<= 1", v, "scripted");
        }
    }

    /** Blocks each measurement until released. */
    static final class Gate implements Measurer {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public Measurement measure(AnalysisCheck check, AnalysisSpec spec, AnalysisTarget target, Instant startedAt) {
            calls.incrementAndGet();
            entered.countDown();
            try {
                if (!release.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Measurement(check.name(), Checks.kind(check), startedAt, null, "<= 1", Verdict.ERROR, "interrupted");
            }
            return new Measurement(check.name(), Checks.kind(check), startedAt, 0.0, "<= 1", Verdict.PASSED, "released");
        }
    }

    /** A runner whose measurements wait for the gate. */
    private Gate gated() {
        Gate gate = new Gate();
        runner.close();
        runner = runner(gate);
        return gate;
    }

    /** Starts R1's due checks and waits until one is blocked in the gate. */
    private void startBlocked(Gate gate, AnalysisSpec spec) throws InterruptedException {
        runner.measureDue(R1, spec);
        assertThat(gate.entered.await(5, TimeUnit.SECONDS)).isTrue();
    }

    private static AnalysisCheck metric(String name, Duration interval, int failureLimit, NoDataPolicy noData) {
        return new AnalysisCheck(name, interval, failureLimit, noData,
                new TargetGroupMetricCheck(TargetGroupMetric.ERROR_RATE, 1.0, null), null, null);
    }

    private static AnalysisSpec spec(AnalysisCheck... checks) {
        return new AnalysisSpec(Duration.ofMinutes(1), null, List.of(checks));
    }

    private void awaitWakes(int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            assertThat(wakes.poll(5, TimeUnit.SECONDS)).as("wake %d of %d", i + 1, count).isEqualTo("orders");
        }
    }

    private void assertNoWake() throws InterruptedException {
        assertThat(wakes.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    private CheckState state(AnalysisTarget target, String check) {
        return runner.states("orders").get(target.key()).get(check);
    }

    @Test
    void aCheckNeverMeasuredIsMeasuredAtOnceAndAgainOnlyOnceItsIntervalHasPassedOnTheClock() throws Exception {
        AnalysisSpec spec = spec(metric("errors", null, 1, NoDataPolicy.FAIL));

        runner.measureDue(R1, spec);
        awaitWakes(1);
        runner.measureDue(R1, spec);
        clock.advance(Duration.ofSeconds(59));
        runner.measureDue(R1, spec);
        assertNoWake();
        clock.advance(Duration.ofSeconds(1));
        runner.measureDue(R1, spec);
        awaitWakes(1);

        assertThat(script.calls).containsExactly("errors@" + START, "errors@" + START.plusSeconds(60));
        CheckState state = state(R1, "errors");
        assertThat(state.measurements()).isEqualTo(2);
        assertThat(state.lastStartedAt()).isEqualTo(START.plusSeconds(60));
        assertThat(state.last().at()).isEqualTo(START.plusSeconds(60));
        assertThat(state.measuring()).isFalse();
        assertThat(state.failed()).isFalse();
    }

    @Test
    void aChecksOwnIntervalWinsOverTheSpecsDefault() throws Exception {
        AnalysisSpec spec = spec(metric("fast", Duration.ofSeconds(10), 1, NoDataPolicy.FAIL), metric("default", null, 1, NoDataPolicy.FAIL));

        runner.measureDue(R1, spec);
        awaitWakes(2);
        clock.advance(Duration.ofSeconds(10));
        runner.measureDue(R1, spec);
        awaitWakes(1);
        assertNoWake();

        assertThat(script.calls("fast")).isEqualTo(2);
        assertThat(script.calls("default")).isEqualTo(1);
    }

    @Test
    void noDataUnderWaitIsNotCountedAndLeavesLastCountedAtAsItWas() throws Exception {
        script.then("errors", Verdict.PASSED, Verdict.NO_DATA);
        AnalysisSpec spec = spec(metric("errors", null, 1, NoDataPolicy.WAIT));

        runner.measureDue(R1, spec);
        awaitWakes(1);
        clock.advance(Duration.ofMinutes(1));
        runner.measureDue(R1, spec);
        awaitWakes(1);

        CheckState state = state(R1, "errors");
        assertThat(state.measurements()).isEqualTo(2);
        assertThat(state.failures()).isZero();
        assertThat(state.last().verdict()).isEqualTo(Verdict.NO_DATA);
        assertThat(state.lastStartedAt()).isEqualTo(START.plusSeconds(60));
        assertThat(state.lastCountedAt()).isEqualTo(START);
    }

    @Test
    void noDataUnderPassCountsAsAPassAndUnderFailAsAFailure() throws Exception {
        script.then("lenient", Verdict.NO_DATA).then("strict", Verdict.NO_DATA).then("waiting", Verdict.NO_DATA);

        runner.measureDue(R1, spec(metric("lenient", null, 1, NoDataPolicy.PASS), metric("strict", null, 1, NoDataPolicy.FAIL),
                metric("waiting", null, 1, NoDataPolicy.WAIT)));
        awaitWakes(3);

        assertThat(state(R1, "lenient").failures()).isZero();
        assertThat(state(R1, "lenient").lastCountedAt()).isEqualTo(START);
        assertThat(state(R1, "strict").failures()).isEqualTo(1);
        assertThat(state(R1, "strict").failed()).isTrue();
        assertThat(state(R1, "strict").lastCountedAt()).isEqualTo(START);
        assertThat(state(R1, "waiting").lastCountedAt()).isNull();
        assertThat(state(R1, "waiting").measurements()).isEqualTo(1);
    }

    @Test
    void failuresAndErrorsCountUpToTheFailureLimit() throws Exception {
        script.then("errors", Verdict.FAILED, Verdict.PASSED, Verdict.ERROR, Verdict.FAILED);
        AnalysisSpec spec = spec(metric("errors", null, 3, NoDataPolicy.FAIL));
        int[] failures = new int[4];
        boolean[] failed = new boolean[4];

        for (int i = 0; i < 4; i++) {
            runner.measureDue(R1, spec);
            awaitWakes(1);
            failures[i] = state(R1, "errors").failures();
            failed[i] = state(R1, "errors").failed();
            clock.advance(Duration.ofMinutes(1));
        }

        assertThat(failures).containsExactly(1, 1, 2, 3);
        assertThat(failed).containsExactly(false, false, false, true);
        assertThat(state(R1, "errors").failureLimit()).isEqualTo(3);
        assertThat(state(R1, "errors").measurements()).isEqualTo(4);
    }

    @Test
    void aMeasurerThatThrowsGivesAnErrorThatCountsAsAFailure() throws Exception {
        runner.close();
        runner = runner((check, spec, target, at) -> {
            throw new IllegalStateException("boom");
        });

        runner.measureDue(R1, spec(metric("errors", null, 2, NoDataPolicy.PASS)));
        awaitWakes(1);

        CheckState state = state(R1, "errors");
        assertThat(state.last().verdict()).isEqualTo(Verdict.ERROR);
        assertThat(state.last().detail()).isEqualTo("the targetGroupMetric measurer failed: IllegalStateException: boom");
        assertThat(state.last().kind()).isEqualTo("targetGroupMetric");
        assertThat(state.last().at()).isEqualTo(START);
        assertThat(state.failures()).isEqualTo(1);
    }

    @Test
    void eachKindOfCheckGoesToItsOwnMeasurer() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        runner.close();
        runner = new AnalysisRunner(named("cloudwatch", seen), named("prometheus", seen), named("probe", seen), clock,
                (service, m) -> { }, wakes::add, 2);
        AnalysisCheck prom = new AnalysisCheck("prom", null, 1, NoDataPolicy.FAIL, null,
                new PrometheusCheck("up", null, 1.0, null), null);
        AnalysisCheck probe = new AnalysisCheck("probe", null, 1, NoDataPolicy.FAIL, null, null,
                new HttpProbeCheck("http://127.0.0.1:1/", List.of(), 0.99, 1, Duration.ofSeconds(1)));

        runner.measureDue(R1, spec(metric("tg", null, 1, NoDataPolicy.FAIL), prom, probe));
        awaitWakes(3);

        assertThat(seen).containsExactlyInAnyOrder("cloudwatch:tg", "prometheus:prom", "probe:probe");
    }

    private static Measurer named(String name, List<String> seen) {
        return (check, spec, target, at) -> {
            seen.add(name + ":" + check.name());
            return new Measurement(check.name(), Checks.kind(check), at, 0.0, "<= 1", Verdict.PASSED, name);
        };
    }

    @Test
    void theListenerHearsEveryMeasurementWithItsService() throws Exception {
        script.then("errors", Verdict.FAILED);

        runner.measureDue(R1, spec(metric("errors", null, 1, NoDataPolicy.FAIL)));
        awaitWakes(1);

        assertThat(heard).containsExactly("orders errors FAILED");
    }

    @Test
    void aCheckThatIsMeasuringIsNeverStartedAgain() throws Exception {
        Gate gate = gated();
        AnalysisSpec spec = spec(metric("errors", Duration.ofSeconds(10), 1, NoDataPolicy.FAIL));

        startBlocked(gate, spec);
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofMinutes(1));
            runner.measureDue(R1, spec);
        }
        CheckState during = state(R1, "errors");
        gate.release.countDown();
        awaitWakes(1);

        assertThat(gate.calls.get()).isEqualTo(1);
        assertThat(during.measuring()).isTrue();
        assertThat(during.lastStartedAt()).isEqualTo(START);
        assertThat(during.measurements()).isZero();
        assertThat(during.last()).isNull();
        assertThat(state(R1, "errors").measuring()).isFalse();
        assertThat(state(R1, "errors").measurements()).isEqualTo(1);
    }

    @Test
    void statesAreKeptPerRolloutAndRetainForgetsTheOthers() throws Exception {
        script.then("errors", Verdict.FAILED, Verdict.PASSED);
        AnalysisSpec spec = spec(metric("errors", null, 1, NoDataPolicy.FAIL));
        AnalysisTarget otherService = new AnalysisTarget("billing", "rev-1", "us-east-1", "ts-9", "tg", "rule", null);

        runner.measureDue(R1, spec);
        awaitWakes(1);
        runner.measureDue(R2, spec);
        awaitWakes(1);
        runner.measureDue(otherService, spec(metric("latency", null, 1, NoDataPolicy.FAIL)));
        assertThat(wakes.poll(5, TimeUnit.SECONDS)).isEqualTo("billing");

        assertThat(runner.states("orders")).containsOnlyKeys(R1.key(), R2.key());
        assertThat(state(R1, "errors").failed()).isTrue();
        assertThat(state(R2, "errors").failed()).isFalse();

        runner.retain("orders", R2.key());
        assertThat(runner.states("orders")).containsOnlyKeys(R2.key());
        runner.retain("orders", null);
        assertThat(runner.states("orders")).isEmpty();
        assertThat(runner.states("billing")).containsOnlyKeys(otherService.key());
        assertThat(runner.states("nobody")).isEmpty();
    }

    @Test
    void aMeasurementEndingAfterItsRolloutWasForgottenIsDropped() throws Exception {
        Gate gate = gated();
        AnalysisSpec spec = spec(metric("errors", null, 1, NoDataPolicy.FAIL));

        startBlocked(gate, spec);
        runner.retain("orders", R2.key());
        gate.release.countDown();
        assertNoWake();

        assertThat(runner.states("orders")).isEmpty();
        assertThat(heard).isEmpty();
    }

    @Test
    void afterCloseNothingIsStartedAndAMeasurementUnderWayIsDropped() throws Exception {
        Gate gate = gated();
        AnalysisSpec spec = spec(metric("errors", null, 1, NoDataPolicy.FAIL));
        startBlocked(gate, spec);

        runner.close();
        runner.measureDue(R2, spec);
        assertNoWake();

        assertThat(gate.calls.get()).isEqualTo(1);
        assertThat(heard).isEmpty();
        assertThat(runner.states("orders")).containsOnlyKeys(R1.key());
        assertThat(state(R1, "errors").measurements()).isZero();
    }
}

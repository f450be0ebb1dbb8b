package io.ecsbluegreen.hooks;

import io.ecsbluegreen.plan.HookCall;
import io.ecsbluegreen.plan.TaskPlacement;
import io.ecsbluegreen.observed.HookResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ecsbluegreen.model.FailurePolicy;
import io.ecsbluegreen.model.HookSpec;
import io.ecsbluegreen.model.TaskHook;
import io.ecsbluegreen.sim.SimClock;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The task kind of {@link HookRunner} against a scripted {@link TaskPort}, on a virtual clock. */
class TaskHookRunnerTest {
    static final String ARN = "arn:aws:ecs:us-east-1:000000000000:task/demo/0123abcd";
    static final HookRunner.TaskPolling FAST = new HookRunner.TaskPolling(Duration.ofSeconds(5), Duration.ofMillis(5));

    final SimClock clock = SimClock.virtual(Instant.parse("2025-01-01T00:00:00Z"));
    final List<HookRun> finished = new CopyOnWriteArrayList<>();
    final List<HookRunner> runners = new CopyOnWriteArrayList<>();

    /** A port whose DescribeTasks answers come from {@code answer}; it records the client tokens it is given. */
    static class ScriptedTasks implements TaskPort {
        final List<String> tokens = new CopyOnWriteArrayList<>();
        final List<String> stops = new CopyOnWriteArrayList<>();
        final AtomicInteger describes = new AtomicInteger();
        volatile Supplier<TaskState> answer;

        ScriptedTasks(Supplier<TaskState> answer) {
            this.answer = answer;
        }

        @Override
        public String run(Run run) {
            tokens.add(run.clientToken());
            return ARN;
        }

        @Override
        public Map<String, TaskState> describe(String cluster, Collection<String> taskArns) {
            describes.incrementAndGet();
            TaskState state = answer.get();
            return state == null ? Map.of() : Map.of(ARN, state);
        }

        @Override
        public void stop(String cluster, String taskArn, String reason) {
            stops.add(reason);
        }
    }

    static TaskPort.TaskState stopped(TaskPort.ContainerState... containers) {
        return new TaskPort.TaskState(ARN, "STOPPED", "EssentialContainerExited", "Essential container in task exited", List.of(containers));
    }

    HookRunner runner(TaskPort tasks) {
        HookRunner runner = new HookRunner((f, q, p) -> new LambdaPort.Answer(null, "{}"), tasks, arn -> null,
                HttpClient.newHttpClient(), clock, (service, run) -> finished.add(run), service -> { }, 2, FAST);
        runners.add(runner);
        return runner;
    }

    @AfterEach
    void close() {
        runners.forEach(HookRunner::close);
    }

    static HookCall call(String timeout) {
        HookSpec hook = new HookSpec("migrate", Duration.parse(timeout), FailurePolicy.ROLLBACK, null, null,
                new TaskHook("migrate:1", null, List.of(), Map.of()));
        return new HookCall("orders", "r-1", "beforeInstall", 0, hook, "demo", "orders", null, "arn:listener", null, TaskPlacement.DEFAULT);
    }

    /**
     * Waits for the runner to finish {@code n} runs, moving the virtual clock 5 s at every look (every
     * 20 ms); bounded by Awaitility. Only the virtual clock decides outcomes, so how fast the looks come
     * changes nothing but how long the test takes.
     */
    HookRun awaitRun(int n) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            if (finished.size() >= n) return true;
            clock.advance(Duration.ofSeconds(5));
            return false;
        });
        return finished.get(n - 1);
    }

    @Test
    void aTaskHookTimesOutOnTheVirtualClockAndNeverOnRealTime() {
        ScriptedTasks running = new ScriptedTasks(() -> new TaskPort.TaskState(ARN, "RUNNING", null, null,
                List.of(new TaskPort.ContainerState("migrate", true, null, null))));
        // a 50 ms timeout polled every 10 ms of the clock: real time runs past both many times over below
        HookRunner runner = new HookRunner((f, q, p) -> new LambdaPort.Answer(null, "{}"), running, arn -> null,
                HttpClient.newHttpClient(), clock, (service, run) -> finished.add(run), service -> { }, 2,
                new HookRunner.TaskPolling(Duration.ofMillis(10), Duration.ofMillis(5)));
        runners.add(runner);
        runner.start(call("PT0.05S"));
        // the first DescribeTasks has run; the next waits for the clock to move 10 ms
        await().atMost(Duration.ofSeconds(10)).until(() -> running.describes.get() >= 1);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10))
                .until(() -> finished.isEmpty() && runner.results("orders").get(call("PT0.05S").key()) == HookResult.RUNNING);
        assertThat(running.stops).as("no StopTask while the clock stands").isEmpty();

        clock.advance(Duration.ofMillis(50));
        await().atMost(Duration.ofSeconds(10)).until(() -> finished.size() == 1);
        HookRun run = finished.get(0);
        assertThat(run.outcome()).isEqualTo("TimedOut");
        assertThat(run.duration()).as("measured on the virtual clock").isEqualTo(Duration.ofMillis(50));
        assertThat(running.stops).containsExactly("bluegreen: beforeInstall hook migrate timed out after PT0.05S");
    }

    @Test
    void onlyEssentialContainersDecideTheOutcome() throws Exception {
        ScriptedTasks tasks = new ScriptedTasks(() -> stopped(new TaskPort.ContainerState("migrate", true, 0, null),
                new TaskPort.ContainerState("log-router", false, 137, null)));
        runner(tasks).start(call("PT5M"));
        HookRun run = awaitRun(1);
        assertThat(run.outcome()).isEqualTo("Succeeded");
        assertThat(run.detail()).isEqualTo("every essential container exited 0 (migrate); task 0123abcd stopped "
                + "(EssentialContainerExited): Essential container in task exited");
        assertThat(run.attempts()).isEqualTo(2);
    }

    @Test
    void everyFailedEssentialContainerIsNamedWithItsCodeAndReason() throws Exception {
        ScriptedTasks tasks = new ScriptedTasks(() -> stopped(new TaskPort.ContainerState("migrate", true, 137, "OutOfMemoryError: Container killed"),
                new TaskPort.ContainerState("seed", true, null, "CannotStartContainerError")));
        runner(tasks).start(call("PT5M"));
        assertThat(awaitRun(1).detail()).isEqualTo("container migrate exited 137 (OutOfMemoryError: Container killed); "
                + "container seed did not exit (CannotStartContainerError); task 0123abcd stopped (EssentialContainerExited): "
                + "Essential container in task exited");
    }

    @Test
    void aFewFailedOrMissingPollsAreToleratedButNotForEver() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        ScriptedTasks flaky = new ScriptedTasks(() -> {
            int n = polls.incrementAndGet();
            if (n <= 2) throw new IllegalStateException("Rate exceeded");
            if (n <= 4) return null;
            return stopped(new TaskPort.ContainerState("migrate", true, 0, null));
        });
        runner(flaky).start(call("PT5M"));
        assertThat(awaitRun(1).outcome()).isEqualTo("Succeeded");

        ScriptedTasks gone = new ScriptedTasks(() -> null);
        runner(gone).start(call("PT5M"));
        HookRun missing = awaitRun(2);
        assertThat(missing.outcome()).isEqualTo("Failed");
        assertThat(missing.detail()).isEqualTo("task 0123abcd is not found (DescribeTasks answers MISSING)");
        assertThat(gone.describes.get()).isEqualTo(HookRunner.MISSING_POLLS + 1);

        ScriptedTasks broken = new ScriptedTasks(() -> {
            throw new IllegalStateException("Service Unavailable");
        });
        runner(broken).start(call("PT5M"));
        HookRun failing = awaitRun(3);
        assertThat(failing.detail()).startsWith("DescribeTasks of task 0123abcd keeps failing: IllegalStateException: Service Unavailable");
    }

    @Test
    void aTaskStillRunningAtTheTimeoutOnTheClockIsStopped() throws Exception {
        ScriptedTasks running = new ScriptedTasks(() -> new TaskPort.TaskState(ARN, "RUNNING", null, null,
                List.of(new TaskPort.ContainerState("migrate", true, null, null))));
        runner(running).start(call("PT30S"));
        HookRun run = awaitRun(1);
        assertThat(run.outcome()).isEqualTo("TimedOut");
        assertThat(run.duration()).as("on the virtual clock").isBetween(Duration.ofSeconds(30), Duration.ofMinutes(5));
        assertThat(run.detail()).isEqualTo("task 0123abcd still RUNNING when the PT30S timeout ran out; stopped it");
        assertThat(running.stops).containsExactly("bluegreen: beforeInstall hook migrate timed out after PT30S");
    }

    @Test
    void aTaskStillDeprovisioningAtTheTimeoutIsJudgedByItsExitCodes() throws Exception {
        ScriptedTasks deprovisioning = new ScriptedTasks(() -> new TaskPort.TaskState(ARN, "DEPROVISIONING", "EssentialContainerExited",
                "Essential container in task exited", List.of(new TaskPort.ContainerState("migrate", true, 0, null))));
        runner(deprovisioning).start(call("PT30S"));
        assertThat(awaitRun(1).outcome()).isEqualTo("Succeeded");
        assertThat(deprovisioning.stops).isEmpty();
    }

    @Test
    void aRetryGetsAClientTokenOfItsOwnWhileARestartedRunnerFindsTheFirstRunsTask() throws Exception {
        ScriptedTasks tasks = new ScriptedTasks(() -> stopped(new TaskPort.ContainerState("migrate", true, 1, null)));
        HookRunner first = runner(tasks);
        first.start(call("PT5M"));
        awaitRun(1);
        first.forget("orders");
        first.start(call("PT5M"));
        awaitRun(2);
        runner(tasks).start(call("PT5M"));
        awaitRun(3);
        assertThat(tasks.tokens).hasSize(3);
        assertThat(tasks.tokens.get(1)).isNotEqualTo(tasks.tokens.get(0));
        assertThat(tasks.tokens.get(2)).isEqualTo(tasks.tokens.get(0));
        assertThat(tasks.tokens).allSatisfy(t -> assertThat(t).hasSize(64).matches("[0-9a-f]+"));
    }

    @Test
    void aTaskEcsCannotPlaceFailsTheHookWithEcsReason() throws Exception {
        TaskPort refusing = new ScriptedTasks(() -> null) {
            @Override
            public String run(Run run) {
                throw new IllegalStateException("RunTask placed no task of migrate:1: RESOURCE:MEMORY");
            }
        };
        runner(refusing).start(call("PT5M"));
        HookRun run = awaitRun(1);
        assertThat(run.outcome()).isEqualTo("Failed");
        assertThat(run.detail()).isEqualTo("IllegalStateException: RunTask placed no task of migrate:1: RESOURCE:MEMORY");
    }
}

package io.ecsbluegreen.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.hooks.HookRun;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.model.Phase;
import io.ecsbluegreen.plan.Revision;
import io.ecsbluegreen.sim.ecs.EcsStore;
import io.ecsbluegreen.sim.spi.ImageBehaviour;
import io.ecsbluegreen.status.ServiceReport;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Task hooks end to end on the simulator: the greeter rolls out v2 with a hook that runs a one-off ECS
 * task ({@code migrate:1}: an essential {@code migrate} container and a non-essential log router that
 * never exits). The rollout and the task both live on simulated time; the hook runner watches the task
 * from its own threads in real time.
 */
class TaskHooksOnSimulatorTest {
    static final String MIGRATE_IMAGE = "ghcr.io/ecsbluegreen/migrate:1";

    SimAccount account;
    HookedOperator operator;

    @BeforeEach
    void start() throws Exception {
        account = new SimAccount();
        account.sim.imageBehaviours().set("log-router", ImageBehaviour.neverExits());
        account.ecs.registerTaskDefinition(r -> r.family("migrate").networkMode(NetworkMode.AWSVPC).cpu("256").memory("512")
                .requiresCompatibilitiesWithStrings("FARGATE")
                .containerDefinitions(c -> c.name("migrate").image(MIGRATE_IMAGE).command("migrate", "up"),
                        c -> c.name("log-router").image("log-router:1").essential(false)));
        operator = new HookedOperator(account);
    }

    @AfterEach
    void stop() throws Exception {
        operator.close();
        account.close();
    }

    /** Runs the loop until the condition holds; simulated time moves on while the hook's task runs. */
    ServiceReport until(Predicate<ServiceReport> done) throws InterruptedException {
        return operator.until(done, true);
    }

    /** v1 live without hooks, then v2 declared with {@code hooks}; returns v2. */
    BlueGreenService rollOutV2(String hooks) throws Exception {
        operator.declare(HookedOperator.greeter("ghcr.io/ecsbluegreen/greeter:1.0.0", ""));
        until(ServiceReport::converged);
        BlueGreenService v2 = HookedOperator.greeter("ghcr.io/ecsbluegreen/greeter:2.0.0", hooks);
        operator.declare(v2);
        return v2;
    }

    static Predicate<ServiceReport> liveOn(BlueGreenService s) {
        return r -> r.converged() && Revision.of(s.spec()).id().equals(r.activeRevision());
    }

    List<EcsStore.OneOffTaskView> tasks() {
        return account.sim.ecs().oneOffTasks("demo");
    }

    static final String MIGRATE_AFTER_INSTALL = """
            hooks:
              afterInstall:
                - name: migrate
                  timeout: TIMEOUT
                  task:
                    taskDefinition: migrate:1
                    containerName: migrate
                    command: [migrate, up, --to, "42"]
                    environment: {DATABASE: orders}
            """;

    static String migrateAfterInstall(String timeout) {
        return MIGRATE_AFTER_INSTALL.replace("TIMEOUT", timeout);
    }

    @Test
    void aTaskHookWhoseTaskExitsZeroLetsTheRolloutContinue() throws Exception {
        BlueGreenService v2 = rollOutV2(migrateAfterInstall("5m"));
        ServiceReport done = until(liveOn(v2));

        assertThat(done.hooks()).singleElement().satisfies(run -> {
            assertThat(run.kind()).isEqualTo("task");
            assertThat(run.outcome()).isEqualTo("Succeeded");
            assertThat(run.detail()).startsWith("every essential container exited 0 (migrate); task ")
                    .contains("(EssentialContainerExited)");
            assertThat(run.duration()).as("on the simulated clock: 5 s to start (the demo seed's taskStartTime), 10 s to run, 10 s to stop")
                    .isBetween(Duration.ofSeconds(25), Duration.ofMinutes(5));
        });
        assertThat(tasks()).singleElement().satisfies(t -> {
            assertThat(t.startedBy()).isEqualTo("bluegreen/greeter");
            assertThat(t.group()).isEqualTo("bluegreen:greeter");
            assertThat(t.exitCodes()).containsEntry("migrate", 0).containsEntry("log-router", 143);
        });
        Task described = account.ecs.describeTasks(r -> r.cluster("demo").tasks(tasks().get(0).arn())).tasks().get(0);
        assertThat(described.launchTypeAsString()).as("the service's launch type").isEqualTo("FARGATE");
        assertThat(described.attachments().get(0).details()).anySatisfy(d -> {
            assertThat(d.name()).isEqualTo("subnetId");
            assertThat(d.value()).as("the service's subnets").isEqualTo("subnet-0a1b2c3d4e5f60718");
        });
        var override = described.overrides().containerOverrides().get(0);
        assertThat(override.name()).isEqualTo("migrate");
        assertThat(override.command()).containsExactly("migrate", "up", "--to", "42");
        assertThat(override.environment()).singleElement().satisfies(kv -> {
            assertThat(kv.name()).isEqualTo("DATABASE");
            assertThat(kv.value()).isEqualTo("orders");
        });
        assertThat(operator.registry().find("bluegreen.hook.runs").tags("kind", "task", "outcome", "Succeeded").counter().count()).isEqualTo(1.0);
    }

    @Test
    void aTaskHookWhoseEssentialContainerExitsNonZeroRollsBackAndSaysWhichContainerAndCode() throws Exception {
        account.sim.imageBehaviours().set(MIGRATE_IMAGE, ImageBehaviour.exitsAfter(Duration.ofSeconds(20), 3));
        String hooks = """
                hooks:
                  afterAllowTestTraffic:
                    - name: smoke
                      task: {taskDefinition: migrate:1}
                """;
        rollOutV2(hooks);
        ServiceReport rolledBack = until(r -> r.phase() == Phase.RolledBack);
        assertThat(rolledBack.message()).startsWith("HookFailed: afterAllowTestTraffic hook smoke failed: container migrate exited 3; task ")
                .contains("stopped (EssentialContainerExited): Essential container in task exited");
        assertThat(rolledBack.hooks().get(0).outcome()).isEqualTo("Failed");
        assertThat(tasks()).hasSize(1);
    }

    @Test
    void aTaskStillRunningAtTheHookTimeoutIsStoppedAndTheRolloutRollsBack() throws Exception {
        account.sim.imageBehaviours().set(MIGRATE_IMAGE, ImageBehaviour.neverExits());
        rollOutV2(migrateAfterInstall("1m"));
        ServiceReport rolledBack = until(r -> r.phase() == Phase.RolledBack);

        HookRun run = rolledBack.hooks().get(0);
        assertThat(run.outcome()).isEqualTo("TimedOut");
        assertThat(run.detail()).contains("still RUNNING when the PT1M timeout ran out; stopped it");
        assertThat(run.duration()).as("measured on the simulated clock").isBetween(Duration.ofMinutes(1), Duration.ofMinutes(5));
        assertThat(rolledBack.message()).contains("afterInstall hook migrate failed");
        assertThat(account.sim.stats().calls("ecs", "StopTask")).isEqualTo(1);
        assertThat(tasks()).singleElement().satisfies(t -> {
            assertThat(t.desiredStatus()).isEqualTo("STOPPED");
            assertThat(t.stopCode()).isEqualTo("UserInitiated");
            assertThat(t.stoppedReason()).isEqualTo("bluegreen: afterInstall hook migrate timed out after PT1M");
        });
    }

    @Test
    void aFailedTaskHookWithOnFailureIgnoreLetsTheRolloutGoOn() throws Exception {
        String hooks = """
                hooks:
                  afterInstall:
                    - name: optional
                      onFailure: ignore
                      task: {taskDefinition: migrate:1, containerName: migrate, command: [sh, -c, "exit 2"]}
                """;
        BlueGreenService v2 = rollOutV2(hooks);
        ServiceReport done = until(liveOn(v2));
        assertThat(done.hooks()).singleElement().satisfies(run -> {
            assertThat(run.outcome()).isEqualTo("Failed");
            assertThat(run.detail()).startsWith("container migrate exited 2; task ");
        });
    }

    @Test
    void aFailedBeforeInstallTaskHookMarksTheRevisionFailedWithoutCreatingGreen() throws Exception {
        account.sim.imageBehaviours().set(MIGRATE_IMAGE, ImageBehaviour.failsToStart("CannotPullContainerError: not found"));
        String hooks = """
                hooks:
                  beforeInstall:
                    - name: migrate
                      task: {taskDefinition: migrate:1}
                """;
        operator.declare(HookedOperator.greeter("ghcr.io/ecsbluegreen/greeter:1.0.0", ""));
        until(ServiceReport::converged);
        long taskSets = account.sim.stats().calls("ecs", "CreateTaskSet");
        operator.declare(HookedOperator.greeter("ghcr.io/ecsbluegreen/greeter:2.0.0", hooks));
        ServiceReport failed = until(r -> r.phase() == Phase.RolledBack);
        assertThat(failed.message()).contains("beforeInstall hook migrate failed: container migrate did not exit "
                + "(CannotPullContainerError: not found); task ").contains("(TaskFailedToStart)");
        assertThat(account.sim.stats().calls("ecs", "CreateTaskSet")).isEqualTo(taskSets);
    }

    @Test
    void aRestartWhileTheTaskRunsFindsTheSameTaskAndFinishesWithItsResult() throws Exception {
        account.sim.imageBehaviours().set(MIGRATE_IMAGE, ImageBehaviour.exitsAfter(Duration.ofMinutes(2), 0));
        BlueGreenService v2 = rollOutV2(migrateAfterInstall("10m"));
        until(r -> tasks().size() == 1 && "RUNNING".equals(tasks().get(0).lastStatus()));
        long runTasks = account.sim.stats().calls("ecs", "RunTask");

        operator.restart();
        ServiceReport done = until(liveOn(v2));
        assertThat(account.sim.stats().calls("ecs", "RunTask")).as("the new runner asked again").isGreaterThan(runTasks);
        assertThat(tasks()).as("but ECS answered the task of the first run").hasSize(1);
        assertThat(done.hooks()).singleElement().satisfies(run -> {
            assertThat(run.outcome()).isEqualTo("Succeeded");
            assertThat(run.detail()).contains(tasks().get(0).arn().substring(tasks().get(0).arn().lastIndexOf('/') + 1));
        });
    }
}

package io.ecsbluegreen.sim.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.SimClients;
import io.ecsbluegreen.sim.ThrottleRule;
import io.ecsbluegreen.sim.spi.ImageBehaviour;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ConflictException;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.EcsException;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskField;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/** RunTask, DescribeTasks and StopTask of one-off tasks through the real SDK client, on simulated time. */
class RunTaskTest {

    AwsSimulator sim;
    EcsClient ecs;

    @BeforeEach
    void start() {
        sim = AwsSimulator.start();
        ecs = SimClients.ecsWithoutRetries(sim);
        ecs.createCluster(r -> r.clusterName("demo"));
    }

    @AfterEach
    void stop() {
        ecs.close();
        sim.close();
    }

    /** A Fargate task definition: an essential {@code migrate} container and a non-essential sidecar that never exits. */
    String register(String image) {
        sim.imageBehaviours().set("log-router", ImageBehaviour.neverExits());
        return ecs.registerTaskDefinition(r -> r.family("migrate").networkMode(NetworkMode.AWSVPC).cpu("256").memory("512")
                .requiresCompatibilitiesWithStrings("FARGATE")
                .containerDefinitions(c -> c.name("migrate").image(image).command("migrate", "up"),
                        c -> c.name("sidecar").image("log-router:1").essential(false))
                .tags(Tag.builder().key("team").value("data").build()))
                .taskDefinition().taskDefinitionArn();
    }

    RunTaskRequest.Builder run(String taskDefinition) {
        return RunTaskRequest.builder().cluster("demo").taskDefinition(taskDefinition).launchType(LaunchType.FARGATE)
                .networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets("subnet-0a1b2c3d4e5f60718")
                        .securityGroups("sg-0123456789abcdef0")));
    }

    Task runOne(String taskDefinition, Consumer<RunTaskRequest.Builder> more) {
        RunTaskRequest.Builder b = run(taskDefinition);
        more.accept(b);
        List<Task> tasks = ecs.runTask(b.build()).tasks();
        assertThat(tasks).hasSize(1);
        return tasks.get(0);
    }

    Task describe(String arn) {
        return ecs.describeTasks(r -> r.cluster("demo").tasks(arn).include(TaskField.TAGS)).tasks().get(0);
    }

    Container container(Task t, String name) {
        return t.containers().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aOneOffTaskGoesFromProvisioningToStoppedOnSimulatedTimeAndItsEssentialContainerExitsZero() {
        String td = register("migrate:1");
        Task started = runOne(td, b -> b.startedBy("bluegreen/orders").group("bluegreen:orders")
                .tags(Tag.builder().key("hook").value("migrate").build()).propagateTags("TASK_DEFINITION"));
        assertThat(started.lastStatus()).isEqualTo("PROVISIONING");
        assertThat(started.desiredStatus()).isEqualTo("RUNNING");
        assertThat(started.taskArn()).startsWith("arn:aws:ecs:eu-west-1:000000000000:task/demo/");
        assertThat(started.startedBy()).isEqualTo("bluegreen/orders");
        assertThat(started.group()).isEqualTo("bluegreen:orders");
        assertThat(started.tags()).extracting(Tag::key).containsExactlyInAnyOrder("team", "hook");
        String arn = started.taskArn();

        sim.clock().advance(Duration.ofSeconds(5));
        assertThat(describe(arn).lastStatus()).isEqualTo("PENDING");
        sim.clock().advance(Duration.ofSeconds(15));
        Task running = describe(arn);
        assertThat(running.lastStatus()).isEqualTo("RUNNING");
        assertThat(running.startedAt()).isNotNull();
        assertThat(running.containers()).allSatisfy(c -> assertThat(c.exitCode()).isNull());
        assertThat(running.attachments().get(0).details()).anySatisfy(d -> assertThat(d.name()).isEqualTo("privateIPv4Address"));

        sim.clock().advance(Duration.ofSeconds(10));
        Task stopping = describe(arn);
        assertThat(stopping.lastStatus()).isEqualTo("DEPROVISIONING");
        assertThat(stopping.desiredStatus()).isEqualTo("STOPPED");
        assertThat(stopping.stopCode()).isEqualTo(TaskStopCode.ESSENTIAL_CONTAINER_EXITED);
        assertThat(stopping.stoppedReason()).isEqualTo("Essential container in task exited");
        assertThat(container(stopping, "migrate").exitCode()).isZero();
        assertThat(container(stopping, "sidecar").exitCode()).as("stopped with its task").isEqualTo(143);
        assertThat(stopping.stoppedAt()).isNull();

        sim.clock().advance(Duration.ofSeconds(10));
        Task stopped = describe(arn);
        assertThat(stopped.lastStatus()).isEqualTo("STOPPED");
        assertThat(stopped.stoppedAt()).isEqualTo(stopped.stoppingAt().plus(Duration.ofSeconds(10)));
        assertThat(ecs.listTasks(r -> r.cluster("demo").desiredStatus(DesiredStatus.STOPPED)).taskArns()).containsExactly(arn);
        assertThat(ecs.listTasks(r -> r.cluster("demo")).taskArns()).isEmpty();
        assertThat(sim.ecs().oneOffTasks("demo")).singleElement().satisfies(v -> {
            assertThat(v.lastStatus()).isEqualTo("STOPPED");
            assertThat(v.exitCodes()).containsEntry("migrate", 0).containsEntry("sidecar", 143);
        });
    }

    @Test
    void theImageDecidesWhenAndHowAContainerExitsAndACommandEndingInExitDecidesItsCode() {
        sim.imageBehaviours().set("migrate:2", ImageBehaviour.exitsAfter(Duration.ofSeconds(30), 3));
        sim.imageBehaviours().set("migrate:crash", ImageBehaviour.crashesAfter(Duration.ofSeconds(5)));
        sim.imageBehaviours().set("migrate:missing", ImageBehaviour.failsToStart("CannotPullContainerError: not found"));
        String three = runOne(register("migrate:2"), b -> { }).taskArn();
        String seven = runOne("migrate", b -> b.overrides(o -> o.containerOverrides(c -> c.name("migrate")
                .command("sh", "-c", "migrate up && exit 7").environment(e -> e.name("DRY_RUN").value("1"))))).taskArn();
        String crash = runOne(register("migrate:crash"), b -> { }).taskArn();
        String missing = runOne(register("migrate:missing"), b -> { }).taskArn();

        sim.clock().advance(Duration.ofSeconds(20 + 30 + 10));
        Task exited = describe(three);
        assertThat(exited.lastStatus()).isEqualTo("STOPPED");
        assertThat(container(exited, "migrate").exitCode()).isEqualTo(3);
        Task overridden = describe(seven);
        assertThat(container(overridden, "migrate").exitCode()).isEqualTo(7);
        assertThat(overridden.overrides().containerOverrides().get(0).environment().get(0).name()).isEqualTo("DRY_RUN");
        assertThat(container(describe(crash), "migrate").exitCode()).isEqualTo(1);

        Task failed = describe(missing);
        assertThat(failed.stopCode()).isEqualTo(TaskStopCode.TASK_FAILED_TO_START);
        assertThat(failed.stoppedReason()).isEqualTo("CannotPullContainerError: not found");
        assertThat(failed.startedAt()).isNull();
        assertThat(container(failed, "migrate").exitCode()).isNull();
        assertThat(container(failed, "migrate").reason()).isEqualTo("CannotPullContainerError: not found");
    }

    @Test
    void theSameClientTokenAnswersTheSameTasksForADayAndAnotherRequestWithItConflicts() {
        String td = register("migrate:1");
        List<String> first = ecs.runTask(run(td).count(2).clientToken("hook-1").build()).tasks().stream().map(Task::taskArn).toList();
        List<String> again = ecs.runTask(run(td).count(2).clientToken("hook-1").build()).tasks().stream().map(Task::taskArn).toList();
        assertThat(first).hasSize(2);
        assertThat(again).isEqualTo(first);
        assertThat(sim.ecs().oneOffTasks("demo")).hasSize(2);
        assertThatThrownBy(() -> ecs.runTask(run(td).count(1).clientToken("hook-1").build()))
                .isInstanceOf(ConflictException.class).hasMessageContaining(first.get(0));

        ecs.createCluster(r -> r.clusterName("other"));
        List<Task> elsewhere = ecs.runTask(run(td).cluster("other").count(2).clientToken("hook-1").build()).tasks();
        assertThat(elsewhere).extracting(Task::taskArn).doesNotContainAnyElementsOf(first);

        sim.clock().advance(Duration.ofHours(25));
        assertThat(ecs.runTask(run(td).count(2).clientToken("hook-1").build()).tasks()).extracting(Task::taskArn)
                .doesNotContainAnyElementsOf(first);
        assertThat(ecs.describeTasks(r -> r.cluster("demo").tasks(first)).failures()).as("stopped over an hour ago")
                .extracting(f -> f.reason()).containsExactly("MISSING", "MISSING");
    }

    @Test
    void stopTaskStopsAOneOffTaskWithItsReasonAsUserInitiated() {
        sim.imageBehaviours().set("server:1", ImageBehaviour.neverExits());
        String td = register("server:1");
        String arn = runOne(td, b -> { }).taskArn();
        sim.clock().advance(Duration.ofMinutes(30));
        assertThat(describe(arn).lastStatus()).isEqualTo("RUNNING");

        Task stopping = ecs.stopTask(r -> r.cluster("demo").task(arn).reason("hook timed out")).task();
        assertThat(stopping.desiredStatus()).isEqualTo("STOPPED");
        assertThat(stopping.lastStatus()).isEqualTo("DEPROVISIONING");
        assertThat(stopping.stopCode()).isEqualTo(TaskStopCode.USER_INITIATED);
        assertThat(stopping.stoppedReason()).isEqualTo("hook timed out");
        sim.clock().advance(Duration.ofSeconds(10));
        ecs.stopTask(r -> r.cluster("demo").task(arn).reason("again"));
        Task stopped = describe(arn);
        assertThat(stopped.lastStatus()).isEqualTo("STOPPED");
        assertThat(stopped.stoppedReason()).as("the first reason stays").isEqualTo("hook timed out");
        assertThat(container(stopped, "migrate").exitCode()).isEqualTo(143);

        String early = runOne(td, b -> { }).taskArn();
        ecs.stopTask(r -> r.cluster("demo").task(early));
        sim.clock().advance(Duration.ofMinutes(1));
        Task never = describe(early);
        assertThat(never.stopCode()).isEqualTo(TaskStopCode.USER_INITIATED);
        assertThat(never.stoppedReason()).isEqualTo("Task stopped by user");
        assertThat(never.startedAt()).isNull();
        assertThat(never.containers()).allSatisfy(c -> assertThat(c.exitCode()).isNull());

        assertThatThrownBy(() -> ecs.stopTask(r -> r.cluster("demo").task("arn:aws:ecs:eu-west-1:000000000000:task/demo/nope")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("The referenced task was not found.");
        assertThat(sim.stats().calls("ecs", "StopTask")).isEqualTo(4);
    }

    @Test
    void describeTasksReportsUnknownTasksAsFailuresAndTakesOneToAHundred() {
        String arn = runOne(register("migrate:1"), b -> b.startedBy("bluegreen/orders")).taskArn();
        String ghost = "arn:aws:ecs:eu-west-1:000000000000:task/demo/0123456789abcdef";
        var out = ecs.describeTasks(r -> r.cluster("demo").tasks(arn, ghost));
        assertThat(out.tasks()).extracting(Task::taskArn).containsExactly(arn);
        assertThat(out.failures()).singleElement().satisfies(f -> {
            assertThat(f.arn()).isEqualTo(ghost);
            assertThat(f.reason()).isEqualTo("MISSING");
        });
        assertThat(ecs.describeTasks(r -> r.cluster("demo").tasks(arn.substring(arn.lastIndexOf('/') + 1))).tasks()).hasSize(1);
        assertThatThrownBy(() -> ecs.describeTasks(r -> r.cluster("demo").tasks(List.of())))
                .isInstanceOf(InvalidParameterException.class);
        List<String> many = IntStream.range(0, 101).mapToObj(i -> ghost + i).toList();
        assertThatThrownBy(() -> ecs.describeTasks(r -> r.cluster("demo").tasks(many))).isInstanceOf(InvalidParameterException.class);
        assertThat(ecs.listTasks(r -> r.cluster("demo").startedBy("bluegreen/orders")).taskArns()).containsExactly(arn);
        assertThat(ecs.listTasks(r -> r.cluster("demo").startedBy("someone-else")).taskArns()).isEmpty();
        assertThat(ecs.listTagsForResource(r -> r.resourceArn(arn)).tags()).extracting(Tag::key).isEmpty();
    }

    @Test
    void runTaskRefusesWhatAwsRefuses() {
        String td = register("migrate:1");
        assertThatThrownBy(() -> ecs.runTask(run(td).cluster("nope").build())).isInstanceOf(ClusterNotFoundException.class);
        assertThatThrownBy(() -> ecs.runTask(run("nope:1").build()))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("TaskDefinition not found.");
        assertThatThrownBy(() -> ecs.runTask(run(td).count(0).build())).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.runTask(run(td).count(11).build())).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.runTask(run(td).networkConfiguration((software.amazon.awssdk.services.ecs.model.NetworkConfiguration) null).build()))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("Network Configuration must be provided");
        assertThatThrownBy(() -> ecs.runTask(run(td).capacityProviderStrategy(c -> c.capacityProvider("FARGATE")).build()))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("both a launch type and capacity provider");
        assertThatThrownBy(() -> ecs.runTask(run(td).startedBy("not allowed").build()))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("startedBy");
        assertThatThrownBy(() -> ecs.runTask(run(td).overrides(o -> o.containerOverrides(c -> c.name("ghost").command("x"))).build()))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("ghost is not a container");
        String bridge = ecs.registerTaskDefinition(r -> r.family("tool").containerDefinitions(c -> c.name("tool").image("tool:1")))
                .taskDefinition().taskDefinitionArn();
        assertThatThrownBy(() -> ecs.runTask(RunTaskRequest.builder().cluster("demo").taskDefinition(bridge).launchType(LaunchType.FARGATE).build()))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("does not support launch_type FARGATE");
        assertThat(ecs.runTask(r -> r.cluster("demo").taskDefinition("tool").launchType(LaunchType.EC2)).tasks()).hasSize(1);
        ecs.deregisterTaskDefinition(r -> r.taskDefinition(td));
        assertThatThrownBy(() -> ecs.runTask(run(td).build())).isInstanceOf(ClientException.class).hasMessageContaining("inactive");
    }

    @Test
    void runTaskHasAThrottlingBucketOfItsOwn() {
        String td = register("migrate:1");
        sim.throttling().set(ThrottleRule.of("ecs-run-task", "ecs:RunTask", 1, 0));
        ecs.runTask(run(td).build());
        assertThatThrownBy(() -> ecs.runTask(run(td).build())).isInstanceOf(EcsException.class)
                .satisfies(e -> assertThat(((EcsException) e).awsErrorDetails().errorCode()).isEqualTo("ThrottlingException"));
        assertThat(sim.stats().throttled("ecs", "RunTask")).isEqualTo(1);
        assertThat(ecs.describeTasks(r -> r.cluster("demo").tasks(sim.ecs().oneOffTasks("demo").get(0).arn())).tasks()).hasSize(1);
    }
}

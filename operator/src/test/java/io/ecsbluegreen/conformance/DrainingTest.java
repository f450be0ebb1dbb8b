package io.ecsbluegreen.conformance;

import static io.ecsbluegreen.conformance.Refusal.refused;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ecs.model.ScaleUnit;
import software.amazon.awssdk.services.ecs.model.TaskSet;

/**
 * What a deleted task set leaves behind. TaskSet.status
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TaskSet.html): "DRAINING: The tasks in the
 * task set are being stopped, and their corresponding targets are being deregistered from their target
 * group", which takes the target group's deregistration delay. Service quotas
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html): five task sets per
 * service; a draining one is still the service's. So the operator cannot count on a slot the moment it
 * deletes a task set.
 */
@ExtendWith(OnAccount.class)
class DrainingTest {
    static final Duration PATIENCE = Duration.ofMinutes(10);
    static final Duration STEP = Duration.ofSeconds(5);

    Fixture fixture;

    @BeforeEach
    void setUp(Fixture fixture) {
        this.fixture = fixture;
    }

    @AfterEach
    void clear() {
        fixture.clearProbeTaskSets();
    }

    /** A task set with a running task (the probe service wants one), deleted at once: its target has to deregister. */
    TaskSet deletedWithATask() {
        String arn = fixture.probeTaskSet(r -> r.scale(s -> s.unit(ScaleUnit.PERCENT).value(100.0))).taskSetArn();
        fixture.account.waitFor("a task of the task set running", PATIENCE, STEP, () -> fixture.probeTaskSets().stream()
                .anyMatch(t -> t.taskSetArn().equals(arn) && t.runningCount() >= 1));
        // force: DeleteTaskSet refuses a task set that has not been scaled down to zero without it.
        return fixture.account.ecs().deleteTaskSet(r -> r.cluster(fixture.name).service(fixture.probeService).taskSet(arn)
                .force(true)).taskSet();
    }

    TaskSet find(String arn) {
        return fixture.probeTaskSets().stream().filter(t -> t.taskSetArn().equals(arn)).findFirst().orElse(null);
    }

    @Test
    void aDeletedTaskSetIsDrainingAndStaysVisibleUntilItsTargetsHaveDeregistered() {
        TaskSet deleted = deletedWithATask();
        assertThat(deleted.status()).as("DeleteTaskSet's answer").isEqualTo("DRAINING");
        assertThat(find(deleted.taskSetArn())).as("DescribeServices right after").isNotNull()
                .satisfies(t -> assertThat(t.status()).isEqualTo("DRAINING"));
        fixture.account.waitFor("the draining task set gone", PATIENCE, STEP, () -> find(deleted.taskSetArn()) == null);
    }

    @Test
    void aDrainingTaskSetCountsTowardTheFiveTaskSetsOfAService() {
        TaskSet draining = deletedWithATask();
        for (int i = 0; i < 4; i++) fixture.probeTaskSet(r -> { });
        List<TaskSet> all = fixture.probeTaskSets();
        assertThat(all).hasSize(5).anySatisfy(t -> {
            assertThat(t.taskSetArn()).isEqualTo(draining.taskSetArn());
            assertThat(t.status()).isEqualTo("DRAINING");
        });
        refused(() -> fixture.probeTaskSet(r -> { }));

        fixture.account.waitFor("the draining task set gone", PATIENCE, STEP, () -> find(draining.taskSetArn()) == null);
        fixture.probeTaskSet(r -> { });
        assertThat(fixture.probeTaskSets()).as("its slot is free once it is gone").hasSize(5);
    }
}

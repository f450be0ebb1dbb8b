package io.ecsbluegreen.conformance;

import static io.ecsbluegreen.conformance.Refusal.refused;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ecs.model.TaskSetField;

/**
 * Where rollout state may be written as tags. ECS TagResource documents its resources as "capacity
 * providers, tasks, services, task definitions, clusters, and container instances"
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TagResource.html): not task sets, which
 * take tags only in CreateTaskSet's {@code tags} (a tag-on-create action). So the operator keeps what it
 * changes during a rollout on the service, and what a task set is, at its creation.
 */
@ExtendWith(OnAccount.class)
class TaskSetTagsTest {
    Fixture fixture;

    @BeforeEach
    void setUp(Fixture fixture) {
        this.fixture = fixture;
    }

    @AfterEach
    void clear() {
        fixture.clearProbeTaskSets();
    }

    @Test
    void aTaskSetCannotBeTaggedAfterCreation() {
        String arn = fixture.probeTaskSet(r -> { }).taskSetArn();
        refused(() -> fixture.account.ecs().tagResource(r -> r.resourceArn(arn).tags(t -> t.key("bgconf-later").value("x"))));
    }

    @Test
    void aTaskSetTakesTagsAtCreationAndDescribeTaskSetsReturnsThem() {
        String arn = fixture.probeTaskSet(r -> r.tags(t -> t.key("bgconf-revision").value("rev-1"))).taskSetArn();
        var taskSet = fixture.account.ecs().describeTaskSets(r -> r.cluster(fixture.name).service(fixture.probeService)
                .taskSets(arn).include(TaskSetField.TAGS)).taskSets().get(0);
        assertThat(taskSet.tags().stream().collect(Collectors.toMap(t -> t.key(), t -> t.value())))
                .containsEntry("bgconf-revision", "rev-1");
    }

    @Test
    void aServiceCanBeTaggedAfterCreation() {
        var ecs = fixture.account.ecs();
        String arn = ecs.describeServices(r -> r.cluster(fixture.name).services(fixture.probeService)).services().get(0).serviceArn();
        ecs.tagResource(r -> r.resourceArn(arn).tags(t -> t.key("bgconf-state").value("Shifting:1")));
        assertThat(ecs.listTagsForResource(r -> r.resourceArn(arn)).tags())
                .anySatisfy(t -> assertThat(t.key() + "=" + t.value()).isEqualTo("bgconf-state=Shifting:1"));
        ecs.untagResource(r -> r.resourceArn(arn).tagKeys("bgconf-state"));
    }
}

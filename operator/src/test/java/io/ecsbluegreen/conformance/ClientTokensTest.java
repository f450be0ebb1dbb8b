package io.ecsbluegreen.conformance;

import static io.ecsbluegreen.conformance.Refusal.refused;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.DeploymentControllerType;

/**
 * Client tokens, which make the operator's creations safe to repeat after a crash or a timeout. ECS
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/ECS_Idempotency.html): "If you retry a request
 * that completed successfully using the same client token and the same parameters, the retry succeeds
 * without performing any further actions"; tokens are up to 36 ASCII characters for CreateService and
 * CreateTaskSet; a token is not to be reused for other requests, and a reuse with other parameters is
 * refused. Nothing in the documentation makes a token forgotten when what it created is deleted.
 */
@ExtendWith(OnAccount.class)
class ClientTokensTest {
    Fixture fixture;

    @BeforeEach
    void setUp(Fixture fixture) {
        this.fixture = fixture;
    }

    @AfterEach
    void clear() {
        fixture.clearProbeTaskSets();
    }

    static String token() {
        return UUID.randomUUID().toString();
    }

    @Test
    void aRepeatedCreateTaskSetWithTheSameTokenAndParametersReturnsTheOriginalAndCreatesNothing() {
        String token = token();
        var first = fixture.probeTaskSet(r -> r.externalId("rev-a").clientToken(token));
        var again = fixture.probeTaskSet(r -> r.externalId("rev-a").clientToken(token));
        assertThat(again.taskSetArn()).isEqualTo(first.taskSetArn());
        assertThat(fixture.probeTaskSets()).singleElement().satisfies(t -> assertThat(t.taskSetArn()).isEqualTo(first.taskSetArn()));
    }

    @Test
    void aCreateTaskSetTokenIsStillHonouredAfterItsTaskSetWasDeleted() {
        String token = token();
        var first = fixture.probeTaskSet(r -> r.externalId("rev-b").clientToken(token));
        fixture.clearProbeTaskSets();
        var again = fixture.probeTaskSet(r -> r.externalId("rev-b").clientToken(token));
        assertThat(again.taskSetArn()).as("the original result").isEqualTo(first.taskSetArn());
        assertThat(fixture.probeTaskSets()).as("nothing created").isEmpty();
    }

    @Test
    void aCreateTaskSetTokenReusedWithOtherParametersIsRefused() {
        String token = token();
        fixture.probeTaskSet(r -> r.externalId("rev-c").clientToken(token));
        refused(() -> fixture.probeTaskSet(r -> r.externalId("rev-d").clientToken(token)));
        assertThat(fixture.probeTaskSets()).hasSize(1);
    }

    @Test
    void aRepeatedCreateServiceWithTheSameTokenReturnsTheOriginalAndOtherParametersAreRefused() {
        var ecs = fixture.account.ecs();
        String name = fixture.name + "-tokens";
        String token = token();
        CreateServiceRequest request = CreateServiceRequest.builder().cluster(fixture.name).serviceName(name).desiredCount(0)
                .deploymentController(c -> c.type(DeploymentControllerType.EXTERNAL)).clientToken(token).tags(fixture.ecsTags()).build();
        try {
            String arn = ecs.createService(request).service().serviceArn();
            assertThat(ecs.createService(request).service().serviceArn()).isEqualTo(arn);
            refused(() -> ecs.createService(request.toBuilder().desiredCount(1).build()));
            assertThat(ecs.describeServices(r -> r.cluster(fixture.name).services(name)).services())
                    .singleElement().satisfies(s -> assertThat(s.desiredCount()).isZero());
        } finally {
            ecs.deleteService(r -> r.cluster(fixture.name).service(name).force(true));
            fixture.account.waitFor(name + " inactive", Duration.ofMinutes(10), Duration.ofSeconds(5),
                    () -> ecs.describeServices(r -> r.cluster(fixture.name).services(name)).services().stream()
                            .allMatch(s -> "INACTIVE".equals(s.status())));
        }
    }
}

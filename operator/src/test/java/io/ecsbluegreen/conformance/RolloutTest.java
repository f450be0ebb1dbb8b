package io.ecsbluegreen.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.loop.Engine;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.plan.Command;
import io.ecsbluegreen.model.Phase;
import io.ecsbluegreen.plan.Revision;
import io.ecsbluegreen.spec.SpecParser;
import io.ecsbluegreen.status.RolloutRecord;
import io.ecsbluegreen.status.ServiceReport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ecs.model.TaskSet;

/**
 * The operator's engine rolling out a real service on the account, in order: the first revision goes
 * live, a canary (10% for 30 s, then all), a revision that never turns healthy rolls back, {@code retry}
 * makes a new green (not stalled on a remembered client token), and reverting the spec to the live revision
 * leaves production on it. Each step waits (bounded) for the status the operator reports, then checks AWS
 * itself: the listener's weights and the service's task sets.
 */
@ExtendWith(OnAccount.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RolloutTest {
    /** Per step; the whole scenario takes about 15 minutes on AWS (Fargate start-up, health checks, a 5 min deadline). */
    static final Duration PATIENCE = Duration.ofMinutes(15);

    Fixture fixture;
    Operator operator;
    String name;
    BlueGreenService v1;
    BlueGreenService v2;
    BlueGreenService broken;

    @BeforeAll
    void start(Fixture fixture) {
        this.fixture = fixture;
        this.name = fixture.name + "-web";
        this.operator = new Operator(fixture.account);
        v1 = spec(fixture.account.healthyImage(), "1");
        v2 = spec(fixture.account.healthyImage(), "2");
        broken = spec(fixture.account.brokenImage(), "3");
    }

    @AfterAll
    void stop() {
        if (operator != null) operator.close();
    }

    BlueGreenService spec(String image, String release) {
        Account.Network net = fixture.account.network();
        String yaml = """
                apiVersion: ecsbluegreen.io/v1alpha1
                kind: BlueGreenService
                metadata:
                  name: %1$s
                spec:
                  region: %2$s
                  cluster: %3$s
                  service: %1$s
                  desiredCount: 1
                  launchType: FARGATE
                  networkConfiguration:
                    subnets: [%4$s]
                    securityGroups: [%5$s]
                    assignPublicIp: %6$s
                  taskDefinition:
                    family: %1$s
                    cpu: 256
                    memory: 512
                    containers:
                      - name: %7$s
                        image: %8$s
                        portMappings:
                          - containerPort: %9$d
                        environment:
                          RELEASE: "%10$s"
                  traffic:
                    containerName: %7$s
                    containerPort: %9$d
                    blueTargetGroup: %3$s-blue
                    greenTargetGroup: %3$s-green
                    production:
                      listenerArn: %11$s
                    test:
                      listenerArn: %12$s
                  strategy:
                    type: Canary
                    canary:
                      steps:
                        - weight: 10
                          pause: 30s
                    bakeTime: 30s
                    blueRetention: 2m
                    progressDeadline: 5m
                  tags:
                    bgconf-run: %3$s
                """.formatted(name, fixture.account.region(), fixture.name, String.join(", ", net.subnets()),
                String.join(", ", net.securityGroups()), net.assignPublicIp() ? "ENABLED" : "DISABLED", Fixture.CONTAINER, image,
                Account.PORT, release, fixture.productionListener, fixture.testListener);
        return new SpecParser().parse(name + ".yaml", yaml.getBytes(StandardCharsets.UTF_8)).services().get(0).service();
    }

    static String revision(BlueGreenService service) {
        return Revision.of(service.spec()).id();
    }

    /** The service's task sets (DRAINING ones included) by ARN, as ECS reports them. */
    Map<String, TaskSet> taskSets() {
        return fixture.account.ecs().describeServices(r -> r.cluster(fixture.name).services(name)).services().stream()
                .flatMap(s -> s.taskSets().stream()).collect(Collectors.toMap(TaskSet::taskSetArn, t -> t));
    }

    /** The production listener's forward weights by target group ARN. */
    Map<String, Integer> productionWeights() {
        return fixture.account.elb().describeListeners(r -> r.listenerArns(fixture.productionListener)).listeners().get(0)
                .defaultActions().stream().filter(a -> a.forwardConfig() != null)
                .flatMap(a -> a.forwardConfig().targetGroups().stream())
                .collect(Collectors.toMap(t -> t.targetGroupArn(), t -> t.weight()));
    }

    @Test
    @Order(1)
    void theFirstRevisionGoesLiveBehindProduction() {
        operator.declare(v1);
        ServiceReport live = operator.until(name, "live", PATIENCE, ServiceReport::converged);
        assertThat(live.activeRevision()).isEqualTo(revision(v1));
        assertThat(live.productionWeights()).isEqualTo(Map.of(revision(v1), 100));
        assertThat(taskSets().values()).singleElement().satisfies(t -> {
            assertThat(t.status()).isEqualTo("PRIMARY");
            assertThat(t.externalId()).isEqualTo(revision(v1));
        });
    }

    @Test
    @Order(2)
    void aCanaryShiftsTenPercentThenAllOfProductionToTheNextRevision() {
        operator.declare(v2);
        ServiceReport canary = operator.until(name, "10% canary", PATIENCE, r -> r.phase() == Phase.Shifting);
        assertThat(canary.productionWeights()).isEqualTo(Map.of(revision(v1), 90, revision(v2), 10));
        ServiceReport done = operator.until(name, "v2 live", PATIENCE, r -> r.converged() && revision(v2).equals(r.activeRevision()));
        assertThat(done.productionWeights()).isEqualTo(Map.of(revision(v2), 100));
        assertThat(done.history().get(0).outcome()).isEqualTo(RolloutRecord.Outcome.Succeeded);
        String primaryGroup = taskSets().values().stream().filter(t -> "PRIMARY".equals(t.status())).findFirst().orElseThrow()
                .loadBalancers().get(0).targetGroupArn();
        assertThat(productionWeights()).as("AWS's listener: all weight on the primary task set's group")
                .allSatisfy((group, weight) -> assertThat(weight > 0).isEqualTo(group.equals(primaryGroup)));
    }

    @Test
    @Order(3)
    void aRevisionThatNeverTurnsHealthyRollsBack() {
        operator.declare(broken);
        ServiceReport rolledBack = operator.until(name, "rolled back", PATIENCE, r -> r.phase() == Phase.RolledBack);
        assertThat(rolledBack.productionWeights()).isEqualTo(Map.of(revision(v2), 100));
        assertThat(rolledBack.history().get(0).revision()).isEqualTo(revision(broken));
        assertThat(rolledBack.history().get(0).outcome()).isEqualTo(RolloutRecord.Outcome.RolledBack);
        assertThat(taskSets().values()).filteredOn(t -> "PRIMARY".equals(t.status()))
                .singleElement().satisfies(t -> assertThat(t.externalId()).isEqualTo(revision(v2)));
    }

    @Test
    @Order(4)
    void retryMakesANewGreenTaskSet() {
        Set<String> before = taskSets().keySet();
        Engine.CommandResult retry = operator.engine.command(name, Command.RETRY);
        assertThat(retry.accepted()).as(retry.message()).isTrue();
        operator.until(name, "a new green task set", PATIENCE, r -> taskSets().values().stream()
                .anyMatch(t -> !before.contains(t.taskSetArn()) && revision(broken).equals(t.externalId())));
    }

    @Test
    @Order(5)
    void revertingTheSpecToTheLiveRevisionLeavesProductionOnIt() {
        operator.declare(v2);
        ServiceReport steady = operator.until(name, "back on v2, no broken task set", PATIENCE, r -> r.converged()
                && revision(v2).equals(r.activeRevision()) && taskSets().values().stream()
                        .noneMatch(t -> revision(broken).equals(t.externalId()) && !"DRAINING".equals(t.status())));
        assertThat(steady.productionWeights()).isEqualTo(Map.of(revision(v2), 100));
    }

    /**
     * Each revision's task definition is registered once: a DRAINING task set of the wanted revision (the
     * rollback's, kept by AWS for the deregistration delay) once made every pass register another one, 600
     * revisions in this class's run.
     */
    @Test
    @Order(6)
    void eachRevisionRegistersItsTaskDefinitionOnce() {
        var arns = fixture.account.ecs().listTaskDefinitionsPaginator(r -> r.familyPrefix(name)).taskDefinitionArns();
        assertThat(arns.stream().toList()).as("v1, v2, broken: one registration each").hasSize(3);
    }
}

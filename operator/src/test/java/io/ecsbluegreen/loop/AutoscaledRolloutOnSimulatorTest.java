package io.ecsbluegreen.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.loop.RandomScenario.Deploy;
import io.ecsbluegreen.loop.RandomScenario.Route;
import io.ecsbluegreen.loop.RandomScenario.Scaling;
import io.ecsbluegreen.loop.RandomScenario.Setup;
import io.ecsbluegreen.plan.Command;
import io.ecsbluegreen.model.Phase;
import io.ecsbluegreen.status.ServiceReport;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.ecs.model.TaskSet;

/**
 * An autoscaler changes the service's desired count behind the operator's back in every phase of a manual
 * canary rollout of a file without {@code desiredCount}: the task sets follow the new count, the operator
 * never writes it (the world's checked ECS port reports any write as a violation), and the rollout still
 * ends where it would have (v2 live, or blue after an abort) at the autoscaler's count.
 */
class AutoscaledRolloutOnSimulatorTest {

    /** Where the rollout of v2 stands when the count changes, and how to tell. */
    enum When {
        CREATING_GREEN(r -> true), // see below: the count changes before green exists
        TEST_TRAFFIC(r -> r.phase() == Phase.TestTraffic || r.phase() == Phase.AwaitingPromotion),
        AWAITING_PROMOTION(r -> r.phase() == Phase.AwaitingPromotion),
        FIRST_CANARY_STEP(r -> r.phase() == Phase.Shifting && r.step() == 1),
        SECOND_CANARY_STEP(r -> r.phase() == Phase.Shifting && r.step() == 2),
        BAKING(r -> r.phase() == Phase.Baking),
        STEADY(ServiceReport::converged),
        ROLLING_BACK(r -> r.phase() == Phase.Shifting && r.step() == 1);

        final Predicate<ServiceReport> reached;

        When(Predicate<ServiceReport> reached) {
            this.reached = reached;
        }
    }

    @ParameterizedTest(name = "the count changes while {0}")
    @EnumSource(When.class)
    void aCountChangedBehindTheOperatorsBackIsFollowedInEveryPhase(When when) throws Exception {
        Setup setup = new Setup(0, 0, new Route(false, "none", 0), new Route(false, "none", 0), Scaling.absent);
        try (RandomizedScenarioTest.World world = new RandomizedScenarioTest.World(new RandomScenario(1, setup, List.of()), 1)) {
            world.declare(world.spec(RandomizedScenarioTest.IMAGE + "1.0.0", "Canary", true));
            runUntil(world, ServiceReport::converged);
            int before = serviceCount(world);

            world.apply(new Deploy("healthy", "Canary", true));
            runUntil(world, when.reached);
            int count = before + 2;
            world.account.ecs.updateService(r -> r.cluster("demo").service("greeter").desiredCount(count));
            if (when == When.ROLLING_BACK) world.owner().engine.command("greeter", Command.ABORT);
            world.run(60);
            for (TaskSet t : live(world)) {
                assertThat(t.computedDesiredCount()).as("%s follows the count", t.id()).isEqualTo(count);
                assertThat(t.scale().value()).isEqualTo(100.0);
            }

            ServiceReport last = runUntil(world, r -> r.converged() || r.phase() == Phase.RolledBack);
            world.run(60);
            assertThat(world.violations).as("the count is never written, nothing unsafe").isEmpty();
            assertThat(serviceCount(world)).as("the autoscaler's count stands").isEqualTo(count);
            TaskSet primary = live(world).stream().filter(t -> "PRIMARY".equals(t.status())).findFirst().orElseThrow();
            assertThat(primary.runningCount()).isEqualTo(count);
            assertThat(last.phase()).isEqualTo(when == When.ROLLING_BACK ? Phase.RolledBack : Phase.Steady);
            world.checkAfter("the rollout at the autoscaler's count");
        }
    }

    /**
     * Runs 1 s at a time (a phase such as Deploying may last only a few seconds), promoting a manual rollout,
     * until the report matches; bounded to 30 simulated minutes.
     */
    static ServiceReport runUntil(RandomizedScenarioTest.World world, Predicate<ServiceReport> done) {
        for (int i = 0; i < 1800; i++) {
            ServiceReport r = world.owner().book.get("greeter").orElse(null);
            if (r != null && done.test(r)) return r;
            if (r != null && r.phase() == Phase.AwaitingPromotion && !done.test(r)) world.owner().engine.command("greeter", Command.PROMOTE);
            world.run(1);
        }
        throw new AssertionError("not reached: " + world.owner().book.get("greeter").orElse(null));
    }

    static int serviceCount(RandomizedScenarioTest.World world) {
        return world.account.ecs.describeServices(r -> r.cluster("demo").services("greeter")).services().get(0).desiredCount();
    }

    static List<TaskSet> live(RandomizedScenarioTest.World world) {
        return world.taskSets().stream().filter(t -> !"DRAINING".equals(t.status())).toList();
    }
}

package io.ecsbluegreen.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.plan.Revision;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.TaskSet;

/**
 * A green task set deleted out of band raises no creation generation, so the next creation of the same
 * revision on the same target group makes the same client token, which AWS answers with the deleted task
 * set and creates nothing. Found by {@link RandomizedScenarioTest} (seed 3970838376066418154).
 */
class SpentClientTokenOnSimulatorTest {

    @Test
    void aGreenDeletedOutOfBandIsCreatedAgainUnderANewClientToken() throws Exception {
        try (SimAccount account = new SimAccount()) {
            // A deregistration delay of 0: the deleted task set is gone at once, leaving no DRAINING trace.
            for (String tg : List.of(ReconcilerOnSimulatorTest.BLUE, ReconcilerOnSimulatorTest.GREEN)) {
                account.elb.modifyTargetGroupAttributes(r -> r.targetGroupArn(tg)
                        .attributes(a -> a.key("deregistration_delay.timeout_seconds").value("0")));
            }
            Reconciler reconciler = account.reconciler();
            passes(account, reconciler, ReconcilerOnSimulatorTest.greeter(null), 300, false);
            BlueGreenService v2 = ReconcilerOnSimulatorTest.greeter("ghcr.io/ecsbluegreen/greeter:2.0.0");
            String revision = Revision.of(v2.spec()).id();
            TaskSet green = null;
            for (int i = 0; i < 20 && green == null; i++) {
                passes(account, reconciler, v2, 1, true);
                green = taskSets(account).stream().filter(t -> revision.equals(t.externalId())).findFirst().orElse(null);
            }
            assertThat(green).as("v2's green task set").isNotNull();
            String deleted = green.taskSetArn();
            account.ecs.deleteTaskSet(r -> r.cluster("demo").service("greeter").taskSet(deleted).force(true));

            passes(account, reconciler, v2, 300, false);

            TaskSet primary = taskSets(account).stream().filter(t -> "PRIMARY".equals(t.status())).findFirst().orElseThrow();
            assertThat(primary.externalId()).isEqualTo(revision);
            assertThat(primary.taskSetArn()).isNotEqualTo(deleted);
        }
    }

    static List<TaskSet> taskSets(SimAccount account) {
        return account.ecs.describeServices(r -> r.cluster("demo").services("greeter")).services().get(0).taskSets();
    }

    /**
     * Runs up to {@code max} passes on simulated time (a failed pass waits 5 s, as the engine's backoff
     * would), stopping at convergence unless {@code all}; fails when {@code max} passes do not converge.
     */
    static void passes(SimAccount account, Reconciler reconciler, BlueGreenService service, int max, boolean all) {
        for (int i = 0; i < max; i++) {
            Duration wait = Duration.ofSeconds(5);
            try {
                Reconciler.Pass pass = reconciler.reconcile(service, Set.of());
                if (!all && pass.plan().status().converged() && pass.plan().actions().isEmpty()) return;
                if (pass.plan().requeueAfter() != null && pass.plan().requeueAfter().compareTo(Duration.ofSeconds(30)) < 0) {
                    wait = pass.plan().requeueAfter();
                } else {
                    wait = Duration.ofSeconds(30);
                }
            } catch (RuntimeException e) {
                // a failed pass: the engine backs off and tries again
            }
            account.sim.clock().advance(wait);
        }
        if (!all) throw new AssertionError("did not converge in " + max + " passes");
    }
}

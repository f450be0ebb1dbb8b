package io.ecsbluegreen.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.model.Phase;
import io.ecsbluegreen.plan.ServiceStatus;
import io.ecsbluegreen.sim.SimClock;
import io.ecsbluegreen.status.StatusBook.Check;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link StatusBook#queued}: the report a spec change writes before the service's pass. */
class QueuedReportTest {
    static final Instant START = Instant.parse("2026-12-01T10:00:00Z");

    final SimClock clock = SimClock.virtual(START);
    final StatusBook book = new StatusBook(clock);
    final List<String> heard = new ArrayList<>();

    {
        book.addListener(new StatusBook.Listener() {
            @Override
            public void changed(ServiceReport before, ServiceReport after) {
                heard.add((before == null ? "new" : before.phase()) + " -> " + after.phase());
            }

            @Override
            public void removed(ServiceReport last) {}

            @Override
            public void rolloutEnded(String service, RolloutRecord rollout) {
                heard.add("ended " + rollout.revision() + " " + rollout.outcome());
            }
        });
    }

    static ServiceStatus steady(String revision) {
        return new ServiceStatus(Phase.Steady, revision, revision, Map.of(revision, 100), Map.of(), 0, 0, "Converged", "production runs " + revision);
    }

    @Test
    void aSteadyServiceShowsTheNewRevisionQueuedAndKeepsWhatItsLastPassSaw() {
        book.record("shop", steady("r-1"), Check.ok("Valid"), Check.ok("UpToDate"));
        clock.advance(Duration.ofMinutes(3));
        ServiceReport queued = book.queued("shop", "r-2");
        assertThat(queued.phase()).isEqualTo(Phase.Queued);
        assertThat(queued.desiredRevision()).isEqualTo("r-2");
        assertThat(queued.activeRevision()).isEqualTo("r-1");
        assertThat(queued.productionWeights()).isEqualTo(Map.of("r-1", 100));
        assertThat(queued.reason()).isEqualTo(StatusBook.SPEC_CHANGED);
        assertThat(queued.message()).contains("r-2").contains("production runs r-1");
        assertThat(queued.converged()).isFalse();
        assertThat(queued.waitingSince()).isEqualTo(START.plus(Duration.ofMinutes(3)));
        assertThat(queued.lastTransitionTime()).isEqualTo(START.plus(Duration.ofMinutes(3)));
        assertThat(queued.lastReconcileTime()).as("no pass ran").isEqualTo(START);
        assertThat(queued.condition(Condition.CONVERGED).status()).isFalse();
        assertThat(queued.condition(Condition.RECONCILING).reason()).as("the last pass's").isEqualTo("UpToDate");
        assertThat(heard).containsExactly("new -> Steady", "Steady -> Queued");
    }

    @Test
    void theSameRevisionAgainWritesNothing() {
        book.record("shop", steady("r-1"), Check.ok("Valid"), Check.ok("UpToDate"));
        ServiceReport before = book.get("shop").orElseThrow();
        assertThat(book.queued("shop", "r-1")).isSameAs(before);
        book.queued("shop", "r-2");
        clock.advance(Duration.ofSeconds(30));
        book.queued("shop", "r-2");
        assertThat(heard).containsExactly("new -> Steady", "Steady -> Queued");
        assertThat(book.get("shop").orElseThrow().waitingSince()).isEqualTo(START);
    }

    @Test
    void aServiceNeverReconciledIsReportedQueuedWithoutAnActiveRevision() {
        ServiceReport queued = book.queued("shop", "r-1");
        assertThat(queued.phase()).isEqualTo(Phase.Queued);
        assertThat(queued.activeRevision()).isNull();
        assertThat(queued.productionWeights()).isEmpty();
        assertThat(queued.conditions()).extracting(Condition::type).containsExactly(Condition.CONVERGED);
        assertThat(book.foundNothingInAws("shop")).as("nobody has looked yet").isFalse();
    }

    @Test
    void aRolloutStillOpenForAnotherRevisionEndsSupersededAndThePassReplacesTheMark() {
        book.record("shop", steady("r-1"), Check.ok("Valid"), Check.ok("UpToDate"));
        book.record("shop", new ServiceStatus(Phase.Shifting, "r-1", "r-2", Map.of("r-1", 90, "r-2", 10), Map.of(), 1, 3,
                "Shifting", "step 1 of 3"), Check.ok("Valid"), Check.ok("Acted"));
        ServiceReport queued = book.queued("shop", "r-3");
        assertThat(queued.history().get(0).outcome()).isEqualTo(RolloutRecord.Outcome.Superseded);
        assertThat(queued.step()).isZero();
        assertThat(queued.productionWeights()).isEqualTo(Map.of("r-1", 90, "r-2", 10));

        ServiceReport passed = book.record("shop", new ServiceStatus(Phase.Deploying, "r-1", "r-3", Map.of("r-1", 100), Map.of(), 0, 0,
                "Deploying", "creating green"), Check.ok("Valid"), Check.ok("Acted"));
        assertThat(passed.phase()).isEqualTo(Phase.Deploying);
        assertThat(passed.history().get(0).revision()).isEqualTo("r-3");
        assertThat(passed.history().get(0).outcome()).as("the new rollout is open").isNull();
        assertThat(heard).containsExactly("new -> Steady", "Steady -> Shifting", "Shifting -> Queued", "ended r-2 Superseded",
                "Queued -> Deploying");
    }

    @Test
    void aPassThatFailsBeforePlanningLeavesTheServiceQueuedAndCountsTheFailure() {
        book.record("shop", steady("r-1"), Check.ok("Valid"), Check.ok("UpToDate"));
        book.queued("shop", "r-2");
        ServiceReport failed = book.failed("shop", "r-2", "Throttled", "Rate exceeded");
        assertThat(failed.phase()).isEqualTo(Phase.Queued);
        assertThat(failed.desiredRevision()).isEqualTo("r-2");
        assertThat(failed.consecutiveFailures()).isEqualTo(1);
        assertThat(failed.condition(Condition.RECONCILING).status()).isFalse();
    }

    @Test
    void aNewServiceWhoseFirstPassFailsGetsAFalseReconcilingCondition() {
        book.queued("shop", "r-1");
        ServiceReport failed = book.failed("shop", "r-1", "AssumeRoleFailed", "cannot assume the role");
        assertThat(failed.consecutiveFailures()).isEqualTo(1);
        assertThat(failed.condition(Condition.RECONCILING).status()).isFalse();
        assertThat(failed.condition(Condition.RECONCILING).reason()).isEqualTo("AssumeRoleFailed");
    }
}

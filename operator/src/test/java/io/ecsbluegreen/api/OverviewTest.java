package io.ecsbluegreen.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.desired.DesiredService;
import io.ecsbluegreen.desired.DesiredState;
import io.ecsbluegreen.loop.WorkQueue;
import io.ecsbluegreen.model.Phase;
import io.ecsbluegreen.plan.ServiceStatus;
import io.ecsbluegreen.spec.SpecError;
import io.ecsbluegreen.status.StatusBook;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The overview's versions and deltas, on a status book filled directly: a page that holds a version gets
 * only the rows changed after it and the names removed, nothing when nothing changed, and everything
 * when its version means nothing here.
 */
class OverviewTest {

    final StatusBook book = new StatusBook(Clock.fixed(Instant.parse("2026-12-06T08:00:00Z"), ZoneOffset.UTC));
    final AtomicReference<DesiredState> desired = new AtomicReference<>(DesiredState.EMPTY);
    final AtomicReference<WorkQueue.Backlog> backlog = new AtomicReference<>(WorkQueue.Backlog.EMPTY);
    final Overview overview = new Overview(desired::get, book, backlog::get, "e1");

    void record(String name, Phase phase, String active, String desired, int greenShare) {
        Map<String, Integer> weights = greenShare == 0 ? Map.of(active, 100) : Map.of(active, 100 - greenShare, desired, greenShare);
        book.record(name, new ServiceStatus(phase, active, desired, weights, Map.of(), greenShare == 0 ? 0 : 1, 3, phase.name(), null),
                StatusBook.Check.ok("Valid"), StatusBook.Check.ok("UpToDate"));
    }

    @Test
    void aFirstReadGetsEveryRowByNameWithCountsByPhaseAndTheRowsThatNeedAPersonMarked() {
        record("web", Phase.Steady, "r-1", "r-1", 0);
        record("api", Phase.AwaitingPromotion, "r-1", "r-2", 0);
        record("cart", Phase.Shifting, "r-1", "r-2", 25);
        record("shop", Phase.RolledBack, "r-1", "r-2", 0);

        Overview.Answer a = overview.since(null);

        assertThat(a.full()).isTrue();
        assertThat(a.version()).isEqualTo("e1-1");
        assertThat(a.total()).isEqualTo(4);
        assertThat(a.services()).extracting(Overview.Row::name).containsExactly("api", "cart", "shop", "web");
        assertThat(a.services()).filteredOn(Overview.Row::attention).extracting(Overview.Row::name).containsExactly("api", "shop");
        assertThat(a.counts()).isEqualTo(Map.of("Steady", 1, "AwaitingPromotion", 1, "Shifting", 1, "RolledBack", 1));
        Overview.Row cart = a.services().get(1);
        assertThat(cart.productionWeights()).isEqualTo(Map.of("r-1", 75, "r-2", 25));
        assertThat(cart.step()).isEqualTo(1);
        assertThat(cart.steps()).isEqualTo(3);
        assertThat(cart.since()).isEqualTo(Instant.parse("2026-12-06T08:00:00Z"));
        assertThat(a.removed()).isEmpty();
    }

    @Test
    void nothingChangedKeepsTheVersionAndASecondPassThatOnlyMovesItsTimeIsNoChange() {
        record("web", Phase.Steady, "r-1", "r-1", 0);
        String v = overview.since(null).version();
        record("web", Phase.Steady, "r-1", "r-1", 0);

        Overview.Answer again = overview.since(v);

        assertThat(again.version()).isEqualTo(v);
        assertThat(again.full()).isFalse();
        assertThat(again.services()).isEmpty();
        assertThat(again.removed()).isEmpty();
    }

    @Test
    void aReadSinceAVersionGetsOnlyTheRowsChangedAfterItAndTheNamesRemoved() {
        for (int i = 0; i < 100; i++) record("svc-" + i, Phase.Steady, "r-1", "r-1", 0);
        String v1 = overview.since(null).version();
        record("svc-7", Phase.Shifting, "r-1", "r-2", 5);
        book.remove("svc-9");
        String v2 = overview.since(v1).version();
        record("svc-8", Phase.Failed, "r-1", "r-2", 0);

        Overview.Answer fromV1 = overview.since(v1);
        Overview.Answer fromV2 = overview.since(v2);

        assertThat(fromV1.full()).isFalse();
        assertThat(fromV1.services()).extracting(Overview.Row::name).containsExactly("svc-7", "svc-8");
        assertThat(fromV1.removed()).containsExactly("svc-9");
        assertThat(fromV2.services()).extracting(Overview.Row::name).containsExactly("svc-8");
        assertThat(fromV2.removed()).isEmpty();
        assertThat(fromV2.total()).isEqualTo(99);
        assertThat(fromV2.counts()).isEqualTo(Map.of("Steady", 97, "Shifting", 1, "Failed", 1));
        assertThat(fromV1.version()).isEqualTo(fromV2.version()).isNotEqualTo(v2);
    }

    @Test
    void aNameThatComesBackIsAChangedRowAndNoLongerRemoved() {
        record("web", Phase.Steady, "r-1", "r-1", 0);
        String v1 = overview.since(null).version();
        book.remove("web");
        overview.since(v1);
        record("web", Phase.Steady, "r-1", "r-1", 0);

        Overview.Answer a = overview.since(v1);

        assertThat(a.services()).extracting(Overview.Row::name).containsExactly("web");
        assertThat(a.removed()).isEmpty();
    }

    @Test
    void aVersionOfAnotherRunOrOfTheFutureOrNoVersionAtAllGetsEverything() {
        record("web", Phase.Steady, "r-1", "r-1", 0);
        overview.since(null);
        for (String since : new String[] {"e0-1", "e1-99", "e1-x", "garbage", "-1", ""}) {
            Overview.Answer a = overview.since(since);
            assertThat(a.full()).as(since).isTrue();
            assertThat(a.services()).as(since).hasSize(1);
        }
    }

    @Test
    void theDesiredStateSourcesAndQueueAreVersionedToo() {
        String v1 = overview.since(null).version();
        desired.set(new DesiredState(Map.of("broken", new DesiredService("broken", DesiredService.State.INVALID, null, null,
                List.of(new SpecError("broken.yaml", 3, 1, "spec.cluster", "required")))), List.of()));

        Overview.Answer a = overview.since(v1);
        assertThat(a.services()).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("broken");
            assertThat(r.state()).isEqualTo(DesiredService.State.INVALID);
            assertThat(r.phase()).as("no pass yet").isNull();
            assertThat(r.labels()).isEmpty();
        });
        assertThat(a.counts()).isEqualTo(Map.of("Pending", 1));

        backlog.set(new WorkQueue.Backlog(3, Duration.ofMillis(4500)));
        Overview.Answer queued = overview.since(a.version());
        assertThat(queued.version()).isNotEqualTo(a.version());
        assertThat(queued.services()).isEmpty();
        assertThat(queued.queue().ready()).isEqualTo(3);
        assertThat(queued.queue().oldestWaitSeconds()).as("whole seconds: the version moves once a second at most").isEqualTo(4.0);
        backlog.set(new WorkQueue.Backlog(3, Duration.ofMillis(4900)));
        assertThat(overview.since(queued.version()).version()).isEqualTo(queued.version());
    }

    @Test
    void eachRowNamesTheReplicaHoldingItsLeaseAndAMovedLeaseIsAChangedRowEvenForAServiceThisReplicaNeverPassed() {
        record("web", Phase.Steady, "r-1", "r-1", 0);
        desired.set(new DesiredState(Map.of("elsewhere", new DesiredService("elsewhere", DesiredService.State.INVALID, null, null,
                List.of())), List.of()));
        book.ownedBy("web", "replica-a");
        book.ownedBy("elsewhere", "replica-b");

        Overview.Answer a = overview.since(null);
        assertThat(a.services()).extracting(Overview.Row::name, Overview.Row::owner)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("elsewhere", "replica-b"), org.assertj.core.groups.Tuple.tuple("web", "replica-a"));

        book.ownedBy("elsewhere", "replica-a");
        Overview.Answer moved = overview.since(a.version());
        assertThat(moved.services()).extracting(Overview.Row::name, Overview.Row::owner)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("elsewhere", "replica-a"));
        book.ownedBy("web", null);
        assertThat(overview.since(moved.version()).services()).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("web");
            assertThat(r.owner()).as("leases off, or no replica holds it").isNull();
        });
    }
}

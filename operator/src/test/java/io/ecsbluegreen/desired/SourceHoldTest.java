package io.ecsbluegreen.desired;

import io.ecsbluegreen.app.SourcesHealthCheck;
import static io.ecsbluegreen.desired.DesiredStateStoreTest.file;
import static io.ecsbluegreen.desired.DesiredStateStoreTest.image;
import static io.ecsbluegreen.desired.DesiredStateStoreTest.listing;
import static io.ecsbluegreen.desired.DesiredStateStoreTest.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.desired.DesiredService.State;
import io.ecsbluegreen.events.Event;
import io.ecsbluegreen.events.EventLog;
import io.ecsbluegreen.metrics.SourceMetrics;
import io.ecsbluegreen.source.SourceFile;
import io.ecsbluegreen.spec.SpecParser;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/** The store with the removal guard: what is held, what stays in force, and what ends a hold. */
class SourceHoldTest {
    final Clock clock = Clock.fixed(Instant.parse("2026-12-06T01:00:00Z"), ZoneOffset.UTC);
    final DesiredStateStore store = new DesiredStateStore(new SpecParser(), clock, List.of("dir:a", "dir:b"),
            name -> false, RemovalGuard.DEFAULT, Set.of());

    static SourceFile[] files(String version, String... names) {
        List<SourceFile> files = new ArrayList<>();
        for (String n : names) files.add(file(n + ".yaml", version, service(n, "nginx:1")));
        return files.toArray(SourceFile[]::new);
    }

    static SourceStatus status(DesiredState state, String source) {
        return state.sources().stream().filter(s -> s.source().equals(source)).findFirst().orElseThrow();
    }

    @Test
    void aSourceThatSuddenlyListsNothingIsHeldAndItsLastGoodSnapshotStaysInForce() {
        store.accept("dir:a", listing("r1", files("v1", "shop", "cart", "web")));
        DesiredState state = store.accept("dir:a", listing("r2"));
        assertThat(state.services()).containsOnlyKeys("shop", "cart", "web");
        assertThat(state.services().values()).extracting(DesiredService::state).containsOnly(State.READY);
        SourceStatus a = status(state, "dir:a");
        assertThat(a.held()).isTrue();
        assertThat(a.hold().reason()).isEqualTo(RemovalGuard.ALL_REMOVED);
        assertThat(a.hold().removed()).containsExactly("cart", "shop", "web");
        assertThat(a.hold().revision()).isEqualTo("r2");
        assertThat(a.revision()).isEqualTo("r1");
        assertThat(a.services()).isEqualTo(3);
        assertThat(store.held()).containsExactly("dir:a");
        assertThat(state.allSourcesHealthy()).isFalse();
    }

    @Test
    void aSmallSourceLosingItsOnlyServiceIsHeldToo() {
        store.accept("dir:a", listing("r1", files("v1", "shop")));
        DesiredState state = store.accept("dir:a", listing("r2"));
        assertThat(state.services().get("shop").state()).isEqualTo(State.READY);
        assertThat(status(state, "dir:a").hold().reason()).isEqualTo(RemovalGuard.ALL_REMOVED);
    }

    @Test
    void removingMoreThanTheShareIsHeldAndRemovingLessTakesEffect() {
        store.accept("dir:a", listing("r1", files("v1", "a1", "a2", "a3", "a4")));
        DesiredState one = store.accept("dir:a", listing("r2", files("v1", "a1", "a2", "a3")));
        assertThat(status(one, "dir:a").held()).isFalse();
        assertThat(one.services().get("a4").state()).isEqualTo(State.ORPHANED);
        DesiredState two = store.accept("dir:a", listing("r3", files("v1", "a1")));
        assertThat(status(two, "dir:a").hold().reason()).isEqualTo(RemovalGuard.TOO_MANY_REMOVED);
        assertThat(status(two, "dir:a").hold().removed()).containsExactly("a2", "a3");
        assertThat(two.services().get("a2").state()).isEqualTo(State.READY);
    }

    @Test
    void theHoldEndsByItselfWhenTheFilesReturn() {
        store.accept("dir:a", listing("r1", files("v1", "shop", "cart")));
        store.accept("dir:a", listing("r2"));
        store.accept("dir:a", listing("r3"));
        DesiredState back = store.accept("dir:a", listing("r4", files("v1", "shop", "cart")));
        assertThat(status(back, "dir:a").held()).isFalse();
        assertThat(status(back, "dir:a").revision()).isEqualTo("r4");
        assertThat(back.services().values()).extracting(DesiredService::state).containsOnly(State.READY);
        assertThat(store.confirm("dir:a")).isEmpty();
    }

    @Test
    void aConfirmationAppliesTheHeldSnapshotAndItsServicesBecomeOrphaned() {
        store.accept("dir:a", listing("r1", files("v1", "shop", "cart")));
        store.accept("dir:b", listing("b1", files("v1", "web")));
        store.accept("dir:a", listing("r2"));
        DesiredState confirmed = store.confirm("dir:a").orElseThrow();
        assertThat(confirmed.services().get("shop").state()).isEqualTo(State.ORPHANED);
        assertThat(confirmed.services().get("cart").state()).isEqualTo(State.ORPHANED);
        assertThat(image(confirmed, "shop")).isEqualTo("nginx:1");
        assertThat(confirmed.services().get("web").state()).isEqualTo(State.READY);
        assertThat(status(confirmed, "dir:a").held()).isFalse();
        assertThat(status(confirmed, "dir:a").revision()).isEqualTo("r2");
        assertThat(confirmed.allSourcesHealthy()).isTrue();
        // Once confirmed the source is simply empty: the next read of it changes nothing.
        assertThat(status(store.accept("dir:a", listing("r3")), "dir:a").held()).isFalse();
    }

    @Test
    void anEmptyFirstReadSinceStartUpIsHeldUntilConfirmedOrServicesAppear() {
        DesiredState empty = store.accept("dir:a", listing("r1"));
        assertThat(status(empty, "dir:a").hold().reason()).isEqualTo(RemovalGuard.EMPTY_AT_START);
        assertThat(status(empty, "dir:a").hold().removed()).isEmpty();
        DesiredState filled = store.accept("dir:a", listing("r2", files("v1", "shop")));
        assertThat(status(filled, "dir:a").held()).isFalse();
        assertThat(filled.services()).containsKey("shop");
    }

    @Test
    void aSourceConfirmedInTheConfigurationIsNeverHeld() {
        DesiredStateStore confirmedAhead = new DesiredStateStore(new SpecParser(), clock, List.of("dir:a"),
                name -> false, RemovalGuard.DEFAULT, Set.of("dir:a"));
        confirmedAhead.accept("dir:a", listing("r1", files("v1", "shop")));
        DesiredState state = confirmedAhead.accept("dir:a", listing("r2"));
        assertThat(status(state, "dir:a").held()).isFalse();
        assertThat(state.services().get("shop").state()).isEqualTo(State.ORPHANED);
    }

    @Test
    void aHeldSourceIsDownInTheHealthCheckAndInTheGaugesAndOneEventSaysWhy() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SourceMetrics metrics = new SourceMetrics(registry, store::current);
        metrics.register("dir:a");
        EventLog events = new EventLog(clock);
        List<Event> seen = new ArrayList<>();
        events.subscribe(seen::add);
        store.addListener(events::desiredChanged);
        store.accept("dir:a", listing("r1", files("v1", "shop", "cart")));
        store.accept("dir:a", listing("r2"));
        store.accept("dir:a", listing("r3"));

        HealthCheckResponse health = new SourcesHealthCheck(store).call();
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(health.getData().orElseThrow().get("dir:a").toString())
                .startsWith("held: AllServicesRemoved").contains("bluegreen sources confirm dir:a");
        assertThat(registry.get("bluegreen.source.held").tag("source", "dir:a").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("bluegreen.source.held.removals").tag("source", "dir:a").gauge().value()).isEqualTo(2.0);
        assertThat(seen).filteredOn(e -> e.type() == Event.Type.SourceHeld).singleElement().satisfies(e -> {
            assertThat(e.service()).isEqualTo("dir:a");
            assertThat(e.reason()).isEqualTo(RemovalGuard.ALL_REMOVED);
            assertThat(e.message()).contains("cart, shop").contains("bluegreen sources confirm dir:a");
        });

        store.confirm("dir:a");
        assertThat(registry.get("bluegreen.source.held").tag("source", "dir:a").gauge().value()).isEqualTo(0.0);
        assertThat(registry.get("bluegreen.source.held.removals").tag("source", "dir:a").gauge().value()).isEqualTo(0.0);
        assertThat(seen).filteredOn(e -> e.type() == Event.Type.SourceHeld).extracting(Event::reason)
                .containsExactly(RemovalGuard.ALL_REMOVED, EventLog.HOLD_RELEASED);
    }
}

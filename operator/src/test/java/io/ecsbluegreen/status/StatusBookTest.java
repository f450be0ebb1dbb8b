package io.ecsbluegreen.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.observed.Measurement;
import io.ecsbluegreen.hooks.HookRun;
import io.ecsbluegreen.model.Phase;
import io.ecsbluegreen.plan.ServiceStatus;
import io.ecsbluegreen.sim.SimClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hook runs and measurements join a report newest first, bounded, without touching anything else in it. */
class StatusBookTest {
    final SimClock clock = SimClock.virtual(Instant.parse("2026-11-23T10:00:00Z"));
    final StatusBook book = new StatusBook(clock);

    @Test
    void hookRunsAndMeasurementsAreKeptNewestFirstUpToTheirBoundsAndTellTheListeners() {
        book.record("shop", new ServiceStatus(Phase.Shifting, "r-1", "r-2", Map.of("r-1", 90, "r-2", 10), Map.of(), 1, 3,
                "Shifting", "step 1 of 3"), StatusBook.Check.ok("Valid"), StatusBook.Check.ok("Acted"));
        List<ServiceReport> heard = new ArrayList<>();
        book.addListener(new StatusBook.Listener() {
            @Override
            public void changed(ServiceReport before, ServiceReport after) {
                heard.add(after);
            }

            @Override
            public void removed(ServiceReport last) {
            }

            @Override
            public void rolloutEnded(String service, RolloutRecord rollout) {
            }
        });
        ServiceReport before = book.get("shop").orElseThrow();
        for (int i = 0; i < StatusBook.HOOK_RUNS + 5; i++) {
            book.hookRan("shop", new HookRun("r-2", "afterInstall", "h" + i, "http", 1, clock.instant(), Duration.ZERO, "Succeeded", null));
        }
        for (int i = 0; i < StatusBook.MEASUREMENTS + 5; i++) {
            book.measured("shop", new Measurement("m" + i, "httpProbe", clock.instant(), 1.0, ">= 0.99", Measurement.Verdict.PASSED, null));
        }
        book.hookRan("nobody", new HookRun("r-2", "afterInstall", "x", "http", 1, clock.instant(), Duration.ZERO, "Succeeded", null));

        ServiceReport after = book.get("shop").orElseThrow();
        assertThat(after.hooks()).hasSize(StatusBook.HOOK_RUNS);
        assertThat(after.hooks().get(0).name()).isEqualTo("h" + (StatusBook.HOOK_RUNS + 4));
        assertThat(after.hooks().get(StatusBook.HOOK_RUNS - 1).name()).isEqualTo("h5");
        assertThat(after.analysis()).hasSize(StatusBook.MEASUREMENTS);
        assertThat(after.analysis().get(0).check()).isEqualTo("m" + (StatusBook.MEASUREMENTS + 4));
        assertThat(after.withHooks(before.hooks()).withAnalysis(before.analysis())).as("nothing else changed").isEqualTo(before);
        assertThat(heard).hasSize(StatusBook.HOOK_RUNS + StatusBook.MEASUREMENTS + 10);
        assertThat(book.get("nobody")).as("a service never reported is not made up").isEmpty();
    }
}

package io.ecsbluegreen.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class SimClockTest {

    private static final Instant START = Instant.parse("2025-03-01T12:00:00Z");

    @Test
    void aVirtualClockStandsStillUntilAdvanced() {
        SimClock clock = SimClock.virtual(START);

        assertThat(clock.instant()).isEqualTo(START);
        clock.advance(Duration.ofSeconds(150));

        assertThat(clock.instant()).isEqualTo(START.plusSeconds(150));
        assertThat(clock.advanced()).isEqualTo(Duration.ofSeconds(150));
    }

    @Test
    void aWallClockFollowsSystemTimePlusWhatWasAdvanced() {
        SimClock clock = SimClock.wall();
        clock.advance(Duration.ofHours(2));

        // bracketed by system time read before and after: an ordering, not a tolerance on elapsed time
        Instant before = Instant.now();
        Instant read = clock.instant();
        Instant after = Instant.now();

        assertThat(read).isBetween(before.plus(Duration.ofHours(2)), after.plus(Duration.ofHours(2)));
        assertThat(clock.mode()).isEqualTo(ClockMode.WALL);
    }

    @Test
    void theClockNeverGoesBackwards() {
        SimClock clock = SimClock.virtual(START);

        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aZonedViewSharesTheSameTime() {
        SimClock clock = SimClock.virtual(START);
        Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));

        clock.advance(Duration.ofMinutes(5));

        assertThat(paris.instant()).isEqualTo(START.plusSeconds(300));
        assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(clock.getZone()).isEqualTo(java.time.ZoneOffset.UTC);
    }

    @Test
    void aWallClockSimulatorUsesSystemTime() {
        try (AwsSimulator sim = AwsSimulator.start(SimulatorConfig.defaults().withClockMode(ClockMode.WALL))) {
            assertThat(sim.clock().mode()).isEqualTo(ClockMode.WALL);
            Instant before = Instant.now();
            Instant read = sim.clock().instant();
            Instant after = Instant.now();
            assertThat(read).isBetween(before, after);
        }
    }
}

package io.ecsbluegreen.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class RandomScenarioTest {

    @Test
    void theSameSeedAlwaysMakesTheSameScenario() {
        for (long seed : new long[] {0, 1, 3970838376066418154L, Long.MAX_VALUE}) {
            assertThat(RandomScenario.generate(seed)).isEqualTo(RandomScenario.generate(seed));
            assertThat(RandomScenario.generate(seed).describe()).contains("-Dscenario.seed=" + seed);
        }
        assertThat(RandomScenario.generate(1)).isNotEqualTo(RandomScenario.generate(2));
    }

    @Test
    void twoHundredSeedsReachEveryKindOfStepAndOfSetup() {
        Set<String> seen = new HashSet<>();
        LongStream.range(0, 200).mapToObj(RandomScenario::generate).forEach(s -> {
            // 3 to 14 steps, and up to 4 autoscaler count changes (between steps, or timed to a phase of a
            // rollout of their own) when the file leaves the count out or declares scaling.
            assertThat(s.steps().stream().filter(step -> !(step instanceof RandomScenario.Autoscale || step instanceof RandomScenario.AutoscaleIn)))
                    .hasSizeBetween(3, 14);
            if (s.setup().scaling() == RandomScenario.Scaling.fixed) {
                assertThat(s.steps()).noneMatch(step -> step instanceof RandomScenario.Autoscale || step instanceof RandomScenario.AutoscaleIn);
            }

            seen.add("scaling " + s.setup().scaling());
            s.steps().forEach(step -> {
                seen.add(step.getClass().getSimpleName());
                if (step instanceof RandomScenario.AutoscaleIn in) seen.add("count changed in " + in.phase());
                if (step instanceof RandomScenario.WhileDraining w) seen.add("inside a window: " + w.then().getClass().getSimpleName());
            });
            seen.add("production " + s.setup().production().authenticate() + (s.setup().production().rule() ? " rule" : " listener"));
            seen.add("delay " + s.setup().greenDelay());
            if (s.setup().test().stickySeconds() > 0) seen.add("sticky test forward");
        });
        assertThat(seen).contains("Deploy", "Revert", "Advance", "Fault", "Drift", "Restart", "Give", "DeregistrationDelay",
                "WhileDraining", "RecreateService", "inside a window: Give", "inside a window: Revert", "inside a window: Deploy",
                "production oidc rule", "production cognito listener", "production none listener", "delay 0", "delay 900",
                "sticky test forward", "Autoscale", "AutoscaleIn", "scaling fixed", "scaling absent", "scaling external",
                "scaling declared");
        assertThat(seen).as("a count changed in every phase a rollout or a rollback passes through")
                .containsAll(RandomScenario.COUNT_CHANGE_PHASES.stream().map(p -> "count changed in " + p).toList());
    }
}

package io.ecsbluegreen.desired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RemovalGuardTest {

    private static Set<String> names(String list) {
        return list == null || list.isBlank() ? Set.of() : new TreeSet<>(Arrays.asList(list.trim().split(" ")));
    }

    @ParameterizedTest(name = "{0}: {2} -> {3} (share {4}, first read {1}) is {5}")
    @CsvSource(delimiter = '|', textBlock = """
            one service removed of four                   | false | a b c d | a b c   | 0.5 | accept
            two of four is exactly half                   | false | a b c d | a b     | 0.5 | accept
            three of four is more than half               | false | a b c d | a       | 0.5 | TooManyServicesRemoved
            every service removed                         | false | a b c d |         | 0.5 | AllServicesRemoved
            a small source losing its only service        | false | a       |         | 0.5 | AllServicesRemoved
            losing all is held even with share 1          | false | a b     |         | 1.0 | AllServicesRemoved
            share 0 holds any removal                     | false | a b c d | a b c   | 0.0 | TooManyServicesRemoved
            renames count as removals                     | false | a b     | x y     | 0.5 | TooManyServicesRemoved
            additions only                                | false | a       | a b c   | 0.5 | accept
            an empty source stays empty                   | false |         |         | 0.5 | accept
            an empty first read since start-up            | true  |         |         | 0.5 | EmptyAtStart
            a first read with services                    | true  |         | a       | 0.5 | accept
            """)
    void theGuardHoldsASourceThatLosesAllOrTooManyOfItsServices(String row, boolean firstRead, String before, String after,
                                                                 double share, String expected) {
        RemovalGuard.Verdict verdict = new RemovalGuard(true, share).check("dir:svc", firstRead, names(before), names(after));
        if (expected.equals("accept")) {
            assertThat(verdict).isInstanceOf(RemovalGuard.Accept.class);
        } else {
            assertThat(verdict).isInstanceOfSatisfying(RemovalGuard.Hold.class, h -> {
                assertThat(h.reason()).isEqualTo(expected);
                TreeSet<String> removed = new TreeSet<>(names(before));
                removed.removeAll(names(after));
                assertThat(h.removed()).containsExactlyElementsOf(removed);
                assertThat(h.before()).isEqualTo(names(before).size());
                assertThat(h.message()).contains("dir:svc");
            });
        }
    }

    @Test
    void aDisabledGuardAcceptsEvenTheRemovalOfEverything() {
        assertThat(RemovalGuard.OFF.check("dir:svc", false, names("a b"), Set.of())).isInstanceOf(RemovalGuard.Accept.class);
        assertThat(RemovalGuard.OFF.check("dir:svc", true, Set.of(), Set.of())).isInstanceOf(RemovalGuard.Accept.class);
    }

    @Test
    void aHoldMessageNamesAtMostFiveServicesAndCountsTheRest() {
        RemovalGuard.Hold hold = (RemovalGuard.Hold) RemovalGuard.DEFAULT.check("s3://b/p", false, names("a b c d e f g"), Set.of());
        assertThat(hold.message()).contains("all 7 of its services (a, b, c, d, e and 2 more)");
    }

    @Test
    void aShareOutsideZeroToOneIsRefusedWithThePropertyName() {
        assertThatThrownBy(() -> new RemovalGuard(true, 1.5)).hasMessageContaining("bluegreen.sync.removal-guard.max-share");
        assertThatThrownBy(() -> new RemovalGuard(true, Double.NaN)).hasMessageContaining("between 0 and 1");
    }
}

package io.ecsbluegreen.plan;

import io.ecsbluegreen.model.Phase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecsbluegreen.observed.Observed;
import io.ecsbluegreen.plan.OperatorOwnership.Decision;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which replica writes to a service: the decision as a table, then what it does to a plan. */
class OperatorOwnershipTest {
    static final Instant NOW = Instant.parse("2026-12-06T02:00:00Z");
    static final OperatorOwnership.Self SELF = new OperatorOwnership.Self("replica-a", Duration.ofMinutes(2), Duration.ofSeconds(30));
    static final String ARN = "arn:aws:ecs:us-east-1:000000000000:service/demo/greeter";

    /** What a row expects: YIELD, WRITE with a heartbeat (BEAT), WRITE without one (QUIET); and a takeover from whom. */
    enum Expect { YIELD, BEAT, QUIET }

    /** The instance tags of a service: owner (null for none) and heartbeat value (null for none). */
    static Map<String, String> tags(String owner, String heartbeat) {
        Map<String, String> tags = new HashMap<>();
        tags.put(Tags.OWNER, "greeter");
        if (owner != null) tags.put(Tags.OPERATOR_INSTANCE, owner);
        if (heartbeat != null) tags.put(Tags.OPERATOR_HEARTBEAT, heartbeat);
        return tags;
    }

    static String ago(int seconds) {
        return String.valueOf(NOW.minusSeconds(seconds).getEpochSecond());
    }

    static Stream<Arguments> decisions() {
        return Stream.of(
                Arguments.of("no owner yet, a write claims the service", null, null, true, false, Expect.BEAT, null),
                Arguments.of("no owner, nothing to write and no rollout: nothing at all", null, null, false, false, Expect.QUIET, null),
                Arguments.of("no owner, a rollout waiting claims the service", null, null, false, true, Expect.BEAT, null),
                Arguments.of("own heartbeat 10s old: fresh, not written again", "replica-a", ago(10), true, false, Expect.QUIET, null),
                Arguments.of("own heartbeat 30s old: refreshed with the write", "replica-a", ago(30), true, false, Expect.BEAT, null),
                Arguments.of("own heartbeat 29s old, rollout waiting: not yet", "replica-a", ago(29), false, true, Expect.QUIET, null),
                Arguments.of("own heartbeat 200s old, rollout waiting: refreshed", "replica-a", ago(200), false, true, Expect.BEAT, null),
                Arguments.of("own heartbeat, steady and nothing to write: nothing", "replica-a", ago(200), false, false, Expect.QUIET, null),
                Arguments.of("another instance 10s ago, a write: yield", "replica-b", ago(10), true, false, Expect.YIELD, null),
                Arguments.of("another instance 10s ago, a rollback write: yield too", "replica-b", ago(10), true, true, Expect.YIELD, null),
                Arguments.of("another instance 10s ago, its rollout waiting: yield, no claim", "replica-b", ago(10), false, true, Expect.YIELD, null),
                Arguments.of("another instance 10s ago, steady and nothing to write: nothing", "replica-b", ago(10), false, false, Expect.QUIET, null),
                Arguments.of("another instance 119s ago: still live", "replica-b", ago(119), true, false, Expect.YIELD, null),
                Arguments.of("another instance 120s ago: taken over", "replica-b", ago(120), true, false, Expect.BEAT, "replica-b"),
                Arguments.of("another instance silent an hour, rollout waiting: taken over", "replica-b", ago(3600), false, true, Expect.BEAT, "replica-b"),
                Arguments.of("another instance without a heartbeat: taken over", "replica-b", null, true, false, Expect.BEAT, "replica-b"),
                Arguments.of("another instance with an unreadable heartbeat: taken over", "replica-b", "yesterday", true, false, Expect.BEAT, "replica-b"),
                Arguments.of("another instance with a heartbeat 30s ahead (clock skew): live", "replica-b", ago(-30), true, false, Expect.YIELD, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decisions")
    void aReplicaWritesYieldsOrTakesOverByTheInstanceTagsOnTheService(String row, String owner, String heartbeat, boolean writes,
                                                                       boolean rollingOut, Expect expect, String takenOverFrom) {
        Decision d = OperatorOwnership.decide(tags(owner, heartbeat), SELF, writes, rollingOut, NOW);
        switch (expect) {
            case YIELD -> assertThat(d).isInstanceOfSatisfying(Decision.Yield.class, y -> assertThat(y.owner()).isEqualTo(owner));
            case BEAT -> assertThat(d).isInstanceOfSatisfying(Decision.Write.class, w -> {
                assertThat(w.heartbeat()).containsExactlyInAnyOrderEntriesOf(Map.of(Tags.OPERATOR_INSTANCE, "replica-a",
                        Tags.OPERATOR_HEARTBEAT, String.valueOf(NOW.getEpochSecond())));
                assertThat(w.takenOverFrom()).isEqualTo(takenOverFrom);
            });
            case QUIET -> assertThat(d).isInstanceOfSatisfying(Decision.Write.class, w -> {
                assertThat(w.heartbeat()).isEmpty();
                assertThat(w.takenOverFrom()).isNull();
            });
        }
    }

    @Test
    void aYieldSaysWhoOwnsTheServiceHowOldItsHeartbeatIsAndWhenToLookAgain() {
        Decision d = OperatorOwnership.decide(tags("replica-b", ago(45)), SELF, true, false, NOW);
        assertThat(d).isEqualTo(new Decision.Yield("replica-b", Duration.ofSeconds(45), Duration.ofSeconds(75)));
        Plan planned = new Plan(List.of(new Action.DeleteTaskSet("arn:ts", "retired")),
                ServiceStatus.of(Phase.Shifting, "r-blue", "r-green", Reason.Shifting, "step 2 of 3"), new Plan.Next.After(Duration.ofMinutes(5)), List.of());
        Observed.EcsService service = new Observed.EcsService(ARN, "ACTIVE", "EXTERNAL", 2, tags("replica-b", ago(45)));
        Plan yielded = OperatorOwnership.apply(planned, service, SELF, d);
        assertThat(yielded.actions()).isEmpty();
        assertThat(yielded.terminal()).isFalse();
        assertThat(yielded.requeueAfter()).isEqualTo(Duration.ofSeconds(76));
        assertThat(yielded.status().phase()).isEqualTo(Phase.Shifting);
        assertThat(yielded.status().reason()).isEqualTo(OperatorOwnership.OWNED_BY_ANOTHER_OPERATOR);
        assertThat(yielded.status().message()).contains("replica-b").contains("45s ago").contains("replica-a").contains("120s");
    }

    @Test
    void theHeartbeatIsWrittenBeforeThePlansOwnActions() {
        Plan planned = new Plan(List.of(new Action.DeleteTaskSet("arn:ts", "retired")),
                ServiceStatus.of(Phase.Shifting, "r-blue", "r-green", Reason.Shifting, "step 2 of 3"), new Plan.Next.After(Duration.ofSeconds(10)), List.of());
        Observed.EcsService service = new Observed.EcsService(ARN, "ACTIVE", "EXTERNAL", 2, tags("replica-b", ago(600)));
        Plan written = OperatorOwnership.apply(planned, service, SELF, OperatorOwnership.decide(planned, service, SELF, NOW));
        assertThat(written.actions()).containsExactly(new Action.TagResource(ARN, Map.of(Tags.OPERATOR_INSTANCE, "replica-a",
                Tags.OPERATOR_HEARTBEAT, String.valueOf(NOW.getEpochSecond()))), new Action.DeleteTaskSet("arn:ts", "retired"));
        assertThat(written.status()).isEqualTo(planned.status());
        assertThat(written.requeueAfter()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void anInstanceIdBecomesAValidTagValueAndTheHeartbeatMustBeShorterThanTheTakeover() {
        assertThat(new OperatorOwnership.Self("pod/op-0, zone <a>", Duration.ofMinutes(2), Duration.ofSeconds(30)).id())
                .isEqualTo("pod/op-0_ zone _a_");
        assertThatThrownBy(() -> new OperatorOwnership.Self("a", Duration.ofSeconds(30), Duration.ofSeconds(30)))
                .hasMessageContaining("heartbeat").hasMessageContaining("takeover-after");
        assertThatThrownBy(() -> new OperatorOwnership.Self(" ", Duration.ofMinutes(2), Duration.ofSeconds(30)))
                .hasMessageContaining("empty");
    }
}

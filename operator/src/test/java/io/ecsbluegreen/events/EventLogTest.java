package io.ecsbluegreen.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecsbluegreen.observed.Measurement;
import io.ecsbluegreen.desired.DesiredState;
import io.ecsbluegreen.desired.SourceStatus;
import io.ecsbluegreen.hooks.HookRun;
import io.ecsbluegreen.model.Phase;
import io.ecsbluegreen.plan.Plan;
import io.ecsbluegreen.plan.ServiceStatus;
import io.ecsbluegreen.sim.SimClock;
import io.ecsbluegreen.spec.SpecError;
import io.ecsbluegreen.status.RolloutRecord;
import io.ecsbluegreen.status.ServiceReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Events: one per thing people care about, newest first, bounded, as flat JSON lines, and to subscribers. */
class EventLogTest {
    final SimClock clock = SimClock.virtual(Instant.parse("2026-11-23T10:00:00Z"));
    final EventLog log = new EventLog(clock);

    static ServiceReport report(Phase phase, String reason, String message) {
        return new ServiceReport("shop", phase, "r-1", "r-2", Map.of(), Map.of(), 0, 0, reason, message, List.of(),
                Instant.EPOCH, Instant.EPOCH, null, 0, List.of(), List.of(), List.of());
    }

    @Test
    void aPhaseChangeIsOneEventAndAReportThatKeepsItsPhaseIsNone() {
        ServiceReport steady = report(Phase.Steady, "Converged", null);
        ServiceReport deploying = report(Phase.Deploying, "CreatingGreen", "creating a task set for r-2");
        log.changed(null, steady);
        log.changed(steady, deploying);
        log.changed(deploying, report(Phase.Deploying, "WaitingForGreen", "green r-2: 0/2 running"));
        List<Event> events = log.events("shop");
        assertThat(events).extracting(Event::type).containsExactly(Event.Type.PhaseChanged, Event.Type.PhaseChanged);
        assertThat(events.get(0).phase()).isEqualTo("Deploying");
        assertThat(events.get(0).message()).isEqualTo("Steady -> Deploying: creating a task set for r-2");
    }

    @Test
    void rolloutsHooksFailedMeasurementsAndDriftAreEventsWithTheirReasons() {
        log.rolloutEnded("shop", new RolloutRecord("r-2", "r-1", Instant.EPOCH, clock.instant(), RolloutRecord.Outcome.RolledBack,
                "AlarmTriggered: alarm shop-5xx is in ALARM"));
        log.hookRan("shop", new HookRun("r-2", "afterInstall", "migrate", "lambda", 3, clock.instant(), Duration.ofSeconds(2),
                "TimedOut", "still InProgress"));
        log.measured("shop", new Measurement("error-rate", "targetGroupMetric", clock.instant(), 0.2, "<= 0.01",
                Measurement.Verdict.FAILED, "errorRate"));
        log.measured("shop", new Measurement("error-rate", "targetGroupMetric", clock.instant(), 0.001, "<= 0.01",
                Measurement.Verdict.PASSED, "errorRate"));
        ServiceStatus status = new ServiceStatus(Phase.Steady, "r-1", "r-1", Map.of(), Map.of(), 0, 0, "Converged", null);
        log.passed("shop", "requeue", Duration.ZERO, new Plan(List.of(), status, Plan.Next.IDLE,
                List.of(new Plan.Drift("listenerWeights", "production sent 30% away from the primary task set"))));

        List<Event> events = log.events("shop");
        assertThat(events).extracting(Event::type).containsExactly(Event.Type.DriftCorrected, Event.Type.AnalysisFailed,
                Event.Type.HookFailed, Event.Type.RolloutFailed);
        assertThat(events.get(3).message()).isEqualTo("RolledBack: r-2 (AlarmTriggered: alarm shop-5xx is in ALARM)");
        assertThat(events.get(2).message()).isEqualTo("afterInstall lambda hook migrate TimedOut after 3 attempt(s): still InProgress");
        assertThat(events.get(1).message()).isEqualTo("check error-rate: 0.2 outside <= 0.01 (errorRate)");
        assertThat(events.get(0).reason()).isEqualTo("listenerWeights");
    }

    @Test
    void aRollbackEventCarriesTheImagesAndCommitOfTheRevisionAsTheLatestReportKnowsThem() throws Exception {
        io.ecsbluegreen.status.RevisionLabel label = new io.ecsbluegreen.status.RevisionLabel("r-2", List.of("shop:2.0.0"),
                io.ecsbluegreen.source.Provenance.commit("1a2b3c4d5e", "Bump shop", "Alice Martin", null));
        ServiceReport rollingBack = new ServiceReport("shop", Phase.RollingBack, "r-1", "r-2", Map.of(), Map.of(), 0, 0,
                "AlarmTriggered", "alarm", List.of(), Instant.EPOCH, Instant.EPOCH, null, 0, List.of(), List.of(), List.of(),
                null, Map.of("r-2", label));
        log.changed(null, rollingBack);
        log.rolloutEnded("shop", new RolloutRecord("r-2", "r-1", Instant.EPOCH, clock.instant(), RolloutRecord.Outcome.RolledBack,
                "AlarmTriggered: alarm shop-5xx is in ALARM"));

        Event rollback = log.events("shop").get(0);
        assertThat(rollback.label()).isEqualTo(label);
        assertThat(rollback.revisionText()).isEqualTo("r-2 [shop:2.0.0 from git 1a2b3c4 \"Bump shop\" (Alice Martin)]");
        var line = new ObjectMapper().readTree(log.line(rollback));
        assertThat(line.get("images").asText()).isEqualTo("shop:2.0.0");
        assertThat(line.get("source").asText()).isEqualTo("git 1a2b3c4 \"Bump shop\" (Alice Martin)");
        assertThat(log.events("shop").get(1).label()).as("the phase change names the desired revision's label too").isEqualTo(label);
    }

    @Test
    void eachEventIsOneFlatJsonLine() throws Exception {
        Event e = new Event(clock.instant(), Event.Type.HookSucceeded, "shop", "r-2", null, "Succeeded", "a \"quoted\"\nmessage");
        String line = log.line(e);
        assertThat(line).doesNotContain("\n");
        var node = new ObjectMapper().readTree(line);
        assertThat(node.get("event").asText()).isEqualTo("HookSucceeded");
        assertThat(node.get("service").asText()).isEqualTo("shop");
        assertThat(node.get("revision").asText()).isEqualTo("r-2");
        assertThat(node.has("phase")).isFalse();
        assertThat(node.get("message").asText()).isEqualTo("a \"quoted\"\nmessage");
    }

    @Test
    void theHistoryKeepsTheNewestHundredAndSubscribersHearEveryEvent() {
        List<Event> heard = new ArrayList<>();
        log.subscribe(heard::add);
        log.subscribe(e -> {
            throw new IllegalStateException("a broken receiver");
        });
        for (int i = 0; i < 150; i++) {
            log.record(new Event(clock.instant().plusSeconds(i), Event.Type.DriftCorrected, "shop", null, null, "k" + i, null));
        }
        assertThat(heard).hasSize(150);
        assertThat(log.events("shop")).hasSize(EventLog.KEPT);
        assertThat(log.events("shop").get(0).reason()).isEqualTo("k149");
        assertThat(log.events("other")).isEmpty();
    }

    @Test
    void aSourceThatFailsIsOneEventUntilItRecovers() {
        SourceStatus ok = new SourceStatus("git", true, "abc", clock.instant(), clock.instant(), null, 3, 3, List.of());
        SourceStatus down = new SourceStatus("git", false, "abc", clock.instant(), clock.instant(), "connection refused", 3, 3, List.of());
        SourceStatus invalid = new SourceStatus("git", true, "abd", clock.instant(), clock.instant(), null, 3, 3,
                List.of(new SourceStatus.InvalidFile("shop.yaml", "abd",
                        List.of(new SpecError("shop.yaml", 7, 3, "spec.desiredCount", "must be at least 0")))));
        log.desiredChanged(new DesiredState(Map.of(), List.of(ok)));
        log.desiredChanged(new DesiredState(Map.of(), List.of(down)));
        log.desiredChanged(new DesiredState(Map.of(), List.of(down)));
        log.desiredChanged(new DesiredState(Map.of(), List.of(invalid)));
        log.desiredChanged(new DesiredState(Map.of(), List.of(ok)));
        List<Event> events = log.events("git");
        assertThat(events).extracting(Event::type).containsExactly(Event.Type.SourceRecovered, Event.Type.SourceError,
                Event.Type.SourceError);
        assertThat(events.get(2).message()).isEqualTo("source git cannot be read: connection refused");
        assertThat(events.get(1).reason()).isEqualTo("InvalidFile");
        assertThat(events.get(1).message()).contains("shop.yaml (shop.yaml:7:3: spec.desiredCount: must be at least 0)");
    }

    @Test
    void aSourceNotReadYetAtStartUpIsNoErrorAndItsFirstCleanReadNoRecovery() {
        SourceStatus unread = new SourceStatus("git", false, null, null, null, "not synced yet", 0, 0, List.of());
        SourceStatus ok = new SourceStatus("git", true, "abc", clock.instant(), clock.instant(), null, 3, 3, List.of());
        log.desiredChanged(new DesiredState(Map.of(), List.of(unread)));
        log.desiredChanged(new DesiredState(Map.of(), List.of(ok)));
        assertThat(log.events("git")).isEmpty();
    }
}

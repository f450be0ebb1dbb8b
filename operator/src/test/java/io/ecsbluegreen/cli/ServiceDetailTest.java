package io.ecsbluegreen.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** `bluegreen status NAME` prints what an on-call engineer needs first, hook runs and analysis numbers included. */
class ServiceDetailTest {

    @Test
    void theDetailShowsHookRunsAndAnalysisMeasurementsWithTheirNumbers() throws Exception {
        String json = """
                {"name": "catalog", "state": "READY", "origin": {"file": "catalog.yaml", "line": 1},
                 "status": {"phase": "RollingBack", "reason": "AnalysisFailed",
                   "message": "analysis check error-rate failed 2 of 2 allowed time(s)",
                   "lastTransitionTime": "2026-11-23T10:00:00Z", "activeRevision": "r-1", "desiredRevision": "r-2",
                   "productionWeights": {"r-1": 100}, "testWeights": {}, "step": 0, "steps": 0,
                   "conditions": [], "history": [],
                   "hooks": [{"revision": "r-2", "point": "afterAllowTestTraffic", "name": "smoke-test", "kind": "http",
                              "attempts": 2, "startedAt": "2026-11-23T09:58:00Z", "outcome": "Succeeded", "detail": "HTTP 200: ok"}],
                   "analysis": [{"check": "error-rate", "kind": "targetGroupMetric", "at": "2026-11-23T09:59:30Z",
                                 "value": 0.034, "threshold": "<= 0.01", "verdict": "FAILED", "detail": "17 of 500 requests 5xx"}]}}
                """;
        String out = ServiceCommands.detail(Json.parse(json), Instant.parse("2026-11-23T10:01:00Z"));
        assertThat(out).contains("phase:      RollingBack (AnalysisFailed")
                .containsPattern("hooks:\\n    afterAllowTestTraffic/smoke-test +http +Succeeded +attempt 2 +2026-11-23T09:58:00Z +HTTP 200: ok")
                .containsPattern("analysis:\\n    error-rate +FAILED +0.034 +<= 0.01 +2026-11-23T09:59:30Z +17 of 500 requests 5xx");
    }

    @Test
    void theStatusJsonLabelsItsRevisionsAndTheCliShowsTheirImagesAndCommits() throws Exception {
        var label1 = new io.ecsbluegreen.status.RevisionLabel("r-111111111111", java.util.List.of("greeter:1.0.0"), null);
        var label2 = new io.ecsbluegreen.status.RevisionLabel("r-222222222222", java.util.List.of("greeter:2.0.0"),
                io.ecsbluegreen.source.Provenance.commit("9f8e7d6c5b4a", "Release greeter 2.0.0", "Alice Martin", null));
        var report = new io.ecsbluegreen.status.ServiceReport("greeter", io.ecsbluegreen.model.Phase.Shifting, "r-111111111111",
                "r-222222222222", java.util.Map.of("r-111111111111", 90, "r-222222222222", 10), java.util.Map.of(), 1, 3,
                "Shifting", "step 1 of 3", java.util.List.of(), Instant.parse("2026-11-23T10:00:00Z"), null, null, 0,
                java.util.List.of(new io.ecsbluegreen.status.RolloutRecord("r-222222222222", "r-111111111111",
                        Instant.parse("2026-11-23T09:58:00Z"), null, null, null)),
                java.util.List.of(), java.util.List.of(), null,
                java.util.Map.of(label1.revision(), label1, label2.revision(), label2));
        ObjectMapper json = io.ecsbluegreen.app.JsonSetup.configure(new ObjectMapper().findAndRegisterModules()
                .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS));
        var status = json.valueToTree(report);
        assertThat(status.path("revisions").path("r-222222222222").path("images").get(0).asText()).isEqualTo("greeter:2.0.0");
        assertThat(status.path("revisions").path("r-222222222222").path("source").path("ref").asText()).isEqualTo("9f8e7d6");
        assertThat(status.path("revisions").path("r-222222222222").path("text").asText())
                .isEqualTo("greeter:2.0.0 from git 9f8e7d6 \"Release greeter 2.0.0\" (Alice Martin)");

        var service = json.createObjectNode().put("name", "greeter").put("state", "READY");
        service.set("status", status);
        String out = ServiceCommands.detail(Json.parse(json.writeValueAsString(service)), Instant.parse("2026-11-23T10:01:00Z"));
        assertThat(out).contains("  active:     r-111111111111  greeter:1.0.0\n")
                .contains("  desired:    r-222222222222  greeter:2.0.0 from git 9f8e7d6 \"Release greeter 2.0.0\" (Alice Martin)")
                .contains("      greeter:2.0.0 from git 9f8e7d6");
        var summary = json.createObjectNode().put("name", "greeter").put("phase", "Shifting")
                .put("activeRevision", "r-111111111111").put("desiredRevision", "r-222222222222");
        summary.set("revisions", status.path("revisions"));
        assertThat(ServiceCommands.table(Json.parse(json.writeValueAsString(json.createArrayNode().add(summary))),
                Instant.parse("2026-11-23T10:01:00Z")))
                .contains("r-111111111111 greeter:1.0.0").contains("r-222222222222 greeter:2.0.0");
    }

    @Test
    void theDetailNamesTheIdentityThatActsForTheService() throws Exception {
        String json = """
                {"name": "checkout", "state": "READY", "origin": {"file": "checkout.yaml", "line": 1},
                 "status": {"phase": "Steady", "reason": "Converged", "message": "production runs r-1",
                   "lastTransitionTime": "2026-11-23T10:00:00Z", "activeRevision": "r-1", "desiredRevision": "r-1",
                   "productionWeights": {"r-1": 100}, "testWeights": {}, "step": 0, "steps": 0,
                   "conditions": [], "history": [], "hooks": [], "analysis": [],
                   "identity": "arn:aws:iam::222233334444:role/bluegreen-deployer"}}
                """;
        String out = ServiceCommands.detail(Json.parse(json), Instant.parse("2026-11-23T10:01:00Z"));
        assertThat(out).contains("  acting as:  arn:aws:iam::222233334444:role/bluegreen-deployer\n");
    }

    @Test
    void controlCharactersFromTheOperatorAreEscapedLineByLineKeepingTheLayout() {
        String text = "NAME  PHASE\nshop  Invalid: 'bri\u001b]0;owned\u0007dge' is not one of\n";
        assertThat(ServiceCommands.printableLines(text))
                .isEqualTo("NAME  PHASE\nshop  Invalid: 'bri\\x1B]0;owned\\x07dge' is not one of\n");
    }

    @Test
    void instantsAreReadByHandExactlyAsInstantParseReadsThem() {
        for (String text : java.util.List.of("2026-11-23T10:00:00Z", "2026-11-23T10:00:00.5Z", "2026-11-23T10:00:00.123456789Z",
                "1970-01-01T00:00:00Z", "2024-02-29T23:59:59.000001Z", "0001-01-01T00:00:00Z", "2026-11-23T10:00:00+02:00",
                "2026-11-23T23:59:60Z", "2026-11-23T24:00:00Z", "2026-11-23T10:00:00.Z", "+12026-11-23T10:00:00Z")) {
            assertThat(ServiceCommands.instant(text)).as(text).isEqualTo(Instant.parse(text));
        }
        for (String bad : java.util.List.of("2026-02-30T10:00:00Z", "2026-13-01T10:00:00Z", "2026-11-23T10:00:00.1234567890Z", "2026-11-2xT10:00:00Z")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServiceCommands.instant(bad)).as(bad)
                    .isInstanceOf(java.time.format.DateTimeParseException.class);
        }
    }
}

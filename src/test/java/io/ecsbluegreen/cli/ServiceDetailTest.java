package io.ecsbluegreen.cli;

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
}

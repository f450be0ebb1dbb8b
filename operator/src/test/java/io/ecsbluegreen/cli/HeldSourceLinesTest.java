package io.ecsbluegreen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * {@code bluegreen status} and {@code bluegreen sources} put a held source first: which source, how many
 * removals, since when, why, and the command that confirms (the answers of {@code GET /api/v1/sources}).
 */
class HeldSourceLinesTest {

    static final Instant NOW = Instant.parse("2026-11-23T10:05:00Z");

    static Json sources(String json) throws Exception {
        return Json.parse(json);
    }

    static final String HELD_AND_HEALTHY = """
            [{"source": "dir:/srv/a", "healthy": true, "revision": "r-a1", "lastSuccess": "2026-11-23T10:04:30Z",
              "files": 7, "services": 7, "invalidFiles": [],
              "hold": {"reason": "TooManyServicesRemoved", "removed": ["cart", "checkout", "pay", "search", "shop", "tax"],
                       "revision": "r-a2", "since": "2026-11-23T10:00:00Z", "message": "source dir:/srv/a would remove 6 of its 7"}},
             {"source": "git:https://example.test/b.git", "healthy": true, "revision": "abc123",
              "lastSuccess": "2026-11-23T10:04:00Z", "files": 2, "services": 2, "invalidFiles": [], "hold": null}]
            """;

    @Test
    void aHeldSourceGetsOneLineWithItsRemovalsSinceWhenWhyAndTheConfirmCommand() throws Exception {
        String lines = SourceCommands.heldLines(sources(HELD_AND_HEALTHY), NOW);
        assertThat(lines.lines()).as("the healthy source gets no line").hasSize(1);
        assertThat(lines).isEqualTo("HELD source dir:/srv/a: TooManyServicesRemoved, 6 removals of 7"
                + " (cart, checkout, pay, search, shop and 1 more), for 5m; the last good snapshot stays in force."
                + " Restore the files, or confirm: bluegreen sources confirm dir:/srv/a\n");
    }

    @Test
    void aSourceHeldEmptyAtStartSaysItDeclaresNoServiceRatherThanZeroRemovals() throws Exception {
        String lines = SourceCommands.heldLines(sources("""
                [{"source": "dir:/srv/empty", "healthy": true, "revision": "r-0", "files": 0, "services": 0, "invalidFiles": [],
                  "hold": {"reason": "EmptyAtStart", "removed": [], "revision": "r-0", "since": "2026-11-23T10:04:58Z",
                           "message": "declares no service at all on its first read"}}]
                """), NOW);
        assertThat(lines).startsWith("HELD source dir:/srv/empty: EmptyAtStart, declares no service, for 2s;")
                .endsWith("bluegreen sources confirm dir:/srv/empty\n");
    }

    @Test
    void noSourceHeldPrintsNothingAboveTheStatus() throws Exception {
        assertThat(SourceCommands.heldLines(sources("""
                [{"source": "dir:examples", "healthy": true, "revision": "r-1", "files": 3, "services": 3, "invalidFiles": []}]
                """), NOW)).isEmpty();
    }

    @Test
    void theSourcesListingShowsEachSourceWithItsHeldState() throws Exception {
        String table = SourceCommands.table(sources(HELD_AND_HEALTHY), NOW);
        assertThat(table.lines().toList()).hasSize(3);
        assertThat(table.lines().toList().get(0)).startsWith("SOURCE").contains("HEALTHY").contains("HELD").contains("SERVICES");
        assertThat(table).containsPattern("dir:/srv/a +yes +TooManyServicesRemoved \\(6 removals\\) +r-a1 +7 +7 +30s ago +-")
                .containsPattern("git:https://example.test/b.git +yes +- +abc123 +2 +2 +60s ago +-");
    }

    @Test
    void theSourcesListingNamesEveryErrorOfAnInvalidFileByFileLineAndField() throws Exception {
        Json listing = sources("""
                [{"source": "dir:examples", "healthy": true, "revision": "r-1", "files": 2, "services": 1,
                  "invalidFiles": [{"file": "examples/broken.yaml", "version": "sha256:1", "errors": [
                    {"file": "examples/broken.yaml", "line": 6, "column": 17, "path": "spec.desiredCount",
                     "message": "must be between 1 and 5000, not -1"},
                    {"file": "examples/broken.yaml", "line": 5, "column": 1, "path": "spec.cluster",
                     "message": "required field 'cluster' is missing"}]}]},
                 {"source": "git:https://example.test/b.git", "healthy": true, "revision": "abc", "files": 1, "services": 1,
                  "invalidFiles": []}]
                """);
        assertThat(SourceCommands.invalidLines(listing)).isEqualTo(
                "INVALID examples/broken.yaml:6:17: spec.desiredCount: must be between 1 and 5000, not -1\n"
                        + "INVALID examples/broken.yaml:5:1: spec.cluster: required field 'cluster' is missing\n");
        assertThat(SourceCommands.invalidLines(sources(HELD_AND_HEALTHY))).as("no invalid file, no line").isEmpty();
    }
}

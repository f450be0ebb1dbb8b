package io.ecsbluegreen.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What finding the commit that last changed each file costs a git source: a repository of 400 commits and
 * 40 service files, each commit changing one of 39 files in turn and one file changed only by the first
 * commit (the worst case: the whole history is walked at the first fetch after a start). Prints the time
 * and the commits walked of a fetch after a start, of a fetch after one new commit, and of one without.
 */
@Tag("benchmark")
@Timeout(300)
class GitProvenanceBenchmark {
    private static final int COMMITS = 400;
    private static final int FILES = 40;

    @TempDir
    Path upstreamDirectory;

    @TempDir
    Path workDirectory;

    @Test
    void the_provenance_of_forty_files_in_a_history_of_four_hundred_commits() throws Exception {
        try (Upstream upstream = Upstream.create(upstreamDirectory)) {
            Map<String, String> all = new HashMap<>();
            for (int f = 0; f < FILES; f++) all.put("services/svc-" + f + ".yaml", "name: svc-" + f + "\nimage: v0\n");
            upstream.commit("all services", all);
            for (int c = 1; c < COMMITS; c++) {
                int f = 1 + c % (FILES - 1);
                upstream.commit("bump svc-" + f + " to v" + c, new PersonIdent("Dev " + c % 7, "dev@example.com"),
                        Map.of("services/svc-" + f + ".yaml", "name: svc-" + f + "\nimage: v" + c + "\n"));
            }
            try (GitSource plain = new GitSource((SourceUri.Git) SourceUri.parse("git:" + upstream.url()), workDirectory.resolve("a"))) {


                long t0 = System.nanoTime();
                SourceListing first = plain.fetch();
                long firstNanos = System.nanoTime() - t0;
                long walkedFirst = plain.commitsWalked();

                FileHistory again = new FileHistory();
                Map<String, org.eclipse.jgit.lib.ObjectId> blobs = new HashMap<>();
                var repo = upstream.repository();
                var head = repo.resolve("refs/heads/main");
                for (SourceFile f : first.files()) blobs.put(f.path(), org.eclipse.jgit.lib.ObjectId.fromString(f.version()));
                long t1 = System.nanoTime();
                Map<String, Provenance> found = again.of(repo, head, blobs);
                long historyNanos = System.nanoTime() - t1;

                upstream.commit("bump svc-3 once more", Map.of("services/svc-3.yaml", "name: svc-3\nimage: again\n"));
                long t2 = System.nanoTime();
                plain.fetch();
                long moveNanos = System.nanoTime() - t2;
                long walkedMove = plain.commitsWalked() - walkedFirst;

                long t3 = System.nanoTime();
                plain.fetch();
                long idleNanos = System.nanoTime() - t3;

                assertThat(found).hasSize(FILES);
                assertThat(walkedFirst).isEqualTo(COMMITS);
                assertThat(walkedMove).isEqualTo(1);
                System.out.printf("git provenance, %d commits, %d files:%n", COMMITS, FILES);
                System.out.printf("  first fetch after a start (clone, read, history): %.1f ms, %d commits walked%n", firstNanos / 1e6, walkedFirst);
                System.out.printf("  of which the history walk alone (measured again on the upstream): %.1f ms%n", historyNanos / 1e6);
                System.out.printf("  fetch after one new commit: %.1f ms, %d commit walked%n", moveNanos / 1e6, walkedMove);
                System.out.printf("  fetch without a new commit: %.1f ms, 0 commits walked%n", idleNanos / 1e6);
            }
        }
    }
}

package io.ecsbluegreen.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The commit that last changed each file of a git source, read from real JGit repositories. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Timeout(60)
class GitProvenanceTest {
    private static final PersonIdent ALICE = new PersonIdent("Alice Martin", "alice@example.com");
    private static final PersonIdent BOB = new PersonIdent("Bob Chen", "bob@example.com");

    @TempDir
    Path upstreamDirectory;

    @TempDir
    Path workDirectory;

    private Upstream upstream;
    private GitSource source;

    @BeforeEach
    void createUpstream() throws Exception {
        upstream = Upstream.create(upstreamDirectory);
    }

    @AfterEach
    void close() {
        if (source != null) source.close();
        upstream.close();
    }

    private GitSource source(String query) {
        source = new GitSource((SourceUri.Git) SourceUri.parse("git:" + upstream.url() + query), workDirectory);
        return source;
    }

    private static Provenance provenance(SourceListing listing, String path) {
        return listing.files().stream().filter(f -> f.path().equals(path)).findFirst().orElseThrow().provenance();
    }

    @Test
    void each_file_names_the_commit_that_last_changed_it_not_the_newest_commit() throws Exception {
        upstream.commit("first services", Map.of("web.yaml", "image: web:1\n", "api.yaml", "image: api:1\n"));
        RevCommit web = upstream.commit("Bump web to 2.0.0\n\nlonger explanation", ALICE, Map.of("web.yaml", "image: web:2\n"));
        RevCommit api = upstream.commit("Bump api to 1.1", BOB, Map.of("api.yaml", "image: api:1.1\n"));
        upstream.commit("docs only", Map.of("README.md", "words\n"));

        SourceListing listing = source("").fetch();

        assertThat(provenance(listing, "web.yaml")).satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Provenance.GIT);
            assertThat(p.ref()).isEqualTo(web.name().substring(0, 7));
            assertThat(p.subject()).isEqualTo("Bump web to 2.0.0");
            assertThat(p.author()).isEqualTo("Alice Martin");
            assertThat(p.display()).isEqualTo("git " + web.name().substring(0, 7) + " \"Bump web to 2.0.0\" (Alice Martin)");
        });
        assertThat(provenance(listing, "api.yaml").ref()).isEqualTo(api.name().substring(0, 7));
        assertThat(provenance(listing, "api.yaml").author()).isEqualTo("Bob Chen");
    }

    @Test
    void a_move_of_the_branch_walks_only_the_new_commits_and_keeps_the_other_files_answers() throws Exception {
        RevCommit first = upstream.commit("services", ALICE, Map.of("web.yaml", "image: web:1\n", "api.yaml", "image: api:1\n"));
        for (int i = 0; i < 20; i++) upstream.commit("docs " + i, Map.of("README.md", "words " + i + "\n"));
        GitSource source = source("");
        source.fetch();
        long walked = source.commitsWalked();
        assertThat(walked).isEqualTo(21);

        RevCommit api = upstream.commit("Bump api", BOB, Map.of("api.yaml", "image: api:2\n"));
        upstream.commit("more docs", Map.of("README.md", "more\n"));
        SourceListing listing = source.fetch();

        assertThat(source.commitsWalked() - walked).as("only the two new commits").isEqualTo(2);
        assertThat(provenance(listing, "api.yaml").ref()).isEqualTo(api.name().substring(0, 7));
        assertThat(provenance(listing, "web.yaml").ref()).isEqualTo(first.name().substring(0, 7));
        source.fetch();
        assertThat(source.commitsWalked() - walked).as("a fetch without a new commit walks nothing").isEqualTo(2);
    }

    @Test
    void a_revert_is_named_as_the_commit_that_brought_the_content_back() throws Exception {
        upstream.commit("web 1", Map.of("web.yaml", "image: web:1\n"));
        upstream.commit("web 2", Map.of("web.yaml", "image: web:2\n"));
        RevCommit revert = upstream.commit("Revert \"web 2\"", ALICE, Map.of("web.yaml", "image: web:1\n"));

        SourceListing listing = source("").fetch();

        assertThat(provenance(listing, "web.yaml").ref()).isEqualTo(revert.name().substring(0, 7));
        assertThat(provenance(listing, "web.yaml").subject()).isEqualTo("Revert \"web 2\"");
    }

    @Test
    void a_branch_reset_to_an_older_commit_names_the_older_commits() throws Exception {
        RevCommit base = upstream.commit("web 1", ALICE, Map.of("web.yaml", "image: web:1\n"));
        upstream.commit("web 2", BOB, Map.of("web.yaml", "image: web:2\n"));
        GitSource source = source("");
        source.fetch();

        upstream.setBranch("main", base);
        SourceListing listing = source.fetch();

        assertThat(provenance(listing, "web.yaml").ref()).isEqualTo(base.name().substring(0, 7));
        assertThat(provenance(listing, "web.yaml").author()).isEqualTo("Alice Martin");
    }

    @Test
    void a_source_on_a_sub_path_finds_the_commits_of_its_files() throws Exception {
        upstream.commit("prod", Map.of("prod/web.yaml", "image: web:1\n", "staging/web.yaml", "image: web:1\n"));
        RevCommit prod = upstream.commit("Release web 2 to prod", ALICE, Map.of("prod/web.yaml", "image: web:2\n"));
        upstream.commit("staging only", BOB, Map.of("staging/web.yaml", "image: web:3\n"));

        SourceListing listing = source("?path=prod").fetch();

        assertThat(provenance(listing, "web.yaml").ref()).isEqualTo(prod.name().substring(0, 7));
        assertThat(provenance(listing, "web.yaml").subject()).isEqualTo("Release web 2 to prod");
    }
}

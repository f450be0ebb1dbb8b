package io.ecsbluegreen.source;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Timeout(60)
class GitSourceTest {

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
        if (source != null) {
            source.close();
        }
        upstream.close();
    }

    private GitSource source(String query) {
        source = new GitSource((SourceUri.Git) SourceUri.parse("git:" + upstream.url() + query), workDirectory);
        return source;
    }

    @Test
    void the_first_fetch_clones_the_branch_and_lists_its_yaml_files() throws Exception {
        RevCommit commit = upstream.commit("two services", Map.of(
                "web.yaml", "name: web\n",
                "eu/api.yml", "name: api\n",
                "README.md", "not a spec\n"));

        SourceListing listing = source("").fetch();

        assertThat(listing.revision()).isEqualTo(commit.name());
        assertThat(contents(listing)).containsOnly(Map.entry("eu/api.yml", "name: api\n"), Map.entry("web.yaml", "name: web\n"));
        assertThat(listing.files()).extracting(SourceFile::path).containsExactly("eu/api.yml", "web.yaml");
        SourceFile web = listing.files().get(1);
        assertThat(web.location()).isEqualTo(upstream.url() + "@main:web.yaml");
        assertThat(web.version()).isEqualTo(blobId(commit, "web.yaml"));
        assertThat(source.repositoryDirectory()).isDirectory().startsWith(workDirectory);
        assertThat(source.repositoryDirectory().resolve("HEAD")).exists();
    }

    @Test
    void a_new_commit_is_picked_up() throws Exception {
        upstream.commit("web", Map.of("web.yaml", "image: v1\n"));
        GitSource source = source("");
        source.fetch();

        RevCommit second = upstream.commit("web v2", Map.of("web.yaml", "image: v2\n", "api.yaml", "name: api\n"));
        SourceListing listing = source.fetch();

        assertThat(listing.revision()).isEqualTo(second.name());
        assertThat(contents(listing)).containsOnly(Map.entry("web.yaml", "image: v2\n"), Map.entry("api.yaml", "name: api\n"));
    }

    @Test
    void a_fetch_without_upstream_changes_returns_the_same_listing() throws Exception {
        upstream.commit("web", Map.of("web.yaml", "image: v1\n"));
        GitSource source = source("");

        SourceListing first = source.fetch();

        assertThat(source.fetch()).isEqualTo(first);
    }

    @Test
    void a_branch_moved_back_to_an_older_commit_is_followed() throws Exception {
        RevCommit first = upstream.commit("web v1", Map.of("web.yaml", "image: v1\n"));
        upstream.commit("web v2", Map.of("web.yaml", "image: v2\n"));
        GitSource source = source("");
        source.fetch();

        upstream.setBranch("main", first);
        SourceListing listing = source.fetch();

        assertThat(listing.revision()).isEqualTo(first.name());
        assertThat(contents(listing)).containsOnly(Map.entry("web.yaml", "image: v1\n"));
    }

    @Test
    void a_force_push_that_rewrites_the_branch_is_followed() throws Exception {
        RevCommit base = upstream.commit("base", Map.of("web.yaml", "image: v1\n"));
        upstream.commit("bad release", Map.of("web.yaml", "image: broken\n", "api.yaml", "name: api\n"));
        GitSource source = source("");
        source.fetch();

        upstream.resetHard(base);
        RevCommit rewritten = upstream.commit("good release", Map.of("web.yaml", "image: v2\n"));
        SourceListing listing = source.fetch();

        assertThat(listing.revision()).isEqualTo(rewritten.name());
        assertThat(contents(listing)).containsOnly(Map.entry("web.yaml", "image: v2\n"));
    }

    @Test
    void a_deleted_file_disappears_from_the_listing() throws Exception {
        upstream.commit("two", Map.of("web.yaml", "name: web\n", "api.yaml", "name: api\n"));
        GitSource source = source("");
        source.fetch();

        upstream.commit("drop api", Map.of(), "api.yaml");

        assertThat(source.fetch().files()).extracting(SourceFile::path).containsExactly("web.yaml");
    }

    @Test
    void another_branch_is_read_when_the_uri_names_it() throws Exception {
        upstream.commit("main", Map.of("web.yaml", "image: main\n"));
        RevCommit prod = upstream.commit("prod", Map.of("web.yaml", "image: prod\n"));
        upstream.setBranch("prod", prod);
        upstream.resetHard(prod.getParent(0));

        SourceListing listing = source("?branch=prod").fetch();

        assertThat(listing.revision()).isEqualTo(prod.name());
        assertThat(contents(listing)).containsOnly(Map.entry("web.yaml", "image: prod\n"));
        assertThat(listing.files().get(0).location()).isEqualTo(upstream.url() + "@prod:web.yaml");
    }

    @Test
    void a_sub_path_limits_the_listing_and_paths_are_relative_to_it() throws Exception {
        upstream.commit("regions", Map.of(
                "services/eu/web.yaml", "region: eu\n",
                "services/eu/batch/worker.yaml", "region: eu\n",
                "services/us/web.yaml", "region: us\n",
                "services/eu.yaml", "not below the sub-path\n"));

        SourceListing listing = source("?path=services/eu").fetch();

        assertThat(listing.files()).extracting(SourceFile::path).containsExactly("batch/worker.yaml", "web.yaml");
        assertThat(listing.files().get(1).location()).isEqualTo(upstream.url() + "@main:services/eu/web.yaml");
    }

    @Test
    void a_missing_sub_path_is_a_source_exception_rather_than_an_empty_listing() throws Exception {
        RevCommit commit = upstream.commit("web", Map.of("services/eu/web.yaml", "region: eu\n"));
        GitSource source = source("?path=services/us");

        assertThatThrownBy(source::fetch)
                .isInstanceOf(SourceException.class)
                .hasMessage(source.id() + ": path 'services/us' does not exist in commit " + commit.name());
    }

    @Test
    void hidden_directories_such_as_github_workflows_are_skipped() throws Exception {
        upstream.commit("ci", Map.of("web.yaml", "name: web\n", ".github/workflows/ci.yml", "on: push\n", ".hidden.yaml", "x: 1\n"));

        assertThat(source("").fetch().files()).extracting(SourceFile::path).containsExactly("web.yaml");
    }

    @Test
    void unchanged_blobs_are_not_read_again() throws Exception {
        upstream.commit("three", Map.of("a.yaml", "name: a\n", "b.yaml", "name: b\n", "c.yaml", "name: c\n"));
        GitSource source = source("");
        source.fetch();
        assertThat(source.blobReads()).isEqualTo(3);

        upstream.commit("change b, add d", Map.of("b.yaml", "name: b2\n", "d.yaml", "name: d\n"));
        SourceListing listing = source.fetch();

        assertThat(source.blobReads()).isEqualTo(5);
        assertThat(contents(listing)).containsEntry("a.yaml", "name: a\n").containsEntry("b.yaml", "name: b2\n");
    }

    @Test
    void identical_files_share_one_blob_and_it_is_read_once() throws Exception {
        upstream.commit("twins", Map.of("eu/web.yaml", "name: web\n", "us/web.yaml", "name: web\n"));
        GitSource source = source("");

        SourceListing listing = source.fetch();

        assertThat(listing.files()).hasSize(2);
        assertThat(source.blobReads()).isEqualTo(1);
    }

    @Test
    void a_missing_branch_is_a_source_exception_naming_the_source_and_branch() throws Exception {
        upstream.commit("web", Map.of("web.yaml", "name: web\n"));
        GitSource source = source("?branch=release");

        assertThatThrownBy(source::fetch)
                .isInstanceOf(SourceException.class)
                .hasMessage("git:" + upstream.url() + "?branch=release: branch 'release' does not exist");
    }

    @Test
    void a_branch_deleted_upstream_after_a_good_fetch_is_a_source_exception() throws Exception {
        RevCommit commit = upstream.commit("web", Map.of("web.yaml", "name: web\n"));
        upstream.setBranch("release", commit);
        GitSource source = source("?branch=release");
        source.fetch();

        try (var git = org.eclipse.jgit.api.Git.open(upstreamDirectory.toFile())) {
            git.branchDelete().setBranchNames("release").setForce(true).call();
        }

        assertThatThrownBy(source::fetch).isInstanceOf(SourceException.class).hasMessageEndingWith("branch 'release' does not exist");
    }

    @Test
    void an_unreachable_remote_is_a_source_exception() {
        source = new GitSource(SourceUri.Git.of("file://" + upstreamDirectory.resolve("missing.git"), "main"), workDirectory);

        assertThatThrownBy(source::fetch)
                .isInstanceOf(SourceException.class)
                .hasMessageStartingWith("git:file://" + upstreamDirectory.resolve("missing.git") + "?branch=main: fetch failed: ");
    }

    @Test
    void a_restarted_source_reuses_its_clone() throws Exception {
        RevCommit commit = upstream.commit("web", Map.of("web.yaml", "name: web\n"));
        source("").fetch();
        Path clone = source.repositoryDirectory();
        source.close();

        GitSource restarted = source("");

        assertThat(restarted.repositoryDirectory()).isEqualTo(clone);
        assertThat(restarted.fetch().revision()).isEqualTo(commit.name());
    }

    @Test
    void a_damaged_clone_directory_is_replaced() throws Exception {
        RevCommit commit = upstream.commit("web", Map.of("web.yaml", "name: web\n"));
        GitSource source = source("");
        Files.createDirectories(source.repositoryDirectory());
        Files.writeString(source.repositoryDirectory().resolve("junk"), "interrupted clone");

        assertThat(source.fetch().revision()).isEqualTo(commit.name());
    }

    @Test
    void sources_on_different_branches_of_one_repository_use_different_clones() {
        GitSource main = new GitSource(SourceUri.Git.of(upstream.url(), "main"), workDirectory);
        GitSource prod = new GitSource(SourceUri.Git.of(upstream.url(), "prod"), workDirectory);

        assertThat(main.repositoryDirectory()).isNotEqualTo(prod.repositoryDirectory());
        assertThat(main.repositoryDirectory().getFileName().toString()).matches("[A-Za-z0-9._-]+-[0-9a-f]{16}\\.git");
    }

    @Test
    void a_missing_token_environment_variable_is_a_source_exception() {
        source = new GitSource(httpsSource("https://git.example.com/acme/deploy.git", Optional.empty(), Optional.of("GIT_TOKEN")),
                workDirectory, name -> null);

        assertThatThrownBy(source::fetch)
                .isInstanceOf(SourceException.class)
                .hasMessage("git:https://git.example.com/acme/deploy.git?branch=main: environment variable GIT_TOKEN is not set");
    }

    @Test
    void an_unreadable_token_file_is_a_source_exception() {
        Path tokenFile = workDirectory.resolve("no-token");
        source = new GitSource(httpsSource("https://git.example.com/acme/deploy.git", Optional.of(tokenFile), Optional.empty()),
                workDirectory);

        assertThatThrownBy(source::fetch)
                .isInstanceOf(SourceException.class)
                .hasMessage("git:https://git.example.com/acme/deploy.git?branch=main: cannot read token file " + tokenFile
                        + " (NoSuchFileException)");
    }

    @Test
    void a_rejected_token_is_an_authentication_failure_that_never_shows_the_token() throws Exception {
        // A git smart-HTTP endpoint that rejects every credential. Plain HTTP on loopback stands in for
        // HTTPS here: the URI parser only lets tokens travel over https, so the spec is built directly.
        List<String> authorizations = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(authorization == null ? "none" : authorization);
            exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
        });
        server.start();
        try {
            String token = "ghp_SuperSecretToken123";
            String remote = "http://127.0.0.1:" + server.getAddress().getPort() + "/acme/deploy.git";
            source = new GitSource(httpsSource(remote, Optional.empty(), Optional.of("GIT_TOKEN")), workDirectory,
                    name -> name.equals("GIT_TOKEN") ? token + "\n" : null);

            assertThatThrownBy(source::fetch)
                    .isInstanceOf(SourceException.class)
                    .hasMessageStartingWith("git:" + remote + "?branch=main: authentication failed: ")
                    .satisfies(e -> assertThat(stackTraceOf(e)).doesNotContain(token));
            String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(("x-access-token:" + token).getBytes(UTF_8));
            assertThat(authorizations).contains(basic).hasSizeLessThan(10);
        } finally {
            server.stop(0);
        }
    }

    private static SourceUri.Git httpsSource(String remote, Optional<Path> tokenFile, Optional<String> tokenEnv) {
        return new SourceUri.Git(remote, "main", "", tokenFile, tokenEnv, Optional.empty(), Optional.empty(), Duration.ofSeconds(10));
    }

    private String blobId(RevCommit commit, String path) throws Exception {
        try (var git = org.eclipse.jgit.api.Git.open(upstreamDirectory.toFile());
                var walk = org.eclipse.jgit.treewalk.TreeWalk.forPath(git.getRepository(), path, commit.getTree())) {
            return walk.getObjectId(0).name();
        }
    }

    private static String stackTraceOf(Throwable e) {
        var text = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(text));
        return text.toString();
    }

    private static Map<String, String> contents(SourceListing listing) {
        return listing.files().stream().collect(Collectors.toMap(SourceFile::path, f -> new String(f.content(), UTF_8)));
    }

    // ---- provenance: the commit that last changed each file -----------------------------------------

    private static final org.eclipse.jgit.lib.PersonIdent ALICE = new org.eclipse.jgit.lib.PersonIdent("Alice Martin", "alice@example.com");
    private static final org.eclipse.jgit.lib.PersonIdent BOB = new org.eclipse.jgit.lib.PersonIdent("Bob Chen", "bob@example.com");

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

package io.ecsbluegreen.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Git over ssh against a real sshd server on loopback, with a generated client key and host key. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Timeout(60)
class GitSourceSshTest {

    @TempDir
    Path upstreamDirectory;

    @TempDir
    Path workDirectory;

    @TempDir
    Path keys;

    private Upstream upstream;
    private Git upstreamGit;
    private TinySshGitServer server;
    private Path clientKey;
    private RevCommit commit;
    private GitSource source;

    @BeforeEach
    void start() throws Exception {
        upstream = Upstream.create(upstreamDirectory);
        commit = upstream.commit("web", Map.of("web.yaml", "name: web\n"));
        upstreamGit = Git.open(upstreamDirectory.toFile());
        KeyPair client = TinySshGitServer.newKeyPair();
        clientKey = TinySshGitServer.writePrivateKey(client, keys.resolve("id_ecdsa"));
        server = TinySshGitServer.start(upstreamGit.getRepository(), client.getPublic());
    }

    @AfterEach
    void stop() throws Exception {
        if (source != null) {
            source.close();
        }
        server.close();
        upstreamGit.close();
        upstream.close();
    }

    private GitSource source(Path key, Path knownHosts) {
        String uri = "git:ssh://git@127.0.0.1:" + server.port() + "/acme/deploy.git?sshKeyFile=" + key
                + "&knownHostsFile=" + knownHosts + "&timeout=10s";
        source = new GitSource((SourceUri.Git) SourceUri.parse(uri), workDirectory);
        return source;
    }

    @Test
    void an_ssh_remote_is_fetched_with_the_configured_key_when_the_host_key_is_known() throws Exception {
        Path knownHosts = Files.writeString(keys.resolve("known_hosts"), server.knownHostsLine() + "\n");

        SourceListing listing = source(clientKey, knownHosts).fetch();

        assertThat(listing.revision()).isEqualTo(commit.name());
        assertThat(listing.files()).extracting(SourceFile::path).containsExactly("web.yaml");
    }

    @Test
    void an_unknown_host_key_fails_the_fetch_at_once_and_is_not_added_to_known_hosts() throws Exception {
        Path knownHosts = Files.writeString(keys.resolve("known_hosts"), "");
        GitSource source = source(clientKey, knownHosts);

        assertThatThrownBy(source::fetch)
                .isInstanceOf(SourceException.class)
                .hasMessageStartingWith(source.id() + ": fetch failed: ")
                .hasMessageEndingWith("Server key did not validate");
        assertThat(knownHosts).isEmptyFile();
    }

    @Test
    void a_changed_host_key_fails_the_fetch() throws Exception {
        String otherKey = org.apache.sshd.common.config.keys.PublicKeyEntry.toString(TinySshGitServer.newKeyPair().getPublic());
        Path knownHosts = Files.writeString(keys.resolve("known_hosts"), "[127.0.0.1]:" + server.port() + " " + otherKey + "\n");

        assertThatThrownBy(source(clientKey, knownHosts)::fetch)
                .isInstanceOf(SourceException.class)
                .hasMessageEndingWith("Server key did not validate");
    }

    @Test
    void a_key_the_server_does_not_accept_fails_the_fetch() throws Exception {
        Path knownHosts = Files.writeString(keys.resolve("known_hosts"), server.knownHostsLine() + "\n");
        Path wrongKey = TinySshGitServer.writePrivateKey(TinySshGitServer.newKeyPair(), keys.resolve("id_wrong"));

        assertThatThrownBy(source(wrongKey, knownHosts)::fetch)
                .isInstanceOf(SourceException.class)
                .hasMessageStartingWith(source.id() + ": fetch failed: ")
                .hasMessageContaining("Cannot log in");
    }
}

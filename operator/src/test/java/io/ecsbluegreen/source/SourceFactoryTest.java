package io.ecsbluegreen.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SourceFactoryTest {

    @TempDir
    Path workDirectory;

    /** Nothing is written to the git work directory until a git source fetches. */
    private final SourceFactory factory = new SourceFactory(Path.of("unused-git-work"), region -> {
        throw new AssertionError("no S3 client is needed here");
    });

    @Test
    void a_dir_uri_becomes_a_directory_source(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("web.yaml"), "name: web\n");

        try (DesiredStateSource source = factory.create("dir:" + root)) {
            assertThat(source).isInstanceOf(DirectorySource.class);
            assertThat(source.id()).isEqualTo("dir:" + root);
            assertThat(source.fetch().files()).extracting(SourceFile::path).containsExactly("web.yaml");
        }
    }

    @Test
    void a_git_uri_becomes_a_git_source_cloning_into_the_work_directory(@TempDir Path upstreamDirectory) throws Exception {
        SourceFactory factory = new SourceFactory(workDirectory, region -> null, name -> null, Clock.systemUTC());
        try (Upstream upstream = Upstream.create(upstreamDirectory)) {
            String commit = upstream.commit("web", Map.of("eu/web.yaml", "name: web\n")).name();

            try (DesiredStateSource source = factory.create("git:" + upstream.url() + "?path=eu")) {
                assertThat(source).isInstanceOf(GitSource.class);
                assertThat(source.id()).isEqualTo("git:" + upstream.url() + "?branch=main&path=eu");
                assertThat(source.fetch().revision()).isEqualTo(commit);
                assertThat(((GitSource) source).repositoryDirectory()).hasParent(workDirectory);
            }
        }
    }

    @Test
    void a_malformed_uri_is_rejected_before_anything_is_built() {
        assertThatThrownBy(() -> factory.create("ftp://example.com/specs"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid source URI 'ftp://example.com/specs': unknown scheme, expected dir:, git: or s3://");
    }
}

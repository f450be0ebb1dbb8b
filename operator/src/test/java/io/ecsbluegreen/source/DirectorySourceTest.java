package io.ecsbluegreen.source;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DirectorySourceTest {

    /** Files get modification times well before "now", so that none of them counts as racily clean. */
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final FileTime AN_HOUR_AGO = FileTime.from(NOW.minus(Duration.ofHours(1)));

    @TempDir
    Path root;

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    private DirectorySource source() {
        return new DirectorySource(new SourceUri.Directory(root), clock);
    }

    @Test
    void the_first_fetch_lists_every_yaml_file_below_the_root_sorted_by_path() throws Exception {
        write("web.yaml", "name: web\n");
        write("eu/api.yml", "name: api\n");
        write("eu/deep/worker.yaml", "name: worker\n");
        write("README.md", "not a spec\n");
        write("eu/notes.txt", "not a spec\n");

        SourceListing listing = source().fetch();

        assertThat(listing.files()).extracting(SourceFile::path).containsExactly("eu/api.yml", "eu/deep/worker.yaml", "web.yaml");
        SourceFile web = listing.files().get(2);
        assertThat(web.content()).asString(UTF_8).isEqualTo("name: web\n");
        assertThat(web.location()).isEqualTo(root.resolve("web.yaml").toString());
        assertThat(web.version()).isEqualTo(Sources.sha256Hex("name: web\n".getBytes(UTF_8)));
        assertThat(listing.revision()).hasSize(64);
    }

    @Test
    void the_revision_is_stable_while_nothing_changes_and_moves_when_a_file_does() throws Exception {
        write("web.yaml", "name: web\n");
        DirectorySource source = source();
        String first = source.fetch().revision();

        assertThat(source.fetch().revision()).isEqualTo(first);
        assertThat(new DirectorySource(new SourceUri.Directory(root), clock).fetch().revision()).isEqualTo(first);

        write("web.yaml", "name: web2\n", AN_HOUR_AGO.toInstant().plusSeconds(60));
        assertThat(source.fetch().revision()).isNotEqualTo(first);
    }

    @Test
    void a_modified_file_is_read_again_and_only_that_one() throws Exception {
        write("web.yaml", "name: web\n");
        write("api.yaml", "name: api\n");
        DirectorySource source = source();
        source.fetch();
        assertThat(source.fileReads()).isEqualTo(2);

        write("web.yaml", "name: web, replicas: 3\n", AN_HOUR_AGO.toInstant().plusSeconds(60));
        SourceListing listing = source.fetch();

        assertThat(contents(listing)).containsEntry("web.yaml", "name: web, replicas: 3\n").containsEntry("api.yaml", "name: api\n");
        assertThat(source.fileReads()).isEqualTo(3);
    }

    @Test
    void a_file_whose_mtime_and_size_are_unchanged_is_not_read_again() throws Exception {
        write("web.yaml", "image: v1\n");
        DirectorySource source = source();
        source.fetch();

        // Same size, same mtime, different bytes: only a re-read could see "v2", so seeing "v1" proves
        // that the cached content was used.
        write("web.yaml", "image: v2\n");
        SourceListing listing = source.fetch();

        assertThat(contents(listing)).containsEntry("web.yaml", "image: v1\n");
        assertThat(source.fileReads()).isEqualTo(1);
    }

    @Test
    void a_file_modified_shortly_before_it_was_read_is_read_again_even_with_the_same_mtime_and_size() throws Exception {
        Instant justBefore = NOW.minusMillis(500);
        write("web.yaml", "image: v1\n", justBefore);
        DirectorySource source = source();
        source.fetch();

        write("web.yaml", "image: v2\n", justBefore);
        SourceListing listing = source.fetch();

        assertThat(contents(listing)).containsEntry("web.yaml", "image: v2\n");
        assertThat(source.fileReads()).isEqualTo(2);
    }

    @Test
    void a_size_change_with_the_same_mtime_is_picked_up() throws Exception {
        write("web.yaml", "image: v1\n");
        DirectorySource source = source();
        source.fetch();

        write("web.yaml", "image: v10\n");

        assertThat(contents(source.fetch())).containsEntry("web.yaml", "image: v10\n");
    }

    @Test
    void a_deleted_file_disappears_from_the_listing() throws Exception {
        write("web.yaml", "name: web\n");
        write("api.yaml", "name: api\n");
        DirectorySource source = source();
        source.fetch();

        Files.delete(root.resolve("api.yaml"));

        assertThat(source.fetch().files()).extracting(SourceFile::path).containsExactly("web.yaml");
    }

    @Test
    void an_empty_directory_is_an_empty_listing() throws Exception {
        assertThat(source().fetch().files()).isEmpty();
    }

    @Test
    void a_missing_root_directory_is_a_source_exception() {
        Path missing = root.resolve("nowhere");
        DirectorySource source = new DirectorySource(new SourceUri.Directory(missing), clock);

        assertThatThrownBy(source::fetch)
                .isInstanceOf(SourceException.class)
                .hasMessage("dir:" + missing + ": directory " + missing + " does not exist");
    }

    @Test
    void a_root_that_is_a_file_is_a_source_exception() throws Exception {
        write("web.yaml", "name: web\n");
        Path file = root.resolve("web.yaml");

        assertThatThrownBy(() -> new DirectorySource(new SourceUri.Directory(file), clock).fetch())
                .isInstanceOf(SourceException.class)
                .hasMessage("dir:" + file + ": " + file + " is not a directory");
    }

    @Test
    void hidden_directories_and_hidden_files_are_skipped() throws Exception {
        write("web.yaml", "name: web\n");
        write(".git/config.yaml", "not a spec\n");
        write(".github/workflows/ci.yml", "not a spec\n");
        write("eu/.cache/old.yaml", "not a spec\n");
        write("eu/.#web.yaml", "editor lock\n");

        assertThat(source().fetch().files()).extracting(SourceFile::path).containsExactly("web.yaml");
    }

    @Test
    void a_link_to_a_file_inside_the_root_is_followed_like_a_mounted_config_map() throws Exception {
        // Kubernetes-style volume: visible names link into a hidden, atomically swapped data directory.
        write("..2025_06_01/web.yaml", "name: web\n");
        Files.createSymbolicLink(root.resolve("..data"), root.resolve("..2025_06_01"));
        Files.createSymbolicLink(root.resolve("web.yaml"), Path.of("..data/web.yaml"));

        SourceListing listing = source().fetch();

        assertThat(contents(listing)).containsOnly(Map.entry("web.yaml", "name: web\n"));
    }

    @Test
    void links_that_leave_the_root_are_not_followed(@TempDir Path outside) throws Exception {
        Files.writeString(outside.resolve("secret.yaml"), "stolen: true\n");
        Files.createDirectories(outside.resolve("more"));
        Files.writeString(outside.resolve("more/other.yaml"), "stolen: true\n");
        write("web.yaml", "name: web\n");
        Files.createSymbolicLink(root.resolve("secret.yaml"), outside.resolve("secret.yaml"));
        Files.createSymbolicLink(root.resolve("more"), outside.resolve("more"));
        Files.createSymbolicLink(root.resolve("escape.yaml"), Path.of("../" + outside.getFileName() + "/secret.yaml"));

        assertThat(source().fetch().files()).extracting(SourceFile::path).containsExactly("web.yaml");
    }

    @Test
    void a_link_cycle_and_a_dangling_link_are_skipped() throws Exception {
        write("eu/web.yaml", "name: web\n");
        Files.createSymbolicLink(root.resolve("eu/loop"), root.resolve("eu"));
        Files.createSymbolicLink(root.resolve("gone.yaml"), root.resolve("missing.yaml"));

        assertThat(source().fetch().files()).extracting(SourceFile::path).containsExactly("eu/web.yaml");
    }

    private void write(String path, String content) throws IOException {
        write(path, content, AN_HOUR_AGO.toInstant());
    }

    private void write(String path, String content, Instant modified) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.from(modified));
    }

    private static Map<String, String> contents(SourceListing listing) {
        return listing.files().stream().collect(Collectors.toMap(SourceFile::path, f -> new String(f.content(), UTF_8)));
    }
}

package io.ecsbluegreen.source;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.desired.DesiredService;
import io.ecsbluegreen.desired.DesiredState;
import io.ecsbluegreen.desired.DesiredStateStore;
import io.ecsbluegreen.spec.SpecParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The directory source lists links, loops and special files as {@code bluegreen validate} does. */
class DirectoryHostileEntriesTest {
    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

    @TempDir
    Path root;

    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    DirectorySource source() {
        return new DirectorySource(new SourceUri.Directory(root), clock);
    }

    void write(String name, String content) throws Exception {
        Path file = root.resolve(name);
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.from(NOW.minus(Duration.ofHours(1))));
    }

    static String shop() throws Exception {
        return Files.readString(Path.of("src/test/resources/operator-sources/shop.yaml"));
    }

    @Test
    void aLinkLoopIsListedAsAnUnreadableFileBesideTheOthers() throws Exception {
        write("web.yaml", "name: web\n");
        Files.createSymbolicLink(root.resolve("a.yaml"), Path.of("b.yaml"));
        Files.createSymbolicLink(root.resolve("b.yaml"), Path.of("a.yaml"));

        SourceListing listing = source().fetch();

        assertThat(listing.files()).extracting(SourceFile::path).containsExactly("a.yaml", "b.yaml", "web.yaml");
        assertThat(listing.files().get(0).problem()).isEqualTo("a loop of symbolic links (too many levels); the file cannot be read");
        assertThat(new String(listing.files().get(2).content(), UTF_8)).isEqualTo("name: web\n");
        assertThat(listing.files().get(2).problem()).isNull();
    }

    @Test
    void aFileTurnedIntoALinkLoopKeepsItsServiceOnTheLastGoodSpecInsteadOfOrphaningIt() throws Exception {
        write("shop.yaml", shop());
        DesiredStateStore store = new DesiredStateStore(new SpecParser(), clock, List.of("dir:x"));
        DirectorySource source = source();
        assertThat(store.accept("dir:x", source.fetch()).services().get("shop").state()).isEqualTo(DesiredService.State.READY);

        Files.delete(root.resolve("shop.yaml"));
        Files.createSymbolicLink(root.resolve("shop.yaml"), Path.of("loop.yaml"));
        Files.createSymbolicLink(root.resolve("loop.yaml"), Path.of("shop.yaml"));
        DesiredState state = store.accept("dir:x", source.fetch());

        assertThat(state.services().get("shop").state()).isEqualTo(DesiredService.State.STALE);
        assertThat(state.sources().get(0).invalidFiles()).extracting(f -> f.errors().get(0).message())
                .containsOnly("a loop of symbolic links (too many levels); the file cannot be read");
    }

    @Test
    void aFifoAndALinkToADeviceAreSkippedWithoutBlockingTheFetch() throws Exception {
        write("web.yaml", "name: web\n");
        Process p = new ProcessBuilder("mkfifo", root.resolve("pipe.yaml").toString()).inheritIO().start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Files.createSymbolicLink(root.resolve("zero.yaml"), Path.of("/dev/zero"));

        assertThat(source().fetch().files()).extracting(SourceFile::path).containsExactly("web.yaml");
        List<DirectoryWalk.Entry> walked = DirectoryWalk.walk(root);
        assertThat(walked).contains(
                new DirectoryWalk.Skipped("pipe.yaml", root.resolve("pipe.yaml"), "not a regular file (a FIFO); not read"),
                new DirectoryWalk.Skipped("zero.yaml", root.resolve("zero.yaml"),
                        "a link to /dev/zero, outside the directory; links are followed only inside it"));
    }

    @Test
    void aLinkToADeviceInsideTheDirectoryIsNamedForWhatItIs() throws Exception {
        // a character device is what a hostile mount could put there; /dev/null stands in for it
        assertThat(DirectoryWalk.file(Path.of("/dev/null")))
                .isEqualTo(new DirectoryWalk.Skipped("/dev/null", Path.of("/dev/null"), "not a regular file (a character device)"));
    }
}

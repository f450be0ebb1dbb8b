package io.ecsbluegreen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.cli.ValidateCommandTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bluegreen validate} over files a hostile or careless person made: it echoes nothing raw and lists like the operator. */
class ValidateHostileInputTest {

    static String shop() throws IOException {
        return Files.readString(Path.of("src/test/resources/operator-sources/shop.yaml"));
    }

    static void mkfifo(Path path) throws Exception {
        Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
    }

    @Test
    void controlCharactersInValuesNamesAndFileNamesAreEscapedInTheOutput(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("bell.yaml"), shop().replace("name: shop", "name: \"shop\\a\\e[2J\"")
                .replace("networkMode: bridge", "networkMode: \"bri\\e]0;owned\\adge\""));
        Files.writeString(dir.resolve("esc\u001b[31m.yaml"), "apiVersion: ecsbluegreen.io/v1alpha1\nkind: BlueGreenService\nmetadata: [\n");

        Run run = ValidateCommandTest.run("validate", dir.toString());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out().chars().filter(c -> Character.isISOControl(c) && c != '\n')).isEmpty();
        assertThat(run.out()).contains("esc\\x1B[31m.yaml:").contains("'bri\\x1B]0;owned\\x07dge' is not one of")
                .contains("shop\\x07\\x1B[2J");
    }

    @Test
    void aLinkOutOfTheDirectoryIsNotReadAndSaysSo(@TempDir Path dir, @TempDir Path outside) throws IOException {
        Files.writeString(dir.resolve("shop.yaml"), shop());
        Files.writeString(outside.resolve("secret.yaml"), "apiVersion: ecsbluegreen.io/v1alpha1\nkind: BlueGreenService\nmetadata: {name: x}\n");
        Files.createSymbolicLink(dir.resolve("secret.yaml"), outside.resolve("secret.yaml"));

        Run run = ValidateCommandTest.run("validate", dir.toString());

        assertThat(run.code()).isZero();
        assertThat(run.out().lines().toList()).containsExactly(
                dir.resolve("secret.yaml") + ": skipped: a link to " + outside.toRealPath().resolve("secret.yaml")
                        + ", outside the directory; links are followed only inside it",
                "ok: 1 file, 1 valid service");
    }

    @Test
    void aLinkLoopIsThatFilesErrorAndTheOtherFilesAreStillChecked(@TempDir Path dir) throws IOException {
        Files.createSymbolicLink(dir.resolve("a.yaml"), Path.of("b.yaml"));
        Files.createSymbolicLink(dir.resolve("b.yaml"), Path.of("a.yaml"));
        Files.writeString(dir.resolve("c.yaml"), shop().replace("  cluster: prod\n", ""));
        Files.writeString(dir.resolve("d.yaml"), shop().replace("name: shop", "name: shop2"));

        Run run = ValidateCommandTest.run("validate", dir.toString());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out().lines().toList()).containsExactly(
                dir.resolve("a.yaml") + ": a loop of symbolic links (too many levels); the file cannot be read",
                dir.resolve("b.yaml") + ": a loop of symbolic links (too many levels); the file cannot be read",
                dir.resolve("c.yaml") + ":5:1: spec.cluster: required field 'cluster' is missing",
                "3 errors in 3 files (2 files, 1 valid service)");
    }

    @Test
    void aFifoIsSkippedWithAClearMessageInsteadOfBlockingTheCheck(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("shop.yaml"), shop());
        mkfifo(dir.resolve("pipe.yaml"));

        Run inDirectory = ValidateCommandTest.run("validate", dir.toString());
        Run named = ValidateCommandTest.run("validate", dir.resolve("pipe.yaml").toString());

        assertThat(inDirectory.code()).isZero();
        assertThat(inDirectory.out()).contains(dir.resolve("pipe.yaml") + ": skipped: not a regular file (a FIFO); not read");
        assertThat(named.out()).contains(dir.resolve("pipe.yaml") + ": skipped: not a regular file (a FIFO)")
                .doesNotContain("no such file");
    }
}

package io.ecsbluegreen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.dispatch(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theExamplesDirectoryIsValidAndExitsZero() {
        Run run = run("validate", "../examples");
        assertThat(run.code()).isZero();
        // The simulator's seed is not a BlueGreenService: a warning, which fails only under --strict.
        assertThat(run.out().lines().toList()).containsExactly(
                "../examples/simulator/seed.yaml: warning: every document is skipped (1 without an apiVersion in ecsbluegreen.io"
                        + " or kind BlueGreenService); the file declares no service",
                "ok: 5 files, 4 valid services, 1 other document skipped, 1 warning");
    }

    @Test
    void everyErrorOfEveryFileIsListedAndTheExitCodeIsOne(@TempDir Path dir) throws IOException {
        String good = Files.readString(Path.of("src/test/resources/operator-sources/shop.yaml"));
        Files.writeString(dir.resolve("a.yaml"), good.replace("stepPercent: 25", "stepPercent: 30"));
        Files.createDirectories(dir.resolve("team"));
        Files.writeString(dir.resolve("team/b.yml"), good.replace("name: shop", "name: shop2").replace("  cluster: prod\n", ""));
        Files.writeString(dir.resolve("team/c.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n");
        Files.createDirectories(dir.resolve(".github"));
        Files.writeString(dir.resolve(".github/ci.yml"), "on: [push]\n");
        Run run = run("validate", dir.toString());
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out().lines().toList()).containsExactly(
                dir.resolve("a.yaml") + ":27:7: spec.strategy.linear.stepPercent: 30 does not divide 100, so the last step would be uneven; use 25 or 50",
                dir.resolve("team/b.yml") + ":5:1: spec.cluster: required field 'cluster' is missing",
                dir.resolve("team/c.yaml") + ": warning: every document is skipped (1 without an apiVersion in ecsbluegreen.io"
                        + " or kind BlueGreenService); the file declares no service",
                "2 errors in 2 files (3 files, 0 valid services, 1 other document skipped, 1 warning)");
    }

    @Test
    void aNameDeclaredInTwoFilesIsReportedInBoth(@TempDir Path dir) throws IOException {
        String good = Files.readString(Path.of("src/test/resources/operator-sources/shop.yaml"));
        Files.writeString(dir.resolve("one.yaml"), good);
        Files.writeString(dir.resolve("two.yaml"), good);
        Run run = run("validate", dir.resolve("one.yaml").toString(), dir.resolve("two.yaml").toString());
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out()).contains(dir.resolve("one.yaml") + ":4: metadata.name: service 'shop' is also declared in "
                + dir.resolve("two.yaml") + ":4; neither declaration is applied");
        assertThat(run.out()).contains(dir.resolve("two.yaml") + ":4: metadata.name: service 'shop' is also declared in "
                + dir.resolve("one.yaml") + ":4");
    }

    @Test
    void aMissingPathIsAnErrorAndNoArgumentsIsAUsageError() {
        assertThat(run("validate", "no/such/place.yaml").out()).startsWith("no/such/place.yaml: no such file or directory");
        assertThat(run("validate").code()).isEqualTo(2);
        assertThat(run("frobnicate").code()).isEqualTo(2);
        assertThat(run("help").out()).contains("validate [--strict] PATH...");
    }

    @Test
    void schemaPrintsTheCommittedFiles() throws IOException {
        assertThat(run("schema").out()).isEqualTo(Files.readString(Path.of("../crds/bluegreenservice.schema.json")));
        assertThat(run("schema", "--crd").out()).isEqualTo(Files.readString(Path.of("../crds/bluegreenservice.crd.yaml")));
    }
}

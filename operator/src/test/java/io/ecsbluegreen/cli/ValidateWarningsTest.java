package io.ecsbluegreen.cli;

import static io.ecsbluegreen.cli.ValidateCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.cli.ValidateCommandTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `validate` on files that declare nothing: warnings that name the file, exit 0, and 1 under --strict. */
class ValidateWarningsTest {
    static final String SKIPPED = ": warning: every document is skipped";
    static final String EMPTY = ": warning: the file is empty or holds only comments; it declares no service";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            an empty file                              | ''                                                     | empty
            a file of blank lines                      | '\\n\\n  \\n'                                          | empty
            a comment-only file                        | '# services moved to team-b/\\n# see README\\n'        | empty
            a document separator and comments only     | '---\\n# nothing here\\n---\\n'                        | empty
            a ConfigMap only                           | 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: x\\n' | skipped
            two documents of other kinds               | 'apiVersion: v1\\nkind: Secret\\n---\\napiVersion: apps/v1\\nkind: Deployment\\n' | skipped
            """)
    void aFileThatDeclaresNothingIsAWarningThatFailsOnlyUnderStrict(String name, String content, String kind,
                                                                     @TempDir Path dir) throws IOException {
        Path file = dir.resolve("nothing.yaml");
        Files.writeString(file, content.replace("\\n", "\n"));
        Run plain = run("validate", file.toString());
        assertThat(plain.code()).isZero();
        assertThat(plain.out()).startsWith(file + (kind.equals("empty") ? EMPTY : SKIPPED))
                .contains("ok: 1 file, 0 valid services").endsWith("1 warning\n");
        Run strict = run("validate", "--strict", file.toString());
        assertThat(strict.code()).isEqualTo(1);
        assertThat(strict.out()).startsWith(file + (kind.equals("empty") ? EMPTY : SKIPPED))
                .contains("failed: 1 file, 0 valid services").endsWith("1 warning (--strict)\n");
    }

    @Test
    void aFileWithOneOfOurServicesBesideOtherKindsIsNoWarning(@TempDir Path dir) throws IOException {
        String shop = Files.readString(Path.of("src/test/resources/operator-sources/shop.yaml"));
        Path file = dir.resolve("mixed.yaml");
        Files.writeString(file, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n---\n" + shop);
        Run strict = run("validate", "--strict", file.toString());
        assertThat(strict.code()).isZero();
        assertThat(strict.out()).isEqualTo("ok: 1 file, 1 valid service, 1 other document skipped\n");
    }

    @Test
    void aWarningNamesTheFileWithItsControlCharactersEscaped(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bell\u0007.yaml");
        Files.writeString(file, "# empty\n");
        Run run = run("validate", "--strict", dir.toString());
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out()).doesNotContain("\u0007").contains("bell\\x07.yaml" + EMPTY);
    }

    @Test
    void strictStillFailsOnErrorsAndStrictAloneIsAUsageError(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "apiVersion: ecsbluegreen.io/v1alpha1\nkind: BlueGreenService\nmetadata:\n  name: x\n");
        assertThat(run("validate", "--strict", file.toString()).code()).isEqualTo(1);
        Run usage = run("validate", "--strict");
        assertThat(usage.code()).isEqualTo(2);
        assertThat(usage.err()).contains("--strict");
    }
}

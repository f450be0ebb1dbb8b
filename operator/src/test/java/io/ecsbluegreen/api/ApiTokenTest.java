package io.ecsbluegreen.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API token: configured, read from a secret file, or generated owner-only for the CLI to find. */
class ApiTokenTest {

    @Test
    void aConfiguredTokenMatchesOnlyItsOwnBearerHeader() throws Exception {
        ApiToken token = ApiToken.resolve(Optional.of("s3cret"), Optional.empty(), Path.of("unused"));
        assertThat(token.matches("Bearer s3cret")).isTrue();
        assertThat(token.matches("bearer s3cret ")).as("scheme is case-insensitive, blanks ignored").isTrue();
        assertThat(token.matches("Bearer s3cre")).isFalse();
        assertThat(token.matches("Bearer s3cret2")).isFalse();
        assertThat(token.matches("Basic s3cret")).isFalse();
        assertThat(token.matches(null)).isFalse();
        assertThat(token.origin()).isEqualTo("bluegreen.api.token").doesNotContain("s3cret");
    }

    @Test
    void aTokenFileIsReadWithoutItsTrailingNewline(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("token"), "from-a-secret\n");
        ApiToken token = ApiToken.resolve(Optional.empty(), Optional.of(secret), dir.resolve("unused"));
        assertThat(token.matches("Bearer from-a-secret")).isTrue();
        Path empty = Files.writeString(dir.resolve("empty"), "  \n");
        assertThatThrownBy(() -> ApiToken.resolve(Optional.empty(), Optional.of(empty), dir.resolve("unused")))
                .hasMessageContaining("empty").hasMessageContaining(empty.toString());
    }

    @Test
    void withoutConfigurationARandomTokenIsWrittenOwnerOnlyAndEachStartMakesANewOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(".bluegreen/api-token");
        ApiToken first = ApiToken.resolve(Optional.empty(), Optional.empty(), file);
        String written = Files.readString(file).strip();
        assertThat(written).hasSizeGreaterThanOrEqualTo(43);
        assertThat(first.matches("Bearer " + written)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        ApiToken second = ApiToken.resolve(Optional.empty(), Optional.empty(), file);
        assertThat(second.matches("Bearer " + written)).isFalse();
        assertThat(second.matches("Bearer " + Files.readString(file).strip())).isTrue();
    }
}

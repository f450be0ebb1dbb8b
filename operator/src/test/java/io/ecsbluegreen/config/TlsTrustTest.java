package io.ecsbluegreen.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bluegreen.tls.ca-bundle: a bundle the operator cannot use stops it with the property's name. */
class TlsTrustTest {

    @TempDir
    Path dir;

    @Test
    void withoutABundleTheJvmsDefaultContextIsUsed() throws Exception {
        assertThat(TlsTrust.context(Optional.empty())).isSameAs(SSLContext.getDefault());
    }

    @Test
    void aMissingOrEmptyBundleIsAnErrorNamingThePropertyAndTheFile() throws Exception {
        Path missing = dir.resolve("missing.pem");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");

        assertThatThrownBy(() -> TlsTrust.context(Optional.of(missing))).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("bluegreen.tls.ca-bundle: cannot read certificates from " + missing);
        assertThatThrownBy(() -> TlsTrust.context(Optional.of(empty))).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("bluegreen.tls.ca-bundle: no certificate in " + empty);
        assertThatThrownBy(() -> TlsTrust.context(Optional.of(garbage))).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("bluegreen.tls.ca-bundle: cannot read certificates from " + garbage);
    }
}

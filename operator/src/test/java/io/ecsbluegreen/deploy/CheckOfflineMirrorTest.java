package io.ecsbluegreen.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy/image/check-offline.sh takes its Debian mirror from the machine's apt sources, never from the script. */
class CheckOfflineMirrorTest {

    record Result(int code, String out, String err) {}

    static Result aptMirror(String suite, Path... files) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", "../deploy/image/apt-mirror.sh", suite));
        for (Path f : files) command.add(f.toString());
        Path err = Files.createTempFile("apt-mirror", ".err");
        Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out, Files.readString(err));
    }

    @Test
    void theMirrorComesFromAOneLineSourcesListSkippingSourceEntriesAndOtherSuites(@TempDir Path dir) throws Exception {
        Path list = Files.writeString(dir.resolve("sources.list"), """
                # deb http://commented.example/debian bookworm main
                deb-src http://src.example/debian bookworm main
                deb http://security.example/debian-security bookworm-security main
                deb [arch=amd64 signed-by=/usr/share/keyrings/debian.gpg] http://mirror.example.org/debian bookworm main contrib
                deb http://later.example/debian bookworm main
                """);
        assertThat(aptMirror("bookworm", list)).isEqualTo(new Result(0, "http://mirror.example.org/debian", ""));
    }

    @Test
    void theMirrorComesFromADeb822SourcesFileSkippingSecurityAndVendorRepositories(@TempDir Path dir) throws Exception {
        Path vendor = Files.writeString(dir.resolve("vendor.list"), "deb https://packages.vendor.example/apt cloud-sdk-bookworm main\n");
        Path sources = Files.writeString(dir.resolve("debian.sources"), """
                Types: deb
                URIs: http://deb.example.net/debian-security
                Suites: bookworm-security
                Components: main

                Types: deb-src deb
                # a comment inside a stanza
                URIs: http://ftp.example.net/debian http://second.example.net/debian
                Suites: bookworm bookworm-updates
                Components: main
                """);
        assertThat(aptMirror("bookworm", vendor, sources)).isEqualTo(new Result(0, "http://ftp.example.net/debian", ""));
    }

    @Test
    void noSourceForTheSuiteIsAnErrorThatNamesMirror(@TempDir Path dir) throws Exception {
        Path list = Files.writeString(dir.resolve("sources.list"), "deb http://mirror.example.org/debian trixie main\n");
        Result result = aptMirror("bookworm", list);
        assertThat(result.code()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains("no 'deb' source for suite bookworm", "set MIRROR");
    }

    @Test
    void checkOfflineWritesNoMirrorAddressAndAsksAptOrMirror() throws IOException {
        String script = Files.readString(Path.of("../deploy/image/check-offline.sh"));
        // the only addresses left are the loopback ones of the simulator and the operator
        assertThat(Pattern.compile("https?://(?!127\\.0\\.0\\.1)").matcher(script).find()).isFalse();
        assertThat(script).contains("${MIRROR:-$(deploy/image/apt-mirror.sh \"$suite\")}");
    }
}

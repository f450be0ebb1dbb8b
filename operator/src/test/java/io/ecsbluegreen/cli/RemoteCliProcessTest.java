package io.ecsbluegreen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The small CLI jar run as its own process (as bin/bluegreen runs it) against a stub operator on
 * loopback: the same output and exit codes as the application's commands, the token file, the watch
 * that redraws in place, and the AppCDS training run.
 */
class RemoteCliProcessTest {
    @TempDir
    static Path dir;
    static Path jar;
    static StubOperator operator;

    @BeforeAll
    static void buildTheJarAndStartTheStub() throws Exception {
        jar = dir.resolve("bluegreen-cli.jar");
        SmallCliJar.build(jar);
        operator = new StubOperator();
    }

    @AfterAll
    static void stopTheStub() {
        operator.close();
    }

    static SmallCliJar.Run inProcess(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.dispatch(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new SmallCliJar.Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theSmallJarHoldsOnlyTheCliClassesAndNothingOfQuarkusOrJackson() throws Exception {
        List<String> entries = SmallCliJar.build(dir.resolve("listed.jar"));
        assertThat(entries).contains("io/ecsbluegreen/cli/RemoteMain.class", "io/ecsbluegreen/cli/Json.class",
                "io/ecsbluegreen/text/Escapes.class");
        assertThat(entries).allMatch(e -> e.startsWith("io/ecsbluegreen/cli/") || e.equals("io/ecsbluegreen/text/Escapes.class")
                || e.startsWith("io/ecsbluegreen/spec/JsonReader"));
        assertThat(entries).noneMatch(e -> e.contains("/Main.class") || e.contains("Command.class"));
    }

    @Test
    void statusFromTheSmallJarPrintsExactlyWhatTheApplicationsCommandPrints() throws Exception {
        for (String[] args : List.of(new String[] {"status", "--api", operator.api()},
                new String[] {"status", "catalog", "--api", operator.api()})) {
            SmallCliJar.Run small = SmallCliJar.run(jar, List.of(), args);
            SmallCliJar.Run app = inProcess(args);
            assertThat(small.code()).as(small.err()).isZero();
            assertThat(small.out()).isEqualTo(app.out()).isNotBlank();
        }
        // the stub sends the listing chunked and the detail with a Content-Length: both are read whole
        assertThat(SmallCliJar.run(jar, List.of(), "status", "--api", operator.api()).out())
                .startsWith("NAME").containsPattern("catalog +Shifting +r-1 +r-2 +r-1=80%,r-2=20% +r-2=100% +2/4");
    }

    @Test
    void promoteAbortAndRetryKeepTheirMessagesAndExitCodes() throws Exception {
        SmallCliJar.Run accepted = SmallCliJar.run(jar, List.of(), "promote", "catalog", "--api", operator.api(), "--token", StubOperator.TOKEN);
        assertThat(accepted.code()).as(accepted.err()).isZero();
        assertThat(accepted.out()).isEqualTo("promote accepted for catalog\n");

        for (String command : List.of("abort", "retry")) {
            SmallCliJar.Run run = SmallCliJar.run(jar, List.of(), command, "catalog", "--api", operator.api(), "--token", StubOperator.TOKEN);
            assertThat(run.code()).as(run.err()).isZero();
            assertThat(run.out()).isEqualTo(command + " accepted for catalog\n");
        }

        SmallCliJar.Run unauthorized = SmallCliJar.run(dir, jar, List.of(), "promote", "catalog", "--api", operator.api());
        assertThat(unauthorized.code()).isEqualTo(1);
        assertThat(unauthorized.err()).isEqualTo("bluegreen promote: a bearer token is required\n");

        SmallCliJar.Run unknown = SmallCliJar.run(jar, List.of(), "abort", "nope", "--api", operator.api(), "--token", StubOperator.TOKEN);
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("bluegreen abort: no service named 'nope'\n").isEqualTo(
                inProcess("abort", "nope", "--api", operator.api(), "--token", StubOperator.TOKEN).err());

        SmallCliJar.Run usage = SmallCliJar.run(jar, List.of(), "retry");
        assertThat(usage.code()).isEqualTo(2);
        assertThat(usage.err()).contains("which service?").contains(ServiceCommands.COMMAND_USAGE);

        SmallCliJar.Run unreachable = SmallCliJar.run(jar, List.of(), "status", "--api", "http://127.0.0.1:1");
        assertThat(unreachable.code()).isEqualTo(1);
        assertThat(unreachable.err()).startsWith("bluegreen status: cannot reach the operator at http://127.0.0.1:1");
    }

    @Test
    void theTokenComesFromTheFileAnOperatorWroteInTheWorkingDirectory() throws Exception {
        Path workdir = Files.createDirectories(dir.resolve("with-token"));
        Files.createDirectories(workdir.resolve(".bluegreen"));
        Files.writeString(workdir.resolve(".bluegreen/api-token"), StubOperator.TOKEN + "\n");
        SmallCliJar.Run promote = SmallCliJar.run(workdir, jar, List.of(), "promote", "catalog", "--api", operator.api());
        assertThat(promote.code()).as(promote.err()).isZero();
        assertThat(operator.authorizations).contains("Bearer " + StubOperator.TOKEN);
    }

    @Test
    void aWatchOnATerminalRedrawsInPlaceWithWeightBarsAndTheStep() throws Exception {
        SmallCliJar.Run watch = SmallCliJar.run(jar, List.of("-Dfile.encoding=UTF-8"), "status", "catalog", "--watch", "--redraw",
                "--watch-rounds", "2", "--api", operator.api());
        assertThat(watch.code()).as(watch.err()).isZero();
        String[] frames = watch.out().split("\u001b\\[H", -1);
        assertThat(frames).as("cursor home before each of the two frames").hasSize(3);
        assertThat(frames[1]).endsWith("\u001b[J").startsWith("bluegreen status catalog   every 2s")
                .contains("catalog  Shifting  step 2/4\u001b[K\n")
                .contains("  production r-1             " + "\u2588".repeat(24) + "\u2591".repeat(6) + "  80%")
                .contains("             r-2             " + "\u2588".repeat(6) + "\u2591".repeat(24) + "  20%")
                .contains("  test       r-2             " + "\u2588".repeat(30) + " 100%")
                .contains("phase:      Shifting (StepHolding");
        assertThat(watch.out()).doesNotContain("--- ");
        SmallCliJar.Run log = SmallCliJar.run(jar, List.of(), "status", "catalog", "--watch", "--watch-rounds", "2", "--api", operator.api());
        assertThat(log.out()).as("into a pipe a watch stays a log of changes").doesNotContain("\u001b")
                .startsWith("--- ").contains("phase:      Shifting");
    }

    @Test
    void theTrainingRunWritesAnAppCdsArchiveThatLaterRunsUse() throws Exception {
        Path archive = dir.resolve("cli.jsa");
        SmallCliJar.Run train = SmallCliJar.run(jar, List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off",
                "-Xlog:cds+dynamic=off"), "--train");
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(archive).isNotEmptyFile();
        SmallCliJar.Run shared = SmallCliJar.run(jar, List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:on"),
                "status", "--api", operator.api());
        assertThat(shared.code()).as(shared.err()).isZero();
        assertThat(shared.out()).isEqualTo(inProcess("status", "--api", operator.api()).out());
    }

    @Test
    void aTokenWithALineBreakIsRefusedAndNeverSent() {
        int before = operator.authorizations.size();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int code = new ServiceCommands(new PrintStream(new java.io.ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), java.time.Duration.ofSeconds(2))
                .command("promote", new String[] {"catalog", "--api", operator.api(), "--token", StubOperator.TOKEN + "\r\nX-Forged: 1"});
        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("bluegreen promote: cannot reach the operator at " + operator.api())
                .contains("the API token holds a control character").doesNotContain(StubOperator.TOKEN);
        assertThat(operator.authorizations).hasSize(before);
    }

    @Test
    void anAnswerThatIsNotHttpIsReportedAsUnreachable() throws Exception {
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread answering = new Thread(() -> {
                try (java.net.Socket s = server.accept()) {
                    s.getOutputStream().write("SSH-2.0-OpenSSH\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (java.io.IOException e) {
                    // the client's error is what the test reads
                }
            });
            answering.start();
            SmallCliJar.Run run = SmallCliJar.run(jar, List.of(), "status", "--api", "http://127.0.0.1:" + server.getLocalPort());
            answering.join(10_000);
            assertThat(run.code()).isEqualTo(1);
            assertThat(run.err()).startsWith("bluegreen status: cannot reach the operator at http://127.0.0.1:" + server.getLocalPort())
                    .contains("not an HTTP answer: SSH-2.0-OpenSSH");
        }
    }
}

package io.ecsbluegreen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.sim.elb.TlsCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-command wall and CPU time of {@code bluegreen status}, {@code promote}, {@code abort} and {@code retry}
 * against a stub operator on loopback, before and after. Before: the application jar
 * ({@code target/quarkus-app/quarkus-run.jar}, or the one named by {@code -Dcli.before.jar=...}), as
 * {@code bin/bluegreen} ran these commands before the small jar: Quarkus's runner class loader over the
 * whole application. After: the small CLI jar with its AppCDS archive and the JVM options of
 * {@code bin/bluegreen} (read from it); for {@code status} also without the archive, and the bare JVM
 * ({@code java -version}) for scale. Prints the median and the 90th percentile of {@code -Dcli.runs} runs
 * (default 10, after one unmeasured run) and the load average around each row, because on a shared
 * machine the wall time follows the load and the CPU time much less. Target: {@code status} at or under
 * 0.5 s (the figure before: 2.4 s). CPU times come from /usr/bin/time where it exists.
 * Run: {@code ./mvnw -o -Pbench test -pl operator -Dtest=CliStartBenchmark} (after
 * {@code ./mvnw package -DskipTests} for the before figure).
 */
@Tag("benchmark")
class CliStartBenchmark {
    static final Path TIME = Path.of("/usr/bin/time");
    static final Path BIN = Path.of("..", "bin", "bluegreen");

    /** Median and 90th percentile of wall and CPU (user + system) seconds. */
    record Figure(double wall, double wall90, double cpu, double cpu90) {}

    @Test
    void printsWallAndCpuTimePerCommandBeforeAndAfter(@TempDir Path dir) throws Exception {
        int runs = Math.max(10, Integer.getInteger("cli.runs", 10));
        List<String> options = binOptions();
        Path jar = dir.resolve("bluegreen-cli.jar");
        SmallCliJar.build(jar);
        Path archive = dir.resolve("bluegreen-cli.jsa");
        List<String> train = new ArrayList<>(List.of(java(), "-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
                "-cp", jar.toString(), RemoteMain.class.getName(), "--train"));
        assertThat(SmallCliJar.exec(null, train).code()).isZero();
        Path before = Path.of(System.getProperty("cli.before.jar", "target/quarkus-app/quarkus-run.jar"));
        try (StubOperator operator = new StubOperator()) {
            List<String> shared = new ArrayList<>(List.of(java()));
            shared.addAll(options);
            shared.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-cp", jar.toString(), RemoteMain.class.getName()));
            System.out.printf("%nJVM options of bin/bluegreen: %s; %d runs per row%n", String.join(" ", options), runs);
            System.out.println(archiveUse(shared, operator));
            System.out.printf("%-9s %-44s %17s %17s  %s%n", "command", "path", "wall median/p90", "cpu median/p90", "load avg (1 min) before-after");
            String[][] commands = {{"status", "--api", operator.api()},
                {"promote", "catalog", "--api", operator.api(), "--token", StubOperator.TOKEN},
                {"abort", "catalog", "--api", operator.api(), "--token", StubOperator.TOKEN},
                {"retry", "catalog", "--api", operator.api(), "--token", StubOperator.TOKEN}};
            Figure status = null;
            for (String[] command : commands) {
                if (Files.isRegularFile(before)) {
                    List<String> old = new ArrayList<>(List.of(java(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", before.toString()));
                    row(command[0], "before: application jar (" + before.getFileName() + ")", old, command, runs);
                } else {
                    System.out.printf("%-9s %-44s %s%n", command[0], "before: application jar", "not built: ./mvnw package -DskipTests first");
                }
                if (command[0].equals("status")) {
                    List<String> small = new ArrayList<>(List.of(java()));
                    small.addAll(options);
                    small.addAll(List.of("-cp", jar.toString(), RemoteMain.class.getName()));
                    row(command[0], "small jar without its archive", small, command, runs);
                }
                Figure after = row(command[0], "after: small jar + AppCDS (bin/bluegreen)", shared, command, runs);
                if (command[0].equals("status")) status = after;
            }
            httpsRows(dir, shared, runs);
            List<String> version = new ArrayList<>(List.of(java()));
            version.addAll(options);
            version.add("-version");
            row("-version", "the JVM alone, for scale", version, new String[0], runs);
            System.out.printf("target: status at or under 0.500 s (2.4 s before, issue 13): median %.3f s, %s%n", status.wall(),
                    status.wall() <= 0.5 ? "met" : "not met at this load");
        }
    }

    /**
     * {@code status} against an operator behind HTTPS (a certificate for localhost from a CA the process is
     * told to trust): over the CLI's own TLS socket, and through {@code HttpsURLConnection} as before
     * 2026-12-06 (forced here by an https proxy that localhost bypasses, the client's one remaining
     * HttpURLConnection path).
     */
    static void httpsRows(Path dir, List<String> shared, int runs) throws Exception {
        TlsCertificates certificates = new TlsCertificates();
        certificates.names(List.of("localhost"));
        Path trustStore = StubOperator.trustStore(certificates, dir.resolve("trust.p12"));
        try (StubOperator tls = new StubOperator(certificates.serverContext())) {
            String[] status = {"status", "--api", tls.api("localhost")};
            List<String> socket = new ArrayList<>(shared);
            socket.addAll(1, StubOperator.trusting(trustStore));
            row("status", "https: TLS socket (after)", socket, status, runs);
            List<String> urlConnection = new ArrayList<>(socket);
            urlConnection.addAll(1, List.of("-Dhttps.proxyHost=proxy.invalid", "-Dhttp.nonProxyHosts=localhost"));
            row("status", "https: HttpsURLConnection (before)", urlConnection, status, runs);
        }
    }

    /** The JVM options bin/bluegreen gives the small jar ({@code CLI_JAVA_OPTS="..."}), so both stay one list. */
    static List<String> binOptions() throws Exception {
        Matcher m = Pattern.compile("(?m)^CLI_JAVA_OPTS=\"([^\"]*)\"").matcher(Files.readString(BIN));
        assertThat(m.find()).as("CLI_JAVA_OPTS in " + BIN).isTrue();
        return List.of(m.group(1).trim().split("\\s+"));
    }

    /** How many of the classes a {@code status} loads come from the archive's top layer, the JDK's base layer and elsewhere. */
    static String archiveUse(List<String> shared, StubOperator operator) throws Exception {
        List<String> logged = new ArrayList<>(shared);
        logged.add(1, "-Xlog:class+load=info");
        logged.addAll(List.of("status", "--api", operator.api()));
        SmallCliJar.Run run = SmallCliJar.exec(null, logged);
        assertThat(run.code()).as(run.err()).isZero();
        long top = 0;
        long base = 0;
        long other = 0;
        for (String line : run.out().lines().toList()) {
            if (!line.contains("[class,load]")) continue;
            if (line.contains("source: shared objects file (top)")) top++;
            else if (line.contains("source: shared objects file")) base++;
            else other++;
        }
        assertThat(top).as("classes from the CLI's archive: the archive is in use").isPositive();
        return String.format("classes loaded by one status: %d (%d from the CLI's archive, %d from the JDK's, %d loaded from jars)",
                top + base + other, top, base, other);
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static Figure row(String command, String path, List<String> prefix, String[] args, int runs) throws Exception {
        String loadBefore = load();
        Figure f = measure(prefix, args, runs);
        System.out.printf("%-9s %-44s %8.3f/%-8.3f %8s/%-8s  %s-%s%n", command, path, f.wall(), f.wall90(), seconds(f.cpu()), seconds(f.cpu90()),
                loadBefore, load());
        return f;
    }

    static String seconds(double s) {
        return Double.isNaN(s) ? "-" : String.format("%.3f", s);
    }

    /** The one-minute load average, from /proc/loadavg where it exists. */
    static String load() throws Exception {
        Path avg = Path.of("/proc/loadavg");
        return Files.isReadable(avg) ? Files.readString(avg).split(" ")[0] : "?";
    }

    /** Wall and CPU (user + system) time of {@code runs} runs, after one unmeasured warm-up run. */
    static Figure measure(List<String> prefix, String[] args, int runs) throws Exception {
        boolean timed = Files.isExecutable(TIME);
        double[] wall = new double[runs];
        double[] cpu = new double[runs];
        for (int i = -1; i < runs; i++) {
            List<String> command = new ArrayList<>();
            if (timed) command.addAll(List.of(TIME.toString(), "-f", "CPU %U %S"));
            command.addAll(prefix);
            command.addAll(List.of(args));
            long start = System.nanoTime();
            SmallCliJar.Run run = SmallCliJar.exec(null, command);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(run.code()).as(run.err()).isZero();
            if (i < 0) continue;
            wall[i] = seconds;
            cpu[i] = Double.NaN;
            for (String line : run.err().lines().toList()) {
                if (line.startsWith("CPU ")) {
                    String[] parts = line.split(" ");
                    cpu[i] = Double.parseDouble(parts[1]) + Double.parseDouble(parts[2]);
                }
            }
        }
        return new Figure(percentile(wall, 50), percentile(wall, 90), percentile(cpu, 50), percentile(cpu, 90));
    }

    /** The nearest-rank percentile. */
    static double percentile(double[] values, int p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}

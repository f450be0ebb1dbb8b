package io.ecsbluegreen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-command wall and CPU time of {@code bluegreen status} and {@code promote} against a stub operator on
 * loopback: before, through the application jar ({@code target/quarkus-app/quarkus-run.jar}, or the one
 * named by {@code -Dcli.before.jar=...}, e.g. a build of an older commit); after, through the small CLI
 * jar with and without the AppCDS archive, with the JVM options bin/bluegreen uses. Prints the medians of
 * {@code -Dcli.runs} runs (default 7). Target: the small jar with its archive at or under 0.5 s. CPU times
 * come from /usr/bin/time where it exists. Run: {@code ./mvnw -o -Pbench test -Dtest=CliStartBenchmark}.
 */
@Tag("benchmark")
class CliStartBenchmark {
    static final List<String> BIN_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData");
    static final Path TIME = Path.of("/usr/bin/time");

    record Figure(double wall, double cpu) {}

    @Test
    void printsWallAndCpuTimePerCommandBeforeAndAfter(@TempDir Path dir) throws Exception {
        int runs = Integer.getInteger("cli.runs", 7);
        Path jar = dir.resolve("bluegreen-cli.jar");
        SmallCliJar.build(jar);
        Path archive = dir.resolve("bluegreen-cli.jsa");
        List<String> train = new ArrayList<>(List.of(java(), "-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
                "-cp", jar.toString(), RemoteMain.class.getName(), "--train"));
        assertThat(SmallCliJar.exec(null, train).code()).isZero();
        Path before = Path.of(System.getProperty("cli.before.jar", "target/quarkus-app/quarkus-run.jar"));
        try (StubOperator operator = new StubOperator()) {
            String[][] commands = {{"status", "--api", operator.api()}, {"promote", "catalog", "--api", operator.api(), "--token", StubOperator.TOKEN}};
            System.out.printf("%n%-9s %-46s %9s %9s%n", "command", "path", "wall (s)", "cpu (s)");
            for (String[] command : commands) {
                if (Files.isRegularFile(before)) {
                    List<String> old = new ArrayList<>(List.of(java(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", before.toString()));
                    print(command[0], "application jar (" + before.getFileName() + ")", measure(old, command, runs));
                } else {
                    System.out.printf("%-9s %-46s %s%n", command[0], "application jar", "not built: ./mvnw package -DskipTests first");
                }
                List<String> small = new ArrayList<>(List.of(java()));
                small.addAll(BIN_OPTIONS);
                small.addAll(List.of("-cp", jar.toString(), RemoteMain.class.getName()));
                print(command[0], "small jar, no CDS archive", measure(small, command, runs));
                List<String> shared = new ArrayList<>(List.of(java()));
                shared.addAll(BIN_OPTIONS);
                shared.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-cp", jar.toString(), RemoteMain.class.getName()));
                print(command[0], "small jar + AppCDS archive (bin/bluegreen)", measure(shared, command, runs));
            }
            List<String> version = new ArrayList<>(List.of(java()));
            version.addAll(BIN_OPTIONS);
            version.add("-version");
            print("-version", "the JVM alone, for scale", measure(version, new String[0], runs));
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static void print(String command, String path, Figure f) {
        System.out.printf("%-9s %-46s %9.3f %9s%n", command, path, f.wall(), Double.isNaN(f.cpu()) ? "-" : String.format("%.3f", f.cpu()));
    }

    /** Median wall and CPU (user + system) time of {@code runs} runs, after one unmeasured warm-up run. */
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
        return new Figure(median(wall), median(cpu));
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}

package io.ecsbluegreen.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A command-line tool the deploy tests use when it is installed (terraform, cfn-lint, promtool). */
record ExternalTool(Path executable) {

    /** The result of one run: exit code, standard output and standard error. */
    record Run(int exitCode, String stdout, String stderr) {
        /** Both streams, for messages. */
        String output() {
            return stdout + stderr;
        }
    }

    /** The tool on the PATH, if there. */
    static Optional<ExternalTool> find(String name) {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return Optional.of(new ExternalTool(candidate));
        }
        return Optional.empty();
    }

    /**
     * Runs the tool in {@code dir} with {@code stdin} and {@code environment} added to the inherited one;
     * kills it and fails past {@code timeout}.
     */
    Run run(Path dir, Duration timeout, String stdin, Map<String, String> environment, List<String> args)
            throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add(executable.toString());
        command.addAll(args);
        Path out = Files.createTempFile("tool", ".out");
        Path err = Files.createTempFile("tool", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            try (var in = process.getOutputStream()) {
                if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish within " + timeout);
            }
            return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    Run run(Path dir, Duration timeout, String... args) throws IOException, InterruptedException {
        return run(dir, timeout, null, Map.of(), List.of(args));
    }
}

package io.ecsbluegreen.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The AWS CLI's own driver in one long-lived Python process ({@code awscli/batch.py}): the same code the
 * {@code aws} script runs, a new driver and botocore session per command, without a new interpreter and
 * its imports for each (about a second a command). Null from {@link #start} where {@code python3} cannot
 * import the CLI (the CLI v2 is a frozen binary, for one): the caller then starts {@code aws} per command.
 */
final class CliBatch implements AutoCloseable {
    private static final long ANSWER_SECONDS = 60;

    private final Process process;
    private final Writer requests;
    private final BufferedReader answers;

    private CliBatch(Process process) {
        this.process = process;
        this.requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static CliBatch start(Map<String, String> env) {
        try {
            Path script = Files.createTempFile("aws-cli-batch", ".py");
            try (InputStream in = CliBatch.class.getResourceAsStream("/awscli/batch.py")) {
                Files.write(script, in.readAllBytes());
            }
            script.toFile().deleteOnExit();
            ProcessBuilder pb = new ProcessBuilder("python3", script.toString()).redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().putAll(env);
            CliBatch batch = new CliBatch(pb.start());
            // A probe command: if the CLI cannot be imported the process has ended and there is no answer.
            Path probe = Files.createTempFile("aws-cli-probe", ".out");
            try {
                return batch.run(List.of("--version"), Map.of(), probe) == 0 ? batch : batch.closed();
            } catch (IOException | IllegalStateException e) {
                return batch.closed();
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Runs one command; its output (stdout and stderr, as the CLI prints them) goes to {@code output}. */
    int run(List<String> args, Map<String, String> env, Path output) throws IOException, InterruptedException {
        requests.write("{\"args\":" + array(args) + ",\"env\":" + object(env) + ",\"out\":" + string(output.toString()) + "}\n");
        requests.flush();
        CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
            try {
                return answers.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        String line;
        try {
            line = answer.get(ANSWER_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("aws " + String.join(" ", args) + " did not finish in " + ANSWER_SECONDS + " s");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        }
        if (line == null) throw new IllegalStateException("the CLI's Python process ended");
        return Integer.parseInt(line.replaceAll("\\D", ""));
    }

    private CliBatch closed() {
        close();
        return null;
    }

    @Override
    public void close() {
        try {
            requests.close();
        } catch (IOException e) {
            // the process has ended already
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String array(List<String> values) {
        return values.stream().map(CliBatch::string).collect(Collectors.joining(",", "[", "]"));
    }

    private static String object(Map<String, String> values) {
        return values.entrySet().stream().map(e -> string(e.getKey()) + ":" + string(e.getValue()))
                .collect(Collectors.joining(",", "{", "}"));
    }

    private static String string(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }
}

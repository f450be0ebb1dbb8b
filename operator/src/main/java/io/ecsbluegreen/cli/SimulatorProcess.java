package io.ecsbluegreen.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The AWS simulator as a child process, for {@code bluegreen demo} and {@code bluegreen simulate}. The
 * operator's jar and image hold no simulator class: the simulator is its own jar
 * ({@code simulator/target/ecs-bluegreen-simulator.jar}, built beside the operator), found through the system
 * property {@value #CLASSPATH_PROPERTY}, next to the working directory, or on this JVM's class path (tests).
 * The child ends with this process: it watches its standard input, which this process holds open.
 */
final class SimulatorProcess implements AutoCloseable {
    static final String CLASSPATH_PROPERTY = "ecsbluegreen.simulator.classpath";
    static final String MAIN_CLASS = "io.ecsbluegreen.sim.SimulatorMain";
    static final String READY = "AWS simulator on ";
    /** The banner line naming the queue a seed routes events to (SimulateCommand.EVENTS_QUEUE). */
    static final String EVENTS_QUEUE = "  events queue: ";
    /** The simulator's option that keeps the seed's local commands from running (SimulatorMain). */
    static final String NO_LOCAL_COMMANDS = "--no-local-commands";
    static final Path JAR = Path.of("simulator", "target", "ecs-bluegreen-simulator.jar");

    private final Process process;
    private final URI endpoint;
    private final String eventsQueueUrl;

    private SimulatorProcess(Process process, URI endpoint, String eventsQueueUrl) {
        this.process = process;
        this.endpoint = endpoint;
        this.eventsQueueUrl = eventsQueueUrl;
    }

    /** The URL of the SQS queue the seed sends the simulator's events to, when it names one. */
    Optional<String> eventsQueueUrl() {
        return Optional.ofNullable(eventsQueueUrl);
    }

    /** The simulator's AWS endpoint. */
    URI endpoint() {
        return endpoint;
    }

    /**
     * Starts the simulator with these options and waits until it serves; its output goes to {@code out}.
     * Null (after a message on {@code err}) when it does not start.
     */
    static SimulatorProcess start(List<String> options, PrintStream out, PrintStream err) {
        Optional<String> classpath = classpath();
        if (classpath.isEmpty()) {
            err.println("bluegreen: the simulator is not built (" + JAR + "); run ./mvnw package -DskipTests");
            return null;
        }
        List<String> command = new ArrayList<>(List.of(java(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", classpath.get(), MAIN_CLASS, "--exit-with-parent"));
        command.addAll(options);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            err.println("bluegreen: cannot start the simulator: " + e.getMessage());
            return null;
        }
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = lines.readLine()) != null) {
                out.println(line);
                if (line.startsWith(READY)) {
                    String rest = line.substring(READY.length());
                    int space = rest.indexOf(' ');
                    URI endpoint = URI.create(space < 0 ? rest : rest.substring(0, space));
                    // The rest of the banner (listeners, statistics) ends with a blank line; it is read here,
                    // not by the pump, so whoever starts the demo has the whole banner when this returns.
                    String eventsQueue = null;
                    while ((line = lines.readLine()) != null) {
                        out.println(line);
                        if (line.startsWith(EVENTS_QUEUE)) eventsQueue = line.substring(EVENTS_QUEUE.length()).trim();
                        if (line.isBlank()) break;
                    }
                    pump(lines, out);
                    return new SimulatorProcess(process, endpoint, eventsQueue);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        waitFor(process);
        err.println("bluegreen: the simulator stopped before it served (exit code " + process.exitValue() + ")");
        return null;
    }

    /** {@code bluegreen simulate}: the simulator in the foreground until it ends; returns its exit code. */
    static int runForeground(List<String> options, PrintStream err) {
        Optional<String> classpath = classpath();
        if (classpath.isEmpty()) {
            err.println("bluegreen: the simulator is not built (" + JAR + "); run ./mvnw package -DskipTests");
            return 1;
        }
        List<String> command = new ArrayList<>(List.of(java(), "-cp", classpath.get(), MAIN_CLASS));
        command.addAll(options);
        try {
            Process process = new ProcessBuilder(command).inheritIO().start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "simulator-stop"));
            return process.waitFor();
        } catch (IOException e) {
            err.println("bluegreen: cannot start the simulator: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    @Override
    public void close() {
        process.destroy();
        waitFor(process);
    }

    private static void waitFor(Process process) {
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pump(BufferedReader lines, PrintStream out) {
        Thread pump = new Thread(() -> {
            try {
                String line;
                while ((line = lines.readLine()) != null) out.println(line);
            } catch (IOException e) {
                // the simulator ended
            }
        }, "simulator-output");
        pump.setDaemon(true);
        pump.start();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static Optional<String> classpath() {
        String configured = System.getProperty(CLASSPATH_PROPERTY);
        if (configured != null && !configured.isBlank()) return Optional.of(configured);
        for (Path jar : List.of(JAR, Path.of("..").resolve(JAR))) {
            if (Files.isRegularFile(jar)) return Optional.of(jar.toAbsolutePath().normalize().toString());
        }
        // in the build's tests the simulator is on this JVM's class path
        String own = System.getProperty("java.class.path", "");
        boolean hasSimulator = SimulatorProcess.class.getClassLoader().getResource(MAIN_CLASS.replace('.', '/') + ".class") != null;
        return hasSimulator && !own.isBlank() ? Optional.of(own) : Optional.empty();
    }

}

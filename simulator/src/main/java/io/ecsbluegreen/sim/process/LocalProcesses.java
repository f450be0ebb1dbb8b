package io.ecsbluegreen.sim.process;

import io.ecsbluegreen.sim.SimulatorConfig;
import io.ecsbluegreen.sim.spi.TaskProcesses;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs tasks' local commands as child processes of the simulator, each on a free loopback port, in the
 * simulator's working directory with its environment plus the container's and {@code HOST=127.0.0.1},
 * {@code PORT=<port>}; {@code {port}} and {@code {host}} in the arguments are replaced too. A process's
 * output goes to the simulator's log, prefixed with its task id.
 *
 * <p>No process outlives the simulator: {@link #close()} stops them all, and a JVM shutdown hook (added
 * with the first process, removed on close) does the same when the JVM exits on a signal. They are in
 * the simulator's process group, so killing the group takes them too.
 */
public final class LocalProcesses implements TaskProcesses, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LocalProcesses.class.getName());
    /** How long a stopped process has to exit after TERM before it gets KILL. */
    static final Duration GRACE = Duration.ofSeconds(5);

    private final Set<Running> running = ConcurrentHashMap.newKeySet();
    private Thread shutdownHook;
    private boolean closed;

    @Override
    public Handle start(String taskArn, List<String> command, Map<String, String> environment) throws IOException {
        int port = freePort();
        List<String> argv = new ArrayList<>(command.size());
        for (String arg : command) {
            argv.add(arg.replace("{port}", Integer.toString(port)).replace("{host}", SimulatorConfig.HOST));
        }
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        builder.environment().putAll(environment);
        builder.environment().put("HOST", SimulatorConfig.HOST);
        builder.environment().put("PORT", Integer.toString(port));
        String name = taskArn.substring(taskArn.lastIndexOf('/') + 1);
        Running process;
        synchronized (this) {
            if (closed) throw new IOException("the simulator is closed");
            process = new Running(builder.start(), port, name);
            running.add(process);
            if (shutdownHook == null) {
                shutdownHook = new Thread(this::stopAll, "sim-task-processes-shutdown");
                Runtime.getRuntime().addShutdownHook(shutdownHook);
            }
        }
        Thread pump = new Thread(() -> pump(process), "sim-task-" + name);
        pump.setDaemon(true);
        pump.start();
        process.process.onExit().thenRun(() -> running.remove(process));
        LOG.log(Level.INFO, "task {0}: started {1} on {2}:{3}", name, String.join(" ", argv), SimulatorConfig.HOST,
                Integer.toString(port));
        return process;
    }

    /** How many started processes are still running. */
    public int alive() {
        return (int) running.stream().filter(Running::alive).count();
    }

    /** The process ids of the processes still running, for checks that none is left. */
    public List<Long> pids() {
        return running.stream().filter(Running::alive).map(r -> r.process.pid()).toList();
    }

    /** Stops every process and waits (up to the grace period, then KILL) until they have exited; idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (shutdownHook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or about to: it stops them too
                }
                shutdownHook = null;
            }
        }
        stopAll();
    }

    private void stopAll() {
        List<Running> all = List.copyOf(running);
        all.forEach(Running::stop);
        for (Running r : all) {
            try {
                if (!r.process.waitFor(GRACE.toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                    r.kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                r.kill();
            }
        }
    }

    private static void pump(Running r) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(r.process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                LOG.log(Level.INFO, "task {0}: {1}", r.name, line);
            }
        } catch (IOException closed) {
            // the process is gone
        }
        r.process.onExit().thenAccept(p -> {
            if (!r.stopping) LOG.log(Level.WARNING, "task {0}: process exited with {1}", r.name, Integer.toString(p.exitValue()));
        });
    }

    /** A free port on loopback, for the process to bind (the next bind of that port is the process's). */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(SimulatorConfig.HOST))) {
            return socket.getLocalPort();
        }
    }

    private static final class Running implements Handle {
        final Process process;
        final int port;
        final String name;
        volatile boolean stopping;

        Running(Process process, int port, String name) {
            this.process = process;
            this.port = port;
            this.name = name;
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public boolean alive() {
            return process.isAlive();
        }

        @Override
        public void stop() {
            if (stopping) return;
            stopping = true;
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            process.onExit().orTimeout(GRACE.toMillis(), TimeUnit.MILLISECONDS).exceptionally(timeout -> {
                kill();
                return null;
            });
        }

        void kill() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}

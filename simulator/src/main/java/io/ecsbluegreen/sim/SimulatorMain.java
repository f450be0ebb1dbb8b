package io.ecsbluegreen.sim;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The simulator's own entry point: {@code java -jar simulator/target/ecs-bluegreen-simulator.jar [--port N]
 * [--seed FILE] [--aws-rate-limits] [--exit-with-parent]} ({@code bin/bluegreen simulate}). The operator's
 * jar holds no simulator class, so the demo starts the simulator as a child process through this class.
 */
public final class SimulatorMain {
    /** Ends the process when its standard input closes: the parent (the demo) died or let it go. */
    public static final String EXIT_WITH_PARENT = "--exit-with-parent";
    /** Keeps every image simulated, even those the seed maps to a local command (the demo without python3). */
    public static final String NO_LOCAL_COMMANDS = "--no-local-commands";

    private SimulatorMain() {}

    public static void main(String[] args) {
        boolean exitWithParent = Arrays.asList(args).contains(EXIT_WITH_PARENT);
        boolean localCommands = !Arrays.asList(args).contains(NO_LOCAL_COMMANDS);
        String[] rest = Arrays.stream(args).filter(a -> !a.equals(EXIT_WITH_PARENT) && !a.equals(NO_LOCAL_COMMANDS))
                .toArray(String[]::new);
        if (exitWithParent) watchParent(System.in);
        System.exit(new SimulateCommand(System.out, System.err).run(rest, localCommands));
    }

    // A parent killed with SIGKILL cannot stop its children; the pipe it held closes all the same.
    private static void watchParent(InputStream parent) {
        Thread watcher = new Thread(() -> {
            try {
                while (parent.read() >= 0) {
                    // the parent writes nothing; anything read is ignored
                }
            } catch (IOException e) {
                // a broken pipe means the same as end of input
            }
            System.exit(0);
        }, "parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}

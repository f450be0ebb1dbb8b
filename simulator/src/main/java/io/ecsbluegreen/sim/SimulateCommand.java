package io.ecsbluegreen.sim;

import io.ecsbluegreen.sim.AwsRateLimits;
import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.ClockMode;
import io.ecsbluegreen.sim.ListenerPortMode;
import io.ecsbluegreen.sim.SimulatorConfig;
import io.ecsbluegreen.sim.seed.SeedApplier;
import io.ecsbluegreen.sim.seed.SeedLoader;
import io.ecsbluegreen.spec.SpecError;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bluegreen simulate [--port N] [--seed FILE] [--aws-rate-limits]}: the local AWS endpoint as a
 * long-running process, on wall-clock time, listeners on their own ports. Ctrl-C stops it.
 */
final class SimulateCommand {
    /** The banner line naming the queue the seed routes events to; {@code bluegreen demo} reads it. */
    static final String EVENTS_QUEUE = "  events queue: ";
    static final String USAGE = "usage: bluegreen simulate [--port N (default 4566)] [--seed FILE] [--aws-rate-limits]";

    private final PrintStream out;
    private final PrintStream err;

    SimulateCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Parsed options. */
    record Options(int port, Path seed, boolean rateLimits) {}

    static Options parse(String[] args) {
        int port = 4566;
        Path seed = null;
        boolean limits = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                case "--seed" -> seed = Path.of(value(args, ++i, "--seed"));
                case "--aws-rate-limits" -> limits = true;
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
            }
        }
        return new Options(port, seed, limits);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) throw new IllegalArgumentException(option + " needs a value");
        return args[i];
    }

    int run(String[] args) {
        return run(args, true);
    }

    /** As {@link #run(String[])}; without {@code localCommands} the seed's images all stay simulated. */
    int run(String[] args, boolean localCommands) {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("bluegreen simulate: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        SimulatorConfig config = SimulatorConfig.defaults().withPort(options.port()).withClockMode(ClockMode.WALL)
                .withListenerPortMode(ListenerPortMode.EXACT);
        if (options.rateLimits()) config = AwsRateLimits.apply(config);
        AwsSimulator sim = start(config, options.seed(), localCommands);
        if (sim == null) return 1;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            stopped.countDown();
        }, "simulator-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Starts and seeds a simulator and prints where everything is; null (and a message) on failure. */
    AwsSimulator start(SimulatorConfig config, Path seedFile) {
        return start(config, seedFile, true);
    }

    /** As {@link #start(SimulatorConfig, Path)}; without {@code localCommands}, the seed's images all stay simulated. */
    AwsSimulator start(SimulatorConfig config, Path seedFile, boolean localCommands) {
        SeedApplier.Applied applied = null;
        AwsSimulator sim = AwsSimulator.start(config);
        if (seedFile != null) {
            try {
                SeedLoader.Result seed = SeedLoader.load(seedFile.toString(), Files.readAllBytes(seedFile));
                if (!seed.errors().isEmpty()) {
                    seed.errors().stream().map(SpecError::toString).forEach(err::println);
                    sim.close();
                    return null;
                }
                applied = SeedApplier.apply(localCommands ? seed.seed() : seed.seed().withoutCommands(), sim);
            } catch (IOException | RuntimeException e) {
                err.println("bluegreen simulate: cannot seed from " + seedFile + ": " + e.getMessage());
                sim.close();
                return null;
            }
        }
        out.println("AWS simulator on " + sim.endpoint() + " (any credentials, any region; started in "
                + sim.startupTime().toMillis() + " ms)");
        out.println("  aws --endpoint-url " + sim.endpoint() + " elbv2 describe-load-balancers");
        out.println("  statistics: " + sim.endpoint() + "/_sim/stats");
        if (applied != null) {
            applied.listenerEndpoints().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                    .forEach(e -> out.println("  listener " + e.getKey() + ": " + e.getValue()));
            if (applied.eventsQueueUrl() != null) out.println(EVENTS_QUEUE + applied.eventsQueueUrl());
        }
        // The blank line ends the banner: a parent process reading it (bluegreen demo) knows it has it all.
        out.println();
        out.flush();
        return sim;
    }
}

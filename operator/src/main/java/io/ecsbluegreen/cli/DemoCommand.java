package io.ecsbluegreen.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code bluegreen demo}: the simulator, seeded with the demo account (examples/simulator/seed.yaml), and
 * the operator on {@code examples/} pointed at it, in one process on wall-clock time. The operator does
 * not know it is simulated: the demo only sets its AWS endpoint and credentials, as a user would.
 */
final class DemoCommand {
    static final String USAGE = "usage: bluegreen demo [--sim-port N (default 4566)] [--sources URI (default dir:examples)]";

    private final PrintStream out;
    private final PrintStream err;

    DemoCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** What the demo starts: the simulator and the settings that point the operator at it. */
    record Prepared(SimulatorProcess simulator, Map<String, String> properties) {}

    /** Starts the simulator and returns the operator's settings; null (after a message) on failure. */
    Prepared prepare(String[] args) {
        int simPort = 4566;
        String sources = "dir:examples";
        Path seed = Path.of("examples/simulator/seed.yaml");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ((a.equals("--sim-port") || a.equals("--sources") || a.equals("--seed")) && i + 1 < args.length) {
                String v = args[++i];
                if (a.equals("--sim-port")) simPort = Integer.parseInt(v);
                else if (a.equals("--sources")) sources = v;
                else seed = Path.of(v);
            } else {
                err.println("bluegreen demo: unknown or incomplete option '" + a + "'");
                err.println(USAGE);
                return null;
            }
        }
        if (!Files.isRegularFile(seed)) {
            err.println("bluegreen demo: " + seed + " not found; run the demo from the repository's root directory");
            return null;
        }
        // The greeter's tasks run the real app (python3); without python3 they answer with the simulator's page.
        boolean python = onPath("python3");
        if (!python) {
            err.println("bluegreen demo: python3 not found on PATH; the greeter's tasks answer with the simulator's page "
                    + "instead of running examples/greeter/app/greeter.py");
        }
        java.util.List<String> options = new java.util.ArrayList<>(java.util.List.of("--port", String.valueOf(simPort), "--seed", seed.toString()));
        if (!python) options.add(io.ecsbluegreen.cli.SimulatorProcess.NO_LOCAL_COMMANDS);
        SimulatorProcess sim = SimulatorProcess.start(options, out, err);
        if (sim == null) return null;
        Map<String, String> p = new LinkedHashMap<>();
        p.put("bluegreen.sources", sources);
        p.put("bluegreen.aws.endpoint-override", sim.endpoint().toString());
        p.put("bluegreen.aws.region", "us-east-1");
        p.put("bluegreen.aws.access-key-id", "demo");
        p.put("bluegreen.aws.secret-access-key", "demo");
        p.put("bluegreen.aws.s3-path-style", "true");
        // A demo should react while people watch: files every 5 s, a full check every 15 s.
        p.put("bluegreen.sync.interval", "5s");
        p.put("bluegreen.reconcile.resync", "15s");
        // A seed with an events queue (the demo's has one): the operator consumes what the simulator sends, so a
        // crash or an alarm is acted on at once; the full check then only backs events up, once a minute.
        sim.eventsQueueUrl().ifPresent(queue -> {
            p.put("bluegreen.events.enabled", "true");
            p.put("bluegreen.events.queue-url", queue);
            p.put("bluegreen.events.fallback-resync", "1m");
        });
        out.println();
        out.println("Operator on " + sources + ", reconciling against the simulator. Where to look:");
        out.println("  production:  curl http://127.0.0.1:18080/      (test listener: http://127.0.0.1:18081/)");
        out.println("  v2's API:    curl http://127.0.0.1:18080/api/greeting   (404 until the greeter runs 2.0.0)");
        out.println("  dashboard:   http://127.0.0.1:8080/");
        out.println("  services:    curl http://127.0.0.1:8080/api/v1/services");
        out.println("  metrics:     curl http://127.0.0.1:8080/q/metrics | grep ^bluegreen_");
        out.println("  watch:       bin/bluegreen status --watch");
        out.println("  roll out v2: set the greeter's image to ghcr.io/ecsbluegreen/greeter:2.0.0 in examples/greeter/greeter.yaml");
        out.println("               (see examples/greeter/README.md); a release that crashes and is rolled back: ...:9.9.9-crashing");
        out.println("  commands:    bin/bluegreen promote catalog | abort NAME | retry NAME  (the API token is in");
        out.println("               .bluegreen/api-token, where the CLI finds it)");
        out.println();
        return new Prepared(sim, p);
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) return true;
        }
        return false;
    }
}

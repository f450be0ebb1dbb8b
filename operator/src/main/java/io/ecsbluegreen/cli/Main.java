package io.ecsbluegreen.cli;

import io.quarkus.runtime.Quarkus;
import io.ecsbluegreen.hooks.HookRunner;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * The {@code bluegreen} command. Subcommands that only read files ({@code validate}, {@code schema}) run
 * as plain Java and never start Quarkus, so a pre-commit hook answers in well under a second; {@code run}
 * starts the operator.
 */
@QuarkusMain
public final class Main {
    private Main() {}

    static final String USAGE = """
            usage: bluegreen <command> [options]

            commands:
              demo              the simulator seeded with a demo account and the operator on examples/, together
              run               run the operator: load the desired state, reconcile, serve /api/v1, /q/health, /q/metrics
              status [NAME] [--watch]
                                where each rollout stands, held sources first (asks the running operator; --api URL or BLUEGREEN_API)
              promote NAME      let a rollout waiting for manual promotion shift production traffic
              abort NAME        roll the rollout in progress back now
              retry NAME        start a rolled-back or failed revision again
              sources [status]  how each source stands, held sources first
              sources confirm [SOURCE]
                                accept the removal a source's removal guard holds (all held sources without SOURCE)
              plan PATH...      dry run: what the operator would do for these files against the account, changing nothing
              validate [--strict] PATH...
                                check BlueGreenService files or directories; exit 0 when all are valid, 1 otherwise;
                                files that declare nothing are warnings, which fail too under --strict
              simulate [--port N] [--seed FILE] [--aws-rate-limits]
                                run the local AWS endpoint (S3, STS, ELBv2 with a data plane) until Ctrl-C
              schema [--crd|--markdown]
                                print the JSON Schema of BlueGreenService, the Kubernetes CRD, or the field reference
              help              show this help

            Configuration of `run` is read from bluegreen.* properties or BLUEGREEN_* environment variables;
            see docs/configuration.md.
            """;

    public static void main(String... args) {
        // before any HTTP client loads: http hooks send the Host a listener rule matches on
        if (System.getProperty(HookRunner.RESTRICTED_HEADERS) == null) System.setProperty(HookRunner.RESTRICTED_HEADERS, "host");
        if (args.length > 0 && args[0].equals("run")) {
            Quarkus.run(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("demo")) {
            DemoCommand.Prepared demo = new DemoCommand(System.out, System.err).prepare(Arrays.copyOfRange(args, 1, args.length));
            if (demo == null) System.exit(2);
            demo.properties().forEach(System::setProperty);
            Quarkus.run();
            demo.simulator().close();
            return;
        }
        int code = dispatch(args, System.out, System.err);
        System.exit(code);
    }

    /** Runs a file-only subcommand and returns its exit code: 0 success, 1 findings, 2 usage error. */
    public static int dispatch(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            (args.length == 0 ? err : out).print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case "validate" -> new ValidateCommand(out, err).run(rest);
            case "schema" -> new SchemaCommand(out, err).run(rest);
            case "simulate" -> SimulatorProcess.runForeground(java.util.List.of(rest), err);
            case "status" -> new ServiceCommands(out, err, java.time.Duration.ofSeconds(2)).status(rest);
            case "promote", "abort", "retry" -> new ServiceCommands(out, err, java.time.Duration.ofSeconds(2)).command(args[0], rest);
            case "sources" -> new SourceCommands(out, err).run(rest);
            case "plan" -> new PlanCommand(out, err, System.getenv()).run(rest);
            default -> {
                err.println("bluegreen: unknown command '" + args[0] + "'");
                err.print(USAGE);
                yield 2;
            }
        };
    }
}

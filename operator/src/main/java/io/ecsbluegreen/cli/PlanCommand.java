package io.ecsbluegreen.cli;

import io.ecsbluegreen.aws.Actor;
import io.ecsbluegreen.aws.HealthReadBudget;
import io.ecsbluegreen.aws.SdkAlarmPort;
import io.ecsbluegreen.aws.SdkScalingPort;
import io.ecsbluegreen.aws.SdkEcsPort;
import io.ecsbluegreen.aws.SdkElbPort;
import io.ecsbluegreen.aws.AwsClients;
import io.ecsbluegreen.aws.Identity;
import io.ecsbluegreen.config.OperatorConfig;
import io.ecsbluegreen.aws.RoleAssumptionException;
import io.ecsbluegreen.loop.Reconciler;
import io.ecsbluegreen.aws.AwsCallMetrics;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.aws.Observer;
import io.ecsbluegreen.plan.Action;
import io.ecsbluegreen.plan.Plan;
import io.ecsbluegreen.spec.DeclaredService;
import io.ecsbluegreen.spec.Durations;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code bluegreen plan PATH... [--endpoint URL] [--region R]}: a dry run. Reads the files as the
 * operator would, observes the account (read-only calls only) and prints what the next pass would do
 * for each service and why, changing nothing. The account is the operator's: {@code BLUEGREEN_AWS_*}
 * variables, else the SDK's default chain; a service with {@code spec.roleArn} is observed with a session
 * of its role, through the same per-(region, identity) clients as the operator's ({@link AwsClients}).
 * Exit code 1 when a role could not be assumed (its services are named; the others are still planned).
 */
final class PlanCommand {
    static final String USAGE = "usage: bluegreen plan PATH... [--endpoint URL] [--region REGION]";

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    PlanCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    int run(String[] args) {
        List<String> paths = new ArrayList<>();
        String endpoint = env.get("BLUEGREEN_AWS_ENDPOINT_OVERRIDE");
        String region = env.get("BLUEGREEN_AWS_REGION");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--endpoint") || args[i].equals("--region")) {
                if (i + 1 >= args.length) {
                    err.println("bluegreen plan: " + args[i] + " needs a value");
                    err.println(USAGE);
                    return 2;
                }
                if (args[i].equals("--endpoint")) endpoint = args[++i];
                else region = args[++i];
            } else if (args[i].startsWith("-")) {
                err.println("bluegreen plan: unknown option '" + args[i] + "'");
                err.println(USAGE);
                return 2;
            } else {
                paths.add(args[i]);
            }
        }
        if (paths.isEmpty()) {
            err.println(USAGE);
            return 2;
        }
        ValidateCommand.Loaded loaded = ValidateCommand.load(paths.toArray(String[]::new));
        if (!loaded.errors().isEmpty()) {
            loaded.errors().forEach(e -> err.println(io.ecsbluegreen.text.Escapes.printable(e.toString())));
            err.println("bluegreen plan: fix the files first; nothing was planned");
            return 1;
        }
        Map<PlanGroup, List<BlueGreenService>> groups = new LinkedHashMap<>();
        for (DeclaredService d : loaded.declared()) {
            BlueGreenService s = d.service();
            String r = s.spec().region() != null ? s.spec().region() : region;
            groups.computeIfAbsent(new PlanGroup(r, Identity.of(s)), k -> new ArrayList<>()).add(s);
        }
        int changing = 0;
        int total = 0;
        int refused = 0;
        Clock clock = Clock.systemUTC();
        // the operator's own client construction, per (region, identity): a service with spec.roleArn is
        // observed only with its role's session, as the operator would
        try (AwsClients aws = new AwsClients(new CliAwsConfig(region, endpoint, env), new AwsCallMetrics(new SimpleMeterRegistry()), clock)) {
            for (Map.Entry<PlanGroup, List<BlueGreenService>> e : groups.entrySet()) {
                String r = e.getKey().region();
                Identity as = e.getKey().identity();
                Map<String, Reconciler.Pass> passes;
                try {
                    SdkEcsPort ecsPort = new SdkEcsPort(aws.ecs(r, as), clock);
                    SdkElbPort elbPort = new SdkElbPort(aws.elb(r, as));
                    Reconciler reconciler = new Reconciler(new Observer(ecsPort, elbPort, new SdkAlarmPort(aws.cloudWatch(r, as)),
                            HealthReadBudget.NONE, new SdkScalingPort(aws.autoScaling(r, as))), new Actor(ecsPort, elbPort), clock);
                    passes = reconciler.dryRun(e.getValue());
                } catch (RuntimeException ex) {
                    RoleAssumptionException denied = RoleAssumptionException.in(ex);
                    if (denied == null) {
                        err.println("bluegreen plan: cannot observe region " + r + ": " + reason(ex, endpoint));
                        return 1;
                    }
                    // only the services of that role are concerned: the others are still planned
                    for (BlueGreenService s : e.getValue()) {
                        total++;
                        refused++;
                        out.println(s.name() + ": cannot plan: " + denied.getMessage());
                    }
                    continue;
                }
                for (Map.Entry<String, Reconciler.Pass> p : passes.entrySet()) {
                    total++;
                    if (print(p.getKey(), p.getValue())) changing++;
                }
            }
        }
        out.println(total + " service" + (total == 1 ? "" : "s") + ", " + changing + " with changes"
                + (refused == 0 ? "" : ", " + refused + " whose role could not be assumed") + "; nothing was changed");
        return refused == 0 ? 0 : 1;
    }

    /** Services observed together: one region, one acting identity. */
    private record PlanGroup(String region, Identity identity) {}

    /**
     * The operator's AWS settings as {@code bluegreen plan} takes them: {@code --region} and
     * {@code --endpoint} over {@code BLUEGREEN_AWS_*}, the SDK's default credentials chain without a key.
     */
    /**
     * Why observing failed, in one line: the SDK's "no credentials" message lists every provider it tried
     * with each one's own complaint, a screenful that hides what to do.
     */
    static String reason(RuntimeException ex, String endpoint) {
        String message = String.valueOf(ex.getMessage());
        if (message.startsWith("Unable to load credentials from any of the providers")) {
            return "no AWS credentials found (tried: system properties, environment, web identity, profile, container and "
                    + "instance metadata). Set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where a role is "
                    + "available" + (endpoint == null ? "; for the local simulator: --endpoint http://127.0.0.1:4566 with "
                    + "BLUEGREEN_AWS_ACCESS_KEY_ID=test BLUEGREEN_AWS_SECRET_ACCESS_KEY=test" : "; the simulator at " + endpoint
                    + " takes any key: BLUEGREEN_AWS_ACCESS_KEY_ID=test BLUEGREEN_AWS_SECRET_ACCESS_KEY=test");
        }
        return message;
    }

    private record CliAwsConfig(Optional<String> region, Optional<URI> endpointOverride, Optional<String> accessKeyId,
                                Optional<String> secretAccessKey, boolean s3PathStyle) implements OperatorConfig.Aws {
        CliAwsConfig(String region, String endpoint, Map<String, String> env) {
            this(Optional.ofNullable(region).filter(r -> !r.isBlank()),
                    Optional.ofNullable(endpoint).filter(u -> !u.isBlank()).map(URI::create),
                    Optional.ofNullable(env.get("BLUEGREEN_AWS_ACCESS_KEY_ID")),
                    Optional.of(env.getOrDefault("BLUEGREEN_AWS_SECRET_ACCESS_KEY", "")).filter(k -> env.containsKey("BLUEGREEN_AWS_ACCESS_KEY_ID")),
                    false);
        }
    }

    /** Prints one service's plan; true when it has actions. */
    private boolean print(String name, Reconciler.Pass pass) {
        if (pass.problem() != null) {
            out.println(name + ": cannot plan: " + pass.problem());
            return false;
        }
        Plan plan = pass.plan();
        out.println(name + ": " + plan.status().phase() + " (" + plan.status().reason() + ") " + plan.status().message());
        if (plan.terminal()) out.println("  terminal: nothing is done until the spec changes or `bluegreen retry " + name + "`");
        int i = 1;
        for (Action a : plan.actions()) out.println("  " + i++ + ". " + describe(a));
        for (Plan.Drift d : plan.drift()) out.println("  corrects drift: " + d.kind() + ": " + d.detail());
        if (plan.actions().isEmpty()) out.println("  no changes");
        if (plan.requeueAfter() != null) out.println("  looks again in " + Durations.format(plan.requeueAfter()));
        return !plan.actions().isEmpty();
    }

    /** One action as people read it. */
    static String describe(Action action) {
        if (action instanceof Action.CreateService a) {
            return "create ECS service " + a.cluster() + "/" + a.service() + " (EXTERNAL controller, " + a.desiredCount()
                    + (a.desiredCount() == 1 ? " task)" : " tasks)");
        } else if (action instanceof Action.UpdateDesiredCount a) {
            return "set desired count of " + a.serviceArn() + " to " + a.desiredCount();
        } else if (action instanceof Action.RegisterTaskDefinition a) {
            return "register the task definition of " + a.revision().id();
        } else if (action instanceof Action.CreateTaskSet a) {
            return "create task set " + a.revision().id() + " from " + a.taskDefinitionArn() + " on " + a.targetGroupArn();
        } else if (action instanceof Action.UpdateTaskSetScale a) {
            return "scale task set " + a.taskSetArn() + " to " + a.percent() + "%";
        } else if (action instanceof Action.SetPrimaryTaskSet a) {
            return "make task set " + a.taskSetArn() + " primary";
        } else if (action instanceof Action.DeleteTaskSet a) {
            return "delete task set " + a.taskSetArn() + " (" + a.why() + ")";
        } else if (action instanceof Action.SetForwardWeights a) {
            return "forward " + (a.rule() ? "rule " : "listener ") + a.listenerOrRuleArn() + " " + a.weights();
        } else if (action instanceof Action.TagResource a) {
            return "tag " + a.arn() + " " + a.tags();
        } else if (action instanceof Action.UntagResource a) {
            return "untag " + a.arn() + " " + a.keys();
        } else if (action instanceof Action.RunHook a) {
            return "run the " + a.point() + " hook " + a.hook().name();
        } else if (action instanceof Action.Analyze a) {
            return "measure the due analysis checks of task set " + a.taskSetArn();
        } else if (action instanceof Action.RegisterScalableTarget a) {
            return "register service/" + a.cluster() + "/" + a.service() + " with Application Auto Scaling (" + a.min() + " to "
                    + a.max() + " tasks, scale-in " + (a.scaleInSuspended() ? "suspended" : "active") + ")";
        } else if (action instanceof Action.PutCpuTargetTrackingPolicy a) {
            return "put the target-tracking policy of service/" + a.cluster() + "/" + a.service() + " (average CPU at "
                    + a.targetCpuUtilization() + "%)";
        }
        return action.toString();
    }
}

package io.ecsbluegreen.cli;

import io.ecsbluegreen.act.Actor;
import io.ecsbluegreen.act.SdkAlarmPort;
import io.ecsbluegreen.act.SdkEcsPort;
import io.ecsbluegreen.act.SdkElbPort;
import io.ecsbluegreen.loop.Reconciler;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.observe.Observer;
import io.ecsbluegreen.plan.Action;
import io.ecsbluegreen.plan.Plan;
import io.ecsbluegreen.spec.DeclaredService;
import io.ecsbluegreen.spec.Durations;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * {@code bluegreen plan PATH... [--endpoint URL] [--region R]}: a dry run. Reads the files as the
 * operator would, observes the account (read-only calls only) and prints what the next pass would do
 * for each service and why, changing nothing. The account is the operator's: {@code BLUEGREEN_AWS_*}
 * variables, else the SDK's default chain.
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
        Map<String, List<BlueGreenService>> byRegion = new LinkedHashMap<>();
        for (DeclaredService d : loaded.declared()) {
            String r = d.service().spec().region() != null ? d.service().spec().region() : region;
            byRegion.computeIfAbsent(r, k -> new ArrayList<>()).add(d.service());
        }
        AwsCredentialsProvider credentials = env.containsKey("BLUEGREEN_AWS_ACCESS_KEY_ID")
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(env.get("BLUEGREEN_AWS_ACCESS_KEY_ID"),
                        env.getOrDefault("BLUEGREEN_AWS_SECRET_ACCESS_KEY", "")))
                : DefaultCredentialsProvider.builder().build();
        int changing = 0;
        int total = 0;
        for (Map.Entry<String, List<BlueGreenService>> e : byRegion.entrySet()) {
            Region r = e.getKey() == null ? null : Region.of(e.getKey());
            try (EcsClient ecs = build(EcsClient.builder(), r, endpoint, credentials, b -> b.build());
                 ElasticLoadBalancingV2Client elb = build(ElasticLoadBalancingV2Client.builder(), r, endpoint, credentials, b -> b.build());
                 CloudWatchClient cloudWatch = build(CloudWatchClient.builder(), r, endpoint, credentials, b -> b.build())) {
                SdkEcsPort ecsPort = new SdkEcsPort(ecs);
                SdkElbPort elbPort = new SdkElbPort(elb);
                Reconciler reconciler = new Reconciler(new Observer(ecsPort, elbPort, new SdkAlarmPort(cloudWatch)),
                        new Actor(ecsPort, elbPort), Clock.systemUTC());
                for (Map.Entry<String, Reconciler.Pass> p : reconciler.dryRun(e.getValue()).entrySet()) {
                    total++;
                    if (print(p.getKey(), p.getValue())) changing++;
                }
            } catch (RuntimeException ex) {
                err.println("bluegreen plan: cannot observe region " + e.getKey() + ": " + ex.getMessage());
                return 1;
            }
        }
        out.println(total + " service" + (total == 1 ? "" : "s") + ", " + changing + " with changes; nothing was changed");
        return 0;
    }

    private static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>, C> C build(
            B builder, Region region, String endpoint, AwsCredentialsProvider credentials, Function<B, C> done) {
        if (region != null) builder.region(region);
        if (endpoint != null && !endpoint.isBlank()) builder.endpointOverride(URI.create(endpoint));
        builder.credentialsProvider(credentials);
        if (builder instanceof software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<?, ?> sync) {
            sync.httpClient(UrlConnectionHttpClient.create());
        }
        return done.apply(builder);
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
            return "create ECS service " + a.cluster() + "/" + a.service() + " (EXTERNAL controller, " + a.desiredCount() + " tasks)";
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
        }
        return action.toString();
    }
}

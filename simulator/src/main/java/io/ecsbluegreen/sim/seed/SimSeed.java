package io.ecsbluegreen.sim.seed;

import io.ecsbluegreen.model.meta.Default;
import io.ecsbluegreen.model.meta.DurationRange;
import io.ecsbluegreen.model.meta.Doc;
import io.ecsbluegreen.model.meta.Pattern;
import io.ecsbluegreen.model.meta.Required;
import io.ecsbluegreen.model.meta.Values;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A small description of a realistic account for the simulator to start from: clusters, an ALB with
 * production and test listeners and rules, target groups, how images behave, alarms, buckets and
 * objects, and the queue its events go to. Read by {@code bluegreen simulate --seed FILE} and by tests.
 */
@Doc("The account the simulator starts with.")
public record SimSeed(
        @Required @Values({SimSeed.API_VERSION}) @Doc("Always `sim.ecsbluegreen.io/v1alpha1`.")
        String apiVersion,

        @Required @Values({SimSeed.KIND}) @Doc("Always `SimulatorSeed`.")
        String kind,

        @Default("us-east-1") @Pattern(value = "^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$", hint = "an AWS region such as us-east-1")
        @Doc("Region of every seeded resource.")
        String region,

        @Doc("ECS clusters to create.")
        List<String> clusters,

        @Doc("Target groups to create (ip targets, HTTP).")
        List<SeedTargetGroup> targetGroups,

        @Doc("Application load balancers with their listeners and rules.")
        List<SeedLoadBalancer> loadBalancers,

        @Doc("How images behave, by image, repository or prefix ending in `*`: `healthy`, `never-healthy`, "
                + "`slow-start 2m`, `crashes-after 5m` or `erroring 0.2`; as one-off tasks (RunTask): `exits 3`, "
                + "`exits-after 2m 0`, `never-exits` or `fails-to-start`.")
        Map<String, String> images,

        @Doc("Images whose service tasks run as real local processes, by image, repository or prefix ending in `*` "
                + "(the most specific key of `images` and `commands` wins): the command line, split at spaces, run in the "
                + "simulator's working directory with the container's environment plus `HOST=127.0.0.1` and `PORT`, a free "
                + "loopback port (`{port}` and `{host}` in arguments are replaced too). The data plane forwards to the "
                + "process and the target group's health checks ask it; the process stops with its task.")
        Map<String, String> commands,

        @DurationRange(min = "0s", max = "600s") @Doc("How long a task takes from PROVISIONING to RUNNING; 20s when absent.")
        Duration taskStartTime,

        @Doc("CloudWatch alarms to create (state OK).")
        List<String> alarms,

        @Doc("S3 objects to create, `bucket/key` to content; buckets are created as needed.")
        Map<String, String> objects,

        @Doc("The SQS queue the simulator sends its EventBridge events to (ECS task and service events, alarm state "
                + "changes, S3 object events); none are sent when absent.")
        SeedEvents events) {

    public static final String API_VERSION = "sim.ecsbluegreen.io/v1alpha1";
    public static final String KIND = "SimulatorSeed";

    /** This seed with every image simulated: no local commands (for a machine without their programs). */
    public SimSeed withoutCommands() {
        return new SimSeed(apiVersion, kind, region, clusters, targetGroups, loadBalancers, images, Map.of(), taskStartTime, alarms,
                objects, events);
    }

    /** This seed without its events queue: a simulator that sends no events (tests written without them). */
    public SimSeed withoutEvents() {
        return new SimSeed(apiVersion, kind, region, clusters, targetGroups, loadBalancers, images, commands, taskStartTime, alarms,
                objects, null);
    }
}

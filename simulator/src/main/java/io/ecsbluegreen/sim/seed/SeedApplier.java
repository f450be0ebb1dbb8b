package io.ecsbluegreen.sim.seed;

import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.elb.Action;
import io.ecsbluegreen.sim.elb.Condition;
import io.ecsbluegreen.sim.elb.HealthCheck;
import io.ecsbluegreen.sim.elb.LoadBalancer;
import io.ecsbluegreen.sim.elb.Listener;
import io.ecsbluegreen.sim.elb.TargetGroup;
import io.ecsbluegreen.sim.spi.ImageBehaviour;
import io.ecsbluegreen.spec.Durations;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Creates what a {@link SimSeed} describes in a running simulator, through the stores' Java APIs. */
public final class SeedApplier {
    private SeedApplier() {}

    /**
     * What the seed created, for printing: listener names to their endpoints, and the URL of the queue events
     * go to (null when the seed routes none).
     */
    public record Applied(Map<String, String> listenerEndpoints, int targetGroups, int objects, String eventsQueueUrl) {}

    public static Applied apply(SimSeed seed, AwsSimulator sim) {
        for (String cluster : seed.clusters()) sim.ecs().createCluster(seed.region(), cluster);
        seed.images().forEach((image, behaviour) -> sim.imageBehaviours().set(image, behaviour(image, behaviour)));
        seed.commands().forEach((image, command) -> {
            if (seed.images().containsKey(image)) {
                throw new IllegalArgumentException("commands." + image + ": the image also has a behaviour in images; keep one");
            }
            List<String> argv = List.of(command.trim().split("\\s+"));
            if (command.isBlank()) throw new IllegalArgumentException("commands." + image + ": the command is empty");
            sim.imageBehaviours().set(image, ImageBehaviour.runs(argv));
        });
        if (seed.taskStartTime() != null) sim.ecs().taskStartTime(seed.taskStartTime());
        Map<String, String> tgArns = new HashMap<>();
        for (SeedTargetGroup tg : seed.targetGroups()) {
            HealthCheck check = new HealthCheck("HTTP", "traffic-port", true, tg.healthCheckPath(),
                    (int) tg.healthCheckInterval().toSeconds(), Math.min(5, (int) tg.healthCheckInterval().toSeconds() - 1),
                    tg.healthyThreshold(), 2, "200");
            TargetGroup created = sim.elb().createTargetGroup(seed.region(), tg.name(), tg.id(), "HTTP", tg.port(), "ip", check);
            sim.elb().modifyTargetGroupAttributes(created.arn(),
                    Map.of("deregistration_delay.timeout_seconds", String.valueOf(tg.deregistrationDelay().toSeconds())));
            tgArns.put(tg.name(), created.arn());
        }
        Map<String, String> endpoints = new HashMap<>();
        for (SeedLoadBalancer lb : seed.loadBalancers()) {
            LoadBalancer alb = sim.elb().createLoadBalancer(seed.region(), lb.name(), lb.id());
            for (SeedListener l : lb.listeners()) {
                Listener listener = sim.elb().createListener(alb.arn(), l.id(), l.port(), Action.forward(arn(tgArns, l.defaultTargetGroup())));
                endpoints.put(lb.name() + "/" + l.name(), sim.elb().endpoint(listener.arn()).toString());
                for (SeedRule r : l.rules()) {
                    List<Condition> conditions = new ArrayList<>();
                    if (r.hostHeader() != null) conditions.add(Condition.hostHeader(r.hostHeader()));
                    if (r.pathPattern() != null) conditions.add(Condition.pathPattern(r.pathPattern()));
                    sim.elb().createRule(listener.arn(), r.id(), r.priority(), conditions, Action.forward(arn(tgArns, r.targetGroup())));
                }
            }
        }
        for (String alarm : seed.alarms()) sim.cloudwatch().createAlarm(seed.region(), alarm);
        seed.objects().forEach((path, content) -> {
            int slash = path.indexOf('/');
            if (slash <= 0) throw new IllegalArgumentException("objects: '" + path + "' is not bucket/key");
            String bucket = path.substring(0, slash);
            if (!sim.s3().bucketExists(bucket)) sim.s3().createBucket(bucket);
            sim.s3().putObject(bucket, path.substring(slash + 1), content);
        });
        // Last, so that seeding itself sends nothing: the queue starts empty.
        String queueUrl = null;
        if (seed.events() != null) {
            for (String bucket : seed.events().buckets()) {
                if (!sim.s3().bucketExists(bucket)) sim.s3().createBucket(bucket, seed.region());
                sim.s3().sendEventsToEventBridge(bucket);
            }
            queueUrl = sim.events().routeTo(seed.region(), seed.events().queue());
        }
        return new Applied(endpoints, tgArns.size(), seed.objects().size(), queueUrl);
    }

    /**
     * {@code healthy}, {@code never-healthy}, {@code slow-start 2m}, {@code crashes-after 5m} or {@code erroring 0.2};
     * for one-off tasks (RunTask) {@code exits 3} (after the usual 10 s), {@code exits-after 2m [CODE]},
     * {@code never-exits} or {@code fails-to-start}.
     */
    static ImageBehaviour behaviour(String image, String text) {
        String[] words = text.trim().split("\\s+");
        try {
            return switch (words[0]) {
                case "healthy" -> ImageBehaviour.healthy();
                case "never-healthy" -> ImageBehaviour.neverHealthy();
                case "slow-start" -> ImageBehaviour.slowStart(Durations.parse(words[1]));
                case "crashes-after" -> ImageBehaviour.crashesAfter(Durations.parse(words[1]));
                case "erroring" -> ImageBehaviour.erroring(Double.parseDouble(words[1]));
                case "exits" -> ImageBehaviour.exitsAfter(ImageBehaviour.ONE_OFF_RUN, Integer.parseInt(words[1]));
                case "exits-after" -> ImageBehaviour.exitsAfter(Durations.parse(words[1]),
                        words.length > 2 ? Integer.parseInt(words[2]) : 0);
                case "never-exits" -> ImageBehaviour.neverExits();
                case "fails-to-start" -> ImageBehaviour.failsToStart("CannotPullContainerError: pull image manifest has been "
                        + "retried 7 time(s): failed to resolve ref " + image + ": not found");
                default -> throw new IllegalArgumentException("unknown behaviour '" + words[0] + "'");
            };
        } catch (ArrayIndexOutOfBoundsException | IllegalArgumentException e) {
            throw new IllegalArgumentException("images." + image + ": '" + text + "' is not one of healthy, never-healthy, "
                    + "slow-start DURATION, crashes-after DURATION, erroring RATE, exits CODE, exits-after DURATION [CODE], "
                    + "never-exits, fails-to-start", e);
        }
    }

    private static String arn(Map<String, String> tgArns, String name) {
        String arn = tgArns.get(name);
        if (arn == null) throw new IllegalArgumentException("target group '" + name + "' is not in the seed's targetGroups");
        return arn;
    }
}

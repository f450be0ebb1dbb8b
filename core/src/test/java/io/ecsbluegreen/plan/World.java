package io.ecsbluegreen.plan;

import io.ecsbluegreen.model.BlueGreenServiceSpec;
import io.ecsbluegreen.observed.Observed;
import io.ecsbluegreen.observed.Observed.TaskSetStatus;
import io.ecsbluegreen.spec.SpecParser;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A small fluent builder of observed AWS states for the planner's tables. */
final class World {
    static final String SERVICE_ARN = "arn:aws:ecs:us-east-1:000000000000:service/demo/shop";
    static final String PROD = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/demo/5f2b3c4d5e6f7a8b/1a2b3c4d5e6f7081";
    static final String TEST = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/demo/5f2b3c4d5e6f7a8b/9a8b7c6d5e4f3021";
    static final String BLUE_TG = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/shop-blue/0a00000000000001";
    static final String GREEN_TG = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/shop-green/0a00000000000002";
    static final String TD = "arn:aws:ecs:us-east-1:000000000000:task-definition/shop:1";
    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    /** When the service was created. */
    static final Instant SERVICE_CREATED = T0.minusSeconds(30 * 86400);

    static String yaml(String strategy, boolean alarms) {
        return """
                apiVersion: ecsbluegreen.io/v1alpha1
                kind: BlueGreenService
                metadata:
                  name: shop
                spec:
                  cluster: demo
                  service: shop
                  desiredCount: 2
                  taskDefinition:
                    arn: shop:1
                  traffic:
                    containerName: web
                    containerPort: 8080
                    blueTargetGroup: shop-blue
                    greenTargetGroup: shop-green
                    production:
                      listenerArn: %s
                    test:
                      listenerArn: %s
                %s  strategy:
                %s
                """.formatted(PROD, TEST, alarms ? "  rollback:\n    alarms: [shop-5xx]\n" : "", strategy.indent(4).stripTrailing());
    }

    static Desired desired(String strategy, String revision) {
        return desired(strategy, revision, false);
    }

    /** @param alarms whether the spec declares the rollback alarm {@code shop-5xx} */
    static Desired desired(String strategy, String revision, boolean alarms) {
        return parse(yaml(strategy, alarms), revision);
    }

    /** @param specYaml more of the spec (two-space indented keys, newline-terminated), e.g. an analysis block */
    static Desired desired(String strategy, String revision, String specYaml) {
        return parse(yaml(strategy, false).replace("  strategy:\n", specYaml + "  strategy:\n"), revision);
    }

    /** @param count what the spec says of the desired count instead of {@code desiredCount: 2} (two-space indented lines, or empty) */
    static Desired desiredWithCount(String strategy, String revision, String count) {
        return parse(yaml(strategy, false).replace("  desiredCount: 2\n", count), revision);
    }

    private static Desired parse(String yaml, String revision) {
        var parsed = new SpecParser().parse("shop.yaml", yaml.getBytes(StandardCharsets.UTF_8));
        if (!parsed.valid()) throw new IllegalStateException(parsed.errors().toString());
        BlueGreenServiceSpec spec = parsed.services().get(0).service().spec();
        return new Desired("shop", spec, new Revision(revision), BLUE_TG, GREEN_TG);
    }

    static final String CANARY = """
            type: Canary
            canary:
              steps:
                - {weight: 10, pause: 5m}
                - {weight: 50, pause: 5m}
            bakeTime: 10m
            blueRetention: 1h
            progressDeadline: 15m""";

    boolean serviceExists = true;
    String controller = "EXTERNAL";
    int desiredCount = 2;
    Map<String, String> serviceTags = new HashMap<>(Map.of(Plans.OWNER_TAG, "shop", Tags.LAYOUT, Tags.LAYOUT_VERSION));
    String serviceStatus = "ACTIVE";
    final List<Observed.TaskSet> taskSets = new ArrayList<>();
    Map<String, Integer> prodWeights = weights(100, 0);
    Map<String, Integer> testWeights = weights(100, 0);

    static Map<String, Integer> weights(int blue, int green) {
        Map<String, Integer> w = new LinkedHashMap<>();
        w.put(BLUE_TG, blue);
        w.put(GREEN_TG, green);
        return w;
    }
    Map<String, String> prodTags = new HashMap<>(Map.of(Plans.OWNER_TAG, "shop"));
    int blueHealthy = 2;
    int greenHealthy = 0;
    String taskDefinition = TD;
    /** Alarm states as observed; null when not read in the pass. */
    Map<String, String> alarms;

    /**
     * A task set; {@code tags} keyed {@link Tags#STEP}, {@link Tags#HOOKS} or {@link Tags#RETIRED_AT} are
     * rollout facts about it, which live on the service (keyed by revision, valued with the task set id).
     */
    World taskSet(String id, String revision, TaskSetStatus status, String tg, boolean steady, Instant created, Map<String, String> tags) {
        Map<String, String> own = new HashMap<>();
        tags.forEach((k, v) -> {
            if (k.equals(Tags.STEP) || k.equals(Tags.HOOKS) || k.equals(Tags.RETIRED_AT) || k.equals(Tags.ORPHANED_AT)) serviceTags.put(Tags.key(k, revision), id + ":" + v);
            else own.put(k, v);
        });
        taskSets.add(new Observed.TaskSet(id, "arn:ts/" + id, revision, status, 100, 2, steady ? 2 : 0, steady ? 0 : 2,
                steady, created, tg, own));
        return this;
    }

    /** The service as the earlier layout left it: no layout tag, state on the task sets' own tags. */
    World unmigrated() {
        serviceTags.remove(Tags.LAYOUT);
        return this;
    }

    World blue(String revision) {
        return taskSet("blue", revision, TaskSetStatus.PRIMARY, BLUE_TG, true, T0.minusSeconds(86400), Map.of());
    }

    World green(String revision, boolean ready, Map<String, String> tags) {
        greenHealthy = ready ? 2 : 0;
        return taskSet("green", revision, TaskSetStatus.ACTIVE, GREEN_TG, ready, T0.minusSeconds(60), tags);
    }

    World prod(int toGreen) {
        prodWeights = new LinkedHashMap<>();
        prodWeights.put(BLUE_TG, 100 - toGreen);
        prodWeights.put(GREEN_TG, toGreen);
        return this;
    }

    World test(int toGreen) {
        testWeights = new LinkedHashMap<>();
        testWeights.put(BLUE_TG, 100 - toGreen);
        testWeights.put(GREEN_TG, toGreen);
        return this;
    }

    Observed observed() {
        Map<String, Observed.TargetGroup> tgs = Map.of(
                BLUE_TG, new Observed.TargetGroup(BLUE_TG, "shop-blue", blueHealthy, 2, Map.of(Plans.OWNER_TAG, "shop")),
                GREEN_TG, new Observed.TargetGroup(GREEN_TG, "shop-green", greenHealthy, 2, Map.of(Plans.OWNER_TAG, "shop")));
        return new Observed(
                serviceExists ? new Observed.EcsService(SERVICE_ARN, serviceStatus, controller, desiredCount, serviceTags, SERVICE_CREATED) : null,
                taskSets,
                new Observed.Forward(PROD, false, prodWeights, prodTags),
                new Observed.Forward(TEST, false, testWeights, Map.of(Plans.OWNER_TAG, "shop")),
                tgs, taskDefinition, alarms);
    }
}

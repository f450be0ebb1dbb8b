package io.ecsbluegreen.plan;

import io.ecsbluegreen.model.HookSpec;

/**
 * One hook to run for one rollout, with what the hook may need to know.
 *
 * @param service the BlueGreenService's name
 * @param revision the revision rolled out
 * @param point the lifecycle point ({@code beforeInstall} ... {@code afterAllowTraffic})
 * @param index the hook's position in its point's list, 0-based
 * @param cluster the ECS cluster
 * @param ecsService the ECS service's name
 * @param taskSetArn green's task set; null for beforeInstall
 * @param productionArn the production listener or rule
 * @param testArn the test listener or rule; null without one
 * @param placement where the service's tasks run, for a task hook's task
 * @param serverNames the hosts the spec names for its listeners (they replace the rules' hosts)
 */
public record HookCall(String service, String revision, String point, int index, HookSpec hook, String cluster,
                       String ecsService, String taskSetArn, String productionArn, String testArn, TaskPlacement placement,
                       ServerNames serverNames) {

    public HookCall {
        if (serverNames == null) serverNames = ServerNames.NONE;
    }

    /** A call for a spec that names no server for its listeners. */
    public HookCall(String service, String revision, String point, int index, HookSpec hook, String cluster,
                    String ecsService, String taskSetArn, String productionArn, String testArn, TaskPlacement placement) {
        this(service, revision, point, index, hook, cluster, ecsService, taskSetArn, productionArn, testArn, placement, null);
    }

    /** The key of this run: one per revision, point, hook and green task set (a retried rollout runs its hooks again). */
    public String key() {
        return key(revision, point, index, taskSetArn);
    }

    /** @param taskSetArn green's task set; null for beforeInstall */
    public static String key(String revision, String point, int index, String taskSetArn) {
        return revision + "|" + point + "|" + index + "|" + (taskSetArn == null ? "-" : taskSetArn);
    }

    /** {@code lambda}, {@code http} or {@code task}. */
    public String kind() {
        return hook.lambda() != null ? "lambda" : hook.http() != null ? "http" : "task";
    }
}

package io.ecsbluegreen.plan;

import io.ecsbluegreen.plan.ServerNames;
import java.time.Instant;

/**
 * One rollout whose green task set is analysed.
 *
 * @param service the BlueGreenService's name
 * @param revision the revision rolled out
 * @param region the AWS region of the service (CloudWatch is regional)
 * @param greenTaskSetArn green's task set
 * @param greenTargetGroupArn green's target group (CloudWatch dimension {@code TargetGroup})
 * @param productionArn the production listener or rule (its load balancer is the {@code LoadBalancer} dimension)
 * @param testArn the test listener or rule; null without one
 * @param stepStartedAt when the traffic step being analysed began: metrics from before it are not counted;
 *     null when unknown (then only the metric delay bounds the window)
 * @param serverNames the hosts the spec names for its listeners, for HTTP probes
 */
public record AnalysisTarget(String service, String revision, String region, String greenTaskSetArn,
                             String greenTargetGroupArn, String productionArn, String testArn, Instant stepStartedAt,
                             ServerNames serverNames) {

    public AnalysisTarget {
        if (serverNames == null) serverNames = ServerNames.NONE;
    }

    /** A target of a spec that names no server for its listeners. */
    public AnalysisTarget(String service, String revision, String region, String greenTaskSetArn,
                          String greenTargetGroupArn, String productionArn, String testArn, Instant stepStartedAt) {
        this(service, revision, region, greenTaskSetArn, greenTargetGroupArn, productionArn, testArn, stepStartedAt, null);
    }

    /** A target whose step start is unknown. */
    public AnalysisTarget(String service, String revision, String region, String greenTaskSetArn,
                          String greenTargetGroupArn, String productionArn, String testArn) {
        this(service, revision, region, greenTaskSetArn, greenTargetGroupArn, productionArn, testArn, null);
    }

    /** Measurements belong to one rollout: one revision on one green task set (a retry starts afresh). */
    public String key() {
        return key(revision, greenTaskSetArn);
    }

    public static String key(String revision, String greenTaskSetArn) {
        return revision + "|" + greenTaskSetArn;
    }
}

package io.ecsbluegreen.aws;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The narrow part of Elastic Load Balancing v2 the operator uses. Implementations batch where the API
 * allows and throw the SDK's exceptions unchanged, so callers can tell throttling from other errors.
 */
public interface ElbPort {

    /** A forward action as read from a listener's default actions or a rule's actions. */
    record ForwardState(String arn, boolean rule, Map<String, Integer> weights) {}

    /** A target group and its health counts. */
    record TargetGroupState(String arn, String name, int healthy, int registered) {}

    /** The forward actions of listeners (default action) and rules, by ARN; missing ones are absent. */
    Map<String, ForwardState> forwards(Collection<String> listenerArns, Collection<String> ruleArns);

    /**
     * Sets the target group weights of the forward action of a listener's default actions or of a rule, in
     * one change that keeps every other action (authenticate, stickiness, order) as it is in AWS.
     */
    void setForward(String arn, boolean rule, Map<String, Integer> weights);

    /** Weight writes that may share the reads before them; see {@link #forwardWrites}. */
    @FunctionalInterface
    interface ForwardWrites {
        /** As {@link ElbPort#setForward}: the forward action's weights changed, every other action kept. */
        void setForward(String arn, boolean rule, Map<String, Integer> weights);
    }

    /**
     * The weight writes of a batch of passes that may write to these listeners (default actions) and rules:
     * an implementation may read their current action lists together, in as few Describe calls as the API
     * allows, instead of one read before each write. This one reads before each write.
     */
    default ForwardWrites forwardWrites(Collection<String> listenerArns, Collection<String> ruleArns) {
        return this::setForward;
    }

    /** Target group ARNs by name (names are unique per account and region). */
    Map<String, String> targetGroupArns(Collection<String> names);

    /** Health of one target group's registered targets. */
    TargetGroupState targetHealth(String targetGroupArn, String name);

    /** Tags of listeners, rules and target groups, by ARN (batched 20 per call). */
    Map<String, Map<String, String>> tags(Collection<String> arns);

    void addTags(String arn, Map<String, String> tags);

    void removeTags(String arn, List<String> keys);
}

package io.ecsbluegreen.aws;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;

/**
 * The weight writes of one batch of passes, sharing the reads before them. ModifyListener and ModifyRule
 * replace the whole action list, so each write sends back the list AWS has (defect 5 of issue 10); read
 * one rule at a time, that cost one DescribeRules per write, and fifty rollbacks at once spent the ELBv2
 * Describe budget that the health watch's DescribeTargetHealth draws on too. Here the first write of the
 * batch reads the action lists of every listener and rule the batch may write, twenty per
 * DescribeListeners or DescribeRules call; each write then uses its list, and keeps what ModifyRule or
 * ModifyListener answers for a later write to the same ARN in the batch.
 *
 * <p>The lists are as fresh as the batch's first write (the time a batch's actions take, not the pass's
 * observation), so a change someone made to a rule since the pass observed it survives as before. A
 * listener or rule the batched read did not find (deleted since the observation; ELBv2 fails a whole
 * Describe call for one missing ARN, and {@link SdkElbPort} isolates it) is read alone at its write, so
 * its NotFound fails that service's pass only. Not thread-safe: one per batch, on the batch's thread.
 */
final class BatchedForwardWrites implements ElbPort.ForwardWrites {
    private final SdkElbPort port;
    private final Set<String> listeners;
    private final Set<String> rules;
    private final Map<String, List<Action>> read = new HashMap<>();
    private boolean readDone;

    BatchedForwardWrites(SdkElbPort port, Collection<String> listenerArns, Collection<String> ruleArns) {
        this.port = port;
        this.listeners = new LinkedHashSet<>(listenerArns);
        this.rules = new LinkedHashSet<>(ruleArns);
    }

    @Override
    public void setForward(String arn, boolean rule, Map<String, Integer> weights) {
        if (!readDone && (rule ? rules : listeners).contains(arn)) {
            // Only when a write comes: a batch whose passes all stop before their traffic change reads nothing.
            readDone = true;
            read.putAll(port.actionLists(new ArrayList<>(listeners), new ArrayList<>(rules)));
        }
        List<Action> current = read.remove(arn);
        if (current == null) {
            port.setForward(arn, rule, weights);
            return;
        }
        List<Action> now = port.write(arn, rule, current, weights);
        if (now != null) read.put(arn, now);
    }
}

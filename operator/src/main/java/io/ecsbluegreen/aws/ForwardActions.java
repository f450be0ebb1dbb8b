package io.ecsbluegreen.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ForwardActionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

/**
 * Changes the weights of a listener's or rule's forward action inside its whole action list. Pure.
 *
 * <p>ModifyListener and ModifyRule replace the complete action list, so a write that sent only a forward
 * action would drop an {@code authenticate-oidc} or {@code authenticate-cognito} action in front of it
 * (turning authentication off) and reset the forward action's target group stickiness. The list is
 * therefore written back whole, with only the forward action's target groups changed.
 */
public final class ForwardActions {
    private ForwardActions() {}

    /**
     * The action list with the forward action's target groups set to {@code weights} (in the map's
     * order); every other action, the forward action's order and its stickiness are kept. A list without
     * a forward action (a fixed response or redirect while nothing is deployed) gets one in place of
     * its terminal action, behind the authenticate actions.
     */
    public static List<Action> withWeights(List<Action> actions, Map<String, Integer> weights) {
        List<TargetGroupTuple> tuples = new ArrayList<>();
        weights.forEach((tg, w) -> tuples.add(TargetGroupTuple.builder().targetGroupArn(tg).weight(w).build()));
        List<Action> out = new ArrayList<>();
        if (actions.stream().anyMatch(a -> a.type() == ActionTypeEnum.FORWARD)) {
            for (Action a : actions) out.add(a.type() == ActionTypeEnum.FORWARD ? forward(a, tuples) : sendable(a));
            return out;
        }
        Integer terminalOrder = null;
        for (Action a : actions) {
            if (authenticates(a)) out.add(sendable(a));
            else if (terminalOrder == null) terminalOrder = a.order();
        }
        if (terminalOrder == null && !out.isEmpty() && out.get(out.size() - 1).order() != null) {
            // Several actions need orders, and the terminal one comes last.
            terminalOrder = out.get(out.size() - 1).order() + 1;
        }
        out.add(Action.builder().type(ActionTypeEnum.FORWARD).order(terminalOrder)
                .forwardConfig(ForwardActionConfig.builder().targetGroups(tuples).build()).build());
        return out;
    }

    /**
     * The forward action with new target groups. The legacy single {@code TargetGroupArn} goes: with a
     * ForwardConfig beside it, ELBv2 accepts only the same single target group.
     */
    private static Action forward(Action existing, List<TargetGroupTuple> tuples) {
        ForwardActionConfig.Builder config = existing.forwardConfig() == null ? ForwardActionConfig.builder()
                : existing.forwardConfig().toBuilder();
        return existing.toBuilder().targetGroupArn(null).forwardConfig(config.targetGroups(tuples).build()).build();
    }

    /**
     * The action as it may be sent back. DescribeListeners and DescribeRules never return an OIDC action's
     * client secret, and a modification must give either the secret or {@code UseExistingClientSecret}
     * (ELBv2 API reference, AuthenticateOidcActionConfig: "If you are modifying a rule, you can omit this
     * parameter if you set UseExistingClientSecret to true"), so the secret in place is kept explicitly.
     */
    private static Action sendable(Action a) {
        if (a.type() != ActionTypeEnum.AUTHENTICATE_OIDC || a.authenticateOidcConfig() == null
                || a.authenticateOidcConfig().clientSecret() != null) {
            return a;
        }
        return a.toBuilder().authenticateOidcConfig(a.authenticateOidcConfig().toBuilder().useExistingClientSecret(true).build()).build();
    }

    private static boolean authenticates(Action a) {
        return a.type() == ActionTypeEnum.AUTHENTICATE_OIDC || a.type() == ActionTypeEnum.AUTHENTICATE_COGNITO;
    }
}

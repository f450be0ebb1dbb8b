package io.ecsbluegreen.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupStickinessConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

class ForwardActionsTest {

    static final String BLUE = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/blue/1";
    static final String GREEN = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/green/2";

    static final Action OIDC = Action.builder().type(ActionTypeEnum.AUTHENTICATE_OIDC).order(1)
            .authenticateOidcConfig(c -> c.issuer("https://idp.example.com").clientId("app")
                    .authorizationEndpoint("https://idp.example.com/auth").tokenEndpoint("https://idp.example.com/token")
                    .userInfoEndpoint("https://idp.example.com/userinfo")).build();
    /** {@link #OIDC} as it is sent back: described without its secret, modified keeping the secret in place. */
    static final Action OIDC_KEPT = OIDC.toBuilder()
            .authenticateOidcConfig(OIDC.authenticateOidcConfig().toBuilder().useExistingClientSecret(true).build()).build();
    static final Action COGNITO = Action.builder().type(ActionTypeEnum.AUTHENTICATE_COGNITO).order(1)
            .authenticateCognitoConfig(c -> c.userPoolArn("arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_x")
                    .userPoolClientId("client").userPoolDomain("login")).build();
    static final TargetGroupStickinessConfig STICKY = TargetGroupStickinessConfig.builder().enabled(true).durationSeconds(3600).build();

    static Action forward(Integer order, TargetGroupStickinessConfig stickiness, Map<String, Integer> weights) {
        List<TargetGroupTuple> tuples = weights.entrySet().stream()
                .map(e -> TargetGroupTuple.builder().targetGroupArn(e.getKey()).weight(e.getValue()).build()).toList();
        return Action.builder().type(ActionTypeEnum.FORWARD).order(order)
                .forwardConfig(c -> c.targetGroups(tuples).targetGroupStickinessConfig(stickiness)).build();
    }

    static Map<String, Integer> weights(int blue, int green) {
        Map<String, Integer> w = new LinkedHashMap<>();
        w.put(BLUE, blue);
        w.put(GREEN, green);
        return w;
    }

    static Stream<Arguments> rows() {
        Action legacy = Action.builder().type(ActionTypeEnum.FORWARD).targetGroupArn(BLUE).build();
        Action fixed = Action.builder().type(ActionTypeEnum.FIXED_RESPONSE).order(2)
                .fixedResponseConfig(c -> c.statusCode("503")).build();
        Action withSecret = OIDC.toBuilder().authenticateOidcConfig(OIDC.authenticateOidcConfig().toBuilder().clientSecret("s").build()).build();
        Action redirect = Action.builder().type(ActionTypeEnum.REDIRECT)
                .redirectConfig(c -> c.protocol("HTTPS").statusCode("HTTP_301")).build();
        return Stream.of(
                // existing actions, new weights, expected actions
                Arguments.of("a plain forward gets the new weights",
                        List.of(forward(null, null, weights(1, 0))), weights(90, 10),
                        List.of(forward(null, null, weights(90, 10)))),
                Arguments.of("an OIDC action in front of the forward stays",
                        List.of(OIDC, forward(2, null, weights(1, 0))), weights(50, 50),
                        List.of(OIDC_KEPT, forward(2, null, weights(50, 50)))),
                Arguments.of("a Cognito action in front of the forward stays",
                        List.of(COGNITO, forward(2, null, weights(1, 0))), weights(0, 1),
                        List.of(COGNITO, forward(2, null, weights(0, 1)))),
                Arguments.of("target group stickiness stays",
                        List.of(forward(null, STICKY, weights(1, 0))), weights(80, 20),
                        List.of(forward(null, STICKY, weights(80, 20)))),
                Arguments.of("authentication and stickiness together stay",
                        List.of(OIDC, forward(2, STICKY, weights(1, 0))), weights(0, 100),
                        List.of(OIDC_KEPT, forward(2, STICKY, weights(0, 100)))),
                Arguments.of("a legacy single target group forward becomes a weighted one",
                        List.of(legacy), weights(1, 0),
                        List.of(forward(null, null, weights(1, 0)))),
                Arguments.of("a fixed response behind authentication becomes a forward in its place",
                        List.of(OIDC, fixed), weights(1, 0),
                        List.of(OIDC_KEPT, forward(2, null, weights(1, 0)))),
                Arguments.of("a redirect becomes a forward",
                        List.of(redirect), weights(1, 0),
                        List.of(forward(null, null, weights(1, 0)))),
                Arguments.of("an OIDC action that carries its client secret is sent as it is",
                        List.of(withSecret, forward(2, null, weights(1, 0))), weights(0, 1),
                        List.of(withSecret, forward(2, null, weights(0, 1)))),
                Arguments.of("a forward after authentication with no orders of its own gets the next one",
                        List.of(OIDC), weights(1, 0),
                        List.of(OIDC_KEPT, forward(2, null, weights(1, 0)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void onlyTheForwardActionsWeightsChange(String row, List<Action> existing, Map<String, Integer> weights, List<Action> expected) {
        assertThat(ForwardActions.withWeights(existing, weights)).as(row).isEqualTo(expected);
    }
}

package io.ecsbluegreen.sim.elb;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A listener or rule action, as ELBv2 describes it: {@code forward} (to one target group, or weighted
 * to up to five), {@code fixed-response} or {@code redirect}.
 *
 * @param type {@code forward}, {@code fixed-response} or {@code redirect}
 * @param order the action's order, or null when the caller gave none
 * @param targetGroups forward: the target groups and their weights (0..999)
 * @param singleTargetGroupArn forward: whether the action was given as the legacy {@code TargetGroupArn}
 *     form (AWS then reports {@code TargetGroupArn} beside the {@code ForwardConfig})
 * @param stickiness forward: target group stickiness, or null when not given
 * @param fixedResponse fixed-response: the answer
 * @param redirect redirect: where to
 * @param authenticate authenticate-oidc and authenticate-cognito: the identity provider's configuration
 */
public record Action(String type, Integer order, List<TargetGroupWeight> targetGroups, boolean singleTargetGroupArn,
                     Stickiness stickiness, FixedResponse fixedResponse, Redirect redirect, Authenticate authenticate) {

    public static final String FORWARD = "forward";
    public static final String FIXED_RESPONSE = "fixed-response";
    public static final String REDIRECT = "redirect";
    public static final String AUTHENTICATE_OIDC = "authenticate-oidc";
    public static final String AUTHENTICATE_COGNITO = "authenticate-cognito";

    /** One target group of a forward action and its weight. */
    public record TargetGroupWeight(String targetGroupArn, int weight) {
        public TargetGroupWeight {
            Objects.requireNonNull(targetGroupArn, "targetGroupArn");
        }
    }

    /** Target group stickiness of a forward action ({@code AWSALBTG} cookie). */
    public record Stickiness(boolean enabled, Integer durationSeconds) {}

    /** A fixed response: status code ("503"), content type and body, as ELBv2 takes them. */
    public record FixedResponse(String statusCode, String contentType, String messageBody) {}

    /** A redirect; null components keep the request's ({@code #{host}} ...). Status {@code HTTP_301} or {@code HTTP_302}. */
    public record Redirect(String protocol, String port, String host, String path, String query, String statusCode) {}

    /**
     * An {@code AuthenticateOidcConfig} or {@code AuthenticateCognitoConfig}, member by member as ELBv2
     * names them ({@code Issuer}, {@code ClientId}, {@code UserPoolDomain}, {@code OnUnauthenticatedRequest}...).
     * The client secret is kept but never described, as in ELBv2.
     *
     * @param config the members given, with ELBv2's defaults filled in
     * @param extraParams {@code AuthenticationRequestExtraParams}
     */
    public record Authenticate(Map<String, String> config, Map<String, String> extraParams) {
        /** The session cookie's name when none is given; the data plane reads it with the suffix {@code -0}. */
        public static final String DEFAULT_SESSION_COOKIE = "AWSELBAuthSessionCookie";
        static final List<String> SECRET_MEMBERS = List.of("ClientSecret", "UseExistingClientSecret");

        public Authenticate {
            Map<String, String> withDefaults = new java.util.HashMap<>(config);
            withDefaults.putIfAbsent("OnUnauthenticatedRequest", "authenticate");
            withDefaults.putIfAbsent("Scope", "openid");
            withDefaults.putIfAbsent("SessionCookieName", DEFAULT_SESSION_COOKIE);
            withDefaults.putIfAbsent("SessionTimeout", "604800");
            config = Map.copyOf(withDefaults);
            extraParams = extraParams == null ? Map.of() : Map.copyOf(extraParams);
        }

        public String get(String member) {
            return config.get(member);
        }

        /** {@code authenticate} (the default), {@code allow} or {@code deny}. */
        public String onUnauthenticatedRequest() {
            return config.getOrDefault("OnUnauthenticatedRequest", "authenticate");
        }

        public String sessionCookieName() {
            return config.getOrDefault("SessionCookieName", DEFAULT_SESSION_COOKIE);
        }
    }

    public Action {
        Objects.requireNonNull(type, "type");
        targetGroups = targetGroups == null ? List.of() : List.copyOf(targetGroups);
    }

    /** An action of any type but authenticate-*. */
    public Action(String type, Integer order, List<TargetGroupWeight> targetGroups, boolean singleTargetGroupArn,
                  Stickiness stickiness, FixedResponse fixedResponse, Redirect redirect) {
        this(type, order, targetGroups, singleTargetGroupArn, stickiness, fixedResponse, redirect, null);
    }

    /** Authenticates with an OIDC identity provider ({@code authenticate-oidc}) or Cognito ({@code authenticate-cognito}). */
    public static Action authenticate(String type, Integer order, Map<String, String> config) {
        return new Action(type, order, List.of(), false, null, null, null, new Authenticate(config, Map.of()));
    }

    /** Forwards to one target group (the legacy {@code TargetGroupArn} form). */
    public static Action forward(String targetGroupArn) {
        return new Action(FORWARD, null, List.of(new TargetGroupWeight(targetGroupArn, 1)), true, null, null, null);
    }

    /** Forwards to several target groups by weight, in the map's iteration order. */
    public static Action forward(Map<String, Integer> weights) {
        List<TargetGroupWeight> groups = new ArrayList<>();
        weights.forEach((arn, weight) -> groups.add(new TargetGroupWeight(arn, weight)));
        return new Action(FORWARD, null, groups, false, null, null, null);
    }

    /** Forwards to several target groups by weight ({@code ForwardConfig}). */
    public static Action forward(List<TargetGroupWeight> weights) {
        return new Action(FORWARD, null, weights, false, null, null, null);
    }

    /** Answers every request itself, e.g. {@code fixedResponse(404, "text/plain", "not here")}. */
    public static Action fixedResponse(int statusCode, String contentType, String messageBody) {
        return new Action(FIXED_RESPONSE, null, List.of(), false, null,
                new FixedResponse(Integer.toString(statusCode), contentType, messageBody), null);
    }

    /** Redirects; components left null keep the request's. */
    public static Action redirect(Redirect redirect) {
        return new Action(REDIRECT, null, List.of(), false, null, null, redirect);
    }

    /** This forward action with target group stickiness. */
    public Action withStickiness(boolean enabled, Integer durationSeconds) {
        return new Action(type, order, targetGroups, singleTargetGroupArn, new Stickiness(enabled, durationSeconds),
                fixedResponse, redirect, authenticate);
    }

    public Action withAuthenticate(Authenticate newAuthenticate) {
        return new Action(type, order, targetGroups, singleTargetGroupArn, stickiness, fixedResponse, redirect, newAuthenticate);
    }

    public Action withOrder(Integer newOrder) {
        return new Action(type, newOrder, targetGroups, singleTargetGroupArn, stickiness, fixedResponse, redirect,
                authenticate);
    }

    /** Whether this is a terminal action (forward, fixed-response, redirect). */
    boolean terminal() {
        return type.equals(FORWARD) || type.equals(FIXED_RESPONSE) || type.equals(REDIRECT);
    }

    /** The weight of a target group in this forward action, or null when it is not part of it. */
    public Integer weightOf(String targetGroupArn) {
        for (TargetGroupWeight group : targetGroups) {
            if (group.targetGroupArn().equals(targetGroupArn)) {
                return group.weight();
            }
        }
        return null;
    }
}

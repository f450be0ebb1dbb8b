package io.ecsbluegreen.sim;

import java.util.Objects;

/**
 * One API action of one service, e.g. {@code s3:PutObject} or {@code sts:AssumeRole}: the unit the
 * simulator counts, throttles and injects faults into.
 *
 * @param service the SigV4 signing name ({@code s3}, {@code sts}, {@code ecs}, {@code elasticloadbalancing},
 *     {@code lambda}, {@code monitoring})
 * @param action the API action name as AWS documents it
 */
public record ApiAction(String service, String action) implements Comparable<ApiAction> {

    public ApiAction {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(action, "action");
    }

    /** Parses {@code service:Action}. */
    public static ApiAction parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("expected service:Action, got " + text);
        }
        return new ApiAction(text.substring(0, colon), text.substring(colon + 1));
    }

    @Override
    public int compareTo(ApiAction other) {
        int byService = service.compareTo(other.service);
        return byService != 0 ? byService : action.compareTo(other.action);
    }

    /** {@code service:Action}, the form used in statistics JSON. */
    @Override
    public String toString() {
        return service + ":" + action;
    }
}

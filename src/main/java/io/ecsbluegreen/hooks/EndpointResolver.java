package io.ecsbluegreen.hooks;

/** Where a listener or listener rule answers, for hook placeholders and payloads. */
public interface EndpointResolver {

    /**
     * One endpoint.
     *
     * @param baseUrl {@code protocol://dns-name:port} of the listener (a rule's listener for a rule)
     * @param host the host a request must name to match the rule (its first host-header value without
     *     wildcards); null for a listener or a rule without such a condition
     */
    record Endpoint(String baseUrl, String host) {}

    Endpoint resolve(String listenerOrRuleArn);

    default String baseUrl(String listenerOrRuleArn) {
        return resolve(listenerOrRuleArn).baseUrl();
    }
}

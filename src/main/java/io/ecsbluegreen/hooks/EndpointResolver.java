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

    /** A URL with its placeholders resolved, and the {@code Host} a request to it must send (null: the URL's own). */
    record Request(String url, String host) {}

    Endpoint resolve(String listenerOrRuleArn);

    default String baseUrl(String listenerOrRuleArn) {
        return resolve(listenerOrRuleArn).baseUrl();
    }

    /**
     * Replaces {@code {testEndpoint}} and {@code {productionEndpoint}} in {@code url} by the listeners'
     * base URLs. A listener rule matches on its host header, so a request to its listener names that
     * host: the test rule's when the URL names the test endpoint, else the production rule's.
     *
     * @param testArn the test listener or rule; null without one
     * @throws IllegalArgumentException when the URL names {@code {testEndpoint}} and there is no test listener
     */
    default Request expand(String url, String testArn, String productionArn) {
        String host = null;
        if (url.contains("{testEndpoint}")) {
            if (testArn == null) throw new IllegalArgumentException("{testEndpoint} used but the service has no test listener");
            Endpoint test = resolve(testArn);
            url = url.replace("{testEndpoint}", test.baseUrl());
            host = test.host();
        }
        if (url.contains("{productionEndpoint}")) {
            Endpoint production = resolve(productionArn);
            url = url.replace("{productionEndpoint}", production.baseUrl());
            if (host == null) host = production.host();
        }
        return new Request(url, host);
    }
}

package io.ecsbluegreen.hooks;

import io.ecsbluegreen.plan.ServerNames;


/** Where a listener or listener rule answers, for hook placeholders and payloads. */
public interface EndpointResolver {

    /**
     * One endpoint.
     *
     * @param baseUrl {@code protocol://dns-name:port} of the listener (a rule's listener for a rule)
     * @param host the host a request must name to match the rule (its first host-header value without
     *     wildcards); null for a listener or a rule without such a condition
     */
    record Endpoint(String baseUrl, String host) {

        /** This endpoint as a spec names it: its {@code serverName}, when given, replaces the rule's host. */
        public Endpoint named(String serverName) {
            return serverName == null ? this : new Endpoint(baseUrl, serverName);
        }
    }


    /**
     * A URL with its placeholders resolved.
     *
     * @param host the {@code Host} a request to it must send; null: the URL's own
     * @param serverName for a URL that starts with the endpoint of an HTTPS listener, the name TLS sends
     *     (SNI) and verifies the certificate against, while the connection goes to the load balancer the
     *     URL names (its certificate names the application, not the load balancer); null for any other URL
     */
    record Request(String url, String host, String serverName) {
        public Request(String url, String host) {
            this(url, host, null);
        }
    }

    Endpoint resolve(String listenerOrRuleArn);

    default String baseUrl(String listenerOrRuleArn) {
        return resolve(listenerOrRuleArn).baseUrl();
    }

    /** {@link #expand(String, String, String, ServerNames)} for a spec without server names. */
    default Request expand(String url, String testArn, String productionArn) {
        return expand(url, testArn, productionArn, ServerNames.NONE);
    }

    /**
     * Replaces {@code {testEndpoint}} and {@code {productionEndpoint}} in {@code url} by the listeners'
     * base URLs. The request goes to the endpoint the URL starts with, so that one decides the host: the
     * spec's {@code serverName} for it, else its rule's host. A placeholder later in the URL is only text.
     *
     * @param testArn the test listener or rule; null without one
     * @throws IllegalArgumentException when the URL names {@code {testEndpoint}} and there is no test
     *     listener, or starts with the endpoint of an HTTPS listener for which no host is known (the
     *     message names the field to set)
     */
    default Request expand(String url, String testArn, String productionArn, ServerNames names) {
        String leading = url.startsWith("{testEndpoint}") ? "test" : url.startsWith("{productionEndpoint}") ? "production" : null;
        Endpoint lead = null;
        if (url.contains("{testEndpoint}")) {
            if (testArn == null) throw new IllegalArgumentException("{testEndpoint} used but the service has no test listener");
            Endpoint test = resolve(testArn).named(names.test());
            url = url.replace("{testEndpoint}", test.baseUrl());
            if ("test".equals(leading)) lead = test;
        }
        if (url.contains("{productionEndpoint}")) {
            Endpoint production = resolve(productionArn).named(names.production());
            url = url.replace("{productionEndpoint}", production.baseUrl());
            if ("production".equals(leading)) lead = production;
        }
        if (lead == null) return new Request(url, null);
        if (!url.regionMatches(true, 0, "https:", 0, 6)) return new Request(url, lead.host());
        if (lead.host() == null) {
            throw new IllegalArgumentException("{" + leading + "Endpoint} is an HTTPS listener, whose certificate names the"
                    + " application's domain, not the load balancer: set spec.traffic." + leading + ".serverName to the host it"
                    + " serves (or give its listener rule a host-header condition)");
        }
        return new Request(url, lead.host(), lead.host());
    }
}

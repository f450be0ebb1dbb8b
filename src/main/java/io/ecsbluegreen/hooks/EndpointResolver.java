package io.ecsbluegreen.hooks;

/** The base URL ({@code http://dns-name:port}) behind a listener or listener rule, for hook placeholders. */
public interface EndpointResolver {

    String baseUrl(String listenerOrRuleArn);
}

package io.ecsbluegreen.sim.elb;

/**
 * A target group's health check settings.
 *
 * @param protocol {@code HTTP} or {@code HTTPS}
 * @param port {@code traffic-port} or a port number
 * @param enabled always true for ip and instance target groups
 * @param path the ping path, default {@code /}
 * @param intervalSeconds 5..300, default 30
 * @param timeoutSeconds 2..120, smaller than the interval; default 6 (HTTP) or 10 (HTTPS)
 * @param healthyThreshold 2..10, default 5
 * @param unhealthyThreshold 2..10, default 2
 * @param matcher the success codes ({@code 200}, {@code 200,202}, {@code 200-299}), default {@code 200}
 */
public record HealthCheck(String protocol, String port, boolean enabled, String path, int intervalSeconds,
                          int timeoutSeconds, int healthyThreshold, int unhealthyThreshold, String matcher) {

    /** The defaults ELBv2 gives a target group of the given protocol. */
    public static HealthCheck defaults(String targetGroupProtocol) {
        boolean https = "HTTPS".equals(targetGroupProtocol);
        return new HealthCheck(https ? "HTTPS" : "HTTP", "traffic-port", true, "/", 30, https ? 10 : 6, 5, 2, "200");
    }

    public HealthCheck withPath(String newPath) {
        return new HealthCheck(protocol, port, enabled, newPath, intervalSeconds, timeoutSeconds, healthyThreshold,
                unhealthyThreshold, matcher);
    }

    /** Sets interval and timeout together (the timeout must stay below the interval). */
    public HealthCheck withTiming(int newIntervalSeconds, int newTimeoutSeconds) {
        return new HealthCheck(protocol, port, enabled, path, newIntervalSeconds, newTimeoutSeconds, healthyThreshold,
                unhealthyThreshold, matcher);
    }

    public HealthCheck withThresholds(int newHealthy, int newUnhealthy) {
        return new HealthCheck(protocol, port, enabled, path, intervalSeconds, timeoutSeconds, newHealthy, newUnhealthy,
                matcher);
    }

    public HealthCheck withMatcher(String newMatcher) {
        return new HealthCheck(protocol, port, enabled, path, intervalSeconds, timeoutSeconds, healthyThreshold,
                unhealthyThreshold, newMatcher);
    }
}

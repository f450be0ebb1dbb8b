package io.ecsbluegreen.sim.elb;

import io.ecsbluegreen.sim.protocol.AwsErrorException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** The target group attributes of an ALB target group (ip or instance), their defaults and valid values. */
final class TargetGroupAttributes {

    static final String DEREGISTRATION_DELAY = "deregistration_delay.timeout_seconds";
    static final String STICKINESS_ENABLED = "stickiness.enabled";
    static final String STICKINESS_TYPE = "stickiness.type";
    static final String LB_COOKIE_DURATION = "stickiness.lb_cookie.duration_seconds";

    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();
    private static final Map<String, Predicate<String>> VALID = new LinkedHashMap<>();

    static {
        define(DEREGISTRATION_DELAY, "300", range(0, 3600));
        define(STICKINESS_ENABLED, "false", bool());
        define(STICKINESS_TYPE, "lb_cookie", Set.of("lb_cookie", "app_cookie")::contains);
        define(LB_COOKIE_DURATION, "86400", range(1, 604_800));
        define("stickiness.app_cookie.cookie_name", "", v -> v.isEmpty()
                || v.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,256}") && !v.startsWith("AWSALB"));
        define("stickiness.app_cookie.duration_seconds", "86400", range(1, 604_800));
        define("slow_start.duration_seconds", "0", v -> v.equals("0") || range(30, 900).test(v));
        define("load_balancing.algorithm.type", "round_robin",
                Set.of("round_robin", "least_outstanding_requests", "weighted_random")::contains);
        define("load_balancing.algorithm.anomaly_mitigation", "off", Set.of("on", "off")::contains);
        define("load_balancing.cross_zone.enabled", "use_load_balancer_configuration",
                Set.of("true", "false", "use_load_balancer_configuration")::contains);
        define("target_group_health.dns_failover.minimum_healthy_targets.count", "1",
                v -> v.equals("off") || range(1, 1000).test(v));
        define("target_group_health.dns_failover.minimum_healthy_targets.percentage", "off",
                v -> v.equals("off") || range(1, 100).test(v));
        define("target_group_health.unhealthy_state_routing.minimum_healthy_targets.count", "1", range(1, 1000));
        define("target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage", "off",
                v -> v.equals("off") || range(1, 100).test(v));
    }

    private TargetGroupAttributes() {}

    static Map<String, String> defaults() {
        return new LinkedHashMap<>(DEFAULTS);
    }

    /** Applies changes to {@code current}, validating every key and value first (all or nothing). */
    static Map<String, String> apply(Map<String, String> current, Map<String, String> changes) {
        for (Map.Entry<String, String> change : changes.entrySet()) {
            Predicate<String> valid = VALID.get(change.getKey());
            if (valid == null) {
                throw ElbErrors.validation("Target group attribute key '" + change.getKey() + "' is not recognized");
            }
            if (change.getValue() == null || !valid.test(change.getValue())) {
                throw invalidValue(change.getKey(), change.getValue());
            }
        }
        Map<String, String> result = new LinkedHashMap<>(current);
        result.putAll(changes);
        return result;
    }

    private static AwsErrorException invalidValue(String key, String value) {
        return ElbErrors.validation("'" + value + "' is not a valid value for target group attribute '" + key + "'");
    }

    private static void define(String key, String defaultValue, Predicate<String> valid) {
        DEFAULTS.put(key, defaultValue);
        VALID.put(key, valid);
    }

    static Predicate<String> range(long min, long max) {
        return v -> {
            try {
                long n = Long.parseLong(v);
                return n >= min && n <= max;
            } catch (NumberFormatException e) {
                return false;
            }
        };
    }

    static Predicate<String> bool() {
        return v -> v.equals("true") || v.equals("false");
    }
}

package io.ecsbluegreen.sim.elb;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** The attributes of an Application Load Balancer, their defaults and valid values. */
final class LoadBalancerAttributes {

    static final String DELETION_PROTECTION = "deletion_protection.enabled";
    static final String IDLE_TIMEOUT = "idle_timeout.timeout_seconds";

    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();
    private static final Map<String, Predicate<String>> VALID = new LinkedHashMap<>();

    static {
        Predicate<String> bool = TargetGroupAttributes.bool();
        define(DELETION_PROTECTION, "false", bool);
        define(IDLE_TIMEOUT, "60", TargetGroupAttributes.range(1, 4000));
        define("client_keep_alive.seconds", "3600", TargetGroupAttributes.range(60, 604_800));
        define("access_logs.s3.enabled", "false", bool);
        define("access_logs.s3.bucket", "", v -> true);
        define("access_logs.s3.prefix", "", v -> true);
        define("connection_logs.s3.enabled", "false", bool);
        define("connection_logs.s3.bucket", "", v -> true);
        define("connection_logs.s3.prefix", "", v -> true);
        define("routing.http.desync_mitigation_mode", "defensive", Set.of("monitor", "defensive", "strictest")::contains);
        define("routing.http.drop_invalid_header_fields.enabled", "false", bool);
        define("routing.http.preserve_host_header.enabled", "false", bool);
        define("routing.http.x_amzn_tls_version_and_cipher_suite.enabled", "false", bool);
        define("routing.http.xff_client_port.enabled", "false", bool);
        define("routing.http.xff_header_processing.mode", "append", Set.of("append", "preserve", "remove")::contains);
        define("routing.http2.enabled", "true", bool);
        define("waf.fail_open.enabled", "false", bool);
        define("load_balancing.cross_zone.enabled", "true", "true"::equals);
    }

    private LoadBalancerAttributes() {}

    static Map<String, String> defaults() {
        return new LinkedHashMap<>(DEFAULTS);
    }

    static Map<String, String> apply(Map<String, String> current, Map<String, String> changes) {
        for (Map.Entry<String, String> change : changes.entrySet()) {
            Predicate<String> valid = VALID.get(change.getKey());
            if (valid == null) {
                throw ElbErrors.validation("Load balancer attribute key '" + change.getKey() + "' is not recognized");
            }
            if (change.getValue() == null || !valid.test(change.getValue())) {
                throw ElbErrors.validation("'" + change.getValue() + "' is not a valid value for load balancer attribute '"
                        + change.getKey() + "'");
            }
        }
        Map<String, String> result = new LinkedHashMap<>(current);
        result.putAll(changes);
        return result;
    }

    private static void define(String key, String defaultValue, Predicate<String> valid) {
        DEFAULTS.put(key, defaultValue);
        VALID.put(key, valid);
    }
}

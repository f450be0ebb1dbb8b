package io.ecsbluegreen.sim.elb;

import static io.ecsbluegreen.sim.elb.ElbStore.MAX_CONDITION_VALUES;
import static io.ecsbluegreen.sim.elb.ElbStore.MAX_PRIORITY;
import static io.ecsbluegreen.sim.elb.ElbStore.MAX_TAGS;
import static io.ecsbluegreen.sim.elb.ElbStore.MAX_WILDCARDS;

import io.ecsbluegreen.sim.protocol.AwsErrorException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** ELBv2's stateless validation rules, with AWS's error codes; the store adds the ones that need state. */
final class ElbValidation {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9-]+");
    private static final Pattern MATCHER = Pattern.compile("\\d{3}(-\\d{3})?(,\\d{3}(-\\d{3})?)*");
    private static final Pattern INSTANCE_ID = Pattern.compile("i-[0-9a-f]{8}([0-9a-f]{9})?");
    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern TAG_TEXT = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
    private static final Pattern METHOD = Pattern.compile("[A-Z_-]{1,40}");
    private static final Set<String> CONTENT_TYPES =
            Set.of("text/plain", "text/css", "text/html", "application/javascript", "application/json");
    static final Set<String> ACTION_TYPES =
            Set.of("forward", "authenticate-oidc", "authenticate-cognito", "redirect", "fixed-response");
    private static final Set<String> PROTOCOLS = Set.of("HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE");

    private ElbValidation() {}

    static void validateFixedResponse(Action.FixedResponse response) {
        if (response == null) {
            throw ElbErrors.validation("A fixed response config must be specified for an action of type 'fixed-response'");
        }
        if (response.statusCode() == null || !response.statusCode().matches("[245]\\d\\d")) {
            throw ElbErrors.validation("1 validation error detected: Value '" + response.statusCode()
                    + "' at 'fixedResponseConfig.statusCode' failed to satisfy constraint: Member must satisfy regular "
                    + "expression pattern: ^(2|4|5)\\d\\d$");
        }
        if (response.contentType() != null && !CONTENT_TYPES.contains(response.contentType())) {
            throw ElbErrors.validation("Content type '" + response.contentType() + "' must be one of 'text/plain, "
                    + "text/css, text/html, application/javascript, application/json'");
        }
        if (response.messageBody() != null && response.messageBody().length() > 1024) {
            throw ElbErrors.validation("1 validation error detected: Value at 'fixedResponseConfig.messageBody' failed "
                    + "to satisfy constraint: Member must have length less than or equal to 1024");
        }
    }

    static void validateRedirect(Action.Redirect redirect) {
        if (redirect == null) {
            throw ElbErrors.validation("A redirect config must be specified for an action of type 'redirect'");
        }
        if (!"HTTP_301".equals(redirect.statusCode()) && !"HTTP_302".equals(redirect.statusCode())) {
            throw enumError("redirectConfig.statusCode", redirect.statusCode(), "[HTTP_301, HTTP_302]");
        }
        if (redirect.protocol() != null && !redirect.protocol().matches("HTTPS?|#\\{protocol}")) {
            throw ElbErrors.validation("Redirect protocol '" + redirect.protocol() + "' must be HTTP, HTTPS or #{protocol}");
        }
        boolean unchanged = (redirect.protocol() == null || redirect.protocol().equals("#{protocol}"))
                && (redirect.host() == null || redirect.host().equals("#{host}"))
                && (redirect.port() == null || redirect.port().equals("#{port}"))
                && (redirect.path() == null || redirect.path().equals("/#{path}"));
        if (unchanged) {
            throw ElbErrors.error("InvalidLoadBalancerAction", "The redirect must change at least one of protocol, "
                    + "host, port or path, or it would redirect to itself");
        }
    }

    static void validateConditions(List<Condition> conditions) {
        if (conditions.isEmpty()) {
            throw ElbErrors.validation("A rule must have at least one condition");
        }
        Set<String> single = new HashSet<>();
        int values = 0;
        int wildcards = 0;
        for (Condition condition : conditions) {
            if (!Condition.FIELDS.contains(condition.field())) {
                throw ElbErrors.validation("Condition field '" + condition.field() + "' must be one of '[http-header, "
                        + "http-request-method, host-header, path-pattern, query-string, source-ip]'");
            }
            boolean repeatable = condition.field().equals(Condition.HTTP_HEADER)
                    || condition.field().equals(Condition.QUERY_STRING);
            if (!repeatable && !single.add(condition.field())) {
                throw ElbErrors.validation("A rule can only have one '" + condition.field() + "' condition");
            }
            if (condition.valueCount() == 0) {
                throw ElbErrors.validation("A condition value must be specified for the '" + condition.field()
                        + "' condition");
            }
            for (String value : condition.values()) {
                if (value == null || value.isEmpty() || value.length() > 128) {
                    throw ElbErrors.validation("Condition value '" + value + "' must be between 1 and 128 characters");
                }
            }
            switch (condition.field()) {
                case Condition.HTTP_HEADER -> {
                    String name = condition.httpHeaderName();
                    if (name == null || name.isEmpty() || name.length() > 40) {
                        throw ElbErrors.validation("An HTTP header name of 1 to 40 characters must be specified");
                    }
                    if (name.equalsIgnoreCase("host")) {
                        throw ElbErrors.validation("Use a 'host-header' condition to match the Host header");
                    }
                }
                case Condition.HTTP_REQUEST_METHOD -> condition.values().forEach(v -> {
                    if (!METHOD.matcher(v).matches()) {
                        throw ElbErrors.validation("HTTP request method '" + v + "' is not valid");
                    }
                });
                case Condition.SOURCE_IP -> condition.values().forEach(v -> {
                    if (!v.matches("[0-9a-fA-F:.]+/\\d{1,3}")) {
                        throw ElbErrors.validation("Source IP '" + v + "' is not a valid CIDR block");
                    }
                });
                case Condition.QUERY_STRING -> condition.queryPairs().forEach(p -> {
                    if (p.value() == null || p.value().isEmpty()) {
                        throw ElbErrors.validation("A query string condition value must be specified");
                    }
                });
                default -> { }
            }
            values += condition.valueCount();
            wildcards += condition.wildcardCount();
        }
        if (values > MAX_CONDITION_VALUES) {
            throw ElbErrors.validation("A rule can only have '" + MAX_CONDITION_VALUES + "' condition values");
        }
        if (wildcards > MAX_WILDCARDS) {
            throw ElbErrors.validation("A rule can only have '" + MAX_WILDCARDS + "' wildcards");
        }
    }

    static void validateHealthCheck(HealthCheck check) {
        if (!check.protocol().equals("HTTP") && !check.protocol().equals("HTTPS")) {
            throw ElbErrors.validation("Health check protocol '" + check.protocol()
                    + "' is not supported for target groups of an Application Load Balancer");
        }
        if (!check.port().equals("traffic-port")) {
            try {
                int port = Integer.parseInt(check.port());
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw ElbErrors.validation("Health check port '" + check.port()
                        + "' must be 'traffic-port' or a port between 1 and 65535");
            }
        }
        if (!check.enabled()) {
            throw ElbErrors.validation("Health checks cannot be disabled for target groups with target type 'ip' or "
                    + "'instance'");
        }
        if (check.path() == null || !check.path().startsWith("/") || check.path().length() > 1024) {
            throw ElbErrors.validation("Health check path '" + check.path() + "' must begin with a '/' and be at "
                    + "most 1024 characters long");
        }
        checkRange("healthCheckIntervalSeconds", check.intervalSeconds(), 5, 300);
        checkRange("healthCheckTimeoutSeconds", check.timeoutSeconds(), 2, 120);
        checkRange("healthyThresholdCount", check.healthyThreshold(), 2, 10);
        checkRange("unhealthyThresholdCount", check.unhealthyThreshold(), 2, 10);
        if (check.timeoutSeconds() >= check.intervalSeconds()) {
            throw ElbErrors.validation("Health check timeout '" + check.timeoutSeconds()
                    + "' must be smaller than the interval '" + check.intervalSeconds() + "'");
        }
        if (check.matcher() == null || !MATCHER.matcher(check.matcher()).matches()) {
            throw ElbErrors.validation("Health check matcher HTTP code '" + check.matcher() + "' is not valid");
        }
        for (String code : check.matcher().split("[,-]")) {
            int value = Integer.parseInt(code);
            if (value < 200 || value > 499) {
                throw ElbErrors.validation("Health check matcher HTTP code '" + code + "' must be within '200-499' range");
            }
        }
    }

    static void checkRange(String member, long value, long min, long max) {
        if (value < min) {
            throw ElbErrors.validation("1 validation error detected: Value '" + value + "' at '" + member
                    + "' failed to satisfy constraint: Member must have value greater than or equal to " + min);
        }
        if (value > max) {
            throw ElbErrors.validation("1 validation error detected: Value '" + value + "' at '" + member
                    + "' failed to satisfy constraint: Member must have value less than or equal to " + max);
        }
    }

    static void checkPriority(int priority) {
        checkRange("priority", priority, 1, MAX_PRIORITY);
    }

    static void checkProtocol(String member, String protocol) {
        if (!PROTOCOLS.contains(protocol)) {
            throw enumError(member, protocol, "[HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP, GENEVE]");
        }
    }

    static void checkListenerProtocol(String protocol) {
        if (protocol == null) {
            throw ElbErrors.validation("A listener protocol must be specified");
        }
        checkProtocol("protocol", protocol);
        if (!protocol.equals("HTTP") && !protocol.equals("HTTPS")) {
            throw ElbErrors.error("UnsupportedProtocol",
                    "Listener protocol '" + protocol + "' must be one of 'HTTPS, HTTP'");
        }
    }

    static AwsErrorException enumError(String member, String value, String allowed) {
        return ElbErrors.validation("1 validation error detected: Value '" + value + "' at '" + member
                + "' failed to satisfy constraint: Member must satisfy enum value set: " + allowed);
    }

    static void checkArn(Pattern pattern, String kind, String arn) {
        if (arn == null || !pattern.matcher(arn).matches()) {
            throw ElbErrors.validation("'" + arn + "' is not a valid " + kind + " ARN");
        }
    }

    static void validateName(String kind, String name) {
        if (name == null || name.isEmpty()) {
            throw ElbErrors.validation(kind + " name cannot be empty");
        }
        if (name.length() > 32) {
            throw ElbErrors.validation(kind + " name '" + name + "' cannot be longer than '32' characters");
        }
        if (!NAME.matcher(name).matches()) {
            throw ElbErrors.validation(kind + " name '" + name
                    + "' can only contain characters that are alphanumeric characters or hyphens(-)");
        }
        if (name.startsWith("-") || name.endsWith("-")) {
            throw ElbErrors.validation(kind + " name '" + name + "' cannot begin or end with '-'");
        }
    }

    static void validateTargetId(TargetGroup group, String id) {
        if (id == null || id.isEmpty()) {
            throw ElbErrors.validation("A target ID must be specified");
        }
        if (group.targetType().equals("instance")) {
            if (!INSTANCE_ID.matcher(id).matches()) {
                throw ElbErrors.invalidTarget("The following targets are not valid instances: '" + id + "'");
            }
            return;
        }
        if (!IPV4.matcher(id).matches()) {
            throw ElbErrors.invalidTarget("The IP address '" + id + "' is not a valid IPv4 address");
        }
        if (!isPrivateOrLoopback(id)) {
            throw ElbErrors.invalidTarget("The following targets are not in the target group's VPC or a private "
                    + "address range: '" + id + "'");
        }
    }

    /** RFC 1918, RFC 6598 (100.64.0.0/10) and, for the simulator's real servers, loopback 127.0.0.0/8. */
    static boolean isPrivateOrLoopback(String ip) {
        return Condition.inCidr(ip, "10.0.0.0/8") || Condition.inCidr(ip, "172.16.0.0/12")
                || Condition.inCidr(ip, "192.168.0.0/16") || Condition.inCidr(ip, "100.64.0.0/10")
                || Condition.inCidr(ip, "127.0.0.0/8");
    }

    static void validateNewTags(Map<String, String> current, Map<String, String> newTags) {
        for (Map.Entry<String, String> tag : newTags.entrySet()) {
            String key = tag.getKey();
            if (key == null || key.isEmpty() || key.length() > 128 || !TAG_TEXT.matcher(key).matches()) {
                throw ElbErrors.validation("Tag key '" + key + "' is not valid");
            }
            if (key.startsWith("aws:")) {
                throw ElbErrors.validation("Tag keys starting with 'aws:' are reserved for internal use");
            }
            String value = tag.getValue();
            if (value != null && (value.length() > 256 || !TAG_TEXT.matcher(value).matches())) {
                throw ElbErrors.validation("Tag value '" + value + "' is not valid");
            }
        }
        Set<String> keys = new HashSet<>(current.keySet());
        keys.addAll(newTags.keySet());
        if (keys.size() > MAX_TAGS) {
            throw ElbErrors.error("TooManyTags", "You've reached the limit on the number of tags for this resource");
        }
    }
}

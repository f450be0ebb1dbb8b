package io.ecsbluegreen.sim.elb;

import io.ecsbluegreen.sim.protocol.AwsDates;
import io.ecsbluegreen.sim.protocol.AwsErrorException;
import io.ecsbluegreen.sim.protocol.CredentialScope;
import io.ecsbluegreen.sim.protocol.Protocol;
import io.ecsbluegreen.sim.protocol.QueryActions;
import io.ecsbluegreen.sim.protocol.QueryXml;
import io.ecsbluegreen.sim.protocol.ServiceHandler;
import io.ecsbluegreen.sim.protocol.SimRequest;
import io.ecsbluegreen.sim.protocol.SimResponse;
import io.ecsbluegreen.sim.protocol.Xml;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Elastic Load Balancing v2 over the Query protocol ({@code Action=...&Version=2015-12-01}, XML answers in
 * the {@code http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/} namespace). Parses requests,
 * delegates to the {@link ElbStore} and renders its resources as ELBv2 does.
 */
public final class ElbService implements ServiceHandler {

    static final String NAMESPACE = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";
    static final String VERSION = "2015-12-01";
    private static final int MAX_PAGE_SIZE = 400;
    /** Route 53 hosted zone of ALBs in us-east-1; reported for every region. */
    private static final String CANONICAL_HOSTED_ZONE_ID = "Z35SXDOTRQ7X7K";

    private static final Set<String> ACTIONS = new LinkedHashSet<>(List.of(
            "CreateLoadBalancer", "DescribeLoadBalancers", "DeleteLoadBalancer",
            "DescribeLoadBalancerAttributes", "ModifyLoadBalancerAttributes",
            "CreateTargetGroup", "DescribeTargetGroups", "ModifyTargetGroup", "DeleteTargetGroup",
            "DescribeTargetGroupAttributes", "ModifyTargetGroupAttributes",
            "RegisterTargets", "DeregisterTargets", "DescribeTargetHealth",
            "CreateListener", "DescribeListeners", "ModifyListener", "DeleteListener",
            "CreateRule", "DescribeRules", "ModifyRule", "DeleteRule", "SetRulePriorities",
            "AddTags", "RemoveTags", "DescribeTags", "DescribeAccountLimits"));

    private final ElbStore store;

    public ElbService(ElbStore store) {
        this.store = store;
    }

    @Override
    public String signingName() {
        return "elasticloadbalancing";
    }

    @Override
    public Protocol protocol() {
        return Protocol.QUERY;
    }

    @Override
    public String xmlNamespace() {
        return NAMESPACE;
    }

    @Override
    public Set<String> queryActions() {
        return ACTIONS;
    }

    @Override
    public String resolveAction(SimRequest request) {
        return QueryActions.resolve(request, ACTIONS, VERSION);
    }

    @Override
    public SimResponse handle(String action, SimRequest request) {
        QueryParams p = new QueryParams(request.params());
        String region = request.scope().map(CredentialScope::region).orElse(ElbStore.DEFAULT_REGION);
        Xml xml = QueryXml.result(action, NAMESPACE);
        switch (action) {
            case "CreateLoadBalancer" -> createLoadBalancer(p, region, xml);
            case "DescribeLoadBalancers" -> {
                List<LoadBalancer> all = store.describeLoadBalancers(p.list("LoadBalancerArns"), p.list("Names"));
                page(all, p, xml, "LoadBalancers", this::loadBalancer);
            }
            case "DeleteLoadBalancer" -> store.deleteLoadBalancer(p.required("LoadBalancerArn", "loadBalancerArn"));
            case "DescribeLoadBalancerAttributes" ->
                    attributes(xml, store.loadBalancerAttributes(p.required("LoadBalancerArn", "loadBalancerArn")));
            case "ModifyLoadBalancerAttributes" -> attributes(xml, store.modifyLoadBalancerAttributes(
                    p.required("LoadBalancerArn", "loadBalancerArn"), attributeChanges(p)));
            case "CreateTargetGroup" -> createTargetGroup(p, region, xml);
            case "DescribeTargetGroups" -> {
                List<TargetGroup> all = store.describeTargetGroups(p.string("LoadBalancerArn"),
                        p.list("TargetGroupArns"), p.list("Names"));
                page(all, p, xml, "TargetGroups", this::targetGroup);
            }
            case "ModifyTargetGroup" -> modifyTargetGroup(p, xml);
            case "DeleteTargetGroup" -> store.deleteTargetGroup(p.required("TargetGroupArn", "targetGroupArn"));
            case "DescribeTargetGroupAttributes" ->
                    attributes(xml, store.targetGroupAttributes(p.required("TargetGroupArn", "targetGroupArn")));
            case "ModifyTargetGroupAttributes" -> attributes(xml, store.modifyTargetGroupAttributes(
                    p.required("TargetGroupArn", "targetGroupArn"), attributeChanges(p)));
            case "RegisterTargets" -> store.registerTargets(p.required("TargetGroupArn", "targetGroupArn"),
                    targets(p, true));
            case "DeregisterTargets" -> store.deregisterTargets(p.required("TargetGroupArn", "targetGroupArn"),
                    targets(p, true));
            case "DescribeTargetHealth" -> describeTargetHealth(p, xml);
            case "CreateListener" -> createListener(p, xml);
            case "DescribeListeners" -> {
                List<Listener> all = store.describeListeners(p.string("LoadBalancerArn"), p.list("ListenerArns"));
                page(all, p, xml, "Listeners", this::listener);
            }
            case "ModifyListener" -> modifyListener(p, xml);
            case "DeleteListener" -> store.deleteListener(p.required("ListenerArn", "listenerArn"));
            case "CreateRule" -> createRule(p, xml);
            case "DescribeRules" -> {
                List<Rule> all = store.describeRules(p.string("ListenerArn"), p.list("RuleArns"));
                page(all, p, xml, "Rules", this::rule);
            }
            case "ModifyRule" -> {
                Rule rule = store.modifyRule(p.required("RuleArn", "ruleArn"),
                        p.present("Conditions") ? conditions(p) : null,
                        p.present("Actions") ? actions(p, "Actions", "actions") : null);
                list(xml, "Rules", List.of(rule), this::rule);
            }
            case "DeleteRule" -> store.deleteRule(p.required("RuleArn", "ruleArn"));
            case "SetRulePriorities" -> setRulePriorities(p, xml);
            case "AddTags" -> store.addTags(resourceArns(p), tags(p, true));
            case "RemoveTags" -> store.removeTags(resourceArns(p), p.list("TagKeys"));
            case "DescribeTags" -> describeTags(p, xml);
            case "DescribeAccountLimits" -> accountLimits(xml);
            default -> throw new IllegalStateException("unresolved action " + action);
        }
        return QueryXml.finish(xml, request.requestId());
    }

    // ---------------------------------------------------------------------------------------------
    // Actions

    private void createLoadBalancer(QueryParams p, String region, Xml xml) {
        String name = p.required("Name", "name");
        String type = enumValue(p, "Type", "type", "application", "[application, network, gateway]",
                "application", "network", "gateway");
        if (!type.equals("application")) {
            throw ElbErrors.invalidConfiguration("The simulator implements Application Load Balancers only, not '"
                    + type + "'");
        }
        String scheme = enumValue(p, "Scheme", "scheme", "internet-facing", "[internet-facing, internal]",
                "internet-facing", "internal");
        String ipAddressType = enumValue(p, "IpAddressType", "ipAddressType", "ipv4",
                "[ipv4, dualstack, dualstack-without-public-ipv4]", "ipv4", "dualstack", "dualstack-without-public-ipv4");
        List<String> subnets = p.list("Subnets");
        List<String> mapped = new ArrayList<>();
        p.structs("SubnetMappings").forEach(m -> mapped.add(m.required("SubnetId", "subnetMappings.member.subnetId")));
        if (!subnets.isEmpty() && !mapped.isEmpty()) {
            throw ElbErrors.validation("You can specify subnets or subnet mappings, but not both");
        }
        LoadBalancer lb = store.createLoadBalancer(region, name, null, scheme, subnets.isEmpty() ? mapped : subnets,
                p.list("SecurityGroups"), ipAddressType, tags(p, false));
        list(xml, "LoadBalancers", List.of(lb), this::loadBalancer);
    }

    private void createTargetGroup(QueryParams p, String region, Xml xml) {
        String name = p.required("Name", "name");
        String protocol = p.string("Protocol");
        Integer port = p.integer("Port", "port");
        if (port != null) {
            ElbValidation.checkRange("port", port, 1, 65535);
        }
        String targetType = p.string("TargetType") != null ? p.string("TargetType") : "instance";
        String protocolVersion = p.string("ProtocolVersion") != null ? p.string("ProtocolVersion") : "HTTP1";
        String ipAddressType = p.string("IpAddressType") != null ? p.string("IpAddressType") : "ipv4";
        HealthCheck healthCheck = healthCheck(p, HealthCheck.defaults(protocol));
        TargetGroup group = store.createTargetGroup(region, name, null, protocol, protocolVersion, port,
                p.string("VpcId"), targetType, ipAddressType, healthCheck, tags(p, false));
        list(xml, "TargetGroups", List.of(group), this::targetGroup);
    }

    private void modifyTargetGroup(QueryParams p, Xml xml) {
        String arn = p.required("TargetGroupArn", "targetGroupArn");
        TargetGroup current = store.describeTargetGroups(null, List.of(arn), List.of()).get(0);
        TargetGroup modified = store.modifyTargetGroup(arn, healthCheck(p, current.healthCheck()));
        list(xml, "TargetGroups", List.of(modified), this::targetGroup);
    }

    /** The health check settings in the request, over {@code base}. */
    private static HealthCheck healthCheck(QueryParams p, HealthCheck base) {
        Integer interval = p.integer("HealthCheckIntervalSeconds", "healthCheckIntervalSeconds");
        Integer timeout = p.integer("HealthCheckTimeoutSeconds", "healthCheckTimeoutSeconds");
        Integer healthy = p.integer("HealthyThresholdCount", "healthyThresholdCount");
        Integer unhealthy = p.integer("UnhealthyThresholdCount", "unhealthyThresholdCount");
        if (interval != null) {
            ElbValidation.checkRange("healthCheckIntervalSeconds", interval, 5, 300);
        }
        if (timeout != null) {
            ElbValidation.checkRange("healthCheckTimeoutSeconds", timeout, 2, 120);
        }
        if (healthy != null) {
            ElbValidation.checkRange("healthyThresholdCount", healthy, 2, 10);
        }
        if (unhealthy != null) {
            ElbValidation.checkRange("unhealthyThresholdCount", unhealthy, 2, 10);
        }
        String path = p.string("HealthCheckPath");
        if (path != null && (path.isEmpty() || path.length() > 1024)) {
            throw ElbErrors.validation("1 validation error detected: Value '" + path + "' at 'healthCheckPath' failed "
                    + "to satisfy constraint: Member must have length between 1 and 1024");
        }
        Boolean enabled = p.bool("HealthCheckEnabled", "healthCheckEnabled");
        return new HealthCheck(
                or(p.string("HealthCheckProtocol"), base.protocol()),
                or(p.string("HealthCheckPort"), base.port()),
                enabled != null ? enabled : base.enabled(),
                or(path, base.path()),
                interval != null ? interval : base.intervalSeconds(),
                timeout != null ? timeout : base.timeoutSeconds(),
                healthy != null ? healthy : base.healthyThreshold(),
                unhealthy != null ? unhealthy : base.unhealthyThreshold(),
                or(p.sub("Matcher").string("HttpCode"), base.matcher()));
    }

    private void describeTargetHealth(QueryParams p, Xml xml) {
        String arn = p.required("TargetGroupArn", "targetGroupArn");
        List<TargetStatus> statuses = store.describeTargetHealth(arn, targets(p, false));
        list(xml, "TargetHealthDescriptions", statuses, (x, status) -> {
            x.start("Target").element("Id", status.id()).element("Port", status.port()).end();
            x.element("HealthCheckPort", healthCheckPort(arn, status.port()));
            x.start("TargetHealth").element("State", status.state().wire()).element("Reason", status.reason())
                    .element("Description", status.description()).end();
        });
    }

    private String healthCheckPort(String targetGroupArn, int targetPort) {
        String port = store.targetGroup(targetGroupArn).map(g -> g.healthCheck().port()).orElse("traffic-port");
        return port.equals("traffic-port") ? Integer.toString(targetPort) : port;
    }

    private void createListener(QueryParams p, Xml xml) {
        String loadBalancerArn = p.required("LoadBalancerArn", "loadBalancerArn");
        Integer port = p.integer("Port", "port");
        if (port != null) {
            ElbValidation.checkRange("port", port, 1, 65535);
        }
        if (!p.present("DefaultActions")) {
            throw ElbErrors.validation("1 validation error detected: Value null at 'defaultActions' failed to satisfy "
                    + "constraint: Member must not be null");
        }
        Listener listener = store.createListener(loadBalancerArn, null, p.string("Protocol"), port,
                actions(p, "DefaultActions", "defaultActions"), certificates(p), p.string("SslPolicy"), tags(p, false));
        list(xml, "Listeners", List.of(listener), this::listener);
    }

    private void modifyListener(QueryParams p, Xml xml) {
        Integer port = p.integer("Port", "port");
        if (port != null) {
            ElbValidation.checkRange("port", port, 1, 65535);
        }
        Listener listener = store.modifyListener(p.required("ListenerArn", "listenerArn"), port, p.string("Protocol"),
                p.present("DefaultActions") ? actions(p, "DefaultActions", "defaultActions") : null,
                p.present("Certificates") ? certificates(p) : null, p.string("SslPolicy"));
        list(xml, "Listeners", List.of(listener), this::listener);
    }

    private void createRule(QueryParams p, Xml xml) {
        String listenerArn = p.required("ListenerArn", "listenerArn");
        Integer priority = p.integer("Priority", "priority");
        if (priority == null) {
            throw ElbErrors.validation("1 validation error detected: Value null at 'priority' failed to satisfy "
                    + "constraint: Member must not be null");
        }
        if (!p.present("Conditions")) {
            throw ElbErrors.validation("1 validation error detected: Value null at 'conditions' failed to satisfy "
                    + "constraint: Member must not be null");
        }
        if (!p.present("Actions")) {
            throw ElbErrors.validation("1 validation error detected: Value null at 'actions' failed to satisfy "
                    + "constraint: Member must not be null");
        }
        Rule rule = store.createRule(listenerArn, null, priority, conditions(p), actions(p, "Actions", "actions"),
                tags(p, false));
        list(xml, "Rules", List.of(rule), this::rule);
    }

    private void setRulePriorities(QueryParams p, Xml xml) {
        List<Map.Entry<String, Integer>> priorities = new ArrayList<>();
        for (QueryParams pair : p.structs("RulePriorities")) {
            String arn = pair.required("RuleArn", "rulePriorities.member.ruleArn");
            Integer priority = pair.integer("Priority", "rulePriorities.member.priority");
            if (priority == null) {
                throw ElbErrors.validation("1 validation error detected: Value null at 'rulePriorities.member.priority' "
                        + "failed to satisfy constraint: Member must not be null");
            }
            priorities.add(new AbstractMap.SimpleEntry<>(arn, priority));
        }
        if (priorities.isEmpty()) {
            throw ElbErrors.validation("1 validation error detected: Value null at 'rulePriorities' failed to satisfy "
                    + "constraint: Member must not be null");
        }
        list(xml, "Rules", store.setRulePriorities(priorities), this::rule);
    }

    private void describeTags(QueryParams p, Xml xml) {
        Map<String, Map<String, String>> all = store.describeTags(resourceArns(p));
        list(xml, "TagDescriptions", List.copyOf(all.entrySet()), (x, entry) -> {
            x.element("ResourceArn", entry.getKey());
            list(x, "Tags", List.copyOf(new LinkedHashMap<>(entry.getValue()).entrySet()),
                    (t, tag) -> t.element("Key", tag.getKey()).element("Value", tag.getValue()));
        });
    }

    private static void accountLimits(Xml xml) {
        Map<String, Integer> limits = new LinkedHashMap<>();
        limits.put("application-load-balancers", ElbStore.MAX_LOAD_BALANCERS);
        limits.put("target-groups", ElbStore.MAX_TARGET_GROUPS);
        limits.put("targets-per-application-load-balancer", ElbStore.MAX_TARGETS_PER_TARGET_GROUP);
        limits.put("listeners-per-application-load-balancer", ElbStore.MAX_LISTENERS_PER_LOAD_BALANCER);
        limits.put("rules-per-application-load-balancer", ElbStore.MAX_RULES_PER_LOAD_BALANCER);
        limits.put("target-groups-per-application-load-balancer", ElbStore.MAX_TARGET_GROUPS_PER_LOAD_BALANCER);
        limits.put("target-groups-per-action-on-application-load-balancer", ElbStore.MAX_TARGET_GROUPS_PER_ACTION);
        limits.put("condition-values-per-alb-rule", ElbStore.MAX_CONDITION_VALUES);
        limits.put("condition-wildcards-per-alb-rule", ElbStore.MAX_WILDCARDS);
        list(xml, "Limits", List.copyOf(limits.entrySet()),
                (x, limit) -> x.element("Name", limit.getKey()).element("Max", limit.getValue()));
    }

    // ---------------------------------------------------------------------------------------------
    // Request parsing

    private static List<Action> actions(QueryParams p, String name, String member) {
        List<Action> actions = new ArrayList<>();
        for (QueryParams a : p.structs(name)) {
            actions.add(action(a, member));
        }
        return actions;
    }

    private static Action action(QueryParams a, String member) {
        String type = a.required("Type", member + ".member.type");
        Integer order = a.integer("Order", member + ".member.order");
        switch (type) {
            case Action.FORWARD -> {
                String single = a.string("TargetGroupArn");
                QueryParams config = a.sub("ForwardConfig");
                List<Action.TargetGroupWeight> groups = new ArrayList<>();
                for (QueryParams g : config.structs("TargetGroups")) {
                    Integer weight = g.integer("Weight", member + ".member.forwardConfig.targetGroups.member.weight");
                    groups.add(new Action.TargetGroupWeight(
                            g.required("TargetGroupArn", member + ".member.forwardConfig.targetGroups.member.targetGroupArn"),
                            weight != null ? weight : 1));
                }
                Action.Stickiness stickiness = null;
                if (config.present("TargetGroupStickinessConfig")) {
                    QueryParams s = config.sub("TargetGroupStickinessConfig");
                    Boolean enabled = s.bool("Enabled", "targetGroupStickinessConfig.enabled");
                    stickiness = new Action.Stickiness(enabled != null && enabled,
                            s.integer("DurationSeconds", "targetGroupStickinessConfig.durationSeconds"));
                }
                if (single != null) {
                    if (!groups.isEmpty() && (groups.size() != 1 || !groups.get(0).targetGroupArn().equals(single))) {
                        throw ElbErrors.validation("You cannot specify both a target group ARN and a forward config "
                                + "with other target groups; specify only one of them");
                    }
                    int weight = groups.isEmpty() ? 1 : groups.get(0).weight();
                    return new Action(type, order, List.of(new Action.TargetGroupWeight(single, weight)), true,
                            stickiness, null, null);
                }
                return new Action(type, order, groups, false, stickiness, null, null);
            }
            case Action.FIXED_RESPONSE -> {
                if (!a.present("FixedResponseConfig")) {
                    return new Action(type, order, List.of(), false, null, null, null);
                }
                QueryParams f = a.sub("FixedResponseConfig");
                return new Action(type, order, List.of(), false, null,
                        new Action.FixedResponse(f.string("StatusCode"), f.string("ContentType"), f.string("MessageBody")),
                        null);
            }
            case Action.REDIRECT -> {
                if (!a.present("RedirectConfig")) {
                    return new Action(type, order, List.of(), false, null, null, null);
                }
                QueryParams r = a.sub("RedirectConfig");
                return new Action(type, order, List.of(), false, null, null, new Action.Redirect(r.string("Protocol"),
                        r.string("Port"), r.string("Host"), r.string("Path"), r.string("Query"), r.string("StatusCode")));
            }
            case Action.AUTHENTICATE_OIDC, Action.AUTHENTICATE_COGNITO -> {
                String configName = type.equals(Action.AUTHENTICATE_OIDC) ? "AuthenticateOidcConfig" : "AuthenticateCognitoConfig";
                if (!a.present(configName)) {
                    return new Action(type, order, List.of(), false, null, null, null);
                }
                QueryParams c = a.sub(configName);
                Map<String, String> config = new LinkedHashMap<>();
                for (String m : type.equals(Action.AUTHENTICATE_OIDC) ? OIDC_MEMBERS : COGNITO_MEMBERS) {
                    if (c.string(m) != null) {
                        config.put(m, c.string(m));
                    }
                }
                return new Action(type, order, List.of(), false, null, null, null,
                        new Action.Authenticate(config, c.map("AuthenticationRequestExtraParams")));
            }
            default -> {
                return new Action(type, order, List.of(), false, null, null, null);
            }
        }
    }

    private static final List<String> COMMON_AUTH_MEMBERS =
            List.of("SessionCookieName", "Scope", "SessionTimeout", "OnUnauthenticatedRequest");
    static final List<String> OIDC_MEMBERS = concat(List.of("Issuer", "AuthorizationEndpoint", "TokenEndpoint",
            "UserInfoEndpoint", "ClientId", "ClientSecret", "UseExistingClientSecret"), COMMON_AUTH_MEMBERS);
    static final List<String> COGNITO_MEMBERS = concat(List.of("UserPoolArn", "UserPoolClientId", "UserPoolDomain"),
            COMMON_AUTH_MEMBERS);

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    private static List<Condition> conditions(QueryParams p) {
        List<Condition> conditions = new ArrayList<>();
        for (QueryParams c : p.structs("Conditions")) {
            String field = c.required("Field", "conditions.member.field");
            List<String> values = c.list("Values");
            Condition condition = switch (field) {
                case Condition.HOST_HEADER -> new Condition(field, legacyOrConfig(values,
                        c.list("HostHeaderConfig.Values"), field), null, null);
                case Condition.PATH_PATTERN -> new Condition(field, legacyOrConfig(values,
                        c.list("PathPatternConfig.Values"), field), null, null);
                case Condition.HTTP_HEADER -> new Condition(field, c.list("HttpHeaderConfig.Values"),
                        c.string("HttpHeaderConfig.HttpHeaderName"), null);
                case Condition.HTTP_REQUEST_METHOD -> new Condition(field, c.list("HttpRequestMethodConfig.Values"),
                        null, null);
                case Condition.SOURCE_IP -> new Condition(field, c.list("SourceIpConfig.Values"), null, null);
                case Condition.QUERY_STRING -> {
                    List<Condition.QueryPair> pairs = new ArrayList<>();
                    for (QueryParams pair : c.sub("QueryStringConfig").structs("Values")) {
                        pairs.add(new Condition.QueryPair(pair.string("Key"), pair.string("Value")));
                    }
                    yield new Condition(field, List.of(), null, pairs);
                }
                default -> new Condition(field, values, null, null);
            };
            conditions.add(condition);
        }
        return conditions;
    }

    private static List<String> legacyOrConfig(List<String> legacy, List<String> config, String field) {
        if (!legacy.isEmpty() && !config.isEmpty() && !legacy.equals(config)) {
            throw ElbErrors.validation("You cannot specify both 'Values' and a '" + field + "' config with different "
                    + "values in the same condition");
        }
        return config.isEmpty() ? legacy : config;
    }

    private static List<TargetDescription> targets(QueryParams p, boolean required) {
        List<TargetDescription> targets = new ArrayList<>();
        for (QueryParams t : p.structs("Targets")) {
            Integer port = t.integer("Port", "targets.member.port");
            if (port != null) {
                ElbValidation.checkRange("targets.member.port", port, 1, 65535);
            }
            targets.add(new TargetDescription(t.required("Id", "targets.member.id"), port, t.string("AvailabilityZone")));
        }
        if (required && targets.isEmpty()) {
            throw ElbErrors.validation("1 validation error detected: Value null at 'targets' failed to satisfy "
                    + "constraint: Member must not be null");
        }
        return targets;
    }

    private static List<String> certificates(QueryParams p) {
        List<String> certificates = new ArrayList<>();
        for (QueryParams c : p.structs("Certificates")) {
            certificates.add(c.required("CertificateArn", "certificates.member.certificateArn"));
        }
        return certificates;
    }

    private static Map<String, String> tags(QueryParams p, boolean required) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (QueryParams t : p.structs("Tags")) {
            String key = t.required("Key", "tags.member.key");
            if (tags.containsKey(key)) {
                throw ElbErrors.error("DuplicateTagKeys", "Tag key '" + key + "' was specified more than once");
            }
            tags.put(key, t.string("Value") != null ? t.string("Value") : "");
        }
        if (required && tags.isEmpty()) {
            throw ElbErrors.validation("1 validation error detected: Value null at 'tags' failed to satisfy "
                    + "constraint: Member must not be null");
        }
        return tags;
    }

    private static List<String> resourceArns(QueryParams p) {
        List<String> arns = p.list("ResourceArns");
        if (arns.isEmpty()) {
            throw ElbErrors.validation("1 validation error detected: Value null at 'resourceArns' failed to satisfy "
                    + "constraint: Member must not be null");
        }
        return arns;
    }

    private static Map<String, String> attributeChanges(QueryParams p) {
        Map<String, String> changes = new LinkedHashMap<>();
        for (QueryParams a : p.structs("Attributes")) {
            changes.put(a.required("Key", "attributes.member.key"), a.string("Value") != null ? a.string("Value") : "");
        }
        if (changes.isEmpty()) {
            throw ElbErrors.validation("1 validation error detected: Value null at 'attributes' failed to satisfy "
                    + "constraint: Member must not be null");
        }
        return changes;
    }

    private static String enumValue(QueryParams p, String name, String member, String defaultValue, String allowed,
            String... values) {
        String value = p.string(name);
        if (value == null) {
            return defaultValue;
        }
        if (!List.of(values).contains(value)) {
            throw ElbValidation.enumError(member, value, allowed);
        }
        return value;
    }

    private static String or(String value, String fallback) {
        return value != null ? value : fallback;
    }

    // ---------------------------------------------------------------------------------------------
    // Rendering

    private interface Writer<T> {
        void write(Xml xml, T item);
    }

    private static <T> void list(Xml xml, String name, List<T> items, Writer<T> writer) {
        xml.start(name);
        for (T item : items) {
            xml.start("member");
            writer.write(xml, item);
            xml.end();
        }
        xml.end();
    }

    private static void strings(Xml xml, String name, List<String> values) {
        xml.start(name);
        values.forEach(v -> xml.element("member", v));
        xml.end();
    }

    /** Writes one page of {@code items} and the {@code NextMarker} when more follow. */
    private static <T> void page(List<T> items, QueryParams p, Xml xml, String name, Writer<T> writer) {
        Integer pageSize = p.integer("PageSize", "pageSize");
        if (pageSize != null) {
            ElbValidation.checkRange("pageSize", pageSize, 1, MAX_PAGE_SIZE);
        }
        int size = pageSize != null ? pageSize : MAX_PAGE_SIZE;
        int start = decodeMarker(p.string("Marker"));
        int from = Math.min(start, items.size());
        int to = Math.min(from + size, items.size());
        list(xml, name, items.subList(from, to), writer);
        if (to < items.size()) {
            xml.element("NextMarker", Base64.getEncoder().encodeToString(("offset:" + to).getBytes(StandardCharsets.UTF_8)));
        }
    }

    private static int decodeMarker(String marker) {
        if (marker == null || marker.isEmpty()) {
            return 0;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(marker), StandardCharsets.UTF_8);
            if (decoded.startsWith("offset:")) {
                int offset = Integer.parseInt(decoded.substring("offset:".length()));
                if (offset >= 0) {
                    return offset;
                }
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw ElbErrors.validation("Invalid marker '" + marker + "'");
    }

    private static void attributes(Xml xml, Map<String, String> attributes) {
        list(xml, "Attributes", List.copyOf(attributes.entrySet()),
                (x, a) -> x.element("Key", a.getKey()).element("Value", a.getValue()));
    }

    private void loadBalancer(Xml xml, LoadBalancer lb) {
        xml.element("LoadBalancerArn", lb.arn())
                .element("DNSName", lb.dnsName())
                .element("CanonicalHostedZoneId", CANONICAL_HOSTED_ZONE_ID)
                .element("CreatedTime", AwsDates.iso8601(lb.createdTime()))
                .element("LoadBalancerName", lb.name())
                .element("Scheme", lb.scheme())
                .element("VpcId", lb.vpcId())
                .start("State").element("Code", "active").end()
                .element("Type", "application");
        List<String> subnets = lb.subnets();
        xml.start("AvailabilityZones");
        for (int i = 0; i < subnets.size(); i++) {
            xml.start("member")
                    .element("ZoneName", lb.region() + (char) ('a' + i % 26))
                    .element("SubnetId", subnets.get(i))
                    .start("LoadBalancerAddresses").end()
                    .end();
        }
        xml.end();
        strings(xml, "SecurityGroups", lb.securityGroups());
        xml.element("IpAddressType", lb.ipAddressType());
    }

    private void targetGroup(Xml xml, TargetGroup group) {
        HealthCheck check = group.healthCheck();
        xml.element("TargetGroupArn", group.arn())
                .element("TargetGroupName", group.name())
                .element("Protocol", group.protocol())
                .element("Port", group.port())
                .element("VpcId", group.vpcId())
                .element("HealthCheckProtocol", check.protocol())
                .element("HealthCheckPort", check.port())
                .element("HealthCheckEnabled", check.enabled())
                .element("HealthCheckIntervalSeconds", check.intervalSeconds())
                .element("HealthCheckTimeoutSeconds", check.timeoutSeconds())
                .element("HealthyThresholdCount", check.healthyThreshold())
                .element("UnhealthyThresholdCount", check.unhealthyThreshold())
                .element("HealthCheckPath", check.path())
                .start("Matcher").element("HttpCode", check.matcher()).end();
        strings(xml, "LoadBalancerArns", store.loadBalancerArnsOf(group.arn()));
        xml.element("TargetType", group.targetType())
                .element("ProtocolVersion", group.protocolVersion())
                .element("IpAddressType", group.ipAddressType());
    }

    private void listener(Xml xml, Listener listener) {
        xml.element("ListenerArn", listener.arn())
                .element("LoadBalancerArn", listener.loadBalancerArn())
                .element("Port", listener.port())
                .element("Protocol", listener.protocol());
        if (!listener.certificates().isEmpty()) {
            list(xml, "Certificates", listener.certificates(), (x, c) -> x.element("CertificateArn", c));
        }
        xml.element("SslPolicy", listener.sslPolicy());
        list(xml, "DefaultActions", listener.defaultActions(), ElbService::action);
    }

    private void rule(Xml xml, Rule rule) {
        xml.element("RuleArn", rule.arn())
                .element("Priority", rule.isDefault() ? "default" : rule.priority().toString());
        list(xml, "Conditions", rule.conditions(), ElbService::condition);
        list(xml, "Actions", rule.actions(), ElbService::action);
        xml.element("IsDefault", rule.isDefault());
    }

    private static void action(Xml xml, Action action) {
        xml.element("Type", action.type()).element("Order", action.order());
        switch (action.type()) {
            case Action.FORWARD -> {
                if (action.singleTargetGroupArn()) {
                    xml.element("TargetGroupArn", action.targetGroups().get(0).targetGroupArn());
                }
                xml.start("ForwardConfig");
                list(xml, "TargetGroups", action.targetGroups(), (x, g) ->
                        x.element("TargetGroupArn", g.targetGroupArn()).element("Weight", g.weight()));
                Action.Stickiness stickiness = action.stickiness();
                xml.start("TargetGroupStickinessConfig")
                        .element("Enabled", stickiness != null && stickiness.enabled());
                if (stickiness != null && stickiness.enabled()) {
                    xml.element("DurationSeconds", stickiness.durationSeconds());
                }
                xml.end().end();
            }
            case Action.FIXED_RESPONSE -> {
                Action.FixedResponse response = action.fixedResponse();
                xml.start("FixedResponseConfig")
                        .element("MessageBody", response.messageBody())
                        .element("StatusCode", response.statusCode())
                        .element("ContentType", response.contentType())
                        .end();
            }
            case Action.REDIRECT -> {
                Action.Redirect redirect = action.redirect();
                xml.start("RedirectConfig")
                        .element("Protocol", or(redirect.protocol(), "#{protocol}"))
                        .element("Port", or(redirect.port(), "#{port}"))
                        .element("Host", or(redirect.host(), "#{host}"))
                        .element("Path", or(redirect.path(), "/#{path}"))
                        .element("Query", or(redirect.query(), "#{query}"))
                        .element("StatusCode", redirect.statusCode())
                        .end();
            }
            case Action.AUTHENTICATE_OIDC, Action.AUTHENTICATE_COGNITO -> {
                Action.Authenticate auth = action.authenticate();
                boolean oidc = action.type().equals(Action.AUTHENTICATE_OIDC);
                xml.start(oidc ? "AuthenticateOidcConfig" : "AuthenticateCognitoConfig");
                for (String m : oidc ? OIDC_MEMBERS : COGNITO_MEMBERS) {
                    if (!Action.Authenticate.SECRET_MEMBERS.contains(m)) {
                        xml.element(m, auth.get(m));
                    }
                }
                if (!auth.extraParams().isEmpty()) {
                    xml.start("AuthenticationRequestExtraParams");
                    auth.extraParams().forEach((k, v) -> xml.start("entry").element("key", k).element("value", v).end());
                    xml.end();
                }
                xml.end();
            }
            default -> { }
        }
    }

    private static void condition(Xml xml, Condition condition) {
        xml.element("Field", condition.field());
        Consumer<String> config = name -> {
            xml.start(name);
            strings(xml, "Values", condition.values());
            xml.end();
        };
        switch (condition.field()) {
            case Condition.HOST_HEADER -> {
                strings(xml, "Values", condition.values());
                config.accept("HostHeaderConfig");
            }
            case Condition.PATH_PATTERN -> {
                strings(xml, "Values", condition.values());
                config.accept("PathPatternConfig");
            }
            case Condition.HTTP_HEADER -> {
                xml.start("HttpHeaderConfig").element("HttpHeaderName", condition.httpHeaderName());
                strings(xml, "Values", condition.values());
                xml.end();
            }
            case Condition.HTTP_REQUEST_METHOD -> config.accept("HttpRequestMethodConfig");
            case Condition.SOURCE_IP -> config.accept("SourceIpConfig");
            case Condition.QUERY_STRING -> {
                xml.start("QueryStringConfig");
                list(xml, "Values", condition.queryPairs(),
                        (x, pair) -> x.element("Key", pair.key()).element("Value", pair.value()));
                xml.end();
            }
            default -> { }
        }
    }
}

package io.ecsbluegreen.sim.autoscaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbluegreen.sim.protocol.AwsErrorException;
import io.ecsbluegreen.sim.protocol.AwsJson10;
import io.ecsbluegreen.sim.protocol.CredentialScope;
import io.ecsbluegreen.sim.protocol.Protocol;
import io.ecsbluegreen.sim.protocol.ServiceHandler;
import io.ecsbluegreen.sim.protocol.SimRequest;
import io.ecsbluegreen.sim.protocol.SimResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Application Auto Scaling over JSON 1.1 ({@code X-Amz-Target: AnyScaleFrontendService.<Action>}), for ECS
 * services: scalable targets and scaling policies (see {@link AutoScalingStore}). Beyond the model check
 * it validates as the API reference documents: a dimension only with resource ids, {@code MaxResults} 1 to
 * 50 for targets and 1 to 10 for policies, a target-tracking policy with exactly one metric of the ECS
 * namespace, a policy's configuration matching its type.
 */
public final class AutoScalingService implements ServiceHandler {
    static final String TARGET = "AnyScaleFrontendService";
    static final String TARGET_PREFIX = TARGET + ".";
    static final Set<String> ACTIONS = Set.of("RegisterScalableTarget", "DescribeScalableTargets", "DeregisterScalableTarget",
            "PutScalingPolicy", "DescribeScalingPolicies", "DeleteScalingPolicy");
    static final int MAX_TARGETS = 50;
    static final int MAX_POLICIES = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AutoScalingStore store;

    public AutoScalingService(AutoScalingStore store) {
        this.store = store;
    }

    @Override
    public String signingName() {
        return "application-autoscaling";
    }

    @Override
    public Protocol protocol() {
        return Protocol.JSON_1_1;
    }

    @Override
    public Set<String> targetPrefixes() {
        return Set.of(TARGET_PREFIX);
    }

    @Override
    public String resolveAction(SimRequest request) {
        // the X-Amz-Target convention of AWS JSON 1.0 and 1.1 alike
        String action = AwsJson10.operation(request, TARGET).orElseThrow(
                () -> new AwsErrorException(400, "UnknownOperationException", "Missing or unknown X-Amz-Target"));
        if (!ACTIONS.contains(action)) {
            throw new AwsErrorException(400, "UnknownOperationException", "Operation " + action + " is not simulated");
        }
        return action;
    }

    @Override
    public SimResponse handle(String action, SimRequest request) {
        JsonNode in;
        try {
            in = request.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(request.body());
        } catch (IOException e) {
            throw new AwsErrorException(400, "SerializationException", "Malformed JSON");
        }
        String region = request.scope().map(CredentialScope::region).orElse("us-east-1");
        AutoScalingStore.requireEcs(in.path("ServiceNamespace").asText(), in.hasNonNull("ScalableDimension")
                ? in.get("ScalableDimension").asText() : null);
        ObjectNode out = switch (action) {
            case "RegisterScalableTarget" -> register(in, region);
            case "DescribeScalableTargets" -> describeTargets(in);
            case "DeregisterScalableTarget" -> {
                store.deregister(in.path("ResourceId").asText());
                yield JSON.createObjectNode();
            }
            case "PutScalingPolicy" -> putPolicy(in, region);
            case "DescribeScalingPolicies" -> describePolicies(in);
            case "DeleteScalingPolicy" -> {
                store.deletePolicy(in.path("ResourceId").asText(), in.path("PolicyName").asText());
                yield JSON.createObjectNode();
            }
            default -> throw new AwsErrorException(400, "UnknownOperationException", action);
        };
        return SimResponse.json(200, protocol().contentType(), out.toString());
    }

    private ObjectNode register(JsonNode in, String region) {
        Map<String, String> tags = new LinkedHashMap<>();
        in.path("Tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
        String arn = store.register(region, in.path("ResourceId").asText(),
                in.hasNonNull("MinCapacity") ? in.get("MinCapacity").asInt() : null,
                in.hasNonNull("MaxCapacity") ? in.get("MaxCapacity").asInt() : null,
                in.hasNonNull("RoleARN") ? in.get("RoleARN").asText() : null,
                in.hasNonNull("SuspendedState") ? in.get("SuspendedState") : null, tags);
        ObjectNode out = JSON.createObjectNode();
        out.put("ScalableTargetARN", arn);
        return out;
    }

    private ObjectNode describeTargets(JsonNode in) {
        List<String> ids = strings(in.path("ResourceIds"));
        if (in.hasNonNull("ScalableDimension") && ids.isEmpty()) {
            throw AutoScalingStore.validation("If you specify a scalable dimension, you must also specify a resource ID");
        }
        int max = maxResults(in, MAX_TARGETS);
        List<AutoScalingStore.Target> all = store.targets(ids);
        int from = token(in);
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("ScalableTargets");
        for (int i = from; i < Math.min(all.size(), from + max); i++) {
            AutoScalingStore.Target t = all.get(i);
            ObjectNode n = list.addObject();
            n.put("ServiceNamespace", AutoScalingStore.ECS);
            n.put("ResourceId", t.resourceId);
            n.put("ScalableDimension", AutoScalingStore.ECS_DIMENSION);
            n.put("MinCapacity", t.min);
            n.put("MaxCapacity", t.max);
            n.put("RoleARN", t.roleArn);
            n.put("CreationTime", t.createdAt.getEpochSecond());
            ObjectNode s = n.putObject("SuspendedState");
            s.put("DynamicScalingInSuspended", t.scaleInSuspended);
            s.put("DynamicScalingOutSuspended", t.scaleOutSuspended);
            s.put("ScheduledScalingSuspended", t.scheduledSuspended);
            n.put("ScalableTargetARN", t.arn);
        }
        if (from + max < all.size()) out.put("NextToken", encode(from + max));
        return out;
    }

    private ObjectNode putPolicy(JsonNode in, String region) {
        String type = in.path("PolicyType").asText("StepScaling");
        JsonNode tracking = in.get("TargetTrackingScalingPolicyConfiguration");
        JsonNode step = in.get("StepScalingPolicyConfiguration");
        JsonNode configuration;
        switch (type) {
            case "TargetTrackingScaling" -> {
                if (tracking == null || step != null) {
                    throw AutoScalingStore.validation("TargetTrackingScaling requires TargetTrackingScalingPolicyConfiguration and no other configuration");
                }
                boolean predefined = tracking.hasNonNull("PredefinedMetricSpecification");
                if (predefined == tracking.hasNonNull("CustomizedMetricSpecification")) {
                    throw AutoScalingStore.validation("Exactly one of PredefinedMetricSpecification and CustomizedMetricSpecification is required");
                }
                String metric = tracking.path("PredefinedMetricSpecification").path("PredefinedMetricType").asText("");
                if (predefined && !metric.startsWith("ECSService")) {
                    throw AutoScalingStore.validation("The predefined metric " + metric + " is not for service namespace ecs");
                }
                double target = tracking.path("TargetValue").asDouble();
                if (!(target > 0)) throw AutoScalingStore.validation("TargetValue must be greater than 0");
                configuration = tracking;
            }
            case "StepScaling" -> {
                if (step == null || tracking != null) {
                    throw AutoScalingStore.validation("StepScaling requires StepScalingPolicyConfiguration and no other configuration");
                }
                configuration = step;
            }
            default -> throw AutoScalingStore.validation("The simulator does not serve policy type " + type + " for ECS services");
        }
        AutoScalingStore.Policy p = store.putPolicy(region, in.path("ResourceId").asText(), in.path("PolicyName").asText(), type,
                configuration.deepCopy());
        ObjectNode out = JSON.createObjectNode();
        out.put("PolicyARN", p.arn());
        ArrayNode alarms = out.putArray("Alarms");
        for (String alarm : p.alarms()) alarms.addObject().put("AlarmName", alarm).put("AlarmARN", alarmArn(region, alarm));
        return out;
    }

    private ObjectNode describePolicies(JsonNode in) {
        String resourceId = in.hasNonNull("ResourceId") ? in.get("ResourceId").asText() : null;
        if (in.hasNonNull("ScalableDimension") && resourceId == null) {
            throw AutoScalingStore.validation("If you specify a scalable dimension, you must also specify a resource ID");
        }
        int max = maxResults(in, MAX_POLICIES);
        List<AutoScalingStore.Policy> all = store.policies(resourceId, strings(in.path("PolicyNames")));
        int from = token(in);
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("ScalingPolicies");
        for (int i = from; i < Math.min(all.size(), from + max); i++) {
            AutoScalingStore.Policy p = all.get(i);
            ObjectNode n = list.addObject();
            n.put("PolicyARN", p.arn());
            n.put("PolicyName", p.name());
            n.put("ServiceNamespace", AutoScalingStore.ECS);
            n.put("ResourceId", p.resourceId());
            n.put("ScalableDimension", AutoScalingStore.ECS_DIMENSION);
            n.put("PolicyType", p.type());
            n.set(p.type().equals("TargetTrackingScaling") ? "TargetTrackingScalingPolicyConfiguration" : "StepScalingPolicyConfiguration",
                    p.configuration().deepCopy());
            ArrayNode alarms = n.putArray("Alarms");
            String region = p.arn().split(":")[3];
            for (String alarm : p.alarms()) alarms.addObject().put("AlarmName", alarm).put("AlarmARN", alarmArn(region, alarm));
            n.put("CreationTime", p.createdAt().getEpochSecond());
        }
        if (from + max < all.size()) out.put("NextToken", encode(from + max));
        return out;
    }

    private String alarmArn(String region, String alarm) {
        return "arn:aws:cloudwatch:" + region + ":" + store.accountId() + ":alarm:" + alarm;
    }

    private static int maxResults(JsonNode in, int limit) {
        if (!in.hasNonNull("MaxResults")) return limit;
        int max = in.get("MaxResults").asInt();
        if (max < 1 || max > limit) {
            throw AutoScalingStore.validation("MaxResults must be between 1 and " + limit);
        }
        return max;
    }

    private static int token(JsonNode in) {
        if (!in.hasNonNull("NextToken")) return 0;
        try {
            String text = new String(Base64.getDecoder().decode(in.get("NextToken").asText()), StandardCharsets.UTF_8);
            if (!text.startsWith("offset:")) throw new IllegalArgumentException(text);
            return Integer.parseInt(text.substring("offset:".length()));
        } catch (IllegalArgumentException e) {
            throw new AwsErrorException(400, "InvalidNextTokenException", "The next token supplied is invalid");
        }
    }

    private static String encode(int offset) {
        return Base64.getEncoder().encodeToString(("offset:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}

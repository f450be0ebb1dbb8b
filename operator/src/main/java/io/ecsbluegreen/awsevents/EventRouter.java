package io.ecsbluegreen.awsevents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecsbluegreen.desired.DesiredService;
import io.ecsbluegreen.desired.DesiredState;
import io.ecsbluegreen.model.BlueGreenServiceSpec;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides what one EventBridge event (the body of an SQS message) concerns: the declared services to look
 * at again, the desired-state sources to read again, or nothing. Pure: the same event and desired state
 * always give the same answer; it reads nothing from AWS.
 *
 * <ul>
 *   <li>{@code aws.ecs} {@code ECS Task State Change}: the service of {@code detail.group}
 *       ({@code service:NAME}) in the cluster of {@code detail.clusterArn};
 *   <li>{@code aws.ecs} {@code ECS Service Action} and {@code ECS Deployment State Change}: the services
 *       their {@code resources} name ({@code arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/NAME});
 *   <li>{@code aws.cloudwatch} {@code CloudWatch Alarm State Change}: every service whose
 *       {@code rollback.alarms} names {@code detail.alarmName};
 *   <li>{@code aws.s3} {@code Object Created} and {@code Object Deleted}: the S3 sources
 *       ({@code s3://BUCKET/PREFIX}) whose bucket and prefix hold {@code detail.object.key}.
 * </ul>
 */
public final class EventRouter {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The sources the operator subscribes to: what deploy/'s EventBridge rule matches. */
    public static final List<String> SOURCES = List.of("aws.ecs", "aws.cloudwatch", "aws.s3");

    /**
     * The detail types the operator subscribes to and routes: what deploy/'s EventBridge rule matches. ECS
     * sends no {@code ECS Deployment State Change} for task sets of the EXTERNAL controller as far as AWS
     * documents (docs/events.md); it is subscribed to all the same, so that one sent is not lost.
     */
    public static final List<String> DETAIL_TYPES = List.of("ECS Task State Change", "ECS Service Action", "ECS Deployment State Change",
            "CloudWatch Alarm State Change", "Object Created", "Object Deleted");

    /** What an event comes to. */
    public sealed interface Outcome {
        /** Services and sources to wake; either may be empty when the event concerns nothing declared. */
        record Wake(Set<String> services, Set<String> sources) implements Outcome {
            public Wake {
                services = Set.copyOf(services);
                sources = Set.copyOf(sources);
            }

            public boolean empty() {
                return services.isEmpty() && sources.isEmpty();
            }
        }

        /** An event of a source or type the operator does not subscribe to. */
        record Unknown(String source, String detailType) implements Outcome {}

        /** Not an EventBridge event, or one that lacks the fields its type must have. */
        record Malformed(String why) implements Outcome {}
    }

    /** Which counter an outcome goes to: {@code woke}, {@code unmatched}, {@code unknown} or {@code malformed}. */
    public static String label(Outcome outcome) {
        // Java 17: no pattern matching in switch yet.
        if (outcome instanceof Outcome.Wake w) return w.empty() ? "unmatched" : "woke";
        return outcome instanceof Outcome.Unknown ? "unknown" : "malformed";
    }

    /**
     * @param body the SQS message body: an EventBridge event as JSON
     * @param desired the declared services now
     * @param sourceIds the configured sources' ids
     * @param defaultRegion the region of services whose spec names none
     */
    public Outcome route(String body, DesiredState desired, List<String> sourceIds, String defaultRegion) {
        JsonNode event;
        try {
            event = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return new Outcome.Malformed("not JSON");
        }
        if (event == null || !event.isObject()) return new Outcome.Malformed("not a JSON object");
        String source = text(event, "source");
        String detailType = text(event, "detail-type");
        JsonNode detail = event.get("detail");
        if (source == null || detailType == null || detail == null || !detail.isObject()) {
            return new Outcome.Malformed("no source, detail-type or detail");
        }
        String region = text(event, "region");
        return switch (source + "/" + detailType) {
            case "aws.ecs/ECS Task State Change" -> task(detail, desired, defaultRegion);
            case "aws.ecs/ECS Service Action", "aws.ecs/ECS Deployment State Change" -> serviceEvent(event, desired, defaultRegion);
            case "aws.cloudwatch/CloudWatch Alarm State Change" -> alarm(detail, region, desired, defaultRegion);
            case "aws.s3/Object Created", "aws.s3/Object Deleted" -> object(detail, sourceIds);
            default -> new Outcome.Unknown(source, detailType);
        };
    }

    private static Outcome task(JsonNode detail, DesiredState desired, String defaultRegion) {
        String clusterArn = text(detail, "clusterArn");
        String group = text(detail, "group");
        if (clusterArn == null || group == null) return new Outcome.Malformed("ECS Task State Change without clusterArn or group");
        if (!group.startsWith("service:")) return wake(Set.of()); // a one-off task (RunTask): no service to look at
        Arn cluster = Arn.parse(clusterArn);
        if (cluster == null) return new Outcome.Malformed("clusterArn is no ARN: " + clusterArn);
        return wake(services(desired, defaultRegion, cluster.region(), cluster.name(), group.substring("service:".length())));
    }

    private static Outcome serviceEvent(JsonNode event, DesiredState desired, String defaultRegion) {
        JsonNode resources = event.get("resources");
        if (resources == null || !resources.isArray() || resources.isEmpty()) return new Outcome.Malformed("ECS service event without resources");
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode r : resources) {
            // arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/NAME (the long ARN format the operator requires)
            Arn arn = Arn.parse(r.asText());
            if (arn == null || !arn.resource().startsWith("service/")) return new Outcome.Malformed("not a service ARN: " + r.asText());
            String[] parts = arn.resource().split("/");
            if (parts.length != 3) return new Outcome.Malformed("not a long service ARN: " + r.asText());
            out.addAll(services(desired, defaultRegion, arn.region(), parts[1], parts[2]));
        }
        return wake(out);
    }

    private static Outcome alarm(JsonNode detail, String region, DesiredState desired, String defaultRegion) {
        String name = text(detail, "alarmName");
        if (name == null) return new Outcome.Malformed("CloudWatch Alarm State Change without alarmName");
        Set<String> out = new LinkedHashSet<>();
        for (DesiredService d : desired.services().values()) {
            BlueGreenServiceSpec spec = d.spec() == null ? null : d.spec().spec();
            if (spec == null || spec.rollback() == null || spec.rollback().alarms() == null) continue;
            if (region != null && !region.equals(regionOf(spec, defaultRegion))) continue;
            if (spec.rollback().alarms().contains(name)) out.add(d.name());
        }
        return wake(out);
    }

    private static Outcome object(JsonNode detail, List<String> sourceIds) {
        String bucket = text(detail.path("bucket"), "name");
        String key = text(detail.path("object"), "key");
        if (bucket == null || key == null) return new Outcome.Malformed("S3 event without bucket.name or object.key");
        Set<String> out = new LinkedHashSet<>();
        String prefix = "s3://" + bucket + "/";
        for (String id : sourceIds) {
            if (id.startsWith(prefix) && key.startsWith(id.substring(prefix.length()))) out.add(id);
        }
        return new Outcome.Wake(Set.of(), out);
    }

    private static Set<String> services(DesiredState desired, String defaultRegion, String region, String cluster, String service) {
        Set<String> out = new LinkedHashSet<>();
        for (DesiredService d : desired.services().values()) {
            BlueGreenServiceSpec spec = d.spec() == null ? null : d.spec().spec();
            if (spec == null || !service.equals(spec.service())) continue;
            if (!region.equals(regionOf(spec, defaultRegion))) continue;
            String declared = spec.cluster();
            Arn declaredArn = Arn.parse(declared);
            String declaredName = declaredArn != null ? declaredArn.resource().replaceFirst("^cluster/", "") : declared;
            if (cluster.equals(declaredName)) out.add(d.name());
        }
        return out;
    }

    private static String regionOf(BlueGreenServiceSpec spec, String defaultRegion) {
        return spec.region() != null ? spec.region() : defaultRegion;
    }

    private static Outcome wake(Set<String> services) {
        return new Outcome.Wake(services, Set.of());
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isTextual() && !v.asText().isEmpty() ? v.asText() : null;
    }

    /** The parts of an ARN this router reads. */
    private record Arn(String region, String resource) {
        static Arn parse(String text) {
            if (text == null || !text.startsWith("arn:")) return null;
            String[] parts = text.split(":", 6);
            if (parts.length != 6 || parts[3].isEmpty()) return null;
            return new Arn(parts[3], parts[5]);
        }

        /** The cluster name of {@code cluster/NAME}. */
        String name() {
            return resource.replaceFirst("^cluster/", "");
        }
    }
}

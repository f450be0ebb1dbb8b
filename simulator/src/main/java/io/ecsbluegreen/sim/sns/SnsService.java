package io.ecsbluegreen.sim.sns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecsbluegreen.sim.protocol.AwsErrorException;
import io.ecsbluegreen.sim.protocol.Protocol;
import io.ecsbluegreen.sim.protocol.QueryActions;
import io.ecsbluegreen.sim.protocol.QueryXml;
import io.ecsbluegreen.sim.protocol.ServiceHandler;
import io.ecsbluegreen.sim.protocol.SimRequest;
import io.ecsbluegreen.sim.protocol.SimResponse;
import io.ecsbluegreen.sim.protocol.Struct;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Amazon SNS over the Query protocol (form-encoded {@code Action=...&Version=2010-03-31}, XML answers):
 * CreateTopic, ListTopics, GetTopicAttributes, DeleteTopic and Publish to topics. Published messages are
 * kept for tests ({@link SnsStore#published}); there are no subscriptions and nothing is delivered onwards.
 */
public final class SnsService implements ServiceHandler {

    static final String NAMESPACE = "http://sns.amazonaws.com/doc/2010-03-31/";
    private static final String VERSION = "2010-03-31";
    private static final Set<String> ACTIONS = Set.of("CreateTopic", "ListTopics", "GetTopicAttributes", "DeleteTopic", "Publish");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,256}");
    private static final Pattern FIFO_NAME = Pattern.compile("[A-Za-z0-9_-]{1,251}\\.fifo");
    private static final Pattern TOPIC_ARN = Pattern.compile("arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_.-]{1,256}");
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,256}");
    private static final Pattern DATA_TYPE = Pattern.compile("(String|String\\.Array|Number|Binary)(\\..+)?");
    private static final int PAGE = 100;
    /** Message, subject-less: 256 KiB for the body and its attributes together. */
    static final int MAX_MESSAGE_BYTES = 262_144;
    static final int MAX_SUBJECT = 99;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SnsStore store;

    public SnsService(SnsStore store) {
        this.store = store;
    }

    @Override
    public String signingName() {
        return "sns";
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

    /** SNS's internal failure is {@code InternalError} (the SDK's InternalErrorException). */
    @Override
    public AwsErrorException serverError(int status) {
        return status == 500 ? new AwsErrorException(500, "InternalError", "Internal Error") : protocol().serverError(status);
    }

    @Override
    public String resolveAction(SimRequest request) {
        return QueryActions.resolve(request, ACTIONS, VERSION);
    }

    @Override
    public SimResponse handle(String action, SimRequest request) {
        String region = request.scope().map(s -> s.region()).orElse(SnsStore.DEFAULT_REGION);
        Struct output = switch (action) {
            case "CreateTopic" -> createTopic(request, region);
            case "ListTopics" -> listTopics(request, region);
            case "GetTopicAttributes" -> getTopicAttributes(request);
            case "DeleteTopic" -> deleteTopic(request);
            case "Publish" -> publish(request);
            default -> throw new IllegalStateException("unresolved action " + action);
        };
        return QueryXml.response(action, NAMESPACE, output, request.requestId());
    }

    private Struct createTopic(SimRequest request, String region) {
        String name = required(request, "Name", "name");
        Map<String, String> attributes = entries(request, "Attributes", "key", "value");
        Map<String, String> tags = members(request, "Tags", "Key", "Value");
        boolean fifo = "true".equalsIgnoreCase(attributes.get("FifoTopic"));
        if (fifo ? !FIFO_NAME.matcher(name).matches() : !NAME.matcher(name).matches()) {
            throw invalid(fifo ? "Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase "
                    + "ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long."
                    : "Topic Name");
        }
        String value = attributes.get("FifoTopic");
        if (value != null && !value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw invalid("Attributes Reason: FifoTopic must be true or false");
        }
        Topic existing = store.topic(store.arn(region, name)).orElse(null);
        if (existing != null) {
            for (Map.Entry<String, String> a : attributes.entrySet()) {
                if (!a.getValue().equals(existing.attributes().get(a.getKey()))) {
                    throw invalid("Attributes Reason: Topic already exists with different attributes");
                }
            }
            return Struct.of().put("TopicArn", existing.arn());
        }
        return Struct.of().put("TopicArn", store.createTopic(region, name, attributes, tags).arn());
    }

    private Struct listTopics(SimRequest request, String region) {
        String after = request.param("NextToken");
        List<Struct> page = new ArrayList<>();
        String next = null;
        for (Topic t : store.topics()) {
            if (!t.region().equals(region)) continue;
            if (after != null && t.arn().compareTo(after) <= 0) continue;
            if (page.size() == PAGE) {
                next = ((String) page.get(PAGE - 1).members().get("TopicArn"));
                break;
            }
            page.add(Struct.of().put("TopicArn", t.arn()));
        }
        return Struct.of().put("Topics", page).put("NextToken", next);
    }

    private Struct getTopicAttributes(SimRequest request) {
        Topic topic = existing(topicArn(request, "TopicArn"));
        Map<String, String> attributes = new TreeMap<>();
        attributes.put("TopicArn", topic.arn());
        attributes.put("Owner", store.accountId());
        attributes.put("DisplayName", "");
        attributes.put("SubscriptionsConfirmed", "0");
        attributes.put("SubscriptionsPending", "0");
        attributes.put("SubscriptionsDeleted", "0");
        attributes.put("Policy", defaultPolicy(topic));
        attributes.put("EffectiveDeliveryPolicy", "{\"http\":{\"defaultHealthyRetryPolicy\":{\"minDelayTarget\":20,"
                + "\"maxDelayTarget\":20,\"numRetries\":3,\"numMaxDelayRetries\":0,\"numNoDelayRetries\":0,"
                + "\"numMinDelayRetries\":0,\"backoffFunction\":\"linear\"},\"disableSubscriptionOverrides\":false}}");
        attributes.putAll(topic.attributes());
        return Struct.of().put("Attributes", new LinkedHashMap<String, Object>(attributes));
    }

    private Struct deleteTopic(SimRequest request) {
        // deleting a topic that does not exist is no error, as in SNS
        store.deleteTopic(topicArn(request, "TopicArn"));
        return null;
    }

    private Struct publish(SimRequest request) {
        String arn = request.param("TopicArn") != null ? topicArn(request, "TopicArn")
                : request.param("TargetArn") != null ? topicArn(request, "TargetArn") : null;
        if (arn == null) {
            if (request.param("PhoneNumber") != null) {
                throw invalid("PhoneNumber Reason: the simulator publishes to topics only");
            }
            throw invalid("TopicArn or TargetArn Reason: no value for required parameter");
        }
        String message = request.param("Message");
        if (message == null) {
            throw new AwsErrorException(400, "ValidationError",
                    "1 validation error detected: Value null at 'message' failed to satisfy constraint: Member must not be null");
        }
        if (message.isEmpty()) throw invalid("Empty message");
        String subject = request.param("Subject");
        if (subject != null && (subject.isBlank() || subject.length() > MAX_SUBJECT || subject.chars().anyMatch(Character::isISOControl))) {
            throw invalid("Subject");
        }
        String structure = request.param("MessageStructure");
        if (structure != null) checkStructure(structure, message);
        Map<String, PublishedMessage.Attribute> attributes = messageAttributes(request);
        long size = message.getBytes(StandardCharsets.UTF_8).length;
        for (Map.Entry<String, PublishedMessage.Attribute> a : attributes.entrySet()) size += a.getValue().size(a.getKey());
        if (size > MAX_MESSAGE_BYTES) throw invalid("Message too long");
        Topic topic = existing(arn);
        String groupId = request.param("MessageGroupId");
        String dedupId = request.param("MessageDeduplicationId");
        if (topic.fifo()) {
            if (groupId == null || groupId.isEmpty()) throw invalid("The MessageGroupId parameter is required for FIFO topics");
            if (dedupId == null) {
                if (!topic.contentBasedDeduplication()) {
                    throw invalid("The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly");
                }
                dedupId = sha256(message);
            }
        }
        PublishedMessage published = store.publish(topic, message, subject, structure, attributes,
                topic.fifo() ? groupId : null, topic.fifo() ? dedupId : null);
        return Struct.of().put("MessageId", published.messageId()).put("SequenceNumber", published.sequenceNumber());
    }

    private static void checkStructure(String structure, String message) {
        if (!structure.equals("json")) throw invalid("MessageStructure");
        JsonNode body;
        try {
            body = JSON.readTree(message);
        } catch (IOException e) {
            throw invalid("Message Structure - JSON message body failed to parse");
        }
        if (body == null || !body.isObject()) throw invalid("Message Structure - JSON message body failed to parse");
        if (!body.has("default")) throw invalid("Message Structure - No default entry in JSON message body");
    }

    private static Map<String, PublishedMessage.Attribute> messageAttributes(SimRequest request) {
        Map<String, PublishedMessage.Attribute> out = new LinkedHashMap<>();
        for (Map<String, String> entry : indexed(request, "MessageAttributes.entry.").values()) {
            String name = entry.get("Name");
            if (name == null || name.isEmpty()) throw invalid("MessageAttributes Reason: an attribute has no name");
            if (!ATTRIBUTE_NAME.matcher(name).matches()) {
                throw valueInvalid("The message attribute name '" + name + "' is invalid.");
            }
            String type = entry.get("Value.DataType");
            if (type == null || type.isEmpty()) {
                throw valueInvalid("The message attribute '" + name + "' must contain non-empty message attribute type.");
            }
            if (!DATA_TYPE.matcher(type).matches()) {
                throw valueInvalid("The message attribute '" + name + "' has an invalid message attribute type, "
                        + "the set of supported type prefixes is Binary, Number, and String.");
            }
            String string = entry.get("Value.StringValue");
            byte[] binary = null;
            if (type.startsWith("Binary")) {
                String encoded = entry.get("Value.BinaryValue");
                if (encoded == null || encoded.isEmpty()) {
                    throw valueInvalid("The message attribute '" + name
                            + "' must contain non-empty message attribute value for message attribute type '" + type + "'.");
                }
                try {
                    binary = Base64.getDecoder().decode(encoded);
                } catch (IllegalArgumentException e) {
                    throw valueInvalid("The message attribute '" + name + "' has an invalid Binary value.");
                }
                string = null;
            } else {
                if (string == null || string.isEmpty()) {
                    throw valueInvalid("The message attribute '" + name
                            + "' must contain non-empty message attribute value for message attribute type '" + type + "'.");
                }
                if (type.startsWith("Number")) {
                    try {
                        new java.math.BigDecimal(string.trim());
                    } catch (NumberFormatException e) {
                        throw valueInvalid("The message attribute '" + name + "' has an invalid Number value: " + string);
                    }
                }
            }
            out.put(name, new PublishedMessage.Attribute(type, string, binary));
        }
        return out;
    }

    private Topic existing(String arn) {
        return store.topic(arn).orElseThrow(() -> new AwsErrorException(404, "NotFound", "Topic does not exist"));
    }

    private static String topicArn(SimRequest request, String parameter) {
        String arn = request.param(parameter);
        if (arn == null) {
            throw new AwsErrorException(400, "ValidationError", "1 validation error detected: Value null at '"
                    + Character.toLowerCase(parameter.charAt(0)) + parameter.substring(1) + "' failed to satisfy constraint: Member must not be null");
        }
        if (!TOPIC_ARN.matcher(arn).matches()) throw invalid(parameter);
        return arn;
    }

    private static String required(SimRequest request, String parameter, String member) {
        String value = request.param(parameter);
        if (value == null) {
            throw new AwsErrorException(400, "ValidationError", "1 validation error detected: Value null at '" + member
                    + "' failed to satisfy constraint: Member must not be null");
        }
        return value;
    }

    /** {@code Prefix.entry.N.KEY=..&Prefix.entry.N.VALUE=..} (Query maps) as a map. */
    private static Map<String, String> entries(SimRequest request, String prefix, String key, String value) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map<String, String> e : indexed(request, prefix + ".entry.").values()) {
            if (e.get(key) != null) out.put(e.get(key), e.getOrDefault(value, ""));
        }
        return out;
    }

    /** {@code Prefix.member.N.KEY=..&Prefix.member.N.VALUE=..} (Query lists of pairs, such as tags) as a map. */
    private static Map<String, String> members(SimRequest request, String prefix, String key, String value) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map<String, String> e : indexed(request, prefix + ".member.").values()) {
            if (e.get(key) != null) out.put(e.get(key), e.getOrDefault(value, ""));
        }
        return out;
    }

    /** The parameters {@code PREFIX N . REST}, grouped by N in order, each as REST to value. */
    private static TreeMap<Integer, Map<String, String>> indexed(SimRequest request, String prefix) {
        Pattern p = Pattern.compile(Pattern.quote(prefix) + "(\\d+)\\.(.+)");
        TreeMap<Integer, Map<String, String>> out = new TreeMap<>();
        request.params().forEach((name, values) -> {
            if (!name.startsWith(prefix)) return;
            Matcher m = p.matcher(name);
            if (m.matches()) {
                out.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new LinkedHashMap<>()).put(m.group(2), values.get(0));
            }
        });
        return out;
    }

    private String defaultPolicy(Topic topic) {
        return "{\"Version\":\"2008-10-17\",\"Id\":\"__default_policy_ID\",\"Statement\":[{\"Sid\":\"__default_statement_ID\","
                + "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":[\"SNS:Publish\",\"SNS:GetTopicAttributes\","
                + "\"SNS:SetTopicAttributes\",\"SNS:DeleteTopic\",\"SNS:Subscribe\"],\"Resource\":\"" + topic.arn() + "\","
                + "\"Condition\":{\"StringEquals\":{\"AWS:SourceOwner\":\"" + store.accountId() + "\"}}}]}";
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code InvalidParameter}: "Invalid parameter: WHAT". */
    private static AwsErrorException invalid(String what) {
        return new AwsErrorException(400, "InvalidParameter", "Invalid parameter: " + what);
    }

    /** {@code ParameterValueInvalid} (the SDK's InvalidParameterValueException): bad message attributes. */
    private static AwsErrorException valueInvalid(String message) {
        return new AwsErrorException(400, "ParameterValueInvalid", message);
    }
}

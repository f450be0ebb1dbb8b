package io.ecsbluegreen.sim.sqs;

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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Amazon SQS over AWS JSON 1.0 ({@code X-Amz-Target: AmazonSQS.<Action>}), as SDK v2 clients speak it
 * since 2.21 (botocore model {@code sqs 2012-11-05}, protocol {@code json}, {@code awsQueryCompatible}).
 * Errors carry the model's shape in {@code __type} and the Query code in {@code x-amzn-query-error}, where
 * the SDKs take the error code from.
 */
public final class SqsService implements ServiceHandler {

    static final String TARGET_PREFIX = "AmazonSQS.";
    static final Set<String> ACTIONS = Set.of("CreateQueue", "GetQueueUrl", "GetQueueAttributes", "SetQueueAttributes",
            "SendMessage", "SendMessageBatch", "ReceiveMessage", "DeleteMessage", "DeleteMessageBatch", "ChangeMessageVisibility");
    /** Query error codes → the model's error shapes, where they differ. */
    private static final Map<String, String> ERROR_SHAPES = Map.ofEntries(
            Map.entry("AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"),
            Map.entry("QueueAlreadyExists", "QueueNameExists"),
            Map.entry("AWS.SimpleQueueService.MessageNotInflight", "MessageNotInflight"),
            Map.entry("AWS.SimpleQueueService.EmptyBatchRequest", "EmptyBatchRequest"),
            Map.entry("AWS.SimpleQueueService.TooManyEntriesInBatchRequest", "TooManyEntriesInBatchRequest"),
            Map.entry("AWS.SimpleQueueService.InvalidBatchEntryId", "InvalidBatchEntryId"),
            Map.entry("AWS.SimpleQueueService.BatchEntryIdsNotDistinct", "BatchEntryIdsNotDistinct"),
            Map.entry("AWS.SimpleQueueService.BatchRequestTooLong", "BatchRequestTooLong"),
            Map.entry("AWS.SimpleQueueService.UnsupportedOperation", "UnsupportedOperation"));
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SqsStore store;

    public SqsService(SqsStore store) {
        this.store = store;
    }

    @Override
    public String signingName() {
        return "sqs";
    }

    /**
     * JSON 1.0 shares JSON 1.1's request-id header; errors and answers are written here in JSON 1.0
     * ({@link #renderError}), so the enum's JSON 1.1 content type is never used for SQS.
     */
    @Override
    public Protocol protocol() {
        return Protocol.JSON_1_1;
    }

    @Override
    public Set<String> targetPrefixes() {
        return Set.of(TARGET_PREFIX);
    }

    @Override
    public AwsErrorException throttlingError() {
        return new AwsErrorException(400, "RequestThrottled", "Request is throttled.");
    }

    @Override
    public SimResponse renderError(AwsErrorException error, SimRequest request) {
        return AwsJson10.error(error, "com.amazonaws.sqs#" + ERROR_SHAPES.getOrDefault(error.code(), error.code()), true);
    }

    @Override
    public String resolveAction(SimRequest request) {
        return AwsJson10.operation(request, "AmazonSQS").filter(ACTIONS::contains).orElseThrow(() -> new AwsErrorException(400,
                "AWS.SimpleQueueService.UnsupportedOperation", "X-Amz-Target names no operation the simulator serves: "
                + request.header("X-Amz-Target")));
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
        ObjectNode out = switch (action) {
            case "CreateQueue" -> JSON.createObjectNode().put("QueueUrl",
                    store.createQueue(region, in.path("QueueName").asText(null), strings(in.path("Attributes"))));
            case "GetQueueUrl" -> getQueueUrl(in, region);
            case "GetQueueAttributes" -> getQueueAttributes(in);
            case "SetQueueAttributes" -> {
                store.setAttributes(url(in), strings(in.path("Attributes")));
                yield JSON.createObjectNode();
            }
            case "SendMessage" -> sendMessage(in);
            case "SendMessageBatch" -> sendMessageBatch(in);
            case "ReceiveMessage" -> receiveMessage(in);
            case "DeleteMessage" -> {
                store.delete(url(in), in.path("ReceiptHandle").asText(null));
                yield JSON.createObjectNode();
            }
            case "DeleteMessageBatch" -> deleteMessageBatch(in);
            case "ChangeMessageVisibility" -> {
                store.changeVisibility(url(in), in.path("ReceiptHandle").asText(null), in.path("VisibilityTimeout").asInt());
                yield JSON.createObjectNode();
            }
            default -> throw new AwsErrorException(400, "UnknownOperationException", action);
        };
        return SimResponse.json(200, AwsJson10.CONTENT_TYPE, out.toString());
    }

    private ObjectNode getQueueUrl(JsonNode in, String region) {
        String owner = in.path("QueueOwnerAWSAccountId").asText(null);
        if (owner != null && !owner.equals(store.accountId())) throw SqsStore.noQueue();
        return JSON.createObjectNode().put("QueueUrl", store.queueUrl(region, in.path("QueueName").asText("")));
    }

    private ObjectNode getQueueAttributes(JsonNode in) {
        Map<String, String> all = store.attributes(url(in));
        Set<String> wanted = new LinkedHashSet<>();
        in.path("AttributeNames").forEach(n -> wanted.add(n.asText()));
        ObjectNode out = JSON.createObjectNode();
        if (wanted.isEmpty()) return out;
        ObjectNode attrs = out.putObject("Attributes");
        for (String name : wanted) {
            if (name.equals("All")) {
                all.forEach(attrs::put);
            } else if (all.containsKey(name)) {
                attrs.put(name, all.get(name));
            } else if (!Set.of("Policy", "RedrivePolicy", "RedriveAllowPolicy", "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds",
                    "SqsManagedSseEnabled", "FifoQueue", "ContentBasedDeduplication", "DeduplicationScope",
                    "FifoThroughputLimit").contains(name)) {
                throw new AwsErrorException(400, "InvalidAttributeName", "Unknown Attribute " + name + ".");
            }
        }
        return out;
    }

    private ObjectNode sendMessage(JsonNode in) {
        SqsStore.Sent sent = store.send(url(in), in.path("MessageBody").asText(null), delay(in));
        return JSON.createObjectNode().put("MessageId", sent.messageId()).put("MD5OfMessageBody", sent.md5OfBody());
    }

    private ObjectNode sendMessageBatch(JsonNode in) {
        String url = url(in);
        List<String> ids = new ArrayList<>();
        long total = 0;
        for (JsonNode e : in.path("Entries")) {
            ids.add(e.path("Id").asText(null));
            total += e.path("MessageBody").asText("").getBytes(StandardCharsets.UTF_8).length;
        }
        SqsValidation.batch(ids);
        store.attributes(url);
        if (total > SqsStore.MAX_MESSAGE_BYTES) {
            throw new AwsErrorException(400, "AWS.SimpleQueueService.BatchRequestTooLong",
                    "Batch requests cannot be longer than " + SqsStore.MAX_MESSAGE_BYTES + " bytes. You have sent " + total + " bytes.");
        }
        ObjectNode out = JSON.createObjectNode();
        ArrayNode ok = out.putArray("Successful");
        ArrayNode failed = out.putArray("Failed");
        for (JsonNode e : in.path("Entries")) {
            String id = e.path("Id").asText();
            try {
                SqsStore.Sent sent = store.send(url, e.path("MessageBody").asText(null), delay(e));
                ok.addObject().put("Id", id).put("MessageId", sent.messageId()).put("MD5OfMessageBody", sent.md5OfBody());
            } catch (AwsErrorException x) {
                failed(failed, id, x);
            }
        }
        return out;
    }

    private ObjectNode receiveMessage(JsonNode in) {
        String url = url(in);
        int max = in.has("MaxNumberOfMessages") ? in.get("MaxNumberOfMessages").asInt() : 1;
        SqsValidation.maxMessages(max);
        Integer wait = in.has("WaitTimeSeconds") ? in.get("WaitTimeSeconds").asInt() : null;
        if (wait != null) SqsValidation.waitTime(wait);
        Integer visibility = in.has("VisibilityTimeout") ? in.get("VisibilityTimeout").asInt() : null;
        if (visibility != null) SqsValidation.visibilityTimeout(visibility);
        Set<String> attributes = new LinkedHashSet<>();
        in.path("AttributeNames").forEach(n -> attributes.add(n.asText()));
        in.path("MessageSystemAttributeNames").forEach(n -> attributes.add(n.asText()));
        boolean all = attributes.contains("All");
        ObjectNode out = JSON.createObjectNode();
        List<SqsStore.Received> got = store.receive(url, max, visibility, wait);
        if (got.isEmpty()) return out;
        ArrayNode messages = out.putArray("Messages");
        for (SqsStore.Received r : got) {
            ObjectNode m = messages.addObject().put("MessageId", r.messageId()).put("ReceiptHandle", r.receiptHandle())
                    .put("MD5OfBody", r.md5OfBody()).put("Body", r.body());
            Map<String, String> system = new LinkedHashMap<>();
            system.put("SentTimestamp", String.valueOf(r.sentAt().toEpochMilli()));
            system.put("ApproximateReceiveCount", String.valueOf(r.receiveCount()));
            system.put("ApproximateFirstReceiveTimestamp", String.valueOf(r.firstReceivedAt().toEpochMilli()));
            ObjectNode attrs = JSON.createObjectNode();
            system.forEach((k, v) -> {
                if (all || attributes.contains(k)) attrs.put(k, v);
            });
            if (!attrs.isEmpty()) m.set("Attributes", attrs);
        }
        return out;
    }

    private ObjectNode deleteMessageBatch(JsonNode in) {
        String url = url(in);
        List<String> ids = new ArrayList<>();
        in.path("Entries").forEach(e -> ids.add(e.path("Id").asText(null)));
        SqsValidation.batch(ids);
        store.attributes(url);
        ObjectNode out = JSON.createObjectNode();
        ArrayNode ok = out.putArray("Successful");
        ArrayNode failed = out.putArray("Failed");
        for (JsonNode e : in.path("Entries")) {
            String id = e.path("Id").asText();
            try {
                store.delete(url, e.path("ReceiptHandle").asText(null));
                ok.addObject().put("Id", id);
            } catch (AwsErrorException x) {
                failed(failed, id, x);
            }
        }
        return out;
    }

    /** A batch entry's failure: the others of the batch go on. */
    private static void failed(ArrayNode failed, String id, AwsErrorException x) {
        failed.addObject().put("Id", id).put("SenderFault", x.senderFault()).put("Code", x.code()).put("Message", x.errorMessage());
    }

    private static String url(JsonNode in) {
        return in.path("QueueUrl").asText(null);
    }

    private static Integer delay(JsonNode in) {
        if (!in.has("DelaySeconds")) return null;
        int d = in.get("DelaySeconds").asInt();
        if (d < 0 || d > 900) throw SqsValidation.invalidParameter("Value " + d + " for parameter DelaySeconds is invalid. Reason: must be between 0 and 900.");
        return d;
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}

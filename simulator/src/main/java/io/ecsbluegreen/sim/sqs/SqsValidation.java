package io.ecsbluegreen.sim.sqs;

import io.ecsbluegreen.sim.protocol.AwsErrorException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * SQS's documented limits that the service model does not carry (queue names, attribute ranges, message
 * characters, batch entries). Where the documentation is silent the strictest reading holds:
 * docs/simulator.md lists those.
 */
final class SqsValidation {

    private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    private static final Pattern BATCH_ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    /** Attribute name → inclusive range; {@code Policy} and SSE take any value. */
    private static final Map<String, long[]> RANGES = Map.of(
            "DelaySeconds", new long[] {0, 900},
            "MaximumMessageSize", new long[] {1024, SqsStore.MAX_MESSAGE_BYTES},
            "MessageRetentionPeriod", new long[] {60, 1_209_600},
            "ReceiveMessageWaitTimeSeconds", new long[] {0, SqsStore.MAX_WAIT_SECONDS},
            "VisibilityTimeout", new long[] {0, SqsStore.MAX_VISIBILITY_TIMEOUT_SECONDS});
    private static final Set<String> FREE = Set.of("Policy", "SqsManagedSseEnabled");

    private SqsValidation() {}

    static void queueName(String name) {
        if (name == null || !QUEUE_NAME.matcher(name).matches()) {
            // FIFO queues (".fifo") are not simulated; AWS refuses such a name without FifoQueue=true.
            throw invalidParameter("Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
        }
    }

    static Map<String, String> attributes(Map<String, String> attributes) {
        Map<String, String> out = new LinkedHashMap<>();
        attributes.forEach((name, value) -> {
            long[] range = RANGES.get(name);
            if (range == null && !FREE.contains(name)) {
                throw new AwsErrorException(400, "InvalidAttributeName", "Unknown Attribute " + name + ".");
            }
            if (range != null) {
                long n;
                try {
                    n = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    n = Long.MIN_VALUE;
                }
                if (n < range[0] || n > range[1]) {
                    throw new AwsErrorException(400, "InvalidAttributeValue",
                            "Invalid value for the parameter " + name + ". Reason: must be between " + range[0] + " and " + range[1] + ".");
                }
            }
            out.put(name, value);
        });
        return out;
    }

    static void body(String body) {
        if (body == null || body.isEmpty()) {
            throw new AwsErrorException(400, "MissingParameter", "The request must contain the parameter MessageBody.");
        }
        if (body.getBytes(StandardCharsets.UTF_8).length > SqsStore.MAX_MESSAGE_BYTES) {
            throw invalidParameter("One or more parameters are invalid. Reason: Message must be shorter than "
                    + SqsStore.MAX_MESSAGE_BYTES + " bytes.");
        }
        for (int i = 0; i < body.length(); ) {
            int c = body.codePointAt(i);
            boolean allowed = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
                    || (c >= 0x10000 && c <= 0x10FFFF);
            if (!allowed) {
                throw new AwsErrorException(400, "InvalidMessageContents", "Invalid characters found. Valid unicode characters are "
                        + "#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF");
            }
            i += Character.charCount(c);
        }
    }

    static void visibilityTimeout(int seconds) {
        if (seconds < 0 || seconds > SqsStore.MAX_VISIBILITY_TIMEOUT_SECONDS) {
            throw invalidParameter("Value " + seconds + " for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and "
                    + SqsStore.MAX_VISIBILITY_TIMEOUT_SECONDS + ", if provided.");
        }
    }

    static void maxMessages(int max) {
        if (max < 1 || max > SqsStore.MAX_MESSAGES_PER_RECEIVE) {
            throw invalidParameter("Value " + max + " for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.");
        }
    }

    static void waitTime(int seconds) {
        if (seconds < 0 || seconds > SqsStore.MAX_WAIT_SECONDS) {
            throw invalidParameter("Value " + seconds + " for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.");
        }
    }

    /** The whole-batch errors: empty, more than ten entries, an id that is malformed or used twice. */
    static void batch(List<String> ids) {
        if (ids.isEmpty()) {
            throw new AwsErrorException(400, "AWS.SimpleQueueService.EmptyBatchRequest",
                    "There should be at least one SendMessageBatchRequestEntry in the request.");
        }
        if (ids.size() > SqsStore.MAX_BATCH_ENTRIES) {
            throw new AwsErrorException(400, "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
                    "Maximum number of entries per request are " + SqsStore.MAX_BATCH_ENTRIES + ". You have sent " + ids.size() + ".");
        }
        Set<String> seen = new HashSet<>();
        for (String id : ids) {
            if (id == null || !BATCH_ID.matcher(id).matches()) {
                throw new AwsErrorException(400, "AWS.SimpleQueueService.InvalidBatchEntryId",
                        "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.");
            }
            if (!seen.add(id)) {
                throw new AwsErrorException(400, "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", "Id " + id + " repeated.");
            }
        }
    }

    static AwsErrorException invalidParameter(String message) {
        return new AwsErrorException(400, "InvalidParameterValue", message);
    }
}

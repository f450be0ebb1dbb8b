package io.ecsbluegreen.sim.sns;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * A message a topic accepted through {@code Publish}: what its subscribers would receive.
 *
 * @param messageId the id Publish answered
 * @param topicArn the topic
 * @param message the message body
 * @param subject the subject; null when none was given
 * @param messageStructure {@code json} or null
 * @param attributes the message attributes by name
 * @param messageGroupId FIFO topics: the message group; null otherwise
 * @param messageDeduplicationId FIFO topics: the deduplication id given; null when none
 * @param sequenceNumber FIFO topics: the sequence number; null otherwise
 * @param time when it was published (simulator clock)
 */
public record PublishedMessage(String messageId, String topicArn, String message, String subject, String messageStructure,
                               Map<String, Attribute> attributes, String messageGroupId, String messageDeduplicationId,
                               String sequenceNumber, Instant time) {

    public PublishedMessage {
        attributes = Map.copyOf(attributes);
    }

    /** A message attribute's string value, or null when it has none or is absent. */
    public String attribute(String name) {
        Attribute a = attributes.get(name);
        return a == null ? null : a.stringValue();
    }

    /**
     * One message attribute.
     *
     * @param dataType {@code String}, {@code String.Array}, {@code Number} or {@code Binary}, with an optional
     *     {@code .custom} suffix
     * @param stringValue the value of String and Number types
     * @param binaryValue the value of Binary types (decoded from base64)
     */
    public record Attribute(String dataType, String stringValue, byte[] binaryValue) {

        /** Bytes the attribute counts toward the 256 KiB message limit: name, type and value. */
        int size(String name) {
            return name.getBytes(StandardCharsets.UTF_8).length + dataType.getBytes(StandardCharsets.UTF_8).length
                    + (stringValue != null ? stringValue.getBytes(StandardCharsets.UTF_8).length : 0)
                    + (binaryValue != null ? binaryValue.length : 0);
        }
    }
}

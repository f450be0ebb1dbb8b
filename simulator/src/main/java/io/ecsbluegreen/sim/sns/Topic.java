package io.ecsbluegreen.sim.sns;

import java.time.Instant;
import java.util.Map;

/**
 * A simulated SNS topic.
 *
 * @param arn {@code arn:aws:sns:REGION:ACCOUNT:NAME}
 * @param name the topic name ({@code .fifo} suffix for FIFO topics)
 * @param region the region of the ARN
 * @param attributes the attributes given at creation ({@code DisplayName}, {@code FifoTopic}, ...)
 * @param tags the tags given at creation
 * @param created when it was created (simulator clock)
 */
public record Topic(String arn, String name, String region, Map<String, String> attributes, Map<String, String> tags,
                    Instant created) {

    public Topic {
        attributes = Map.copyOf(attributes);
        tags = Map.copyOf(tags);
    }

    /** Whether it is a FIFO topic ({@code FifoTopic=true}). */
    public boolean fifo() {
        return "true".equalsIgnoreCase(attributes.get("FifoTopic"));
    }

    /** Whether {@code ContentBasedDeduplication=true} (FIFO topics). */
    public boolean contentBasedDeduplication() {
        return "true".equalsIgnoreCase(attributes.get("ContentBasedDeduplication"));
    }
}

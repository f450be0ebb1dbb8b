package io.ecsbluegreen.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.plan.OperatorOwnership;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The operator instance's identity: configured, or generated so that two replicas never share one. */
class OperatorInstanceTest {
    record Config(Optional<String> id, Duration takeoverAfter, Duration heartbeat) implements OperatorConfig.Instance {}

    @Test
    void aGeneratedIdIsTheHostNameAndARandomSuffixThatDiffersBetweenTwoStartsOnOneHost() {
        Random random = new Random(14);
        String first = OperatorInstance.generatedId("ip-10-0-1-17.ec2.internal", random);
        String second = OperatorInstance.generatedId("ip-10-0-1-17.ec2.internal", random);
        assertThat(first).matches("ip-10-0-1-17\\.ec2\\.internal-[0-9a-f]{8}");
        assertThat(second).matches("ip-10-0-1-17\\.ec2\\.internal-[0-9a-f]{8}").isNotEqualTo(first);
    }

    @Test
    void aConfiguredIdIsUsedAsAValidTagValueAndABlankOneIsGenerated() {
        OperatorOwnership.Self configured = OperatorInstance.of(new Config(Optional.of("ops,blue"), Duration.ofMinutes(2), Duration.ofSeconds(30)));
        assertThat(configured).isEqualTo(new OperatorOwnership.Self("ops_blue", Duration.ofMinutes(2), Duration.ofSeconds(30)));
        OperatorOwnership.Self blank = OperatorInstance.of(new Config(Optional.of(" "), Duration.ofMinutes(2), Duration.ofSeconds(30)));
        assertThat(blank.id()).matches(".+-[0-9a-f]{8}");
    }
}

package io.ecsbluegreen.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.StsException;

/** Token buckets per API group, answered with each service's own throttling error. */
class ThrottlingTest {

    @Test
    void aSmallS3BucketAnswersSlowDownWhichTheSdkSurfacesWithoutRetries() {
        SimulatorConfig config = SimulatorConfig.defaults().withThrottle(ThrottleRule.of("s3-reads", "s3:Get*", 2, 0));
        try (AwsSimulator sim = AwsSimulator.start(config); S3Client s3 = SimClients.s3WithoutRetries(sim)) {
            sim.s3().putObject("bucket", "key", "x");

            s3.getObjectAsBytes(b -> b.bucket("bucket").key("key"));
            s3.getObjectAsBytes(b -> b.bucket("bucket").key("key"));

            assertThatThrownBy(() -> s3.getObject(b -> b.bucket("bucket").key("key")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(503);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SlowDown");
                        assertThat(e.isThrottlingException()).isTrue();
                    });
            assertThat(sim.stats().calls("s3", "GetObject")).isEqualTo(3);
            assertThat(sim.stats().throttled("s3", "GetObject")).isEqualTo(1);
        }
    }

    @Test
    void stsAnswersTheQueryProtocolsThrottlingError() {
        try (AwsSimulator sim = AwsSimulator.start(); StsClient sts = SimClients.stsWithoutRetries(sim)) {
            sim.throttling().set(ThrottleRule.of("sts", "sts:*", 1, 0));
            sts.getCallerIdentity();

            assertThatThrownBy(sts::getCallerIdentity)
                    .isInstanceOfSatisfying(StsException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("Throttling");
                        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Rate exceeded");
                        assertThat(e.isThrottlingException()).isTrue();
                    });
        }
    }

    @Test
    void theBucketRefillsAsTheSimulatedClockAdvances() {
        try (AwsSimulator sim = AwsSimulator.start(); StsClient sts = SimClients.stsWithoutRetries(sim)) {
            sim.throttling().set(ThrottleRule.of("sts", "sts:GetCallerIdentity", 2, 0.5));
            sts.getCallerIdentity();
            sts.getCallerIdentity();
            assertThatThrownBy(sts::getCallerIdentity).isInstanceOf(StsException.class);

            sim.clock().advance(Duration.ofSeconds(1));
            assertThat(sim.throttling().tokens("sts")).isCloseTo(0.5, within(1e-9));
            assertThatThrownBy(sts::getCallerIdentity).isInstanceOf(StsException.class);

            sim.clock().advance(Duration.ofSeconds(1));
            sts.getCallerIdentity();

            sim.clock().advance(Duration.ofHours(1));
            assertThat(sim.throttling().tokens("sts")).isEqualTo(2.0);
        }
    }

    @Test
    void aRuleThrottlesOnlyTheActionsOfItsGroup() {
        try (AwsSimulator sim = AwsSimulator.start(); S3Client s3 = SimClients.s3WithoutRetries(sim);
                StsClient sts = SimClients.stsWithoutRetries(sim)) {
            sim.s3().putObject("bucket", "key", "x");
            sim.throttling().set(ThrottleRule.of("s3-lists", "s3:List*", 1, 0));
            s3.listObjectsV2(b -> b.bucket("bucket"));

            assertThatThrownBy(() -> s3.listObjectsV2(b -> b.bucket("bucket"))).isInstanceOf(S3Exception.class);
            for (int i = 0; i < 5; i++) {
                s3.getObjectAsBytes(b -> b.bucket("bucket").key("key"));
                sts.getCallerIdentity();
            }
            assertThat(sim.stats().throttled()).containsOnlyKeys(new ApiAction("s3", "ListObjectsV2"));
        }
    }

    @Test
    void actionsOfOneGroupShareTheirBucket() {
        try (AwsSimulator sim = AwsSimulator.start(); S3Client s3 = SimClients.s3WithoutRetries(sim)) {
            sim.s3().putObject("bucket", "key", "x");
            sim.throttling().set(ThrottleRule.of("s3-all", "s3:*", 2, 0));

            s3.headObject(b -> b.bucket("bucket").key("key"));
            s3.listObjectsV2(b -> b.bucket("bucket"));

            assertThatThrownBy(() -> s3.getObject(b -> b.bucket("bucket").key("key")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.isThrottlingException()).isTrue());
        }
    }

    @Test
    void rulesCanBeReplacedRemovedAndCleared() {
        try (AwsSimulator sim = AwsSimulator.start(); StsClient sts = SimClients.stsWithoutRetries(sim)) {
            sim.throttling().set(ThrottleRule.of("sts", "sts:*", 1, 0));
            sts.getCallerIdentity();
            assertThatThrownBy(sts::getCallerIdentity).isInstanceOf(StsException.class);

            sim.throttling().set(ThrottleRule.of("sts", "sts:*", 1, 0));
            sts.getCallerIdentity();

            sim.throttling().remove("sts");
            sts.getCallerIdentity();
            sim.throttling().set(ThrottleRule.of("other", "sts:*", 1, 0));
            sim.throttling().clear();
            sts.getCallerIdentity();
            sts.getCallerIdentity();
            assertThat(sim.throttling().rules()).isEmpty();
        }
    }

    @Test
    void invalidRulesAreRejected() {
        assertThatThrownBy(() -> ThrottleRule.of("x", "s3:*", 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ThrottleRule.of("x", "s3:*", 1, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ThrottleRule.of("x", "s3:*", 1, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}

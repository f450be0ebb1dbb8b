package io.ecsbluegreen.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.StsException;

/** Injected errors and latency, answered in each service's own error format. */
class FaultInjectionTest {

    @Test
    void anErrorRateOfOneAnswersA500WhichTheSdkSurfaces() {
        SimulatorConfig config = SimulatorConfig.defaults().withFault(FaultRule.errors("s3:GetObject", 1.0));
        try (AwsSimulator sim = AwsSimulator.start(config); S3Client s3 = SimClients.s3WithoutRetries(sim)) {
            sim.s3().putObject("bucket", "key", "x");

            assertThatThrownBy(() -> s3.getObject(b -> b.bucket("bucket").key("key")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(500);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalError");
                    });
            assertThat(sim.stats().faults("s3", "GetObject")).isEqualTo(1);
        }
    }

    @Test
    void aFaultedCallChangesNoState() {
        try (AwsSimulator sim = AwsSimulator.start(); S3Client s3 = SimClients.s3WithoutRetries(sim)) {
            sim.s3().createBucket("bucket");
            sim.faults().add(FaultRule.errors("s3:PutObject", 1.0));

            assertThatThrownBy(() -> s3.putObject(b -> b.bucket("bucket").key("k"), RequestBody.fromString("x")))
                    .isInstanceOf(S3Exception.class);
            assertThat(sim.s3().keys("bucket")).isEmpty();
        }
    }

    @Test
    void theSdkRetriesInjected500sAndEveryAttemptIsCounted() {
        try (AwsSimulator sim = AwsSimulator.start(); StsClient sts = SimClients.sts(sim)) {
            sim.faults().add(FaultRule.errors("sts:GetCallerIdentity", 1.0));

            assertThatThrownBy(sts::getCallerIdentity)
                    .isInstanceOfSatisfying(StsException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(500);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalFailure");
                    });
            long attempts = sim.stats().calls("sts", "GetCallerIdentity");
            assertThat(attempts).isGreaterThan(1);
            assertThat(sim.stats().faults("sts", "GetCallerIdentity")).isEqualTo(attempts);
        }
    }

    @Test
    void statusAndErrorCodeOfInjectedErrorsAreConfigurable() {
        try (AwsSimulator sim = AwsSimulator.start(); StsClient sts = SimClients.stsWithoutRetries(sim);
                S3Client s3 = SimClients.s3WithoutRetries(sim)) {
            sim.faults().add(FaultRule.errors("sts:*", 1.0).withStatus(503));
            sim.faults().add(FaultRule.errors("s3:ListBuckets", 1.0).withStatus(502).withErrorCode("BadGateway"));

            assertThatThrownBy(sts::getCallerIdentity)
                    .isInstanceOfSatisfying(StsException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(503);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailable");
                    });
            assertThatThrownBy(s3::listBuckets)
                    .isInstanceOfSatisfying(S3Exception.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(502);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BadGateway");
                    });
        }
    }

    @Test
    void latencyDelaysMatchingCallsOnly() {
        try (AwsSimulator sim = AwsSimulator.start(); S3Client s3 = SimClients.s3WithoutRetries(sim);
                StsClient sts = SimClients.stsWithoutRetries(sim)) {
            sim.s3().createBucket("bucket");
            sts.getCallerIdentity(); // warm up the client outside the measurement
            sim.faults().add(FaultRule.latency("s3:ListObjectsV2", Duration.ofMillis(400)));

            long start = System.nanoTime();
            s3.listObjectsV2(b -> b.bucket("bucket"));
            Duration delayed = Duration.ofNanos(System.nanoTime() - start);
            start = System.nanoTime();
            sts.getCallerIdentity();
            Duration undelayed = Duration.ofNanos(System.nanoTime() - start);

            System.out.printf("ListObjectsV2 with 400 ms latency: %d ms; GetCallerIdentity without: %d ms%n",
                    delayed.toMillis(), undelayed.toMillis());
            assertThat(delayed).isGreaterThanOrEqualTo(Duration.ofMillis(400));
            assertThat(sim.stats().faults()).isEmpty();
        }
    }

    @Test
    void aFractionalErrorRateFailsTheSameCallsForTheSameSeed() {
        assertThat(outcomes(7L)).isEqualTo(outcomes(7L)).contains(true, false);
    }

    @Test
    void clearingFaultsRestoresNormalAnswers() {
        try (AwsSimulator sim = AwsSimulator.start(); StsClient sts = SimClients.stsWithoutRetries(sim)) {
            sim.faults().add(FaultRule.errors("*:*", 1.0));
            assertThatThrownBy(sts::getCallerIdentity).isInstanceOf(StsException.class);

            sim.faults().clear();

            assertThat(sts.getCallerIdentity().account()).isEqualTo("000000000000");
        }
    }

    @Test
    void invalidRulesAreRejected() {
        assertThatThrownBy(() -> FaultRule.errors("s3:*", 1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FaultRule.errors("s3:*", 1).withStatus(302)).isInstanceOf(IllegalArgumentException.class);
        assertThat(FaultRule.errors("s3:*", 1).withStatus(403).status()).as("a 4xx plays a missing permission").isEqualTo(403);
        assertThatThrownBy(() -> FaultRule.latency("s3:*", Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Which of 20 calls fail under a 50 % error rate with the given seed. */
    private static List<Boolean> outcomes(long seed) {
        SimulatorConfig config = SimulatorConfig.defaults().withRandomSeed(seed)
                .withFault(FaultRule.errors("sts:GetCallerIdentity", 0.5));
        List<Boolean> failed = new ArrayList<>();
        try (AwsSimulator sim = AwsSimulator.start(config); StsClient sts = SimClients.stsWithoutRetries(sim)) {
            for (int i = 0; i < 20; i++) {
                try {
                    sts.getCallerIdentity();
                    failed.add(false);
                } catch (StsException e) {
                    failed.add(true);
                }
            }
        }
        return failed;
    }
}

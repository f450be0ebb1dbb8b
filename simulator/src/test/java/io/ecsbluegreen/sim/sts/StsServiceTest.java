package io.ecsbluegreen.sim.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.RawHttp;
import io.ecsbluegreen.sim.SimClients;
import io.ecsbluegreen.sim.SimulatorConfig;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

/** STS through the real SDK v2 client. */
class StsServiceTest {

    private static final Instant START = Instant.parse("2025-03-01T12:00:00Z");
    private static final String ACCOUNT = "123456789012";
    private static final String ROLE = "arn:aws:iam::" + ACCOUNT + ":role/deployer/BlueGreenOperator";

    private AwsSimulator sim;
    private StsClient sts;

    @BeforeEach
    void start() {
        sim = AwsSimulator.start(SimulatorConfig.defaults().withClockStart(START).withAccountId(ACCOUNT));
        sts = SimClients.stsWithoutRetries(sim);
    }

    @AfterEach
    void stop() {
        sts.close();
        sim.close();
    }

    @Test
    void getCallerIdentityAnswersTheAccountRootForAnyCredentials() {
        GetCallerIdentityResponse identity = sts.getCallerIdentity();

        assertThat(identity.account()).isEqualTo(ACCOUNT);
        assertThat(identity.arn()).isEqualTo("arn:aws:iam::" + ACCOUNT + ":root");
        assertThat(identity.userId()).isEqualTo(ACCOUNT);
    }

    @Test
    void assumeRoleIssuesTemporaryCredentialsExpiringBySimulatedTime() {
        AssumeRoleResponse assumed = sts.assumeRole(b -> b.roleArn(ROLE).roleSessionName("deploy-1"));

        assertThat(assumed.credentials().accessKeyId()).startsWith("ASIA").hasSize(20);
        assertThat(assumed.credentials().secretAccessKey()).hasSize(40);
        assertThat(assumed.credentials().sessionToken()).isNotBlank();
        assertThat(assumed.credentials().expiration()).isEqualTo(START.plus(Duration.ofHours(1)));
        assertThat(assumed.assumedRoleUser().arn())
                .isEqualTo("arn:aws:sts::" + ACCOUNT + ":assumed-role/BlueGreenOperator/deploy-1");
        assertThat(assumed.assumedRoleUser().assumedRoleId()).startsWith("AROA").endsWith(":deploy-1");
    }

    @Test
    void assumeRoleHonoursDurationSecondsAndTheCurrentSimulatedTime() {
        sim.clock().advance(Duration.ofMinutes(30));

        AssumeRoleResponse assumed = sts.assumeRole(b -> b.roleArn(ROLE).roleSessionName("short").durationSeconds(900));

        assertThat(assumed.credentials().expiration()).isEqualTo(START.plus(Duration.ofMinutes(45)));
    }

    @Test
    void theSameRoleKeepsTheSameRoleIdAcrossSessions() {
        String first = sts.assumeRole(b -> b.roleArn(ROLE).roleSessionName("session-a")).assumedRoleUser().assumedRoleId();
        String second = sts.assumeRole(b -> b.roleArn(ROLE).roleSessionName("session-b")).assumedRoleUser().assumedRoleId();

        assertThat(first.substring(0, first.indexOf(':'))).isEqualTo(second.substring(0, second.indexOf(':')));
        assertThat(sim.sts().sessions()).hasSize(2);
    }

    @Test
    void getCallerIdentityWithAssumedCredentialsAnswersTheAssumedRole() {
        var credentials = sts.assumeRole(b -> b.roleArn(ROLE).roleSessionName("deploy-1")).credentials();
        try (StsClient asRole = StsClient.builder()
                .endpointOverride(sim.endpoint())
                .region(Region.US_WEST_2)
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(
                        credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken())))
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {

            GetCallerIdentityResponse identity = asRole.getCallerIdentity();

            assertThat(identity.arn()).isEqualTo("arn:aws:sts::" + ACCOUNT + ":assumed-role/BlueGreenOperator/deploy-1");
            assertThat(identity.account()).isEqualTo(ACCOUNT);
            assertThat(identity.userId()).startsWith("AROA").endsWith(":deploy-1");
        }
    }

    @Test
    void assumeRoleWithAMalformedRoleArnAnswersValidationError() {
        assertThatThrownBy(() -> sts.assumeRole(b -> b.roleArn("not-an-arn").roleSessionName("s1")))
                .isInstanceOfSatisfying(StsException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                });
    }

    @Test
    void assumeRoleWithoutASessionNameAnswersValidationError() {
        assertThatThrownBy(() -> sts.assumeRole(b -> b.roleArn(ROLE)))
                .isInstanceOfSatisfying(StsException.class,
                        e -> assertThat(e.awsErrorDetails().errorMessage()).contains("roleSessionName"));
    }

    @Test
    void assumeRoleWithADurationOutOfRangeAnswersValidationError() {
        assertThatThrownBy(() -> sts.assumeRole(b -> b.roleArn(ROLE).roleSessionName("s1").durationSeconds(60)))
                .isInstanceOfSatisfying(StsException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("durationSeconds");
                });
    }

    @Test
    void anUnknownActionAnswersInvalidActionInTheQueryErrorFormat() {
        var response = new RawHttp(sim).query("sts", "Action=GetSessionToken&Version=2011-06-15");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
        assertThat(response.body())
                .contains("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">")
                .contains("<Type>Sender</Type><Code>InvalidAction</Code>");
    }

    @Test
    void queryParametersMayComeInTheQueryStringInsteadOfAFormBody() {
        var response = new RawHttp(sim).send("GET", "/?Action=GetCallerIdentity&Version=2011-06-15",
                java.util.Map.of("Authorization", RawHttp.authorization("sts")), new byte[0]);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("<GetCallerIdentityResult>", "<Account>" + ACCOUNT + "</Account>");
    }
}

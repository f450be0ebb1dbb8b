package io.ecsbluegreen.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.SimClients;
import io.ecsbluegreen.sim.sts.AssumedRoleSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

class AssumedRolesTest {
    static final String ROLE = "arn:aws:iam::222233334444:role/bluegreen-deployer";

    AwsSimulator sim;
    StsClient operatorSts;
    AssumedRoles roles;

    @BeforeEach
    void start() {
        sim = AwsSimulator.start();
        operatorSts = SimClients.stsWithoutRetries(sim);
        roles = new AssumedRoles(operatorSts, sim.clock());
    }

    @AfterEach
    void stop() {
        roles.close();
        operatorSts.close();
        sim.close();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "greeter, bluegreen-greeter",
            "team/greeter v2, bluegreen-team-greeter-v2"})
    void theSessionNameNamesTheOperatorAndTheService(String service, String expected) {
        assertThat(AssumedRoles.sessionName(service)).isEqualTo(expected);
    }

    @Test
    void longServiceNamesSharingAStartGetDistinctSessionNamesWithinStsLimits() {
        String start = "a-service-name-that-is-much-longer-than-sts-allows-for-a-session-name-";
        String one = AssumedRoles.sessionName(start + "one");
        String two = AssumedRoles.sessionName(start + "two");

        assertThat(one).hasSize(64).matches("[\\w+=,.@-]{2,64}").startsWith("bluegreen-a-service-name");
        assertThat(two).hasSize(64).isNotEqualTo(one);
    }

    @Test
    void aClientWithTheRolesCredentialsActsAsTheAssumedRole() {
        AwsCredentialsProvider credentials = roles.credentials(ROLE, null, "greeter");
        try (StsClient asRole = StsClient.builder().endpointOverride(sim.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build()) {

            var identity = asRole.getCallerIdentity();

            assertThat(identity.account()).isEqualTo("222233334444");
            assertThat(identity.arn()).isEqualTo("arn:aws:sts::222233334444:assumed-role/bluegreen-deployer/bluegreen-greeter");
        }
        assertThat(sim.sts().sessions()).extracting(AssumedRoleSession::roleSessionName).containsExactly("bluegreen-greeter");
        assertThat(roles.credentials(ROLE, null, "greeter")).isSameAs(credentials);
    }

    @Test
    void aRoleThatCannotBeAssumedFailsWhenItsCredentialsAreAskedFor() {
        AwsCredentialsProvider credentials = roles.credentials("arn:aws:iam::222233334444:user/not-a-role", null, "greeter");

        assertThatThrownBy(credentials::resolveCredentials).hasMessageContaining("is invalid");
    }

    StsClient signingWith(AwsCredentialsProvider credentials) {
        return StsClient.builder().endpointOverride(sim.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    @Test
    void theRoleIsAssumedAgainFiveMinutesBeforeItsSessionExpiresByTheInjectedClock() {
        AwsCredentialsProvider credentials = roles.credentials(ROLE, null, "greeter");
        String first = credentials.resolveCredentials().accessKeyId();

        sim.clock().advance(Duration.ofMinutes(54));
        assertThat(credentials.resolveCredentials().accessKeyId()).as("55 minutes before expiry: still the first session").isEqualTo(first);
        sim.clock().advance(Duration.ofMinutes(2));
        String second = credentials.resolveCredentials().accessKeyId();

        assertThat(second).isNotEqualTo(first);
        assertThat(sim.sts().sessions()).hasSize(2);
        sim.clock().advance(Duration.ofMinutes(10));
        // the first session has expired by now; the second serves
        try (StsClient asRole = signingWith(credentials)) {
            assertThat(asRole.getCallerIdentity().arn()).endsWith("assumed-role/bluegreen-deployer/bluegreen-greeter");
        }
        assertThat(credentials.resolveCredentials().accessKeyId()).isEqualTo(second);
    }

    @Test
    void aRefreshStsRefusesKeepsTheCurrentSessionUntilAMinuteBeforeItExpiresThenFailsClearly() {
        AwsCredentialsProvider credentials = roles.credentials(ROLE, null, "greeter");
        String first = credentials.resolveCredentials().accessKeyId();
        sim.sts().distrust(ROLE);

        sim.clock().advance(Duration.ofMinutes(56));
        assertThat(credentials.resolveCredentials().accessKeyId()).isEqualTo(first);
        sim.clock().advance(Duration.ofMinutes(3).plusSeconds(30));

        assertThatThrownBy(credentials::resolveCredentials).isInstanceOf(RoleAssumptionException.class)
                .hasMessageContaining("cannot assume " + ROLE + " as session bluegreen-greeter")
                .hasMessageContaining("AccessDenied");
        sim.sts().trust(ROLE);
        assertThat(credentials.resolveCredentials().accessKeyId()).isNotEqualTo(first);
    }

    @Test
    void theExternalIdIsPassedToStsAndARoleDemandingOneRefusesCallersWithout() {
        sim.sts().requireExternalId(ROLE, "acme-prod-7f3a");

        AwsCredentialsProvider with = roles.credentials(ROLE, "acme-prod-7f3a", "greeter");
        AwsCredentialsProvider without = roles.credentials(ROLE, null, "greeter");
        AwsCredentialsProvider wrong = roles.credentials(ROLE, "acme-prod-0000", "greeter");

        assertThat(with.resolveCredentials().accessKeyId()).startsWith("ASIA");
        assertThatThrownBy(without::resolveCredentials).hasMessageContaining("AccessDenied");
        assertThatThrownBy(wrong::resolveCredentials).hasMessageContaining("AccessDenied")
                .hasMessageContaining("with the external id").hasMessageNotContaining("acme-prod-0000");
    }

    @Test
    void stsRejectsAnExternalIdOutsideItsDocumentedPattern() {
        AwsCredentialsProvider credentials = roles.credentials(ROLE, "no spaces allowed", "greeter");

        assertThatThrownBy(credentials::resolveCredentials).hasMessageContaining("ValidationError")
                .hasMessageContaining("externalId");
    }

    @Test
    void theSimulatorRefusesEveryCallSignedWithExpiredSessionCredentials() {
        AwsCredentials expiring = roles.credentials(ROLE, null, "greeter").resolveCredentials();
        sim.clock().advance(Duration.ofMinutes(60));

        try (StsClient stale = signingWith(StaticCredentialsProvider.create(expiring))) {
            assertThatThrownBy(stale::getCallerIdentity).isInstanceOf(AwsServiceException.class)
                    .satisfies(e -> assertThat(((AwsServiceException) e).awsErrorDetails().errorCode()).isEqualTo("ExpiredTokenException"))
                    .satisfies(e -> assertThat(((AwsServiceException) e).statusCode()).isEqualTo(403));
        }
    }
}

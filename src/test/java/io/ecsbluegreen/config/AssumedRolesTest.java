package io.ecsbluegreen.config;

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
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
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
}

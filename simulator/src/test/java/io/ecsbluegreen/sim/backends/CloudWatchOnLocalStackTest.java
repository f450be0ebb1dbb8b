package io.ecsbluegreen.sim.backends;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;

/** The same CloudWatch scenarios against LocalStack: where Docker runs and {@code LOCALSTACK_AUTH_TOKEN} is set. */
@Testcontainers(disabledWithoutDocker = true)
@EnabledIfEnvironmentVariable(named = "LOCALSTACK_AUTH_TOKEN", matches = ".+",
        disabledReason = "LocalStack needs LOCALSTACK_AUTH_TOKEN")
class CloudWatchOnLocalStackTest extends CloudWatchScenarios {

    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer("localstack/localstack:latest")
            .withServices("cloudwatch")
            .withEnv("LOCALSTACK_AUTH_TOKEN", System.getenv().getOrDefault("LOCALSTACK_AUTH_TOKEN", ""));

    @Override
    protected Backend backend() {
        return new Backend("localstack", LOCALSTACK.getEndpoint(), LOCALSTACK.getRegion(), LOCALSTACK.getAccessKey(),
                LOCALSTACK.getSecretKey());
    }
}

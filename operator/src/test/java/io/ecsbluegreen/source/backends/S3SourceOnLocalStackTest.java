package io.ecsbluegreen.source.backends;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;

/**
 * The same S3 source scenarios against LocalStack in a container. LocalStack's images need an auth
 * token now, so this runs only where Docker runs and {@code LOCALSTACK_AUTH_TOKEN} is set.
 */
@Testcontainers(disabledWithoutDocker = true)
@EnabledIfEnvironmentVariable(named = "LOCALSTACK_AUTH_TOKEN", matches = ".+",
        disabledReason = "LocalStack needs LOCALSTACK_AUTH_TOKEN")
class S3SourceOnLocalStackTest extends S3SourceScenarios {

    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer("localstack/localstack:latest")
            .withServices("s3")
            .withEnv("LOCALSTACK_AUTH_TOKEN", System.getenv().getOrDefault("LOCALSTACK_AUTH_TOKEN", ""));

    @Override
    protected S3Backend backend() {
        return new S3Backend("localstack", LOCALSTACK.getEndpoint(), LOCALSTACK.getRegion(), LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey());
    }
}

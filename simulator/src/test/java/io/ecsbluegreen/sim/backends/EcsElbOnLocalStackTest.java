package io.ecsbluegreen.sim.backends;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;

/**
 * The same ECS/ELBv2 scenarios against LocalStack, whose ECS and ELBv2 need a paid auth token: runs
 * only where a Docker daemon runs and {@code LOCALSTACK_AUTH_TOKEN} is set.
 */
@Testcontainers(disabledWithoutDocker = true)
@EnabledIfEnvironmentVariable(named = "LOCALSTACK_AUTH_TOKEN", matches = ".+",
        disabledReason = "LocalStack's ECS and ELBv2 need LOCALSTACK_AUTH_TOKEN")
class EcsElbOnLocalStackTest extends EcsElbScenarios {

    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer("localstack/localstack-pro:latest")
            .withServices("ecs", "elbv2", "ec2")
            .withEnv("LOCALSTACK_AUTH_TOKEN", System.getenv().getOrDefault("LOCALSTACK_AUTH_TOKEN", ""));

    @Override
    protected Backend backend() {
        return new Backend("localstack", LOCALSTACK.getEndpoint(), LOCALSTACK.getRegion(), LOCALSTACK.getAccessKey(),
                LOCALSTACK.getSecretKey());
    }
}

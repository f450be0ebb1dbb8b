package io.ecsbluegreen.sim.backends;

import io.floci.testcontainers.FlociContainer;
import java.net.URI;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The same CloudWatch scenarios against Floci in a container; skipped where no Docker daemon runs. */
@Testcontainers(disabledWithoutDocker = true)
class CloudWatchOnFlociTest extends CloudWatchScenarios {

    @Container
    static final FlociContainer FLOCI = new FlociContainer();

    @Override
    protected Backend backend() {
        return new Backend("floci", URI.create(FLOCI.getEndpoint()), FLOCI.getRegion(), FLOCI.getAccessKey(), FLOCI.getSecretKey());
    }
}

package io.ecsbluegreen.source.backends;

import io.floci.testcontainers.FlociContainer;
import java.net.URI;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The same S3 source scenarios against Floci in a container; skipped where no Docker daemon runs. */
@Testcontainers(disabledWithoutDocker = true)
class S3SourceOnFlociTest extends S3SourceScenarios {

    @Container
    static final FlociContainer FLOCI = new FlociContainer();

    @Override
    protected S3Backend backend() {
        return new S3Backend("floci", URI.create(FLOCI.getEndpoint()), FLOCI.getRegion(), FLOCI.getAccessKey(), FLOCI.getSecretKey());
    }
}

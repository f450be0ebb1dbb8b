package io.ecsbluegreen.app;

import io.ecsbluegreen.aws.AwsClients;
import io.ecsbluegreen.config.OperatorConfig;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The AWS clients of the running operator, closed at shutdown; the aws package itself knows no CDI. */
public class AwsBeans {
    @Produces
    @Singleton
    AwsClients awsClients(OperatorConfig config, MeterRegistry registry, Clock clock) {
        return new AwsClients(config, registry, clock);
    }

    void close(@Disposes AwsClients clients) {
        clients.close();
    }
}

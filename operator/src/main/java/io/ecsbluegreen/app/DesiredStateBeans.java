package io.ecsbluegreen.app;

import io.ecsbluegreen.desired.SourceSync;
import io.ecsbluegreen.desired.DesiredStateStore;
import io.ecsbluegreen.desired.ConfiguredSources;
import io.ecsbluegreen.desired.RemovalGuard;
import io.ecsbluegreen.aws.AwsClients;
import io.ecsbluegreen.config.OperatorConfig;
import io.ecsbluegreen.metrics.SourceMetrics;
import io.ecsbluegreen.source.DesiredStateSource;
import io.ecsbluegreen.spec.SpecParser;
import io.ecsbluegreen.status.StatusBook;
import io.ecsbluegreen.spec.YamlDocuments;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * Wires the desired-state side of the operator from configuration: the sources, the store and the
 * sync. Everything below is plain Java with constructor injection; only this class knows CDI.
 */
@ApplicationScoped
public class DesiredStateBeans {

    @Produces
    @Singleton
    DesiredStateStore store(OperatorConfig config, Clock clock, StatusBook statuses) {
        YamlDocuments.Limits limits = new YamlDocuments.Limits(config.sync().maxFileBytes(),
                YamlDocuments.Limits.DEFAULT.maxDocuments(), YamlDocuments.Limits.DEFAULT.maxAliases(),
                YamlDocuments.Limits.DEFAULT.maxDepth());
        OperatorConfig.RemovalGuard guard = config.sync().removalGuard();
        return new DesiredStateStore(new SpecParser(limits), clock, ConfiguredSources.ids(config), statuses::foundNothingInAws,
                new RemovalGuard(guard.enabled(), guard.maxShare()), Set.copyOf(guard.confirm().orElse(List.of())));
    }

    @Produces
    @Singleton
    SourceSync sync(OperatorConfig config, AwsClients aws, DesiredStateStore store, MeterRegistry registry) {
        List<DesiredStateSource> sources = ConfiguredSources.create(config, aws);
        return new SourceSync(sources, store, new SourceMetrics(registry, store::current));
    }

    void close(@jakarta.enterprise.inject.Disposes SourceSync sync) {
        sync.close();
    }
}

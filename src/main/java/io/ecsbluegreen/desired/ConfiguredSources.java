package io.ecsbluegreen.desired;

import io.ecsbluegreen.config.AwsClients;
import io.ecsbluegreen.config.OperatorConfig;
import io.ecsbluegreen.source.DesiredStateSource;
import java.util.List;

/** Turns the configured source URIs into sources. */
final class ConfiguredSources {
    private ConfiguredSources() {}

    static List<String> ids(OperatorConfig config) {
        throw new UnsupportedOperationException("wired when the source implementations land");
    }

    static List<DesiredStateSource> create(OperatorConfig config, AwsClients aws) {
        throw new UnsupportedOperationException("wired when the source implementations land");
    }
}

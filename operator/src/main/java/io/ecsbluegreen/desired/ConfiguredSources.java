package io.ecsbluegreen.desired;

import io.ecsbluegreen.aws.AwsClients;
import io.ecsbluegreen.config.OperatorConfig;
import io.ecsbluegreen.source.DesiredStateSource;
import io.ecsbluegreen.source.SourceFactory;
import io.ecsbluegreen.source.SourceUri;
import java.util.List;

/** Turns the configured source URIs into sources; a malformed URI stops start-up with a clear message. */
public final class ConfiguredSources {
    private ConfiguredSources() {}

    public static List<String> ids(OperatorConfig config) {
        return config.sources().stream().map(u -> parse(u).id()).toList();
    }

    public static List<DesiredStateSource> create(OperatorConfig config, AwsClients aws) {
        SourceFactory factory = new SourceFactory(config.sync().workDir(), region -> aws.newS3(region.orElse(null)));
        return config.sources().stream().map(u -> factory.create(parse(u))).toList();
    }

    private static SourceUri parse(String uri) {
        try {
            return SourceUri.parse(uri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bluegreen.sources: '" + uri + "' is not a source URI: " + e.getMessage(), e);
        }
    }
}

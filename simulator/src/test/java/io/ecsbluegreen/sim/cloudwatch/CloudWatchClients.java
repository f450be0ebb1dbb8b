package io.ecsbluegreen.sim.cloudwatch;

import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.SimClients;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/** CloudWatch clients pointed at a simulator, as the operator would build them. */
final class CloudWatchClients {

    private CloudWatchClients() {}

    static CloudWatchClient client(AwsSimulator sim) {
        return client(sim, null);
    }

    /** A client without retries that passes every request through {@code interceptor} (may be null). */
    static CloudWatchClient client(AwsSimulator sim, ExecutionInterceptor interceptor) {
        return CloudWatchClient.builder()
                .endpointOverride(sim.endpoint())
                .region(Region.EU_WEST_1)
                .credentialsProvider(SimClients.CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> {
                    o.retryStrategy(AwsRetryStrategy.doNotRetry());
                    if (interceptor != null) {
                        o.addExecutionInterceptor(interceptor);
                    }
                })
                .build();
    }
}

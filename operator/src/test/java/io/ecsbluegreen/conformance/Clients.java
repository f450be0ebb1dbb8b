package io.ecsbluegreen.conformance;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.lambda.LambdaClient;

/** The SDK clients of an {@link Account}, built the same way for both: only endpoint, credentials and retries differ. */
final class Clients implements AutoCloseable {
    final EcsClient ecs;
    final ElasticLoadBalancingV2Client elb;
    final CloudWatchClient cloudWatch;
    final LambdaClient lambda;

    /** @param endpoint the simulator's; null for AWS's own endpoints of the region */
    Clients(Region region, AwsCredentialsProvider credentials, URI endpoint, ClientOverrideConfiguration override) {
        ecs = build(EcsClient.builder(), region, credentials, endpoint, override);
        elb = build(ElasticLoadBalancingV2Client.builder(), region, credentials, endpoint, override);
        cloudWatch = build(CloudWatchClient.builder(), region, credentials, endpoint, override);
        lambda = build(LambdaClient.builder(), region, credentials, endpoint, override);
    }

    private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(
            B builder, Region region, AwsCredentialsProvider credentials, URI endpoint, ClientOverrideConfiguration override) {
        builder.region(region).credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(override);
        if (endpoint != null) builder.endpointOverride(endpoint);
        return builder.build();
    }

    @Override
    public void close() {
        ecs.close();
        elb.close();
        cloudWatch.close();
        lambda.close();
    }
}

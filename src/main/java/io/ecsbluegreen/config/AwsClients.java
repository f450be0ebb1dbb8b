package io.ecsbluegreen.config;

import io.ecsbluegreen.metrics.AwsCallMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Builds the AWS SDK clients from {@link OperatorConfig}, one per region, and closes them at shutdown.
 * Adaptive retry mode is on everywhere: the SDK then slows itself down client-side when AWS throttles.
 */
@ApplicationScoped
public class AwsClients implements AutoCloseable {

    private final OperatorConfig.Aws config;
    private final AwsCredentialsProvider credentials;
    private final Map<Region, S3Client> s3 = new ConcurrentHashMap<>();
    private final Map<Region, EcsClient> ecs = new ConcurrentHashMap<>();
    private final Map<Region, ElasticLoadBalancingV2Client> elb = new ConcurrentHashMap<>();
    private final Map<Region, CloudWatchClient> cloudWatch = new ConcurrentHashMap<>();
    private final Map<Region, LambdaClient> lambda = new ConcurrentHashMap<>();
    private final Map<Region, SnsClient> sns = new ConcurrentHashMap<>();

    private final AwsCallMetrics metrics;

    public AwsClients(OperatorConfig config, MeterRegistry registry) {
        this.config = config.aws();
        this.metrics = new AwsCallMetrics(registry);
        this.credentials = this.config.accessKeyId().isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(this.config.accessKeyId().get(),
                        this.config.secretAccessKey().orElseThrow(() -> new IllegalArgumentException(
                                "bluegreen.aws.secret-access-key is required with bluegreen.aws.access-key-id"))))
                : DefaultCredentialsProvider.builder().build();
    }

    /** The region for {@code requested}, else the configured one, else the SDK's default chain. */
    public Region region(String requested) {
        if (requested != null && !requested.isBlank()) return Region.of(requested);
        return config.region().map(Region::of).orElseGet(() -> new DefaultAwsRegionProviderChain().getRegion());
    }

    /** The shared S3 client of a region (null or blank for the default region); closed at shutdown. */
    public S3Client s3(String region) {
        return s3.computeIfAbsent(region(region), this::buildS3);
    }

    /** The shared ECS client of a region (null or blank for the default region); closed at shutdown. */
    public EcsClient ecs(String region) {
        return ecs.computeIfAbsent(region(region), r -> configure(EcsClient.builder().region(r)).build());
    }

    /** The shared ELBv2 client of a region (null or blank for the default region); closed at shutdown. */
    public ElasticLoadBalancingV2Client elb(String region) {
        return elb.computeIfAbsent(region(region), r -> configure(ElasticLoadBalancingV2Client.builder().region(r)).build());
    }

    /** The shared CloudWatch client of a region (null or blank for the default region); closed at shutdown. */
    public CloudWatchClient cloudWatch(String region) {
        return cloudWatch.computeIfAbsent(region(region), r -> configure(CloudWatchClient.builder().region(r)).build());
    }

    /**
     * The shared Lambda client of a region (null or blank for the default region); closed at shutdown.
     * A synchronous invoke answers when the function ends, up to Lambda's 15-minute limit, so the read
     * timeout is longer than that (the hook's own timeout cuts a call short): with the default 30 s, a
     * slow function's call would time out on the wire and be retried, running the function twice.
     */
    public LambdaClient lambda(String region) {
        return lambda.computeIfAbsent(region(region), r -> configure(LambdaClient.builder().region(r))
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(LAMBDA_READ_TIMEOUT).build()).build());
    }

    /** Lambda's longest run, plus a margin for the answer to arrive. */
    static final java.time.Duration LAMBDA_READ_TIMEOUT = java.time.Duration.ofMinutes(15).plusSeconds(30);

    /**
     * The shared SNS client of a region, for notifications; closed at shutdown. It makes one attempt per
     * call: notification receivers retry with their own backoff and bounds.
     */
    public SnsClient sns(String region) {
        return sns.computeIfAbsent(region(region), r -> configure(SnsClient.builder().region(r))
                .overrideConfiguration(overrides().toBuilder().retryStrategy(AwsRetryStrategy.doNotRetry()).build())
                .build());
    }

    /** Credentials, HTTP client, endpoint override, retries and call counting: what every client shares. */
    private <B extends AwsSyncClientBuilder<B, ?> & AwsClientBuilder<B, ?>> B configure(B builder) {
        builder.credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(overrides());
        config.endpointOverride().ifPresent(builder::endpointOverride);
        return builder;
    }

    /** A new S3 client of a region, for a caller that owns and closes it. */
    public S3Client newS3(String region) {
        return buildS3(region(region));
    }

    private S3Client buildS3(Region r) {
        return configure(S3Client.builder().region(r).forcePathStyle(config.s3PathStyle())).build();
    }

    /**
     * Adaptive retries (client-side slowing on throttling) and call and attempt counting, for every client:
     * attempts reach the metrics only through the SDK's metric publisher (see {@link AwsCallMetrics}).
     */
    ClientOverrideConfiguration overrides() {
        return ClientOverrideConfiguration.builder()
                .retryStrategy(RetryMode.ADAPTIVE_V2)
                .addExecutionInterceptor(metrics)
                .addMetricPublisher(metrics)
                .build();
    }

    @Override
    @jakarta.annotation.PreDestroy
    public void close() {
        s3.values().forEach(S3Client::close);
        s3.clear();
        ecs.values().forEach(EcsClient::close);
        ecs.clear();
        elb.values().forEach(ElasticLoadBalancingV2Client::close);
        elb.clear();
        cloudWatch.values().forEach(CloudWatchClient::close);
        cloudWatch.clear();
        lambda.values().forEach(LambdaClient::close);
        lambda.clear();
        sns.values().forEach(SnsClient::close);
        sns.clear();
    }
}

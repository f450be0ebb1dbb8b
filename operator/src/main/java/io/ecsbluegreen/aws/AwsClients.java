package io.ecsbluegreen.aws;

import io.ecsbluegreen.config.OperatorConfig;
import io.ecsbluegreen.config.OperatorInstance;
import io.ecsbluegreen.aws.AwsCallMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
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
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Builds the AWS SDK clients from {@link OperatorConfig}, one per region and {@link Identity}, and closes
 * them at shutdown. A service without {@code spec.roleArn} uses the operator's own clients; one with a
 * role gets clients signing with that role's session ({@link AssumedRoles}), so a cross-account service
 * never acts with the operator's own credentials. Adaptive retry mode is on everywhere: the SDK then slows
 * itself down client-side when AWS throttles.
 */
public class AwsClients implements AutoCloseable {

    /** A region and who signs there: the key of the clients a service uses. */
    private record Key(Region region, Identity identity) {}

    private final OperatorConfig.Aws config;
    private final AwsCredentialsProvider credentials;
    private final Map<Region, S3Client> s3 = new ConcurrentHashMap<>();
    private final Map<Key, EcsClient> ecs = new ConcurrentHashMap<>();
    private final Map<Key, ElasticLoadBalancingV2Client> elb = new ConcurrentHashMap<>();
    private final Map<Key, CloudWatchClient> cloudWatch = new ConcurrentHashMap<>();
    private final Map<Key, LambdaClient> lambda = new ConcurrentHashMap<>();
    private final Map<Key, ApplicationAutoScalingClient> autoScaling = new ConcurrentHashMap<>();
    private final Map<Region, SnsClient> sns = new ConcurrentHashMap<>();
    private final Clock clock;
    private volatile StsClient sts;
    private volatile AssumedRoles roles;

    private final AwsCallMetrics metrics;
    private final String userAgent;
    private volatile DynamoDbClient dynamoDb;

    public AwsClients(OperatorConfig config, MeterRegistry registry, Clock clock) {
        this(config.aws(), new AwsCallMetrics(registry), clock, "bluegreen-replica/" + OperatorInstance.replicaId(config.leases()));
    }

    /** @param clock the clock assumed roles' credentials expire on */
    public AwsClients(OperatorConfig.Aws config, AwsCallMetrics metrics, Clock clock) {
        this(config, metrics, clock, null);
    }

    /**
     * @param clock the clock assumed roles' credentials expire on
     * @param userAgent appended to the user agent of every call, naming this replica (so AWS's and the
     *     simulator's request logs tell which replica wrote); null for none
     */
    public AwsClients(OperatorConfig.Aws config, AwsCallMetrics metrics, Clock clock, String userAgent) {
        this.userAgent = userAgent;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
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

    /** The operator's own ECS client of a region (null or blank for the default region); closed at shutdown. */
    public EcsClient ecs(String region) {
        return ecs(region, Identity.OPERATOR);
    }

    /** The ECS client of a region signing as {@code identity}; closed at shutdown. */
    public EcsClient ecs(String region, Identity identity) {
        return ecs.computeIfAbsent(key(region, identity), k -> configure(EcsClient.builder().region(k.region()), k.identity()).build());
    }

    /** The operator's own ELBv2 client of a region (null or blank for the default region); closed at shutdown. */
    public ElasticLoadBalancingV2Client elb(String region) {
        return elb(region, Identity.OPERATOR);
    }

    /** The ELBv2 client of a region signing as {@code identity}; closed at shutdown. */
    public ElasticLoadBalancingV2Client elb(String region, Identity identity) {
        return elb.computeIfAbsent(key(region, identity),
                k -> configure(ElasticLoadBalancingV2Client.builder().region(k.region()), k.identity()).build());
    }

    /** The operator's own CloudWatch client of a region (null or blank for the default region); closed at shutdown. */
    public CloudWatchClient cloudWatch(String region) {
        return cloudWatch(region, Identity.OPERATOR);
    }

    /** The CloudWatch client of a region signing as {@code identity}; closed at shutdown. */
    public CloudWatchClient cloudWatch(String region, Identity identity) {
        return cloudWatch.computeIfAbsent(key(region, identity),
                k -> configure(CloudWatchClient.builder().region(k.region()), k.identity()).build());
    }

    /** The operator's own Lambda client of a region (see {@link #lambda(String, Identity)}). */
    public LambdaClient lambda(String region) {
        return lambda(region, Identity.OPERATOR);
    }

    /**
     * The Lambda client of a region signing as {@code identity}; closed at shutdown.
     * A synchronous invoke answers when the function ends, up to Lambda's 15-minute limit, so the read
     * timeout is longer than that (the hook's own timeout cuts a call short): with the default 30 s, a
     * slow function's call would time out on the wire and be retried, running the function twice.
     */
    public LambdaClient lambda(String region, Identity identity) {
        return lambda.computeIfAbsent(key(region, identity), k -> configure(LambdaClient.builder().region(k.region()), k.identity())
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(LAMBDA_READ_TIMEOUT).build()).build());
    }

    /** The Application Auto Scaling client of a region signing as {@code identity}; closed at shutdown. */
    public ApplicationAutoScalingClient autoScaling(String region, Identity identity) {
        return autoScaling.computeIfAbsent(key(region, identity),
                k -> configure(ApplicationAutoScalingClient.builder().region(k.region()), k.identity()).build());
    }

    private Key key(String region, Identity identity) {
        return new Key(region(region), identity);
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

    /**
     * The DynamoDB client of the lease table, in the default region, with the operator's own credentials.
     * Standard retries, not adaptive: a lease renewal that waits on a client-side rate limiter would
     * outlast the lease.
     */
    public synchronized DynamoDbClient dynamoDb() {
        if (dynamoDb == null) {
            dynamoDb = configure(DynamoDbClient.builder().region(region(null)))
                    .overrideConfiguration(overrides().toBuilder().retryStrategy(RetryMode.STANDARD).build()).build();
        }
        return dynamoDb;
    }

    /** Credentials, HTTP client, endpoint override, retries and call counting: what every client shares. */
    private <B extends AwsSyncClientBuilder<B, ?> & AwsClientBuilder<B, ?>> B configure(B builder) {
        return configure(builder, Identity.OPERATOR);
    }

    private <B extends AwsSyncClientBuilder<B, ?> & AwsClientBuilder<B, ?>> B configure(B builder, Identity identity) {
        builder.credentialsProvider(identity.assumed() ? roles().credentials(identity) : credentials)
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(overrides());
        config.endpointOverride().ifPresent(builder::endpointOverride);
        return builder;
    }

    /**
     * The sessions of assumed roles, asked for through an STS client of the default region that signs with
     * the operator's own credentials; made on first use, so an operator without cross-account services
     * never calls STS.
     */
    private synchronized AssumedRoles roles() {
        if (roles == null) {
            sts = configure(StsClient.builder().region(region(null))).build();
            roles = new AssumedRoles(sts, clock);
        }
        return roles;
    }

    /** A new S3 client of a region, for a caller that owns and closes it. */
    public S3Client newS3(String region) {
        return buildS3(region(region));
    }

    /**
     * A new SQS client of a region, for the event consumer, which owns and closes it. Its calls are counted
     * like every other; a long poll ({@code WaitTimeSeconds} up to 20 s) fits the HTTP client's 30 s read timeout.
     */
    public SqsClient newSqs(String region) {
        return configure(SqsClient.builder().region(region(region))).build();
    }

    private S3Client buildS3(Region r) {
        return configure(S3Client.builder().region(r).forcePathStyle(config.s3PathStyle())).build();
    }

    /**
     * Adaptive retries (client-side slowing on throttling) and call and attempt counting, for every client:
     * attempts reach the metrics only through the SDK's metric publisher (see {@link AwsCallMetrics}).
     */
    ClientOverrideConfiguration overrides() {
        ClientOverrideConfiguration.Builder b = ClientOverrideConfiguration.builder()
                .retryStrategy(RetryMode.ADAPTIVE_V2)
                .addExecutionInterceptor(metrics)
                .addMetricPublisher(metrics);
        if (userAgent != null) b.putAdvancedOption(SdkAdvancedClientOption.USER_AGENT_SUFFIX, userAgent);
        return b.build();
    }

    @Override
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
        autoScaling.values().forEach(ApplicationAutoScalingClient::close);
        autoScaling.clear();
        sns.values().forEach(SnsClient::close);
        sns.clear();
        synchronized (this) {
            if (dynamoDb != null) dynamoDb.close();
            dynamoDb = null;
        }
        synchronized (this) {
            if (roles != null) roles.close();
            if (sts != null) sts.close();
            roles = null;
            sts = null;
        }
    }
}

package io.ecsbluegreen.conformance;

import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * A real AWS account: credentials and region from the SDK's default chains ({@code AWS_PROFILE},
 * {@code AWS_REGION}, SSO, instance roles...), the network from system properties (deploy/conformance/run.sh
 * finds the default VPC's with the AWS CLI). Everything missing is said before anything is made.
 */
final class AwsAccount implements Account {
    /** nginx from the ECR Public Gallery: answers 200 on port 80 at {@code /}, no registry credentials needed. */
    static final String HEALTHY_IMAGE = "public.ecr.aws/nginx/nginx:stable";
    /** busybox's default command is {@code sh}, which exits at once without a terminal: never healthy. */
    static final String BROKEN_IMAGE = "public.ecr.aws/docker/library/busybox:stable";

    static final String VPC = "conformance.vpc", SUBNETS = "conformance.subnets", SECURITY_GROUPS = "conformance.securityGroups";

    private final Region region;
    private final Network network;
    private final Clients clients;

    private AwsAccount(Region region, AwsCredentialsProvider credentials, Network network) {
        this.region = region;
        this.network = network;
        // The SDK's standard retries (3 attempts, backoff): real AWS throttles, and time here is real.
        this.clients = new Clients(region, credentials, null, ClientOverrideConfiguration.builder().build());
    }

    /** @throws IllegalStateException naming what is missing: credentials, region, network, or access */
    static AwsAccount fromEnvironment() {
        Region region;
        try {
            region = DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (SdkException e) {
            throw missing("no AWS region: set AWS_REGION or a profile's region (" + e.getMessage() + ")");
        }
        AwsCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
        try (StsClient sts = StsClient.builder().region(region).credentialsProvider(credentials)
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build()) {
            credentials.resolveCredentials();
            sts.getCallerIdentity();
        } catch (SdkException e) {
            throw missing("no usable AWS credentials (environment, AWS_PROFILE, SSO or instance role): " + e.getMessage());
        }
        String vpc = System.getProperty(VPC, "");
        List<String> subnets = list(SUBNETS);
        List<String> groups = list(SECURITY_GROUPS);
        if (vpc.isBlank() || subnets.size() < 2 || groups.isEmpty()) {
            throw missing("-D" + VPC + ", -D" + SUBNETS + " (two or more, comma-separated, in different zones) and -D"
                    + SECURITY_GROUPS + " are needed; deploy/conformance/run.sh finds the default VPC's");
        }
        return new AwsAccount(region, credentials, new Network(vpc, subnets, groups, true));
    }

    private static List<String> list(String property) {
        return Arrays.stream(System.getProperty(property, "").split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static IllegalStateException missing(String what) {
        return new IllegalStateException("-D" + AWS + "=true: " + what + ". Nothing was created.");
    }

    @Override public EcsClient ecs() { return clients.ecs; }
    @Override public ElasticLoadBalancingV2Client elb() { return clients.elb; }
    @Override public CloudWatchClient cloudWatch() { return clients.cloudWatch; }
    @Override public LambdaClient lambda() { return clients.lambda; }

    @Override
    public String region() {
        return region.id();
    }

    @Override
    public Network network() {
        return network;
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Override
    public boolean simulated() {
        return false;
    }

    @Override
    public void waitFor(String what, Duration max, Duration step, BooleanSupplier condition) {
        await(what).atMost(max).pollDelay(Duration.ZERO).pollInterval(step).until(condition::getAsBoolean);
    }

    @Override
    public String healthyImage() {
        return HEALTHY_IMAGE;
    }

    @Override
    public String brokenImage() {
        return BROKEN_IMAGE;
    }

    @Override
    public void close() {
        clients.close();
    }
}

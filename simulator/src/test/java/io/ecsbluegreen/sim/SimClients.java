package io.ecsbluegreen.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;

/** Real SDK v2 clients pointed at a simulator, as the operator would build them. */
public final class SimClients {

    public static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDSIMULATOR", "secret"));

    private SimClients() {}

    /** An S3 client with path-style addressing and the SDK's default retries. */
    public static S3Client s3(AwsSimulator sim) {
        return s3(sim, true, null);
    }

    /** An S3 client that surfaces the first error instead of retrying. */
    public static S3Client s3WithoutRetries(AwsSimulator sim) {
        return s3(sim, false, null);
    }

    /** An S3 client that records every request it sends, after signing. */
    public static S3Client s3Recording(AwsSimulator sim, RequestRecorder recorder) {
        return s3(sim, true, recorder);
    }

    private static S3Client s3(AwsSimulator sim, boolean retries, RequestRecorder recorder) {
        return S3Client.builder()
                .endpointOverride(sim.endpoint())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> {
                    if (!retries) {
                        o.retryStrategy(AwsRetryStrategy.doNotRetry());
                    }
                    if (recorder != null) {
                        o.addExecutionInterceptor(recorder);
                    }
                })
                .build();
    }

    public static StsClient sts(AwsSimulator sim) {
        return sts(sim, true);
    }

    public static StsClient stsWithoutRetries(AwsSimulator sim) {
        return sts(sim, false);
    }

    private static StsClient sts(AwsSimulator sim, boolean retries) {
        return StsClient.builder()
                .endpointOverride(sim.endpoint())
                .region(Region.EU_WEST_1)
                .credentialsProvider(CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> {
                    if (!retries) {
                        o.retryStrategy(AwsRetryStrategy.doNotRetry());
                    }
                })
                .build();
    }

    /** An ECS client in eu-west-1 that surfaces the first error instead of retrying. */
    public static EcsClient ecsWithoutRetries(AwsSimulator sim) {
        return EcsClient.builder()
                .endpointOverride(sim.endpoint())
                .region(Region.EU_WEST_1)
                .credentialsProvider(CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /** Captures the signed HTTP requests a client transmits. */
    public static final class RequestRecorder implements ExecutionInterceptor {

        private final List<SdkHttpRequest> requests = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            requests.add(context.httpRequest());
        }

        public List<SdkHttpRequest> requests() {
            return List.copyOf(requests);
        }

        public SdkHttpRequest last() {
            return requests.get(requests.size() - 1);
        }
    }
}

package io.ecsbluegreen.sim.elb;

import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.SimClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/** Real SDK v2 ELBv2 clients and plain HTTP clients for the data plane. */
final class ElbClients {

    private ElbClients() {}

    /** An ELBv2 client in us-east-1 that surfaces the first error instead of retrying. */
    static ElasticLoadBalancingV2Client elb(AwsSimulator sim) {
        return elb(sim, Region.US_EAST_1);
    }

    static ElasticLoadBalancingV2Client elb(AwsSimulator sim, Region region) {
        return ElasticLoadBalancingV2Client.builder()
                .endpointOverride(sim.endpoint())
                .region(region)
                .credentialsProvider(SimClients.CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /** A keep-alive HTTP/1.1 client for sending traffic through listeners. */
    static HttpClient http() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    }

    static HttpResponse<String> get(HttpClient http, String url) {
        return send(http, HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build());
    }

    static HttpResponse<String> send(HttpClient http, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package io.ecsbluegreen.source.backends;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecsbluegreen.source.S3Source;
import io.ecsbluegreen.source.SourceException;
import io.ecsbluegreen.source.SourceFile;
import io.ecsbluegreen.source.SourceListing;
import io.ecsbluegreen.source.SourceUri;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 source's scenarios, written once against the S3 wire protocol only (seeding through the SDK,
 * counting calls with an SDK interceptor), so the same bodies run against the project's simulator
 * everywhere and against LocalStack or Floci where Docker exists.
 */
public abstract class S3SourceScenarios {

    protected abstract S3Backend backend();

    private S3Client s3;
    private final AtomicInteger gets = new AtomicInteger();
    private final String bucket = "deploy-" + Long.toHexString(System.nanoTime());

    @BeforeEach
    void connect() {
        S3Backend b = backend();
        s3 = S3Client.builder()
                .endpointOverride(b.endpoint())
                .region(Region.of(b.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(b.accessKey(), b.secretKey())))
                .httpClient(UrlConnectionHttpClient.create())
                .forcePathStyle(true)
                .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                        if ("GetObject".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
                            gets.incrementAndGet();
                        }
                    }
                }))
                .build();
        s3.createBucket(r -> r.bucket(bucket));
    }

    @AfterEach
    void disconnect() {
        s3.close();
    }

    private void put(String key, String content) {
        s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(content));
    }

    private S3Source source(String prefix) {
        return new S3Source((SourceUri.S3) SourceUri.parse("s3://" + bucket + "/" + prefix), s3);
    }

    @Test
    void listsEveryYamlObjectBelowThePrefixAcrossPagesAndDownloadsOnlyChangedOnes() throws SourceException {
        // More than one ListObjectsV2 page (1,000 keys) of other objects around the YAML files.
        for (int i = 0; i < 1_010; i++) {
            put("prod/assets/blob-" + String.format("%04d", i) + ".txt", "x");
        }
        put("prod/shop.yaml", "shop: 1\n");
        put("prod/team/cart.yml", "cart: 1\n");
        put("prod/zz-last.yaml", "last: 1\n");
        put("staging/shop.yaml", "not under the prefix\n");
        S3Source source = source("prod/");

        SourceListing first = source.fetch();
        assertThat(first.files()).extracting(SourceFile::path).containsExactly("shop.yaml", "team/cart.yml", "zz-last.yaml");
        assertThat(first.files().get(1).location()).isEqualTo("s3://" + bucket + "/prod/team/cart.yml");
        assertThat(gets.get()).isEqualTo(3);

        gets.set(0);
        SourceListing unchanged = source.fetch();
        assertThat(gets.get()).as("no object changed, none downloaded").isZero();
        assertThat(unchanged.revision()).isEqualTo(first.revision());

        put("prod/team/cart.yml", "cart: 2\n");
        s3.deleteObject(r -> r.bucket(bucket).key("prod/zz-last.yaml"));
        gets.set(0);
        SourceListing changed = source.fetch();
        assertThat(gets.get()).as("only the changed object").isEqualTo(1);
        assertThat(changed.files()).extracting(SourceFile::path).containsExactly("shop.yaml", "team/cart.yml");
        assertThat(new String(changed.files().get(1).content())).isEqualTo("cart: 2\n");
        assertThat(changed.revision()).isNotEqualTo(first.revision());
    }

    @Test
    void aMissingBucketIsASourceErrorNamingTheBucket() {
        S3Source source = new S3Source((SourceUri.S3) SourceUri.parse("s3://no-such-bucket-" + bucket + "/x/"), s3);
        assertThatThrownBy(source::fetch).isInstanceOf(SourceException.class).hasMessageContaining("does not exist");
    }
}

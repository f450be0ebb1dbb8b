package io.ecsbluegreen.sim.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.RawHttp;
import io.ecsbluegreen.sim.SimClients;
import io.ecsbluegreen.sim.SimulatorConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Every S3 action through the real SDK v2 client, against a simulator on an ephemeral port. */
class S3ServiceTest {

    private static final Instant START = Instant.parse("2025-03-01T12:00:00Z");
    private static final String BUCKET = "specs";

    private AwsSimulator sim;
    private S3Client s3;

    @BeforeEach
    void start() {
        sim = AwsSimulator.start(SimulatorConfig.defaults().withClockStart(START));
        s3 = SimClients.s3WithoutRetries(sim);
    }

    @AfterEach
    void stop() {
        s3.close();
        sim.close();
    }

    // --- buckets ---------------------------------------------------------------------------------

    @Test
    void createBucketMakesTheBucketListable() {
        s3.createBucket(b -> b.bucket(BUCKET));

        var buckets = s3.listBuckets().buckets();

        assertThat(buckets).singleElement().satisfies(bucket -> {
            assertThat(bucket.name()).isEqualTo(BUCKET);
            assertThat(bucket.creationDate()).isEqualTo(START);
        });
        assertThat(sim.s3().bucketExists(BUCKET)).isTrue();
    }

    @Test
    void createBucketTwiceAnswersBucketAlreadyOwnedByYou() {
        s3.createBucket(b -> b.bucket(BUCKET));

        assertThatThrownBy(() -> s3.createBucket(b -> b.bucket(BUCKET)))
                .isInstanceOfSatisfying(BucketAlreadyOwnedByYouException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(409));
    }

    @Test
    void createBucketWithALocationConstraintRecordsTheRegion() {
        s3.createBucket(b -> b.bucket(BUCKET)
                .createBucketConfiguration(c -> c.locationConstraint(BucketLocationConstraint.EU_WEST_1)));

        assertThat(s3.headBucket(b -> b.bucket(BUCKET)).bucketRegion()).isEqualTo("eu-west-1");
    }

    @Test
    void createBucketWithAnInvalidNameAnswersInvalidBucketName() {
        // The SDK refuses such names before sending; other clients may not.
        var response = new RawHttp(sim).send("PUT", "/Bad_Bucket", Map.of("Authorization", RawHttp.authorization("s3")),
                new byte[0]);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("<Code>InvalidBucketName</Code>", "<BucketName>Bad_Bucket</BucketName>");
    }

    @Test
    void headBucketOfAMissingBucketAnswersNoSuchBucket() {
        assertThatThrownBy(() -> s3.headBucket(b -> b.bucket("missing")))
                .isInstanceOfSatisfying(NoSuchBucketException.class, e -> assertThat(e.statusCode()).isEqualTo(404));
    }

    @Test
    void deleteBucketRemovesAnEmptyBucket() {
        s3.createBucket(b -> b.bucket(BUCKET));

        s3.deleteBucket(b -> b.bucket(BUCKET));

        assertThat(s3.listBuckets().buckets()).isEmpty();
    }

    @Test
    void deleteBucketHoldingObjectsAnswersBucketNotEmpty() {
        sim.s3().putObject(BUCKET, "a", "x");

        assertThatThrownBy(() -> s3.deleteBucket(b -> b.bucket(BUCKET)))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(409);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BucketNotEmpty");
                });
    }

    // --- objects ---------------------------------------------------------------------------------

    @Test
    void putObjectThenGetObjectReturnsTheSameBytes() throws Exception {
        s3.createBucket(b -> b.bucket(BUCKET));
        byte[] content = randomBytes(100_000);

        var put = s3.putObject(b -> b.bucket(BUCKET).key("blob.bin"), RequestBody.fromBytes(content));
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("blob.bin"));

        String md5 = '"' + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content)) + '"';
        assertThat(got.asByteArray()).isEqualTo(content);
        assertThat(put.eTag()).isEqualTo(md5);
        assertThat(got.response().eTag()).isEqualTo(md5);
        assertThat(got.response().contentLength()).isEqualTo(content.length);
        assertThat(got.response().lastModified()).isEqualTo(START);
        assertThat(sim.s3().getObject(BUCKET, "blob.bin")).get()
                .satisfies(o -> assertThat(o.content()).isEqualTo(content));
    }

    @Test
    void putObjectIsSentAwsChunkedAndStoredWithoutTheChunkFraming() {
        var recorder = new SimClients.RequestRecorder();
        try (S3Client recording = SimClients.s3Recording(sim, recorder)) {
            recording.createBucket(b -> b.bucket(BUCKET));
            byte[] content = randomBytes(300_000); // several of the SDK's 128 KiB chunks

            recording.putObject(b -> b.bucket(BUCKET).key("big.bin"), RequestBody.fromBytes(content));

            var sent = recorder.last();
            assertThat(sent.firstMatchingHeader("Content-Encoding")).hasValue("aws-chunked");
            assertThat(sent.firstMatchingHeader("x-amz-content-sha256")).get().asString().startsWith("STREAMING-");
            assertThat(sent.firstMatchingHeader("x-amz-trailer")).hasValue("x-amz-checksum-crc32");
            S3Object stored = sim.s3().getObject(BUCKET, "big.bin").orElseThrow();
            assertThat(stored.content()).isEqualTo(content);
            assertThat(stored.contentEncoding()).isNull();
            assertThat(stored.checksumAlgorithm()).isEqualTo(ChecksumAlgorithm.CRC32);
            assertThat(recording.getObjectAsBytes(b -> b.bucket(BUCKET).key("big.bin")).asByteArray()).isEqualTo(content);
        }
    }

    @Test
    void putObjectStoresContentTypeAndUserMetadata() {
        s3.createBucket(b -> b.bucket(BUCKET));

        s3.putObject(b -> b.bucket(BUCKET).key("web.yaml").contentType("application/yaml")
                .metadata(Map.of("owner", "team-a")), RequestBody.fromString("kind: Service"));
        GetObjectResponse got = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("web.yaml")).response();

        assertThat(got.contentType()).isEqualTo("application/yaml");
        assertThat(got.metadata()).containsExactly(Map.entry("owner", "team-a"));
    }

    @ParameterizedTest
    @EnumSource(names = {"CRC32", "CRC32_C", "SHA1", "SHA256"})
    void getObjectWithChecksumModePassesTheSdkValidationForEveryChecksumAlgorithm(
            software.amazon.awssdk.services.s3.model.ChecksumAlgorithm algorithm) {
        s3.createBucket(b -> b.bucket(BUCKET));
        byte[] content = randomBytes(20_000);
        s3.putObject(b -> b.bucket(BUCKET).key("k").checksumAlgorithm(algorithm), RequestBody.fromBytes(content));

        var got = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("k").checksumMode(ChecksumMode.ENABLED));

        assertThat(got.asByteArray()).isEqualTo(content);
        assertThat(sim.s3().getObject(BUCKET, "k").orElseThrow().checksumAlgorithm().name())
                .isEqualTo(algorithm.name().replace("_", ""));
    }

    @Test
    void getObjectWithChecksumModeValidatesSeededObjects() {
        sim.s3().putObject(BUCKET, "seeded.txt", "seeded content");

        var got = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("seeded.txt").checksumMode(ChecksumMode.ENABLED));

        assertThat(got.asUtf8String()).isEqualTo("seeded content");
        assertThat(got.response().checksumCRC32()).isEqualTo(ChecksumAlgorithm.CRC32.compute(got.asByteArray()));
    }

    @Test
    void putObjectIntoAMissingBucketAnswersNoSuchBucket() {
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket("missing").key("k"), RequestBody.fromString("x")))
                .isInstanceOfSatisfying(NoSuchBucketException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchBucket");
                });
    }

    @Test
    void putObjectWithAWrongContentMd5AnswersBadDigest() {
        s3.createBucket(b -> b.bucket(BUCKET));

        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(BUCKET).key("k").contentMD5("1B2M2Y8AsgTpgAmY7PhCfg=="),
                RequestBody.fromString("not empty")))
                .isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BadDigest"));
    }

    @Test
    void putObjectWithIfNoneMatchStarCreatesOnlyOnce() {
        s3.createBucket(b -> b.bucket(BUCKET));
        s3.putObject(b -> b.bucket(BUCKET).key("lock").ifNoneMatch("*"), RequestBody.fromString("owner-1"));

        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(BUCKET).key("lock").ifNoneMatch("*"),
                RequestBody.fromString("owner-2")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(412);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("PreconditionFailed");
                });
        assertThat(sim.s3().getObject(BUCKET, "lock").orElseThrow().contentAsString()).isEqualTo("owner-1");
    }

    @Test
    void putObjectWithIfMatchReplacesOnlyTheExpectedVersion() {
        String v1 = sim.s3().putObject(BUCKET, "lease", "v1").eTag();
        s3.putObject(b -> b.bucket(BUCKET).key("lease").ifMatch(v1), RequestBody.fromString("v2"));

        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(BUCKET).key("lease").ifMatch(v1),
                RequestBody.fromString("v3")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(BUCKET).key("absent").ifMatch(v1),
                RequestBody.fromString("x")))
                .isInstanceOf(NoSuchKeyException.class);
        assertThat(sim.s3().getObject(BUCKET, "lease").orElseThrow().contentAsString()).isEqualTo("v2");
    }

    @Test
    void concurrentCreateOnlyWritesHaveExactlyOneWinner() throws Exception {
        s3.createBucket(b -> b.bucket(BUCKET));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> attempts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String owner = "owner-" + i;
                attempts.add(pool.submit(() -> {
                    try {
                        s3.putObject(b -> b.bucket(BUCKET).key("lock").ifNoneMatch("*"), RequestBody.fromString(owner));
                        return true;
                    } catch (S3Exception e) {
                        return false;
                    }
                }));
            }
            long winners = 0;
            for (Future<Boolean> attempt : attempts) {
                winners += attempt.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void getObjectOfAMissingKeyAnswersNoSuchKey() {
        s3.createBucket(b -> b.bucket(BUCKET));

        assertThatThrownBy(() -> s3.getObject(b -> b.bucket(BUCKET).key("missing.yaml")))
                .isInstanceOfSatisfying(NoSuchKeyException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchKey");
                    assertThat(e.requestId()).isNotBlank();
                });
    }

    @Test
    void errorsCarryTheAwsXmlErrorDocument() {
        s3.createBucket(b -> b.bucket(BUCKET));

        var response = new RawHttp(sim).send("GET", "/" + BUCKET + "/missing.yaml",
                Map.of("Authorization", RawHttp.authorization("s3")), new byte[0]);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/xml");
        assertThat(response.headers().firstValue("x-amz-request-id")).isPresent();
        assertThat(response.body())
                .startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code>")
                .contains("<Message>The specified key does not exist.</Message>", "<Key>missing.yaml</Key>",
                        "<RequestId>");
    }

    @Test
    void getObjectOfAMissingBucketAnswersNoSuchBucket() {
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket("missing").key("k")))
                .isInstanceOf(NoSuchBucketException.class);
    }

    @Test
    void getObjectWithAMatchingIfNoneMatchAnswersNotModified() {
        String eTag = sim.s3().putObject(BUCKET, "web.yaml", "v1").eTag();

        assertThatThrownBy(() -> s3.getObject(b -> b.bucket(BUCKET).key("web.yaml").ifNoneMatch(eTag)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(304));
    }

    @Test
    void getObjectWithAStaleIfNoneMatchReturnsTheObject() {
        String oldTag = sim.s3().putObject(BUCKET, "web.yaml", "v1").eTag();
        sim.s3().putObject(BUCKET, "web.yaml", "v2");

        var got = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("web.yaml").ifNoneMatch(oldTag));

        assertThat(got.asUtf8String()).isEqualTo("v2");
    }

    @Test
    void getObjectWithAFailingIfMatchAnswersPreconditionFailed() {
        sim.s3().putObject(BUCKET, "web.yaml", "v1");

        assertThatThrownBy(() -> s3.getObject(b -> b.bucket(BUCKET).key("web.yaml").ifMatch("\"0000\"")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(412);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("PreconditionFailed");
                });
    }

    @Test
    void getObjectWithIfModifiedSinceComparesWithTheSimulatedClock() {
        sim.s3().putObject(BUCKET, "web.yaml", "v1");

        assertThatThrownBy(() -> s3.getObject(b -> b.bucket(BUCKET).key("web.yaml").ifModifiedSince(START)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(304));
        sim.clock().advance(Duration.ofMinutes(1));
        sim.s3().putObject(BUCKET, "web.yaml", "v2");
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("web.yaml").ifModifiedSince(START)).asUtf8String())
                .isEqualTo("v2");
    }

    @Test
    void getObjectWithARangeReturnsThoseBytes() {
        sim.s3().putObject(BUCKET, "k", "0123456789");

        var got = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("k").range("bytes=2-5"));

        assertThat(got.asUtf8String()).isEqualTo("2345");
        assertThat(got.response().contentRange()).isEqualTo("bytes 2-5/10");
        assertThat(got.response().contentLength()).isEqualTo(4);
    }

    @Test
    void getObjectWithAnUnsatisfiableRangeAnswersInvalidRange() {
        sim.s3().putObject(BUCKET, "k", "0123456789");

        assertThatThrownBy(() -> s3.getObject(b -> b.bucket(BUCKET).key("k").range("bytes=10-")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(416);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRange");
                });
    }

    @Test
    void headObjectReturnsTheMetadataWithoutTheBody() {
        s3.createBucket(b -> b.bucket(BUCKET));
        s3.putObject(b -> b.bucket(BUCKET).key("web.yaml").metadata(Map.of("rev", "7")),
                RequestBody.fromString("kind: Service"));

        HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key("web.yaml"));

        assertThat(head.contentLength()).isEqualTo(13);
        assertThat(head.eTag()).isEqualTo(sim.s3().getObject(BUCKET, "web.yaml").orElseThrow().eTag());
        assertThat(head.lastModified()).isEqualTo(START);
        assertThat(head.metadata()).containsEntry("rev", "7");
    }

    @Test
    void headObjectOfAMissingKeyAnswersNoSuchKey() {
        s3.createBucket(b -> b.bucket(BUCKET));

        assertThatThrownBy(() -> s3.headObject(b -> b.bucket(BUCKET).key("missing")))
                .isInstanceOfSatisfying(NoSuchKeyException.class, e -> assertThat(e.statusCode()).isEqualTo(404));
    }

    @Test
    void deleteObjectRemovesTheObject() {
        sim.s3().putObject(BUCKET, "web.yaml", "v1");

        s3.deleteObject(b -> b.bucket(BUCKET).key("web.yaml"));

        assertThat(sim.s3().getObject(BUCKET, "web.yaml")).isEmpty();
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket(BUCKET).key("web.yaml")))
                .isInstanceOf(NoSuchKeyException.class);
    }

    @Test
    void deleteObjectOfAMissingKeySucceedsAsInS3() {
        s3.createBucket(b -> b.bucket(BUCKET));

        s3.deleteObject(b -> b.bucket(BUCKET).key("never-existed"));

        assertThat(sim.stats().calls("s3", "DeleteObject")).isEqualTo(1);
    }

    @Test
    void deleteObjectInAMissingBucketAnswersNoSuchBucket() {
        assertThatThrownBy(() -> s3.deleteObject(b -> b.bucket("missing").key("k")))
                .isInstanceOf(NoSuchBucketException.class);
    }

    @Test
    void keysWithSpecialCharactersRoundTrip() {
        s3.createBucket(b -> b.bucket(BUCKET));
        String key = "dir/a b+c%d&e=f/\u00fc\u00df/\uD83D\uDE00 [1].yaml";

        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString("odd"));

        assertThat(sim.s3().keys(BUCKET)).containsExactly(key);
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String()).isEqualTo("odd");
        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET)).contents()).singleElement()
                .satisfies(o -> assertThat(o.key()).isEqualTo(key));
    }

    // --- listings --------------------------------------------------------------------------------

    @Test
    void listObjectsV2ListsKeysWithSizeETagAndLastModified() {
        S3Object seeded = sim.s3().putObject(BUCKET, "a.yaml", "abc");

        ListObjectsV2Response listing = s3.listObjectsV2(b -> b.bucket(BUCKET));

        assertThat(listing.keyCount()).isEqualTo(1);
        assertThat(listing.isTruncated()).isFalse();
        assertThat(listing.nextContinuationToken()).isNull();
        assertThat(listing.contents()).singleElement().satisfies(o -> {
            assertThat(o.key()).isEqualTo("a.yaml");
            assertThat(o.size()).isEqualTo(3);
            assertThat(o.eTag()).isEqualTo(seeded.eTag());
            assertThat(o.lastModified()).isEqualTo(START);
        });
    }

    @Test
    void listObjectsV2FiltersByPrefix() {
        List.of("services/a.yaml", "services/b.yaml", "servicesx.yaml", "other/c.yaml")
                .forEach(k -> sim.s3().putObject(BUCKET, k, "x"));

        ListObjectsV2Response listing = s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("services/"));

        assertThat(listing.contents()).extracting(o -> o.key()).containsExactly("services/a.yaml", "services/b.yaml");
        assertThat(listing.prefix()).isEqualTo("services/");
    }

    @Test
    void listObjectsV2RollsUpCommonPrefixesAtTheDelimiter() {
        List.of("root.yaml", "a/1.yaml", "a/2.yaml", "b/c/3.yaml").forEach(k -> sim.s3().putObject(BUCKET, k, "x"));

        ListObjectsV2Response listing = s3.listObjectsV2(b -> b.bucket(BUCKET).delimiter("/"));

        assertThat(listing.contents()).extracting(o -> o.key()).containsExactly("root.yaml");
        assertThat(listing.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("a/", "b/");
        assertThat(listing.keyCount()).isEqualTo(3);
    }

    @Test
    void listObjectsV2PaginatesWithContinuationTokens() {
        IntStream.range(0, 25).forEach(i -> sim.s3().putObject(BUCKET, String.format("k%02d", i), "x"));

        List<ListObjectsV2Response> pages = new ArrayList<>();
        String token = null;
        for (int guard = 0; guard < 10; guard++) {
            String current = token;
            ListObjectsV2Response page = s3.listObjectsV2(b -> b.bucket(BUCKET).maxKeys(10).continuationToken(current));
            pages.add(page);
            token = page.nextContinuationToken();
            if (!page.isTruncated()) {
                break;
            }
        }

        assertThat(pages).extracting(ListObjectsV2Response::keyCount).containsExactly(10, 10, 5);
        assertThat(pages).extracting(ListObjectsV2Response::isTruncated).containsExactly(true, true, false);
        assertThat(pages.get(0).nextContinuationToken()).isNotBlank();
        assertThat(pages.get(1).continuationToken()).isEqualTo(pages.get(0).nextContinuationToken());
        assertThat(pages.get(2).nextContinuationToken()).isNull();
        assertThat(pages.stream().flatMap(p -> p.contents().stream()).map(o -> o.key()))
                .containsExactlyElementsOf(IntStream.range(0, 25).mapToObj(i -> String.format("k%02d", i)).toList());
    }

    @Test
    void theSdkPaginatorWalksEveryPage() {
        IntStream.range(0, 7).forEach(i -> sim.s3().putObject(BUCKET, "p/" + i, "x"));

        var keys = s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("p/").maxKeys(3)).contents().stream()
                .map(o -> o.key()).toList();

        assertThat(keys).containsExactly("p/0", "p/1", "p/2", "p/3", "p/4", "p/5", "p/6");
        assertThat(sim.stats().calls("s3", "ListObjectsV2")).isEqualTo(3);
    }

    @Test
    void listObjectsV2PaginatesCommonPrefixesWithoutRepeatingThem() {
        List.of("a/1", "a/2", "a/3", "b", "c/1", "c/2").forEach(k -> sim.s3().putObject(BUCKET, k, "x"));

        List<String> entries = new ArrayList<>();
        String token = null;
        for (int guard = 0; guard < 10; guard++) {
            String current = token;
            ListObjectsV2Response page = s3.listObjectsV2(b -> b.bucket(BUCKET).delimiter("/").maxKeys(1)
                    .continuationToken(current));
            page.commonPrefixes().forEach(p -> entries.add(p.prefix()));
            page.contents().forEach(o -> entries.add(o.key()));
            token = page.nextContinuationToken();
            if (!page.isTruncated()) {
                break;
            }
        }

        assertThat(entries).containsExactly("a/", "b", "c/");
    }

    @Test
    void listObjectsV2StartsAfterTheGivenKey() {
        List.of("a", "b", "c").forEach(k -> sim.s3().putObject(BUCKET, k, "x"));

        ListObjectsV2Response listing = s3.listObjectsV2(b -> b.bucket(BUCKET).startAfter("a"));

        assertThat(listing.contents()).extracting(o -> o.key()).containsExactly("b", "c");
        assertThat(listing.startAfter()).isEqualTo("a");
    }

    @Test
    void listObjectsV2WithMaxKeysZeroAnswersAnEmptyUntruncatedPage() {
        sim.s3().putObject(BUCKET, "a", "x");

        ListObjectsV2Response listing = s3.listObjectsV2(b -> b.bucket(BUCKET).maxKeys(0));

        assertThat(listing.keyCount()).isZero();
        assertThat(listing.isTruncated()).isFalse();
    }

    @Test
    void listObjectsV2WithUrlEncodingRoundTripsKeysTheSdkDecodes() {
        String key = "dir/a b+c&d.yaml";
        sim.s3().putObject(BUCKET, key, "x");

        ListObjectsV2Response listing = s3.listObjectsV2(b -> b.bucket(BUCKET).encodingType(EncodingType.URL));

        assertThat(listing.contents()).extracting(o -> o.key()).containsExactly(key);
    }

    @Test
    void listObjectsV2OrdersKeysByTheirUtf8Bytes() {
        // U+FFFD sorts before U+1F600 in UTF-8, but after its surrogate pair in UTF-16.
        sim.s3().putObject(BUCKET, "\uD83D\uDE00", "x");
        sim.s3().putObject(BUCKET, "\uFFFD", "x");

        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET)).contents()).extracting(o -> o.key())
                .containsExactly("\uFFFD", "\uD83D\uDE00");
    }

    @Test
    void listObjectsV2WithAnInvalidContinuationTokenAnswersInvalidArgument() {
        sim.s3().createBucket(BUCKET);

        assertThatThrownBy(() -> s3.listObjectsV2(b -> b.bucket(BUCKET).continuationToken("not-a-token!")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidArgument");
                });
    }

    @Test
    void listObjectsV2OfAMissingBucketAnswersNoSuchBucket() {
        assertThatThrownBy(() -> s3.listObjectsV2(b -> b.bucket("missing")))
                .isInstanceOfSatisfying(NoSuchBucketException.class, e -> assertThat(e.statusCode()).isEqualTo(404));
    }

    // --- the rest ----------------------------------------------------------------------------------

    @Test
    void unsupportedOperationsAnswerNotImplemented() {
        sim.s3().putObject(BUCKET, "a", "x");

        assertThatThrownBy(() -> s3.getBucketTagging(b -> b.bucket(BUCKET)))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(501);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NotImplemented");
                });
        assertThatThrownBy(() -> s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("a")
                .destinationBucket(BUCKET).destinationKey("b")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(501));
        assertThatThrownBy(() -> s3.listObjects(b -> b.bucket(BUCKET)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(501));
    }

    @Test
    void objectsSeededFromJavaAreServedAndObjectsPutThroughTheApiAreVisibleToJava() {
        sim.s3().putObject(BUCKET, "seeded.yaml", "from java".getBytes(StandardCharsets.UTF_8));
        s3.putObject(b -> b.bucket(BUCKET).key("put.yaml"), RequestBody.fromString("from the sdk"));

        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("seeded.yaml")).asUtf8String()).isEqualTo("from java");
        assertThat(sim.s3().getObject(BUCKET, "put.yaml")).get()
                .satisfies(o -> assertThat(o.contentAsString()).isEqualTo("from the sdk"));
        assertThat(sim.s3().keys(BUCKET)).containsExactly("put.yaml", "seeded.yaml");
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}

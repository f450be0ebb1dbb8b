package io.ecsbluegreen.source;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.FaultRule;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3Source against the project's AWS simulator over HTTP. Pagination across real 1,000-key pages is
 * covered by {@link io.ecsbluegreen.source.backends.S3SourceScenarios}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Timeout(60)
class S3SourceTest {

    private static final String BUCKET = "acme-deploy";

    private AwsSimulator s3;
    private S3Client client;

    @BeforeEach
    void start() throws Exception {
        s3 = AwsSimulator.start();
        s3.s3().createBucket(BUCKET);
        client = client(s3.endpoint());
    }

    @AfterEach
    void stop() {
        client.close();
        s3.close();
    }

    static S3Client client(URI endpoint) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    private S3Source source(String uri) {
        return new S3Source((SourceUri.S3) SourceUri.parse(uri), client);
    }

    @Test
    void the_yaml_objects_below_the_prefix_are_listed_with_paths_relative_to_it() throws Exception {
        s3.s3().putObject(BUCKET, "services/web.yaml", "name: web\n");
        s3.s3().putObject(BUCKET, "services/eu/api.yml", "name: api\n");
        s3.s3().putObject(BUCKET, "services/README.md", "not a spec\n");
        s3.s3().putObject(BUCKET, "services/.drafts/wip.yaml", "hidden\n");
        s3.s3().putObject(BUCKET, "services-old/web.yaml", "outside the folder prefix\n");
        s3.s3().putObject(BUCKET, "other/web.yaml", "outside the prefix\n");

        SourceListing listing = source("s3://acme-deploy/services").fetch();

        assertThat(listing.files()).extracting(SourceFile::path).containsExactly("eu/api.yml", "web.yaml");
        SourceFile web = listing.files().get(1);
        assertThat(web.content()).asString(UTF_8).isEqualTo("name: web\n");
        assertThat(web.location()).isEqualTo("s3://acme-deploy/services/web.yaml");
        assertThat(web.version()).isEqualTo(md5Hex("name: web\n"));
    }

    @Test
    void the_revision_is_a_sha256_over_the_sorted_keys_and_etags() throws Exception {
        s3.s3().putObject(BUCKET, "services/b.yaml", "b\n");
        s3.s3().putObject(BUCKET, "services/a.yaml", "a\n");

        SourceListing listing = source("s3://acme-deploy/services/").fetch();

        String expected = sha256Hex("services/a.yaml\0" + md5Hex("a\n") + "\nservices/b.yaml\0" + md5Hex("b\n") + "\n");
        assertThat(listing.revision()).isEqualTo(expected);
    }

    @Test
    void an_object_of_an_unversioned_bucket_names_its_etag_as_its_provenance() throws Exception {
        s3.s3().putObject(BUCKET, "services/web.yaml", "name: web\n");

        SourceFile web = source("s3://acme-deploy/services/").fetch().files().get(0);

        assertThat(web.provenance().kind()).isEqualTo(Provenance.S3);
        assertThat(web.provenance().subject()).isEqualTo("etag");
        assertThat(web.provenance().ref()).isEqualTo(md5Hex("name: web\n"));
        assertThat(web.provenance().display()).isEqualTo("s3 etag " + md5Hex("name: web\n"));
        assertThat(Provenance.s3("3sL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY", "abc", null).display())
                .as("a versioned bucket's object names its version id").isEqualTo("s3 version 3sL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY");
    }

    @Test
    void an_object_of_a_versioned_bucket_names_its_version_id_as_its_provenance() throws Exception {
        s3.s3().enableVersioning(BUCKET);
        s3.s3().putObject(BUCKET, "services/web.yaml", "name: web\n");
        String second = s3.s3().putObject(BUCKET, "services/web.yaml", "name: web\nimage: web:2\n").versionId();

        SourceFile web = source("s3://acme-deploy/services/").fetch().files().get(0);

        assertThat(second).isNotBlank().isNotEqualTo("null");
        assertThat(web.provenance().subject()).isEqualTo("version");
        assertThat(web.provenance().ref()).isEqualTo(second);
        assertThat(web.provenance().display()).isEqualTo("s3 version " + second);
    }

    @Test
    void the_same_bytes_uploaded_again_to_a_versioned_bucket_are_read_again_for_their_new_version_id() throws Exception {
        s3.s3().enableVersioning(BUCKET);
        String first = s3.s3().putObject(BUCKET, "services/web.yaml", "name: web\n").versionId();
        S3Source source = source("s3://acme-deploy/services/");
        SourceListing before = source.fetch();
        s3.clock().advance(Duration.ofMinutes(1));
        String again = s3.s3().putObject(BUCKET, "services/web.yaml", "name: web\n").versionId();

        SourceListing after = source.fetch();

        assertThat(again).isNotEqualTo(first);
        assertThat(after.files().get(0).provenance().ref()).as("the version now in the bucket").isEqualTo(again);
        assertThat(after.revision()).as("the same bytes: the same revision, so nothing rolls out").isEqualTo(before.revision());
        assertThat(s3.stats().calls("s3", "GetObject")).isEqualTo(2);
        source.fetch();
        assertThat(s3.stats().calls("s3", "GetObject")).as("read again once, not on every fetch").isEqualTo(2);
    }

    @Test
    void unchanged_objects_are_not_downloaded_again() throws Exception {
        s3.s3().putObject(BUCKET, "services/web.yaml", "name: web\n");
        s3.s3().putObject(BUCKET, "services/api.yaml", "name: api\n");
        S3Source source = source("s3://acme-deploy/services/");
        SourceListing first = source.fetch();
        assertThat(s3.stats().calls("s3", "GetObject")).isEqualTo(2);

        SourceListing second = source.fetch();

        assertThat(s3.stats().calls("s3", "GetObject")).isEqualTo(2);
        assertThat(second).isEqualTo(first);
    }

    @Test
    void an_object_whose_etag_changed_is_downloaded_again_and_only_that_one() throws Exception {
        s3.s3().putObject(BUCKET, "services/web.yaml", "image: v1\n");
        s3.s3().putObject(BUCKET, "services/api.yaml", "name: api\n");
        S3Source source = source("s3://acme-deploy/services/");
        String before = source.fetch().revision();

        s3.s3().putObject(BUCKET, "services/web.yaml", "image: v2\n");
        SourceListing listing = source.fetch();

        assertThat(s3.stats().calls("s3", "GetObject")).isEqualTo(3);
        assertThat(contents(listing)).containsOnly(Map.entry("web.yaml", "image: v2\n"), Map.entry("api.yaml", "name: api\n"));
        assertThat(listing.files()).filteredOn(f -> f.path().equals("web.yaml")).extracting(SourceFile::version)
                .containsExactly(md5Hex("image: v2\n"));
        assertThat(listing.revision()).isNotEqualTo(before);
    }

    @Test
    void a_deleted_object_disappears_from_the_listing() throws Exception {
        s3.s3().putObject(BUCKET, "services/web.yaml", "name: web\n");
        s3.s3().putObject(BUCKET, "services/api.yaml", "name: api\n");
        S3Source source = source("s3://acme-deploy/services/");
        source.fetch();

        s3.s3().deleteObject(BUCKET, "services/api.yaml");

        assertThat(source.fetch().files()).extracting(SourceFile::path).containsExactly("web.yaml");
    }

    @Test
    void a_prefix_without_objects_is_an_empty_listing() throws Exception {
        assertThat(source("s3://acme-deploy/services/").fetch().files()).isEmpty();
    }

    @Test
    void a_missing_bucket_is_a_source_exception() {
        assertThatThrownBy(source("s3://acme-missing/services/")::fetch)
                .isInstanceOf(SourceException.class)
                .hasMessage("s3://acme-missing/services/: bucket 'acme-missing' does not exist");
    }

    @Test
    void access_denied_is_a_source_exception() {
        s3.faults().add(FaultRule.errors("s3:ListObjectsV2", 1.0).withStatus(403).withErrorCode("AccessDenied"));

        assertThatThrownBy(source("s3://acme-deploy/services/")::fetch)
                .isInstanceOf(SourceException.class)
                .hasMessage("s3://acme-deploy/services/: access denied to bucket 'acme-deploy' (AccessDenied, HTTP 403)");
    }

    @Test
    void an_unreachable_endpoint_is_a_source_exception() {
        s3.close();

        assertThatThrownBy(source("s3://acme-deploy/services/")::fetch)
                .isInstanceOf(SourceException.class)
                .hasMessageStartingWith("s3://acme-deploy/services/: cannot reach S3: ");
    }

    @Test
    void the_factory_gives_each_s3_source_a_client_for_its_region_and_the_source_closes_it() throws Exception {
        s3.s3().putObject(BUCKET, "web.yaml", "name: web\n");
        List<Optional<String>> regions = new ArrayList<>();
        AtomicBoolean closed = new AtomicBoolean();
        SourceFactory factory = new SourceFactory(Path.of("unused"), region -> {
            regions.add(region);
            return closeRecording(client(s3.endpoint()), closed);
        });

        try (DesiredStateSource source = factory.create("s3://acme-deploy?region=eu-west-1")) {
            assertThat(source).isInstanceOf(S3Source.class);
            assertThat(source.id()).isEqualTo("s3://acme-deploy/");
            assertThat(source.fetch().files()).extracting(SourceFile::path).containsExactly("web.yaml");
            assertThat(closed).isFalse();
        }
        assertThat(regions).containsExactly(Optional.of("eu-west-1"));
        assertThat(closed).isTrue();
    }

    @Test
    void a_source_built_with_a_shared_client_leaves_it_open() throws Exception {
        AtomicBoolean closed = new AtomicBoolean();

        new S3Source((SourceUri.S3) SourceUri.parse("s3://acme-deploy"), closeRecording(client, closed)).close();

        assertThat(closed).isFalse();
    }

    /** The client, with a flag raised when it is closed. */
    private static S3Client closeRecording(S3Client client, AtomicBoolean closed) {
        return (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        closed.set(true);
                    }
                    try {
                        return method.invoke(client, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static Map<String, String> contents(SourceListing listing) {
        return listing.files().stream().collect(Collectors.toMap(SourceFile::path, f -> new String(f.content(), UTF_8)));
    }

    private static String md5Hex(String content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content.getBytes(UTF_8)));
    }

    private static String sha256Hex(String content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(UTF_8)));
    }
}

package io.ecsbluegreen.sim.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.SimClients;
import io.ecsbluegreen.sim.SimulatorConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** S3 versioning as AWS documents it, through the real SDK v2 client against the simulator. */
class S3VersioningTest {

    private static final String BUCKET = "specs";
    private static final String KEY = "services/web.yaml";

    private AwsSimulator sim;
    private S3Client s3;

    @BeforeEach
    void start() {
        sim = AwsSimulator.start(SimulatorConfig.defaults());
        s3 = SimClients.s3WithoutRetries(sim);
        s3.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterEach
    void stop() {
        s3.close();
        sim.close();
    }

    private PutObjectResponse put(String content) {
        return s3.putObject(b -> b.bucket(BUCKET).key(KEY), RequestBody.fromString(content));
    }

    private String read(String versionId) {
        return s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(KEY).versionId(versionId)).asUtf8String();
    }

    private void versioning(BucketVersioningStatus status) {
        s3.putBucketVersioning(b -> b.bucket(BUCKET).versioningConfiguration(c -> c.status(status)));
    }

    @Test
    void aBucketWhoseVersioningWasNeverEnabledHasNoStatusAndItsObjectsNoVersionId() {
        assertThat(s3.getBucketVersioning(b -> b.bucket(BUCKET)).status()).isNull();
        assertThat(put("name: web\n").versionId()).isNull();
        assertThat(s3.getObject(b -> b.bucket(BUCKET).key(KEY)).response().versionId()).isNull();
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key(KEY)).versionId()).isNull();
        assertThat(read("null")).as("an unversioned object is the null version").isEqualTo("name: web\n");
    }

    @Test
    void anEnabledBucketGivesEachPutItsOwnVersionIdAndReadsAnyVersionById() {
        versioning(BucketVersioningStatus.ENABLED);
        assertThat(s3.getBucketVersioning(b -> b.bucket(BUCKET)).status()).isEqualTo(BucketVersioningStatus.ENABLED);

        String v1 = put("name: web\nimage: web:1\n").versionId();
        String v2 = put("name: web\nimage: web:2\n").versionId();

        assertThat(v1).isNotBlank().isNotEqualTo("null");
        assertThat(v2).isNotBlank().isNotEqualTo(v1);
        var latest = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(KEY));
        assertThat(latest.asUtf8String()).contains("web:2");
        assertThat(latest.response().versionId()).isEqualTo(v2);
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key(KEY)).versionId()).isEqualTo(v2);
        assertThat(read(v1)).contains("web:1");
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key(KEY).versionId(v1)).versionId()).isEqualTo(v1);
        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET)).contents()).as("listings show the latest version only").hasSize(1);
        assertThatThrownBy(() -> read("no-such-version"))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchVersion");
                });
    }

    @Test
    void anObjectWrittenBeforeVersioningIsTheNullVersionAndSuspendedPutsReplaceIt() {
        put("before\n");
        versioning(BucketVersioningStatus.ENABLED);
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key(KEY)).versionId()).as("reads report it once versioned").isEqualTo("null");
        String kept = put("enabled\n").versionId();
        versioning(BucketVersioningStatus.SUSPENDED);
        assertThat(s3.getBucketVersioning(b -> b.bucket(BUCKET)).status()).isEqualTo(BucketVersioningStatus.SUSPENDED);

        assertThat(put("suspended 1\n").versionId()).isEqualTo("null");
        assertThat(put("suspended 2\n").versionId()).isEqualTo("null");

        assertThat(read("null")).as("the latest null version replaced the earlier ones").isEqualTo("suspended 2\n");
        assertThat(read(kept)).isEqualTo("enabled\n");
        assertThat(read(null)).isEqualTo("suspended 2\n");
    }

    @Test
    void aDeleteInAVersionedBucketHidesTheKeyBehindADeleteMarkerAndKeepsItsVersions() {
        versioning(BucketVersioningStatus.ENABLED);
        String v1 = put("name: web\n").versionId();

        DeleteObjectResponse deleted = s3.deleteObject(b -> b.bucket(BUCKET).key(KEY));

        assertThat(deleted.deleteMarker()).isTrue();
        assertThat(deleted.versionId()).isNotBlank().isNotEqualTo(v1);
        assertThatThrownBy(() -> read(null)).isInstanceOf(NoSuchKeyException.class);
        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET)).contents()).isEmpty();
        assertThat(read(v1)).isEqualTo("name: web\n");
        assertThatThrownBy(() -> s3.deleteBucket(b -> b.bucket(BUCKET)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BucketNotEmpty"));
    }

    @Test
    void aVersioningConfigurationWithoutAValidStatusIsMalformedAndWhatIsNotSimulatedAnswers501() {
        assertThatThrownBy(() -> s3.putBucketVersioning(b -> b.bucket(BUCKET).versioningConfiguration(c -> c.status("On"))))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("MalformedXML");
                });
        assertThat(s3.getBucketVersioning(b -> b.bucket(BUCKET)).status()).isNull();
        versioning(BucketVersioningStatus.ENABLED);
        String v1 = put("name: web\n").versionId();
        assertThatThrownBy(() -> s3.listObjectVersions(b -> b.bucket(BUCKET)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(501));
        assertThatThrownBy(() -> s3.deleteObject(b -> b.bucket(BUCKET).key(KEY).versionId(v1)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(501));
        assertThat(read(v1)).isEqualTo("name: web\n");
    }
}

package io.ecsbluegreen.api;

import static io.ecsbluegreen.api.AuthorizedRequests.authorized;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.ecsbluegreen.sim.AwsSimulator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.ecsbluegreen.desired.DesiredStateStore;
import io.ecsbluegreen.loop.Engine;
import io.ecsbluegreen.model.Phase;
import io.ecsbluegreen.plan.ServiceStatus;
import io.ecsbluegreen.status.RevisionLabel;
import io.ecsbluegreen.status.StatusBook;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operator end to end on an {@code s3://} source served by the project's AWS simulator over HTTP:
 * only YAML below the prefix is read, unchanged objects are not downloaded again, a change is picked up
 * on refresh, and a vanished bucket keeps the last good state.
 */
@QuarkusTest
@QuarkusTestResource(value = SimulatedS3Resource.class, restrictToAnnotatedClass = true)
class S3SourceOperatorTest {

    /**
     * The scheduler's start-up poll may run late on a busy machine; calls are counted only once it has
     * (two syncs: it and the first refresh), so that it cannot land inside a counted refresh. Bounded.
     */
    static void awaitStartUpPoll() {
        java.util.regex.Pattern syncs = java.util.regex.Pattern.compile(
                "bluegreen_source_sync_total\\{result=\"success\",source=\"s3://deploy/prod/\"} ([0-9.]+)");
        await().atMost(java.time.Duration.ofSeconds(30)).pollInterval(java.time.Duration.ofMillis(100))
                .alias("the start-up poll of the S3 source ran").until(() -> {
                    java.util.regex.Matcher m = syncs.matcher(given().get("/q/metrics").then().extract().asString());
                    return m.find() && Double.parseDouble(m.group(1)) >= 2;
                });
    }

    @Inject
    DesiredStateStore store;

    @Inject
    StatusBook book;

    @Test
    void theS3PrefixIsLoadedChangesArePickedUpOnlyChangedObjectsAreDownloadedAndAVersionedBucketsFileShowsItsVersionId() {
        AwsSimulator sim = SimulatedS3Resource.simulator;
        authorized().post("/api/v1/sources/refresh").then().statusCode(200)
                .body("[0].source", equalTo("s3://deploy/prod/"))
                .body("[0].healthy", equalTo(true))
                .body("[0].files", equalTo(2));
        given().get("/api/v1/services").then().body("name", equalTo(java.util.List.of("cart", "shop")))
                .body("find { it.name == 'cart' }.origin.file", equalTo("s3://deploy/prod/team-b/cart.yml"));

        awaitStartUpPoll();
        sim.resetStats();
        authorized().post("/api/v1/sources/refresh").then().statusCode(200);
        assertThat(sim.stats().calls("s3", "ListObjectsV2")).isEqualTo(1);
        assertThat(sim.stats().calls("s3", "GetObject")).as("nothing changed, nothing downloaded").isZero();

        String cart = new String(sim.s3().getObject("deploy", "prod/team-b/cart.yml").orElseThrow().content());
        sim.s3().putObject("deploy", "prod/team-b/cart.yml", cart.replace("nginx:1.27", "nginx:1.28"));
        sim.resetStats();
        authorized().post("/api/v1/sources/refresh").then().statusCode(200);
        assertThat(sim.stats().calls("s3", "GetObject")).as("only the changed object").isEqualTo(1);
        given().get("/api/v1/services/cart").then()
                .body("desired.spec.taskDefinition.containers[0].image", equalTo("nginx:1.28"));

        // the bucket is versioned: the file names the object version it was read at, and so does the
        // label of its revision in the service's status (as a pass notes it)
        String version = sim.s3().getObject("deploy", "prod/team-b/cart.yml").orElseThrow().versionId();
        assertThat(version).isNotBlank().isNotEqualTo("null");
        given().get("/api/v1/services/cart").then()
                .body("origin.provenance.kind", equalTo("s3"))
                .body("origin.provenance.subject", equalTo("version"))
                .body("origin.provenance.ref", equalTo(version));
        RevisionLabel label = Engine.label(store.current().service("cart").orElseThrow());
        book.labelled("cart", label);
        book.record("cart", new ServiceStatus(Phase.Deploying, null, label.revision(), Map.of(), Map.of(), 0, 0, "Deploying", "m"),
                StatusBook.Check.ok("Valid"), StatusBook.Check.ok("UpToDate"));
        given().get("/api/v1/services").then()
                .body("find { it.name == 'cart' }.revisions." + label.revision() + ".source.ref", equalTo(version))
                .body("find { it.name == 'cart' }.revisions." + label.revision() + ".text",
                        equalTo("nginx:1.28 from s3 version " + version));
        book.remove("cart");

        sim.s3().clear();
        authorized().post("/api/v1/sources/refresh").then().statusCode(200)
                .body("[0].healthy", equalTo(false))
                .body("[0].error", org.hamcrest.Matchers.containsString("bucket 'deploy' does not exist"));
        given().get("/api/v1/services/cart").then().body("state", equalTo("READY"))
                .body("desired.spec.taskDefinition.containers[0].image", equalTo("nginx:1.28"));
        given().get("/q/health/ready").then().statusCode(503);
        String metrics = given().get("/q/metrics").then().extract().asString();
        // Three refreshes and the start-up poll succeeded.
        assertThat(metrics)
                .containsPattern("bluegreen_aws_api_calls_total\\{api=\"S3\",operation=\"ListObjectsV2\",outcome=\"success\"} [4-9]")
                .containsPattern("bluegreen_aws_api_calls_total\\{api=\"S3\",operation=\"GetObject\",outcome=\"success\"} [3-9]")
                .containsPattern("bluegreen_aws_api_calls_total\\{api=\"S3\",operation=\"ListObjectsV2\",outcome=\"error\"} [1-9]");
    }
}

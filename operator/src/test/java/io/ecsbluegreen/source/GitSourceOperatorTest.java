package io.ecsbluegreen.source;

import static io.ecsbluegreen.api.AuthorizedRequests.authorized;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operator end to end on a git source: it records the commit, keeps the last good spec when a commit
 * breaks the file, recovers when a later commit fixes it, and reports a deleted file's service as orphaned.
 */
@QuarkusTest
@QuarkusTestResource(value = GitRepositoryResource.class, restrictToAnnotatedClass = true)
class GitSourceOperatorTest {

    @Test
    void commitsAreFollowedBrokenCommitsHoldTheLastGoodSpecAndDeletionsOrphan() throws Exception {
        Upstream upstream = GitRepositoryResource.upstream;
        authorized().post("/api/v1/sources/refresh").then().statusCode(200)
                .body("[0].healthy", equalTo(true))
                .body("[0].revision", equalTo(GitRepositoryResource.firstCommit));
        given().get("/api/v1/services/shop").then().statusCode(200)
                .body("state", equalTo("READY"))
                .body("origin.sourceRevision", equalTo(GitRepositoryResource.firstCommit));

        String shop = Files.readString(Path.of("src/test/resources/operator-sources/shop.yaml"));
        String broken = upstream.commit("typo", Map.of("services/prod/shop.yaml", shop.replace("interval: 90s", "intervall: 90s"))).name();
        authorized().post("/api/v1/sources/refresh").then().statusCode(200)
                .body("[0].revision", equalTo(broken))
                .body("[0].invalidFiles", hasSize(1))
                .body("[0].invalidFiles[0].errors[0].message", equalTo("unknown field 'intervall' in spec.strategy.linear; did you mean 'interval'?"));
        given().get("/api/v1/services/shop").then()
                .body("state", equalTo("STALE"))
                .body("origin.sourceRevision", equalTo(GitRepositoryResource.firstCommit))
                .body("desired.spec.strategy.linear.interval", equalTo("1m30s"));

        String fixed = upstream.commit("fix", Map.of("services/prod/shop.yaml", shop.replace("interval: 90s", "interval: 2m"))).name();
        authorized().post("/api/v1/sources/refresh").then().statusCode(200).body("[0].invalidFiles", hasSize(0));
        given().get("/api/v1/services/shop").then()
                .body("state", equalTo("READY"))
                .body("origin.sourceRevision", equalTo(fixed))
                .body("desired.spec.strategy.linear.interval", equalTo("2m"));

        // The directory stays (a sub-path that vanishes is a source error, never "everything deleted").
        String retired = upstream.commit("retire shop", Map.of("services/prod/README.md", "retired services\n"), "services/prod/shop.yaml").name();
        // A commit that deletes the source's every service is held until a person confirms it.
        authorized().post("/api/v1/sources/refresh").then().statusCode(200).body("[0].healthy", equalTo(true))
                .body("[0].files", equalTo(1)).body("[0].hold.reason", equalTo("AllServicesRemoved"))
                .body("[0].hold.revision", equalTo(retired));
        given().get("/api/v1/services/shop").then().body("state", equalTo("READY"));
        authorized().post("/api/v1/sources/confirm").then().statusCode(200).body("sources[0].files", equalTo(0));
        given().get("/api/v1/services/shop").then()
                .body("state", equalTo("ORPHANED"))
                .body("desired.spec.strategy.linear.interval", equalTo("2m"));
    }
}

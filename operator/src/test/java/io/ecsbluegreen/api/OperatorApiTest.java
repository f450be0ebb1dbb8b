package io.ecsbluegreen.api;

import static io.ecsbluegreen.api.AuthorizedRequests.authorized;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The running operator, on a directory source holding a valid file, an invalid one and a duplicate name. */
@QuarkusTest
@TestProfile(OperatorApiTest.Profile.class)
class OperatorApiTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bluegreen.sources", "dir:src/test/resources/operator-sources", "bluegreen.sync.interval", "1h");
        }
    }

    @BeforeEach
    void refresh() {
        authorized().post("/api/v1/sources/refresh").then().statusCode(200);
    }

    @Test
    void servicesListsEachNameWithItsStateAndOrigin() {
        given().get("/api/v1/services").then().statusCode(200)
                .body("name", equalTo(java.util.List.of("cart", "dup", "shop")))
                .body("find { it.name == 'shop' }.state", equalTo("READY"))
                .body("find { it.name == 'shop' }.strategy", equalTo("Linear"))
                .body("find { it.name == 'shop' }.origin.line", equalTo(4))
                .body("find { it.name == 'shop' }.origin.file", containsString("operator-sources/shop.yaml"))
                .body("find { it.name == 'cart' }.state", equalTo("INVALID"))
                .body("find { it.name == 'cart' }.problems[0]", containsString("cart-broken.yaml:27:7: spec.strategy.linear.stepPercent: 30 does not divide 100"))
                .body("find { it.name == 'dup' }.state", equalTo("CONFLICT"))
                .body("find { it.name == 'dup' }.problems", hasSize(2));
    }

    @Test
    void oneServiceShowsItsSpecWithDefaultsSpelledAsInYaml() {
        given().get("/api/v1/services/shop").then().statusCode(200)
                .body("desired.spec.strategy.linear.interval", equalTo("1m30s"))
                .body("desired.spec.strategy.blueRetention", equalTo("1h"))
                .body("desired.spec.strategy.promotion", equalTo("auto"))
                .body("desired.spec.taskDefinition.networkMode", equalTo("bridge"))
                .body("desired.spec.desiredCount", equalTo(null)); // no desiredCount: the service's own count is followed
        given().get("/api/v1/services/nope").then().statusCode(404);
    }

    @Test
    void sourcesShowTheInvalidFilesWithEveryError() {
        given().get("/api/v1/sources").then().statusCode(200)
                .body("[0].source", equalTo("dir:src/test/resources/operator-sources"))
                .body("[0].healthy", equalTo(true))
                .body("[0].files", equalTo(4))
                .body("[0].invalidFiles", hasSize(1))
                .body("[0].invalidFiles[0].errors[0].path", equalTo("spec.strategy.linear.stepPercent"))
                .body("[0].invalidFiles[0].errors[0].line", equalTo(27));
    }

    @Test
    void healthIsUpAndTheSourceMetricsAreScraped() {
        given().get("/q/health/ready").then().statusCode(200).body("checks.name", hasItem("desired-state sources"));
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        String source = "source=\"dir:src/test/resources/operator-sources\"";
        org.assertj.core.api.Assertions.assertThat(metrics)
                .contains("bluegreen_source_invalid_files{" + source + "} 1.0")
                .contains("bluegreen_desired_services{" + source + "} 3.0")
                .contains("bluegreen_source_healthy{" + source + "} 1.0")
                .containsPattern("bluegreen_source_sync_total\\{result=\"success\"," + source.replace("(", "\\(") + "} [1-9]")
                .containsPattern("bluegreen_source_last_success_timestamp_seconds\\{" + source + "} 1\\.[0-9]+E9");
    }
}

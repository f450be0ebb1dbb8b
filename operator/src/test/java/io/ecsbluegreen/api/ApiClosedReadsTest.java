package io.ecsbluegreen.api;

import static io.restassured.RestAssured.given;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With {@code bluegreen.api.open-reads=false}, reads and metrics need the token too; health checks never do,
 * nor the dashboard's own files (the page that asks for the token).
 */
@QuarkusTest
@TestProfile(ApiClosedReadsTest.ClosedReads.class)
class ApiClosedReadsTest {

    /** Reads closed. */
    public static class ClosedReads implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bluegreen.api.open-reads", "false");
        }
    }

    @Test
    void readsAndMetricsNeedTheTokenButHealthChecksDoNot() {
        given().get("/api/v1/services").then().statusCode(401);
        given().get("/q/metrics").then().statusCode(401);
        AuthorizedRequests.authorized().get("/api/v1/services").then().statusCode(200);
        AuthorizedRequests.authorized().get("/q/metrics").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void theDashboardPageLoadsWithoutTheTokenButItsDataNeedsIt() {
        given().get("/").then().statusCode(200);
        given().get("/app.js").then().statusCode(200);
        given().get("/app.css").then().statusCode(200);
        given().get("/overview.js").then().statusCode(200);
        given().get("/overview.css").then().statusCode(200);
        given().get("/api/v1/dashboard").then().statusCode(401);
        given().get("/api/v1/overview").then().statusCode(401);
        given().get("/api/v1/overview/services/catalog").then().statusCode(401);
        AuthorizedRequests.authorized().get("/api/v1/overview").then().statusCode(200);
        AuthorizedRequests.authorized().get("/api/v1/dashboard").then().statusCode(200);
        given().get("/index.html/../api/v1/services").then().statusCode(400);
    }
}

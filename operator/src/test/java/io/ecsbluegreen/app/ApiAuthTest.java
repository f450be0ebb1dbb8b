package io.ecsbluegreen.app;

import io.ecsbluegreen.api.AuthorizedRequests;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Every mutating request needs the bearer token; reads are open unless configured otherwise; health always is. */
@QuarkusTest
class ApiAuthTest {

    @Test
    void aMutatingRequestWithoutTheTokenIsRefusedWithAReason() {
        given().post("/api/v1/sources/refresh").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("message", containsString("Authorization: Bearer TOKEN"));
        given().header("Authorization", "Bearer wrong").post("/api/v1/services/x/abort").then().statusCode(401);
        given().header("Authorization", "Basic " + AuthorizedRequests.TOKEN).post("/api/v1/sources/refresh").then().statusCode(401);
    }

    @Test
    void theRightTokenPassesAndReadsNeedNone() {
        AuthorizedRequests.authorized().post("/api/v1/sources/refresh").then().statusCode(200);
        given().get("/api/v1/services").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/health").then().statusCode(200);
    }
}

package io.ecsbluegreen.api;

import static io.ecsbluegreen.api.AuthorizedRequests.authorized;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A source that cannot be read makes the operator unready, says why, and is counted as failing. */
@QuarkusTest
@TestProfile(UnreadableSourceTest.Profile.class)
class UnreadableSourceTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bluegreen.sources", "dir:target/no-such-directory,dir:../examples", "bluegreen.sync.interval", "1h");
        }
    }

    @Test
    void healthIsDownNamingTheFailingSourceWhileTheOtherStillServes() {
        authorized().post("/api/v1/sources/refresh").then().statusCode(200)
                .body("[0].healthy", equalTo(false))
                .body("[1].healthy", equalTo(true));
        given().get("/q/health").then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'desired-state sources' }.data['dir:target/no-such-directory']",
                        containsString("failing"));
        given().get("/api/v1/services/greeter").then().statusCode(200).body("state", equalTo("READY"));
        String metrics = given().get("/q/metrics").then().extract().asString();
        org.assertj.core.api.Assertions.assertThat(metrics)
                .contains("bluegreen_source_healthy{source=\"dir:target/no-such-directory\"} 0.0")
                .containsPattern("bluegreen_source_sync_total\\{result=\"failure\",source=\"dir:target/no-such-directory\"} [1-9]");
    }
}

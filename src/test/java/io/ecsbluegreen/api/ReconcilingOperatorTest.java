package io.ecsbluegreen.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The whole operator (sources, engine workers, status, API, metrics) against the simulator: the manual
 * canary goes live, a new revision waits for promotion, promote and abort through the API do what they
 * say, and everything shows in /api/v1 and /q/metrics.
 */
@QuarkusTest
@QuarkusTestResource(value = SimulatedAccountResource.class, restrictToAnnotatedClass = true)
class ReconcilingOperatorTest {

    /** Advances the simulator by 10 s every 100 ms of real time until the service's phase is reached; bounded. */
    static JsonPath awaitPhase(String name, String phase) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonPath last = null;
        while (System.nanoTime() < deadline) {
            last = given().get("/api/v1/services/" + name).then().statusCode(200).extract().jsonPath();
            if (phase.equals(last.getString("status.phase"))) return last;
            SimulatedAccountResource.simulator.clock().advance(Duration.ofSeconds(10));
            Thread.sleep(100);
        }
        throw new AssertionError(name + " never reached " + phase + "; last status " + (last == null ? null : last.prettify()));
    }

    @Test
    void theManualCanaryGoesLiveWaitsForPromotionShiftsAndAbortsThroughTheApi() throws Exception {
        JsonPath live = awaitPhase("catalog", "Steady");
        String r1 = live.getString("status.activeRevision");
        assertThat(r1).startsWith("r-").isEqualTo(live.getString("status.desiredRevision"));
        assertThat(live.getString("status.history[0].outcome")).isEqualTo("Succeeded");
        given().get("/api/v1/services").then().body("find { it.name == 'catalog' }.phase", equalTo("Steady"))
                .body("find { it.name == 'catalog' }.productionWeights." + r1, equalTo(100));

        given().post("/api/v1/services/catalog/promote").then().statusCode(409)
                .body("accepted", equalTo(false)).body("message", containsString("AwaitingPromotion"));
        given().post("/api/v1/services/nope/abort").then().statusCode(404);
        given().post("/api/v1/services/catalog/launch").then().statusCode(404);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("bluegreen_service_converged{service=\"catalog\"} 1.0")
                .contains("bluegreen_service_phase{phase=\"Steady\",service=\"catalog\"} 1.0")
                .contains("bluegreen_traffic_weight{listener=\"production\",revision=\"" + r1 + "\",service=\"catalog\"} 100.0")
                .contains("bluegreen_rollouts_total{outcome=\"Succeeded\",service=\"catalog\"} 1.0")
                .contains("bluegreen_reconcile_total{result=\"success\"}")
                .contains("bluegreen_reconcile_duration_seconds_bucket")
                .contains("bluegreen_convergence_lag_seconds{service=\"catalog\"} 0.0")
                .contains("bluegreen_aws_api_calls_total{api=\"Ecs\",operation=\"DescribeServices\",outcome=\"success\"}");

        Path file = SimulatedAccountResource.sources.resolve("catalog.yaml");
        Files.writeString(file, Files.readString(file).replace("greeter:1.0.0", "greeter:2.0.0"));
        given().post("/api/v1/sources/refresh").then().statusCode(200);
        JsonPath waiting = awaitPhase("catalog", "AwaitingPromotion");
        String r2 = waiting.getString("status.desiredRevision");
        assertThat(waiting.getInt("status.testWeights." + r2)).isEqualTo(100);
        assertThat(waiting.getString("status.message")).contains("bluegreen promote catalog");

        given().post("/api/v1/services/catalog/promote").then().statusCode(202).body("accepted", equalTo(true));
        JsonPath shifting = awaitPhase("catalog", "Shifting");
        assertThat(shifting.getInt("status.step")).isEqualTo(1);
        assertThat(shifting.getInt("status.productionWeights." + r2)).isGreaterThan(0);

        given().post("/api/v1/services/catalog/abort").then().statusCode(202);
        JsonPath rolledBack = awaitPhase("catalog", "RolledBack");
        assertThat(rolledBack.getInt("status.productionWeights." + r1)).isEqualTo(100);
        assertThat(rolledBack.getString("status.history[0].outcome")).isEqualTo("Aborted");
        assertThat(given().get("/q/metrics").then().extract().asString())
                .contains("bluegreen_rollouts_total{outcome=\"Aborted\",service=\"catalog\"} 1.0")
                .containsPattern("bluegreen_convergence_lag_seconds\\{service=\"catalog\"} [1-9]");
    }
}

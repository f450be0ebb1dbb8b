package io.ecsbluegreen.api;

import static io.ecsbluegreen.api.AuthorizedRequests.authorized;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.ecsbluegreen.cli.Main;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The whole operator (sources, engine workers, status, API, metrics) against the simulator: the manual
 * canary goes live, a new revision waits for promotion, promote and abort through the API do what they
 * say, and everything shows in /api/v1 and /q/metrics.
 */
@QuarkusTest
@QuarkusTestResource(value = SimulatedAccountResource.class, restrictToAnnotatedClass = true)
class ReconcilingOperatorTest {

    @TestHTTPResource("/")
    URL api;

    /** What a CLI run printed and returned. */
    record Cli(int code, String out, String err) {}

    static Cli cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.dispatch(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Advances the simulator by 10 s at every look (every 100 ms) while no hook awaits an answer, until
     * the service's phase is reached;
     * Awaitility bounds it. Only simulated time decides the rollout; real time only paces the looks.
     */
    static JsonPath awaitPhase(String name, String phase) {
        AtomicReference<JsonPath> last = new AtomicReference<>();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                var response = given().get("/api/v1/services/" + name).then().extract();
                // 404 until the first read of the sources after a (re)start has declared the service
                if (response.statusCode() == 200) {
                    last.set(response.jsonPath());
                    if (phase.equals(last.get().getString("status.phase"))) return true;
                }
                // a hook's timeout runs on this clock: it moves only while no hook awaits an answer
                if (io.quarkus.arc.Arc.container().instance(io.ecsbluegreen.app.EngineBeans.class).get().hooksWaitOnClockOnly()) {
                    SimulatedAccountResource.simulator.clock().advance(Duration.ofSeconds(10));
                }
                return false;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(name + " never reached " + phase + "; last status "
                    + (last.get() == null ? null : last.get().prettify()), e);
        }
        return last.get();
    }

    @Test
    void theManualCanaryGoesLiveWaitsForPromotionShiftsAndAbortsThroughTheApi() throws Exception {
        JsonPath live = awaitPhase("catalog", "Steady");
        String r1 = live.getString("status.activeRevision");
        assertThat(r1).startsWith("r-").isEqualTo(live.getString("status.desiredRevision"));
        assertThat(live.getString("status.history[0].outcome")).isEqualTo("Succeeded");
        given().get("/api/v1/services").then().body("find { it.name == 'catalog' }.phase", equalTo("Steady"))
                .body("find { it.name == 'catalog' }.productionWeights." + r1, equalTo(100));

        authorized().post("/api/v1/services/catalog/promote").then().statusCode(409)
                .body("accepted", equalTo(false)).body("message", containsString("AwaitingPromotion"));
        Cli refused = cli("promote", "catalog", "--api", api.toString(), "--token", AuthorizedRequests.TOKEN);
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("promote applies in phase AwaitingPromotion; catalog is Steady");
        Cli table = cli("status", "--api", api.toString());
        assertThat(table.code()).isZero();
        assertThat(table.out()).startsWith("NAME").containsPattern("catalog +Steady +" + r1 + " greeter:1.0.0 +" + r1 + " greeter:1.0.0 +" + r1 + "=100%");
        Cli watch = cli("status", "catalog", "--watch", "--watch-rounds", "2", "--api", api.toString());
        assertThat(watch.out().lines().filter(l -> l.startsWith("--- "))).as("a watch prints only changes").hasSize(1);
        Cli detail = cli("status", "catalog", "--api", api.toString());
        assertThat(detail.out()).contains("phase:      Steady (Converged").contains("Converged   True")
                .contains(r1 + "  Succeeded");
        authorized().post("/api/v1/services/nope/abort").then().statusCode(404);
        authorized().post("/api/v1/services/catalog/launch").then().statusCode(404);

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
        authorized().post("/api/v1/sources/refresh").then().statusCode(200);
        JsonPath waiting = awaitPhase("catalog", "AwaitingPromotion");
        String r2 = waiting.getString("status.desiredRevision");
        assertThat(waiting.getInt("status.testWeights." + r2)).isEqualTo(100);
        assertThat(waiting.getString("status.message")).contains("bluegreen promote catalog");

        Cli promote = cli("promote", "catalog", "--api", api.toString(), "--token", AuthorizedRequests.TOKEN);
        assertThat(promote.code()).as(promote.err()).isZero();
        assertThat(promote.out()).contains("promote accepted for catalog");
        JsonPath shifting = awaitPhase("catalog", "Shifting");
        assertThat(shifting.getInt("status.step")).isEqualTo(1);
        assertThat(shifting.getInt("status.productionWeights." + r2)).isGreaterThan(0);

        authorized().post("/api/v1/services/catalog/abort").then().statusCode(202);
        JsonPath rolledBack = awaitPhase("catalog", "RolledBack");
        assertThat(rolledBack.getInt("status.productionWeights." + r1)).isEqualTo(100);
        assertThat(rolledBack.getString("status.history[0].outcome")).isEqualTo("Aborted");
        assertThat(given().get("/q/metrics").then().extract().asString())
                .contains("bluegreen_rollouts_total{outcome=\"Aborted\",service=\"catalog\"} 1.0")
                .containsPattern("bluegreen_convergence_lag_seconds\\{service=\"catalog\"} [1-9]");

        JsonPath events = given().get("/api/v1/services/catalog/events").then().statusCode(200).extract().jsonPath();
        assertThat(events.getList("type", String.class)).contains("PhaseChanged", "RolloutFailed", "HookSucceeded", "RolloutSucceeded");
        assertThat(events.getList("at", String.class)).as("newest first")
                .isSortedAccordingTo(java.util.Comparator.<String>reverseOrder());
        assertThat(events.getString("find { it.type == 'RolloutFailed' }.reason")).isEqualTo("Aborted");
        assertThat(events.getString("find { it.type == 'HookSucceeded' }.message"))
                .startsWith("afterAllowTestTraffic http hook smoke-test Succeeded");
        assertThat(events.getList("findAll { it.type == 'PhaseChanged' }.phase", String.class))
                .contains("RolledBack", "Shifting", "AwaitingPromotion", "TestTraffic", "Steady");
        given().get("/api/v1/services/nope/events").then().statusCode(404);
    }
}

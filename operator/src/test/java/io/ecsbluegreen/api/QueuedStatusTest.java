package io.ecsbluegreen.api;

import static io.ecsbluegreen.api.AuthorizedRequests.authorized;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.loop.Engine;
import io.ecsbluegreen.plan.Revision;
import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.spec.SpecParser;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 §4: under load the work queue reaches a changed service late, and its status must not claim
 * meanwhile that nothing changed. The operator runs with no reconcile workers and on the simulator's
 * virtual clock, so the queue moves only when this test drains it: after a spec change of every service,
 * the real status API, the CLI and the metrics show each one {@code Queued} with its new desired revision
 * before any pass, and the queue's depth and oldest wait.
 */
@QuarkusTest
@TestProfile(QueuedStatusTest.BlockedEngine.class)
class QueuedStatusTest {

    /** The example services (their files in the source directory) whose target groups the seed holds. */
    static final Map<String, String> FILES = Map.of(
            "greeter", "../examples/greeter/greeter.yaml",
            "billing-api", "../examples/strategies/all-at-once.yaml",
            "orders", "../examples/strategies/linear.yaml");
    /** Simulated time between drained rounds. */
    static final Duration ROUND = Duration.ofSeconds(5);
    /** Rounds before giving up: an hour of simulated time. */
    static final int MAX_ROUNDS = 720;

    /** No workers, no health watch, no resync within the test: only {@link Engine#drain} runs passes. */
    public static class BlockedEngine implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bluegreen.reconcile.workers", "0", "bluegreen.reconcile.health-watch-interval", "0s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Account.class));
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(SimulatedTime.class);
        }
    }

    /** The operator's clock is the simulator's virtual one, so requeue delays and queue waits move with it. */
    @Alternative
    public static class SimulatedTime {
        @Produces
        @Singleton
        @Alternative
        Clock clock() {
            return Account.simulator.clock();
        }
    }

    /**
     * The simulator seeded as the demo account (see {@link SimulatedAccountResource}), with the three example
     * files in the source directory instead of the catalog, and no resync within the test.
     */
    public static class Account extends SimulatedAccountResource {
        static AwsSimulator simulator;
        static Path sources;

        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(super.start());
            simulator = SimulatedAccountResource.simulator;
            sources = SimulatedAccountResource.sources;
            try {
                Files.delete(sources.resolve("catalog.yaml"));
                for (Map.Entry<String, String> f : FILES.entrySet()) Files.copy(Path.of(f.getValue()), sources.resolve(f.getKey() + ".yaml"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            config.put("bluegreen.reconcile.resync", "1h");
            return config;
        }
    }

    @Inject
    Engine engine;

    @TestHTTPResource("/")
    URL api;

    /** Name to the listing's entry for that service. */
    static Map<String, Map<String, Object>> listing() {
        List<Map<String, Object>> all = given().get("/api/v1/services").then().statusCode(200).extract().jsonPath().getList("$");
        Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
        for (Map<String, Object> s : all) byName.put((String) s.get("name"), s);
        return byName;
    }

    /** Drains the queue and advances simulated time until every service is Steady; bounded. */
    Map<String, Map<String, Object>> drainUntilSteady() {
        Map<String, Map<String, Object>> services = Map.of();
        for (int i = 0; i < MAX_ROUNDS; i++) {
            engine.drain(1000);
            services = listing();
            if (services.keySet().containsAll(FILES.keySet())
                    && services.values().stream().allMatch(s -> "Steady".equals(s.get("phase")))) {
                return services;
            }
            Account.simulator.clock().advance(ROUND);
        }
        throw new AssertionError("the services never all became Steady; last listing " + services);
    }

    static String revisionOf(Path file) throws IOException {
        var parsed = new SpecParser().parse(file.toString(), Files.readAllBytes(file));
        return Revision.of(parsed.services().get(0).service().spec()).id();
    }

    static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    @Test
    void everyChangedServiceShowsQueuedWithItsNewRevisionBeforeTheQueueReachesIt() throws Exception {
        Map<String, Map<String, Object>> steady = drainUntilSteady();
        Map<String, String> before = new LinkedHashMap<>();
        steady.forEach((name, s) -> before.put(name, (String) s.get("activeRevision")));

        Map<String, String> wanted = new LinkedHashMap<>();
        for (String name : FILES.keySet()) {
            Path file = Account.sources.resolve(name + ".yaml");
            Files.writeString(file, Files.readString(file).replace("greeter:1.0.0", "greeter:2.0.0"), StandardCharsets.UTF_8);
            wanted.put(name, revisionOf(file));
            assertThat(wanted.get(name)).isNotEqualTo(before.get(name));
        }
        authorized().post("/api/v1/sources/refresh").then().statusCode(200);

        // No pass has run since the refresh: nothing but the desired-state change can have written this.
        Map<String, Map<String, Object>> queued = listing();
        for (String name : FILES.keySet()) {
            Map<String, Object> s = queued.get(name);
            assertThat(s.get("phase")).as(name).isEqualTo("Queued");
            assertThat(s.get("desiredRevision")).as(name).isEqualTo(wanted.get(name));
            assertThat(s.get("activeRevision")).as("%s: production still runs the old revision", name).isEqualTo(before.get(name));
            assertThat(s.get("productionWeights")).as(name).isEqualTo(Map.of(before.get(name), 100));
            assertThat(s.get("reason")).as(name).isEqualTo("SpecChanged");
        }
        JsonPath detail = given().get("/api/v1/services/greeter").then().statusCode(200).extract().jsonPath();
        assertThat(detail.getString("status.waitingSince")).as("the new revision waits from the change on").isNotNull();
        assertThat(detail.getBoolean("status.conditions.find { it.type == 'Converged' }.status")).isFalse();

        Account.simulator.clock().advance(Duration.ofSeconds(7));
        String scraped = metrics();
        assertThat(scraped).contains("bluegreen_reconcile_queue_depth " + FILES.size() + ".0")
                .contains("bluegreen_reconcile_queue_oldest_wait_seconds 7.0");
        for (String name : FILES.keySet()) {
            assertThat(scraped).contains("bluegreen_service_phase{phase=\"Queued\",service=\"" + name + "\"} 1.0")
                    .contains("bluegreen_service_phase{phase=\"Steady\",service=\"" + name + "\"} 0.0");
        }
        JsonPath dashboard = given().get("/api/v1/dashboard").then().statusCode(200).extract().jsonPath();
        assertThat(dashboard.getInt("queue.ready")).isEqualTo(FILES.size());
        assertThat(dashboard.getDouble("queue.oldestWaitSeconds")).isEqualTo(7.0);
        assertThat(dashboard.getList("services.status.phase", String.class)).containsOnly("Queued");
        assertThat(given().get("/app.css").then().statusCode(200).extract().asString())
                .as("Queued has a badge colour of its own").containsPattern("\\.phase-Queued \\{ background: var\\(--violet\\)");
        ReconcilingOperatorTest.Cli table = ReconcilingOperatorTest.cli("status", "--api", api.toString());
        assertThat(table.code()).isZero();
        for (String name : FILES.keySet()) {
            assertThat(table.out()).containsPattern(name + " +Queued +" + before.get(name) + " greeter:1.0.0 +" + wanted.get(name) + " greeter:2.0.0 ");
        }

        assertThat(engine.drain(1000)).as("every changed service has its pass").isGreaterThanOrEqualTo(FILES.size());
        Map<String, Map<String, Object>> passed = listing();
        for (String name : FILES.keySet()) {
            assertThat(passed.get(name).get("phase")).as("%s: its pass replaced the mark", name).isNotEqualTo("Queued");
            assertThat(passed.get(name).get("desiredRevision")).as(name).isEqualTo(wanted.get(name));
        }
        JsonPath events = given().get("/api/v1/services/greeter/events").then().statusCode(200).extract().jsonPath();
        assertThat(events.getList("findAll { it.type == 'PhaseChanged' }.message", String.class))
                .anyMatch(m -> m.startsWith("Steady -> Queued"));
    }

    @Test
    void aSpecThatChangesNoRevisionWritesNoStatus() throws Exception {
        Map<String, Map<String, Object>> steady = drainUntilSteady();
        JsonPath greeter = given().get("/api/v1/services/greeter").then().statusCode(200).extract().jsonPath();
        Path file = Account.sources.resolve("greeter.yaml");
        // a comment changes the file's version, not the service's spec
        Files.writeString(file, Files.readString(file) + "\n# touched\n", StandardCharsets.UTF_8);
        authorized().post("/api/v1/sources/refresh").then().statusCode(200);
        JsonPath after = given().get("/api/v1/services/greeter").then().statusCode(200).extract().jsonPath();
        assertThat(after.getString("status.phase")).isEqualTo("Steady");
        assertThat(after.getString("status.lastTransitionTime")).isEqualTo(greeter.getString("status.lastTransitionTime"));
        assertThat(steady.get("greeter").get("desiredRevision")).isEqualTo(after.getString("status.desiredRevision"));
    }
}

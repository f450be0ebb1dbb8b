package io.ecsbluegreen.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.ecsbluegreen.model.Phase;
import io.ecsbluegreen.plan.ServiceStatus;
import io.ecsbluegreen.source.Provenance;
import io.ecsbluegreen.status.RevisionLabel;
import io.ecsbluegreen.status.StatusBook;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The overview over HTTP, as the dashboard polls it: every row with an ETag, 304 when nothing changed,
 * only the changed rows and the removed names since a version, and one service's card with its events.
 * Statuses are written into the status book directly, under names no example file declares (the test
 * profile does not reconcile, and other tests expect the examples unreconciled).
 */
@QuarkusTest
class OverviewApiTest {

    static final List<String> NAMES = List.of("ov-zeta", "ov-alpha", "ov-mid");

    @Inject
    StatusBook book;

    @AfterEach
    void forgetTheStatuses() {
        NAMES.forEach(book::remove);
        book.ownedBy("greeter", null);
    }

    void record(String name, Phase phase) {
        book.record(name, new ServiceStatus(phase, "r-1", "r-2", Map.of("r-1", 90, "r-2", 10), Map.of(), 1, 3, phase.name(), "m"),
                StatusBook.Check.ok("Valid"), StatusBook.Check.ok("UpToDate"));
    }

    static String etag(Response r) {
        return r.header("ETag");
    }

    @Test
    void theOverviewListsEveryServiceByNameWithItsLabelsAndAnETagThatAnswers304WhileNothingChanges() {
        record("ov-zeta", Phase.AwaitingPromotion);
        record("ov-alpha", Phase.Steady);
        Response first = given().get("/api/v1/overview").then().statusCode(200)
                .header("Cache-Control", containsString("no-cache")).extract().response();
        JsonPath json = first.jsonPath();
        assertThat(json.getBoolean("full")).isTrue();
        List<String> names = json.getList("services.name", String.class);
        assertThat(names).contains("catalog", "greeter", "ov-alpha", "ov-zeta").isSorted();
        assertThat(json.getInt("total")).isEqualTo(names.size());
        assertThat(json.getMap("services.find { it.name == 'greeter' }.labels")).isEqualTo(Map.of("team", "web", "tier", "frontend"));
        assertThat(json.getString("services.find { it.name == 'greeter' }.state")).isEqualTo("READY");
        assertThat(json.getBoolean("services.find { it.name == 'ov-zeta' }.attention")).isTrue();
        assertThat(json.getBoolean("services.find { it.name == 'ov-alpha' }.attention")).isFalse();
        assertThat(json.getString("services.find { it.name == 'ov-zeta' }.phase")).isEqualTo("AwaitingPromotion");
        assertThat(json.getMap("services.find { it.name == 'ov-zeta' }.productionWeights")).isEqualTo(Map.of("r-1", 90, "r-2", 10));
        assertThat(json.getInt("counts.AwaitingPromotion")).isEqualTo(1);
        assertThat(json.getString("sources[0].source")).isEqualTo("dir:../examples");
        String version = json.getString("version");
        assertThat(etag(first)).isEqualTo("\"" + version + "\"");

        // The sources' sync (every 30 s) is part of the overview and moves its version: when one lands between
        // two requests, the 304s are asked again from a fresh answer (bounded; syncs are 30 s apart).
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            Response now = given().get("/api/v1/overview").then().statusCode(200).extract().response();
            String tag = etag(now);
            given().header("If-None-Match", tag).get("/api/v1/overview").then().statusCode(304)
                    .header("ETag", equalTo(tag)).body(equalTo(""));
            given().header("If-None-Match", "\"other\", W/" + tag).get("/api/v1/overview").then().statusCode(304);
            given().queryParam("since", now.jsonPath().getString("version")).get("/api/v1/overview").then().statusCode(304);
        });
        given().header("If-None-Match", "\"other\"").get("/api/v1/overview").then().statusCode(200);
    }

    @Test
    void aRowShowsWhatItsActiveAndDesiredRevisionsRunAndTheCommitsTheyCameFrom() {
        Instant at = Instant.parse("2026-12-01T09:00:00Z");
        book.labelled("ov-mid", new RevisionLabel("r-1", List.of("greeter:1.0.0"), Provenance.commit("0a1b2c3d4e5f", "First", "Alice", at)));
        book.labelled("ov-mid", new RevisionLabel("r-2", List.of("greeter:2.0.0", "envoy:1.29"),
                Provenance.commit("9f8e7d6c5b4a", "Bump greeter to 2.0.0", "Bob", at)));
        record("ov-mid", Phase.Shifting);
        record("ov-alpha", Phase.Steady);
        JsonPath json = given().get("/api/v1/overview").then().statusCode(200).extract().jsonPath();

        assertThat(json.getString("services.find { it.name == 'ov-mid' }.active.images")).isEqualTo("greeter:1.0.0");
        assertThat(json.getString("services.find { it.name == 'ov-mid' }.active.source")).isEqualTo("0a1b2c3");
        assertThat(json.getString("services.find { it.name == 'ov-mid' }.desired.images")).isEqualTo("greeter:2.0.0, envoy:1.29");
        assertThat(json.getString("services.find { it.name == 'ov-mid' }.desired.source")).isEqualTo("9f8e7d6");
        assertThat(json.getString("services.find { it.name == 'ov-mid' }.desired.text"))
                .isEqualTo("r-2 [greeter:2.0.0, envoy:1.29 from git 9f8e7d6 \"Bump greeter to 2.0.0\" (Bob)]");
        assertThat(json.getMap("services.find { it.name == 'ov-alpha' }").get("desired"))
                .as("nothing known of a revision: the row has its id alone").isNull();
        assertThat(json.getString("services.find { it.name == 'ov-alpha' }.desiredRevision")).isEqualTo("r-2");

        // a steady row sends its label once: the desired revision is the active one
        book.labelled("ov-zeta", new RevisionLabel("r-1", List.of("greeter:1.0.0"), Provenance.commit("0a1b2c3d4e5f", "First", "Alice", at)));
        book.record("ov-zeta", new ServiceStatus(Phase.Steady, "r-1", "r-1", Map.of("r-1", 100), Map.of(), 0, 0, "Steady", "m"),
                StatusBook.Check.ok("Valid"), StatusBook.Check.ok("UpToDate"));
        JsonPath steady = given().get("/api/v1/overview").then().statusCode(200).extract().jsonPath();
        assertThat(steady.getString("services.find { it.name == 'ov-zeta' }.active.images")).isEqualTo("greeter:1.0.0");
        assertThat(steady.getMap("services.find { it.name == 'ov-zeta' }").get("desired")).isNull();
    }

    @Test
    void aReadSinceAVersionGetsOnlyTheChangedRowsAndTheRemovedNames() {
        record("ov-alpha", Phase.Steady);
        record("ov-mid", Phase.Steady);
        String v1 = given().get("/api/v1/overview").then().statusCode(200).extract().jsonPath().getString("version");

        record("ov-alpha", Phase.Failed);
        book.remove("ov-mid");
        record("ov-zeta", Phase.Shifting);
        JsonPath delta = given().queryParam("since", v1).header("If-None-Match", "\"" + v1 + "\"").get("/api/v1/overview")
                .then().statusCode(200).extract().jsonPath();

        assertThat(delta.getBoolean("full")).isFalse();
        assertThat(delta.getList("services.name", String.class)).containsExactly("ov-alpha", "ov-zeta");
        assertThat(delta.getList("removed", String.class)).containsExactly("ov-mid");
        assertThat(delta.getString("services[0].phase")).isEqualTo("Failed");
        assertThat(delta.getBoolean("services[0].attention")).isTrue();
        assertThat(delta.getString("version")).isNotEqualTo(v1);
        given().queryParam("since", delta.getString("version")).get("/api/v1/overview").then().statusCode(304);

        JsonPath stale = given().queryParam("since", "another-run-7").get("/api/v1/overview").then().statusCode(200)
                .extract().jsonPath();
        assertThat(stale.getBoolean("full")).as("a version of another run gets everything").isTrue();
        assertThat(stale.getList("services.name", String.class)).contains("catalog", "ov-alpha").doesNotContain("ov-mid");
    }

    @Test
    void theReplicaHoldingAServicesLeaseIsInTheOverviewTheServiceListAndItsPageEvenWhereItWasNeverPassed() {
        record("ov-mid", Phase.Steady);
        book.ownedBy("ov-mid", "replica-a");
        // greeter: declared, never passed here (another replica owns it), so no status, only the owner
        book.ownedBy("greeter", "replica-b");
        JsonPath overview = given().get("/api/v1/overview").then().statusCode(200).extract().jsonPath();
        assertThat(overview.getString("services.find { it.name == 'ov-mid' }.owner")).isEqualTo("replica-a");
        assertThat(overview.getString("services.find { it.name == 'greeter' }.owner")).isEqualTo("replica-b");
        assertThat(overview.getString("services.find { it.name == 'catalog' }.owner")).as("no lease: leases off").isNull();
        given().get("/api/v1/services").then().statusCode(200).body("find { it.name == 'greeter' }.owner", equalTo("replica-b"));
        given().get("/api/v1/overview/services/greeter").then().statusCode(200).body("service.owner", equalTo("replica-b"));
        given().get("/api/v1/overview/services/ov-mid").then().statusCode(200).body("service.owner", equalTo("replica-a"))
                .body("service.status.owner", equalTo("replica-a"));
    }

    @Test
    void aServicesPageReadGetsItsCardAndEventsAnd304UntilItChanges() {
        record("ov-mid", Phase.Shifting);
        Response r = given().get("/api/v1/overview/services/ov-mid").then().statusCode(200)
                .contentType(containsString("application/json")).extract().response();
        assertThat(r.jsonPath().getString("service.name")).isEqualTo("ov-mid");
        assertThat(r.jsonPath().getString("service.status.phase")).isEqualTo("Shifting");
        assertThat(r.jsonPath().getList("events.type", String.class)).contains("PhaseChanged");
        assertThat(r.jsonPath().getString("sources[0].source")).isEqualTo("dir:../examples");
        given().header("If-None-Match", etag(r)).get("/api/v1/overview/services/ov-mid").then().statusCode(304);

        record("ov-mid", Phase.Baking);
        given().header("If-None-Match", etag(r)).get("/api/v1/overview/services/ov-mid").then().statusCode(200)
                .body("service.status.phase", equalTo("Baking"));
        given().get("/api/v1/overview/services/catalog").then().statusCode(200)
                .body("service.strategy", equalTo("Canary")).body("service.promotion", equalTo("manual"));
        given().get("/api/v1/overview/services/no-such-service").then().statusCode(404);
    }

    @Test
    void theOverviewsFilesAreServedWithTheStrictPolicyAndItsScriptWritesNoMarkupAndReachesNoOtherOrigin() throws IOException {
        given().get("/").then().statusCode(200)
                .body(containsString("<script src=\"overview.js\" defer>")).body(containsString("href=\"overview.css\""));
        for (String file : List.of("/overview.js", "/overview.css")) {
            given().get(file).then().statusCode(200)
                    .header("Content-Security-Policy", equalTo("default-src 'none'; script-src 'self'; style-src 'self'; "
                            + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"))
                    .header("X-Content-Type-Options", equalTo("nosniff"));
        }
        given().get("/overview.js").then().contentType(containsString("javascript")).body(containsString("api/v1/overview"));
        given().get("/overview.css").then().contentType(containsString("text/css"));
        String js = Files.readString(DashboardPageTest.ASSETS.resolve("overview.js"));
        assertThat(js).as("server text reaches the page as text only")
                .doesNotContain("innerHTML").doesNotContain("outerHTML").doesNotContain("insertAdjacentHTML")
                .doesNotContain("document.write").doesNotContain("eval(").doesNotContain("new Function");
        assertThat(js).doesNotContain("http://").doesNotContain("https://").doesNotContain("?token").doesNotContain("&token");
        assertThat(Files.readString(DashboardPageTest.ASSETS.resolve("overview.css"))).doesNotContain("@import").doesNotContain("url(");
    }
}

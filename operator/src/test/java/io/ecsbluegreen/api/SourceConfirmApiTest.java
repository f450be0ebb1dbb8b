package io.ecsbluegreen.api;

import static io.ecsbluegreen.api.AuthorizedRequests.authorized;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.ecsbluegreen.cli.Main;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The removal guard through the running operator: a directory source emptied is held, shown unhealthy in
 * {@code /q/health} and the metrics, and confirmed only with the API token, by HTTP and by the CLI.
 */
@QuarkusTest
@TestProfile(SourceConfirmApiTest.Profile.class)
class SourceConfirmApiTest {

    public static class Profile extends ShopAndCartSource {
        static final Path DIR = directory("bluegreen-confirm-source");

        @Override
        Path dir() {
            return DIR;
        }
    }

    static final String SOURCE = "dir:" + Profile.DIR;

    @TestHTTPResource("/")
    URL base;

    record Cli(int code, String out, String err) {}

    Cli cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.dispatch(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    String api() {
        return base.toString();
    }

    static void files(boolean present) throws IOException {
        ShopAndCartSource.files(Profile.DIR, present);
    }

    @Test
    void anEmptiedSourceIsHeldUntilConfirmedWithTheTokenOverHttpAndByTheCli() throws IOException {
        files(true);
        authorized().post("/api/v1/sources/refresh").then().statusCode(200);
        given().get("/api/v1/services/shop").then().statusCode(200).body("state", equalTo("READY"));

        files(false);
        authorized().post("/api/v1/sources/refresh").then().statusCode(200);
        given().get("/api/v1/sources").then().statusCode(200)
                .body("[0].hold.reason", equalTo("AllServicesRemoved"))
                .body("[0].hold.removed", equalTo(List.of("cart", "shop")))
                .body("[0].services", equalTo(2));
        given().get("/api/v1/services/shop").then().statusCode(200).body("state", equalTo("READY"));
        given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'desired-state sources' }.data['" + SOURCE + "']", containsString("held: AllServicesRemoved"));
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("bluegreen_source_held{source=\"" + SOURCE + "\"} 1.0")
                .contains("bluegreen_source_held_removals{source=\"" + SOURCE + "\"} 2.0");

        // Without the token, or with a wrong one, or through a matrix parameter: refused, still held.
        given().post("/api/v1/sources/confirm").then().statusCode(401);
        given().header("Authorization", "Bearer wrong").post("/api/v1/sources/confirm").then().statusCode(401);
        given().post("/api;x=1/v1/sources/confirm").then().statusCode(org.hamcrest.Matchers.greaterThanOrEqualTo(400));
        Cli refused = cli("sources", "confirm", "--api", api(), "--token", "wrong");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.out()).isEmpty();
        given().get("/api/v1/sources").then().body("[0].hold.reason", equalTo("AllServicesRemoved"));
        authorized().post("/api/v1/sources/confirm?source=dir:nowhere").then().statusCode(404);

        // the CLI puts the held source first: in `status` above the services, and in the sources listing
        Cli status = cli("status", "--api", api());
        assertThat(status.code()).as(status.err()).isZero();
        List<String> lines = status.out().lines().toList();
        assertThat(lines.get(0)).startsWith("HELD source " + SOURCE + ": AllServicesRemoved, 2 removals of 2 (cart, shop), for ")
                .endsWith("; the last good snapshot stays in force. Restore the files, or confirm: bluegreen sources confirm " + SOURCE);
        assertThat(lines.get(1)).startsWith("NAME");
        assertThat(lines).anyMatch(l -> l.startsWith("shop ")).anyMatch(l -> l.startsWith("cart "));
        assertThat(cli("status", "shop", "--api", api()).out().lines().findFirst()).hasValueSatisfying(
                first -> assertThat(first).startsWith("HELD source " + SOURCE));
        Cli sources = cli("sources", "--api", api());
        assertThat(sources.code()).as(sources.err()).isZero();
        assertThat(sources.out().lines().toList()).hasSize(3);
        assertThat(sources.out()).startsWith("HELD source " + SOURCE)
                .containsPattern("\\n" + java.util.regex.Pattern.quote(SOURCE) + " +yes +AllServicesRemoved \\(2 removals\\) ");
        assertThat(cli("sources", "status", "--api", api()).out()).isEqualTo(sources.out());

        Cli confirmed = cli("sources", "confirm", SOURCE, "--api", api(), "--token", AuthorizedRequests.TOKEN);
        assertThat(confirmed.code()).as(confirmed.err()).isZero();
        assertThat(confirmed.out()).contains("confirmed: " + SOURCE);
        given().get("/api/v1/sources").then().body("[0].hold", nullValue()).body("[0].services", equalTo(0));
        given().get("/api/v1/services/shop").then().statusCode(200).body("state", equalTo("ORPHANED"));
        given().get("/q/health/ready").then().statusCode(200);
        assertThat(cli("status", "--api", api()).out()).as("nothing held: the listing starts with its header")
                .startsWith("NAME").doesNotContain("HELD");

        authorized().post("/api/v1/sources/confirm").then().statusCode(409);
        Cli nothing = cli("sources", "confirm", "--api", api(), "--token", AuthorizedRequests.TOKEN);
        assertThat(nothing.code()).isEqualTo(1);
        assertThat(nothing.err()).contains("no source is held");
    }

    @Test
    void theHttpConfirmationWithTheTokenAppliesTheHeldSnapshotAndTheFilesReturningEndAHoldByThemselves() throws IOException {
        files(true);
        authorized().post("/api/v1/sources/refresh").then().statusCode(200);
        files(false);
        authorized().post("/api/v1/sources/refresh").then().statusCode(200);
        given().get("/api/v1/sources").then().body("[0].hold.reason", equalTo("AllServicesRemoved"));
        files(true);
        authorized().post("/api/v1/sources/refresh").then().statusCode(200);
        given().get("/api/v1/sources").then().body("[0].hold", nullValue());
        given().get("/api/v1/services/shop").then().body("state", equalTo("READY"));

        files(false);
        authorized().post("/api/v1/sources/refresh").then().statusCode(200);
        authorized().post("/api/v1/sources/confirm").then().statusCode(200)
                .body("confirmed", equalTo(List.of(SOURCE)))
                .body("sources[0].hold", nullValue());
        given().get("/api/v1/services/cart").then().body("state", equalTo("ORPHANED"));
    }
}

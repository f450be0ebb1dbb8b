package io.ecsbluegreen.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's files are served at / beside the API and the /q endpoints, with a policy that lets the
 * page load nothing from elsewhere, and its script never turns server text into markup. (The page at
 * work, in a browser, is {@link DashboardBrowserTest}.)
 */
@QuarkusTest
class DashboardPageTest {

    static final Path ASSETS = Path.of("src/main/resources/META-INF/resources");

    @Test
    void theDashboardIsServedAtTheRootWithItsScriptAndStyleAndAPolicyAgainstForeignContent() {
        given().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .header("Content-Security-Policy", containsString("default-src 'none'"))
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("X-Content-Type-Options", equalTo("nosniff"))
                .body(containsString("id=\"services\"")).body(containsString("<script src=\"app.js\""));
        given().get("/index.html").then().statusCode(200).header("Content-Security-Policy", containsString("connect-src 'self'"));
        given().get("/app.js").then().statusCode(200).contentType(containsString("javascript"))
                .body(containsString("window.BlueGreenDashboard"));
        given().get("/app.css").then().statusCode(200).contentType(containsString("text/css"));
    }

    @Test
    void theApiAndTheQuarkusEndpointsStillAnswerBesideTheDashboard() {
        given().get("/api/v1/services").then().statusCode(200).contentType(containsString("application/json"))
                .body("name", hasItems("catalog", "greeter"));
        given().get("/q/health").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/no-such-page").then().statusCode(404);
    }

    @Test
    void theDashboardReadListsEveryServiceByNameWithItsStatusAndTheSources() {
        var json = given().get("/api/v1/dashboard").then().statusCode(200).extract().jsonPath();
        List<String> names = json.getList("services.name", String.class);
        assertThat(names).contains("catalog", "greeter").isSorted();
        given().get("/api/v1/dashboard").then()
                .body("services.find { it.name == 'catalog' }.strategy", equalTo("Canary"))
                .body("services.find { it.name == 'catalog' }.promotion", equalTo("manual"))
                .body("services.find { it.name == 'catalog' }.state", equalTo("READY"))
                // the test profile does not reconcile: no pass, no status yet
                .body("services.find { it.name == 'catalog' }.status", nullValue())
                .body("sources[0].source", equalTo("dir:../examples"));
    }

    @Test
    void thePageLoadsNothingFromElsewhereAndItsScriptNeverWritesMarkup() throws IOException {
        String html = Files.readString(ASSETS.resolve("index.html"));
        Matcher refs = Pattern.compile("(?:src|href|action)=\"([^\"]*)\"").matcher(html);
        while (refs.find()) {
            assertThat(refs.group(1)).as("index.html refers only to its own files").doesNotContain("//");
        }
        assertThat(html).doesNotContain("<style").doesNotContain(" style=")
                .as("no inline event handlers").doesNotContainPattern("\\son[a-z]+=");
        String js = Files.readString(ASSETS.resolve("app.js"));
        assertThat(js).as("server text reaches the page as text only")
                .doesNotContain("innerHTML").doesNotContain("outerHTML").doesNotContain("insertAdjacentHTML")
                .doesNotContain("document.write").doesNotContain("eval(").doesNotContain("new Function");
        assertThat(js).as("no request leaves the operator's origin").doesNotContain("http://").doesNotContain("https://");
        assertThat(js).as("the token travels in a header, never in a URL").doesNotContain("?token").doesNotContain("&token");
        assertThat(Files.readString(ASSETS.resolve("app.css"))).doesNotContain("@import").doesNotContain("url(http");
    }
}

package io.ecsbluegreen.api;

import static io.ecsbluegreen.api.AuthorizedRequests.authorized;
import static io.ecsbluegreen.api.ReconcilingOperatorTest.awaitPhase;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The dashboard end to end: Debian's headless Chromium, driven through its chromedriver, on a real
 * operator reconciling the catalog manual canary against the simulator. The page follows the rollout by
 * itself (it polls); the test moves the simulator's clock only until the API shows the phase it waits
 * for, then gives the page a bounded time to show it too, and clicks as a person would: Promote without
 * a token, with a wrong one and with the right one, then Abort.
 */
@QuarkusTest
@QuarkusTestResource(value = DashboardAccountResource.class, restrictToAnnotatedClass = true)
class DashboardBrowserTest {

    /** Debian's paths; the properties let a run point elsewhere (or nowhere, to see the test skip). */
    static final Path CHROMIUM = Path.of(System.getProperty("dashboard.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("dashboard.chromedriver", "/usr/bin/chromedriver"));
    /** The page polls every 2 s; this bounds every wait for the page. */
    static final Duration PAGE_WAIT = Duration.ofSeconds(20);
    static final Path SCREENSHOT = Path.of("target/dashboard-browser-test.png");
    static final Path SHIFTING_SCREENSHOT = Path.of("target/dashboard-browser-test-shifting.png");

    @TestHTTPResource("/")
    URL page;

    /** Where {@link #stopTheBrowser} leaves the page's last state; a test that borrows this set-up names its own. */
    Path screenshot = SCREENSHOT;
    ChromeDriverService service;
    ChromeDriver browser;
    Path profile;

    @BeforeEach
    void startTheBrowser() throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM), "no browser at " + CHROMIUM
                + ": the dashboard's browser test is skipped (apt-get install chromium chromium-driver; .ci/run does)");
        assumeTrue(Files.isExecutable(CHROMEDRIVER), "no chromedriver at " + CHROMEDRIVER
                + ": the dashboard's browser test is skipped (apt-get install chromium-driver; .ci/run does)");
        Files.createDirectories(Path.of("target"));
        profile = Files.createTempDirectory("bluegreen-chromium-profile");
        // the system driver, so that Selenium Manager never looks for (or downloads) one
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .withLogFile(Path.of("target/chromedriver.log").toFile()).build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // this machine's network is closed: no background connections, no sandbox for root, a fresh profile
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,2000", "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(10));
    }

    @AfterEach
    void stopTheBrowser() throws IOException {
        try {
            if (browser != null) {
                // the last state of the page, for review (and for the diagnosis of a failure)
                Files.write(screenshot, browser.getScreenshotAs(OutputType.BYTES));
                browser.quit();
            }
        } finally {
            if (service != null) service.stop();
            if (profile != null) {
                try (Stream<Path> files = Files.walk(profile)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    @Test
    void aPersonFollowsTheManualCanaryOnTheDashboardPromotesItWithTheTokenAndAbortsIt() throws Exception {
        // the catalog's own page (the first screen is the overview of every service: OverviewBrowserTest)
        browser.get(page + "#/services/catalog");
        assertThat(browser.getTitle()).endsWith("ecs-bluegreen-operator");

        // the first revision goes live
        JsonPath live = awaitPhase("catalog", "Steady");
        String r1 = live.getString("status.activeRevision");
        awaitCard("catalog", "Steady");
        assertThat(text("catalog", "[data-field=active-revision]")).isEqualTo(r1);
        assertThat(weights("catalog", "production")).isEqualTo(Map.of(r1, 100));
        assertThat(text("catalog", "[data-section=history] tbody tr")).contains(r1).contains("Succeeded");
        assertThat(enabled("catalog", "promote")).as("promote waits for AwaitingPromotion").isFalse();
        assertThat(enabled("catalog", "abort")).as("nothing to abort while Steady").isFalse();
        assertThat(enabled("catalog", "retry")).isFalse();

        // a new image: green gets the test listener and waits for a person
        Path file = SimulatedAccountResource.sources.resolve("catalog.yaml");
        Files.writeString(file, Files.readString(file).replace("greeter:1.0.0", "greeter:2.0.0"));
        authorized().post("/api/v1/sources/refresh").then().statusCode(200);
        JsonPath waiting = awaitPhase("catalog", "AwaitingPromotion");
        String r2 = waiting.getString("status.desiredRevision");
        awaitCard("catalog", "AwaitingPromotion");
        assertThat(text("catalog", "[data-field=desired-revision]")).isEqualTo(r2);
        assertThat(text("catalog", "[data-field=reason]")).contains("bluegreen promote catalog");
        assertThat(weights("catalog", "test")).isEqualTo(Map.of(r2, 100));
        assertThat(weights("catalog", "production")).isEqualTo(Map.of(r1, 100));
        assertThat(text("catalog", "[data-section=hooks] tbody")).contains("smoke-test").contains("Succeeded");
        assertThat(enabled("catalog", "promote")).isTrue();
        assertThat(enabled("catalog", "abort")).isTrue();
        assertThat(enabled("catalog", "retry")).isFalse();

        // no token, then a wrong one: refused with the reason, and nothing moves
        click("catalog", "promote");
        String refused = awaitResult("catalog", "401");
        assertThat(refused).contains("Promote refused (401)").contains("API token").contains("enter it above");
        enterToken("not-the-token");
        click("catalog", "promote");
        await("the refusal of the wrong token", () -> resultText("catalog").contains("did not accept the API token"));
        assertThat(given().get("/api/v1/services/catalog").then().extract().jsonPath().getString("status.phase"))
                .isEqualTo("AwaitingPromotion");

        // the right token: production starts moving to green
        enterToken(AuthorizedRequests.TOKEN);
        click("catalog", "promote");
        await("promote accepted", () -> resultText("catalog").contains("promote accepted for catalog"));
        assertThat(browser.findElement(By.cssSelector("[data-service=catalog] [data-field=command-result]"))
                .getAttribute("data-status")).isEqualTo("202");
        JsonPath shifting = awaitPhase("catalog", "Shifting");
        int greenShare = shifting.getInt("status.productionWeights." + r2);
        assertThat(greenShare).isPositive();
        awaitCard("catalog", "Shifting");
        await("the production bar shows green's share", () -> weights("catalog", "production").equals(Map.of(r1, 100 - greenShare, r2, greenShare)));
        assertThat(browser.findElement(By.cssSelector("[data-service=catalog] [data-bar=production] [data-revision='" + r2 + "']"))
                .getAttribute("class")).contains("rev-green");
        assertThat(text("catalog", "[data-legend=production]")).contains(r2 + " " + greenShare + "% (green, desired)");
        assertThat(browser.findElement(By.cssSelector("[data-service=catalog] [data-bar=production]")).getAttribute("aria-label"))
                .contains(r2 + " " + greenShare + "%");
        assertThat(text("catalog", "[data-field=step]")).isEqualTo("Step 1 of " + shifting.getInt("status.steps"));
        assertThat(enabled("catalog", "promote")).isFalse();
        Files.write(SHIFTING_SCREENSHOT, browser.getScreenshotAs(OutputType.BYTES));

        // abort: back to blue, and the history says so
        click("catalog", "abort");
        await("abort accepted", () -> resultText("catalog").contains("abort accepted for catalog"));
        JsonPath rolledBack = awaitPhase("catalog", "RolledBack");
        awaitCard("catalog", "RolledBack");
        await("production back on blue", () -> weights("catalog", "production").equals(Map.of(r1, 100)));
        String newest = text("catalog", "[data-section=history] tbody tr");
        assertThat(newest).contains(r2).contains("Aborted");
        assertThat(enabled("catalog", "retry")).isTrue();
        assertThat(enabled("catalog", "abort")).isFalse();
        assertThat(text("catalog", "[data-section=hooks] tbody")).contains("smoke-test");
        List<String> checks = rolledBack.getList("status.analysis.check", String.class);
        List<WebElement> rows = browser.findElements(By.cssSelector("[data-service=catalog] [data-table=analysis] tbody tr"));
        assertThat(rows).as("the latest analysis measurements, as the API has them").hasSize(Math.min(8, checks.size()));
        for (int i = 0; i < rows.size(); i++) {
            assertThat(rows.get(i).getText()).startsWith(checks.get(i))
                    .contains(rolledBack.getString("status.analysis[" + i + "].verdict"));
        }
        assertThat(browser.findElement(By.id("live")).getText()).as("the live region announced the changes").contains("catalog");

        List<String> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage)
                // the refused clicks above are meant to fail
                .filter(m -> !m.contains("status of 401")).toList();
        assertThat(errors).as("no script errors and no policy violations in the console").isEmpty();
    }

    // ---- the page, as a person sees it ---------------------------------------------------------------

    /** Waits, bounded, for the page to show the service in the phase (the page polls every 2 s). */
    void awaitCard(String service, String phase) {
        await(service + " shown as " + phase, () -> phase.equals(card(service).getAttribute("data-phase"))
                && phase.equals(card(service).findElement(By.cssSelector("[data-field=phase]")).getText()));
    }

    WebElement card(String service) {
        return browser.findElement(By.cssSelector("[data-service='" + service + "']"));
    }

    String text(String service, String selector) {
        return retrying(() -> card(service).findElement(By.cssSelector(selector)).getText());
    }

    boolean enabled(String service, String command) {
        return retrying(() -> card(service).findElement(By.cssSelector("[data-command='" + command + "']")).isEnabled());
    }

    String resultText(String service) {
        return text(service, "[data-field=command-result]");
    }

    String awaitResult(String service, String status) {
        await(service + "'s command answered " + status, () -> status.equals(
                card(service).findElement(By.cssSelector("[data-field=command-result]")).getAttribute("data-status")));
        return resultText(service);
    }

    /** Revision to percent, read from the bar's segments. */
    Map<String, Integer> weights(String service, String listener) {
        return retrying(() -> {
            java.util.Map<String, Integer> out = new java.util.HashMap<>();
            for (WebElement s : card(service).findElements(By.cssSelector("[data-bar='" + listener + "'] .segment"))) {
                out.put(s.getAttribute("data-revision"), Integer.valueOf(s.getAttribute("data-weight")));
            }
            return Map.copyOf(out);
        });
    }

    void click(String service, String command) {
        retrying(() -> {
            WebElement button = card(service).findElement(By.cssSelector("[data-command='" + command + "']"));
            assertThat(button.getAccessibleName()).isEqualTo(Character.toUpperCase(command.charAt(0)) + command.substring(1) + " " + service);
            button.click();
            return null;
        });
    }

    void enterToken(String token) {
        WebElement field = browser.findElement(By.id("token"));
        field.clear();
        field.sendKeys(token);
        browser.findElement(By.id("token-save")).click();
        await("the token kept for the tab", () -> browser.findElement(By.id("token-state")).getText().startsWith("Token set"));
        assertThat(field.getAttribute("value")).as("the field is emptied once the token is kept").isEmpty();
        assertThat(browser.getCurrentUrl()).as("never in the URL").doesNotContain(token);
        assertThat((String) browser.executeScript("return sessionStorage.getItem('bluegreen.api-token')")).isEqualTo(token);
    }

    /**
     * Polls the condition every 100 ms until it holds, bounded by {@link #PAGE_WAIT} (Awaitility); elements
     * redrawn meanwhile are looked up again.
     */
    void await(String what, Supplier<Boolean> condition) {
        Awaitility.await("the page showing " + what).atMost(PAGE_WAIT).pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsMatching(e -> e instanceof StaleElementReferenceException || e instanceof NoSuchElementException)
                .until(condition::get);
    }

    /** A read or click on a card that the page may be redrawing at that moment: tried again, at most 5 times. */
    static <T> T retrying(Supplier<T> action) {
        for (int attempt = 1; ; attempt++) {
            try {
                return action.get();
            } catch (StaleElementReferenceException e) {
                if (attempt == 5) throw e;
                sleep(50);
            }
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

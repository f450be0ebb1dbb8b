package io.ecsbluegreen.api;

import static io.ecsbluegreen.api.AuthorizedRequests.authorized;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * A held source on the dashboard, in headless Chromium (the set-up of {@link DashboardBrowserTest}): an
 * operator started on an empty directory shows the start-up hold ({@code EmptyAtStart}) as a banner; the
 * files come and go again, and the banner says which source, how many removals, since when, why and the
 * CLI command; Confirm asks first, naming the services it orphans, is refused without the token, and
 * with it leaves the services marked orphaned on their cards. The same answers are checked in the
 * dashboard read, {@code GET /api/v1/dashboard}.
 */
@QuarkusTest
@TestProfile(HeldSourceBrowserTest.Profile.class)
class HeldSourceBrowserTest {

    /** A directory source that is empty when the operator starts; no periodic read, refreshes only. */
    public static class Profile extends ShopAndCartSource {
        static final Path DIR = directory("bluegreen-held-view-source");

        static {
            try {
                files(DIR, false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        Path dir() {
            return DIR;
        }
    }

    static final String SOURCE = "dir:" + Profile.DIR;
    /** For review: the banner of a source whose every service would go. */
    static final Path HELD_SCREENSHOT = Path.of(System.getProperty("heldview.screenshot", "target/dashboard-held-source.png"));

    @TestHTTPResource("/")
    URL page;

    final DashboardBrowserTest chromium = new DashboardBrowserTest();

    @BeforeEach
    void startTheBrowser() throws IOException {
        chromium.screenshot = Path.of("target/dashboard-held-source-last.png");
        chromium.startTheBrowser();
    }

    @AfterEach
    void stopTheBrowser() throws IOException {
        chromium.stopTheBrowser();
    }

    static void files(boolean present) throws IOException {
        ShopAndCartSource.files(Profile.DIR, present);
    }

    @Test
    void aPersonSeesTheHeldSourceWithWhatToDoAndConfirmsItWithTheTokenLeavingTheServicesMarkedOrphaned() throws Exception {
        var browser = chromium.browser;
        browser.get(page.toString());

        // start-up: the source declares nothing on its first read, and the banner says so
        given().get("/api/v1/dashboard").then().statusCode(200)
                .body("sources[0].source", equalTo(SOURCE)).body("sources[0].hold.reason", equalTo("EmptyAtStart"))
                .body("sources[0].hold.removed", equalTo(List.of()));
        chromium.await("the start-up hold", () -> "EmptyAtStart".equals(banner().getAttribute("data-reason")));
        assertThat(browser.findElement(By.id("holds")).isDisplayed()).isTrue();
        assertThat(banner().getAttribute("data-removals")).isEqualTo("0");
        assertThat(field("hold-summary")).contains("declares no service at all on its first read since the operator started");
        assertThat(field("hold-why")).startsWith("EmptyAtStart:").contains("keeps no snapshot across restarts");
        assertThat(field("hold-command")).isEqualTo("bluegreen sources confirm " + SOURCE);
        assertThat(field("hold-since")).startsWith("Held since ").contains(" ago), revision ");
        assertThat(browser.findElement(By.cssSelector("[data-source='" + SOURCE + "']")).getText()).contains("held (EmptyAtStart)");

        // the files arrive: the hold ends by itself and the services show up, declared
        files(true);
        authorized().post("/api/v1/sources/refresh").then().statusCode(200);
        chromium.await("the banner gone", () -> !browser.findElement(By.id("holds")).isDisplayed());
        chromium.await("shop and cart declared", () -> browser.findElements(By.cssSelector("#rows-body tr[data-row]")).size() == 2);
        assertThat(browser.findElements(By.cssSelector("[data-orphaned]"))).isEmpty();

        // every file goes: held, with the two removals named
        files(false);
        authorized().post("/api/v1/sources/refresh").then().statusCode(200);
        given().get("/api/v1/dashboard").then()
                .body("sources[0].hold.reason", equalTo("AllServicesRemoved"))
                .body("sources[0].hold.removed", equalTo(List.of("cart", "shop")))
                .body("services.find { it.name == 'shop' }.state", equalTo("READY"));
        chromium.await("the removal hold", () -> "AllServicesRemoved".equals(banner().getAttribute("data-reason")));
        assertThat(banner().getAttribute("data-removals")).isEqualTo("2");
        assertThat(banner().findElement(By.tagName("h2")).getText()).isEqualTo("Source " + SOURCE + " is held");
        assertThat(field("hold-summary")).isEqualTo("Its newest snapshot would remove 2 services of 2: cart, shop."
                + " The last good snapshot stays in force.");
        assertThat(field("hold-why")).startsWith("AllServicesRemoved:").contains("declares none of its services");
        assertThat(field("hold-todo")).contains("restore them").contains("bluegreen sources confirm " + SOURCE);
        WebElement confirm = confirmButton();
        assertThat(confirm.getText()).isEqualTo("Confirm: orphan 2 services");
        assertThat(confirm.getAccessibleName()).isEqualTo("Confirm the removal held for " + SOURCE);
        Files.createDirectories(HELD_SCREENSHOT.toAbsolutePath().getParent());
        Files.write(HELD_SCREENSHOT, browser.getScreenshotAs(OutputType.BYTES));

        // the prompt names what a confirmation orphans; dismissed, nothing is sent
        confirm.click();
        Alert prompt = browser.switchTo().alert();
        assertThat(prompt.getText()).startsWith("Confirm the removal held for source " + SOURCE + "?")
                .contains("2 services will be orphaned: cart, shop.").contains("Nothing is deleted in AWS");
        prompt.dismiss();
        chromium.await("the cancellation", () -> holdResult().contains("cancelled; still held"));

        // accepted without a token: refused by the operator, still held
        confirmButton().click();
        browser.switchTo().alert().accept();
        chromium.await("the refusal", () -> holdResult().startsWith("Confirm refused (401)"));
        assertThat(holdResult()).contains("enter it above");
        given().get("/api/v1/sources").then().body("[0].hold.reason", equalTo("AllServicesRemoved"));

        // with the token: confirmed; the banner goes, the cards stay, marked orphaned
        chromium.enterToken(AuthorizedRequests.TOKEN);
        confirmButton().click();
        browser.switchTo().alert().accept();
        chromium.await("the confirmation", () -> holdResult().startsWith("Confirmed"));
        assertThat(holdResult()).isEqualTo("Confirmed: the held snapshot of " + SOURCE
                + " is in force; 2 services are orphaned and still watched.");
        given().get("/api/v1/dashboard").then().body("sources[0].hold", nullValue())
                .body("services.find { it.name == 'shop' }.state", equalTo("ORPHANED"))
                .body("services.find { it.name == 'cart' }.state", equalTo("ORPHANED"));
        chromium.await("the banner without a held source", () -> browser.findElements(By.cssSelector("[data-held-source]")).isEmpty());
        for (String name : List.of("cart", "shop")) {
            chromium.await(name + "'s row marked orphaned", () -> "true".equals(browser.findElement(
                    By.cssSelector("#rows-body tr[data-row='" + name + "']")).getAttribute("data-orphaned")));
        }
        for (String name : List.of("cart", "shop")) {
            browser.get(page + "#/services/" + name);
            chromium.await(name + " marked orphaned", () -> "true".equals(chromium.card(name).getAttribute("data-orphaned")));
            assertThat(chromium.text(name, "[data-field=state]")).isEqualTo("ORPHANED");
            assertThat(chromium.text(name, "[data-field=orphaned]")).startsWith("Orphaned: no file in the sources declares " + name)
                    .contains("still watched").contains("takes no new step");
        }
        assertThat(browser.findElement(By.cssSelector("[data-source='" + SOURCE + "']")).getText()).isEqualTo(SOURCE + ": healthy");

        List<String> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage)
                // the refused confirmation above is meant to fail
                .filter(m -> !m.contains("status of 401")).toList();
        assertThat(errors).as("no script errors and no policy violations in the console").isEmpty();
    }

    WebElement banner() {
        return chromium.browser.findElement(By.cssSelector("#holds [data-held-source='" + SOURCE + "']"));
    }

    WebElement confirmButton() {
        return DashboardBrowserTest.retrying(() -> banner().findElement(By.cssSelector("[data-confirm-source]")));
    }

    String field(String name) {
        return DashboardBrowserTest.retrying(() -> banner().findElement(By.cssSelector("[data-field='" + name + "']")).getText());
    }

    String holdResult() {
        List<WebElement> result = chromium.browser.findElements(By.cssSelector("#holds [data-field=hold-result]"));
        return result.isEmpty() ? "" : result.get(0).getText();
    }
}

package io.ecsbluegreen.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.model.Phase;
import io.ecsbluegreen.plan.ServiceStatus;
import io.ecsbluegreen.source.Provenance;
import io.ecsbluegreen.status.RevisionLabel;
import io.ecsbluegreen.status.StatusBook;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;

/**
 * The overview with 1,000 services in headless Chromium (the set-up of {@link DashboardBrowserTest}): a
 * directory source of 1,000 files (ten teams, two tiers as labels), their statuses written into the status
 * book directly (the operator does not reconcile here). A person reads the counts, filters by phase,
 * searches by label and by name, sorts, opens a service from its row at its own URL, and promotes it
 * with the token; the page keeps polling with one small request. The render times the page measures are
 * printed, never asserted.
 */
@QuarkusTest
@TestProfile(OverviewBrowserTest.Profile.class)
class OverviewBrowserTest {

    static final int SERVICES = 1000;
    static final List<String> TEAMS = List.of("payments", "search", "checkout", "identity", "catalog", "shipping", "ads",
            "media", "growth", "platform");
    static final Path OVERVIEW_SCREENSHOT = Path.of("target/dashboard-overview.png");
    static final Path DETAIL_SCREENSHOT = Path.of("target/dashboard-overview-detail.png");

    /** 1,000 services in one directory, read once at start-up. */
    public static class Profile implements QuarkusTestProfile {
        static final Path DIR = ShopAndCartSource.directory("bluegreen-overview-thousand");

        static {
            try {
                write(DIR);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bluegreen.sources", "dir:" + DIR, "bluegreen.sync.interval", "1h");
        }

        static void write(Path dir) throws IOException {
            try (Stream<Path> old = Files.list(dir)) {
                for (Path p : old.toList()) Files.delete(p);
            }
            String shop = Files.readString(Path.of("src/test/resources/operator-sources/shop.yaml"));
            for (int i = 0; i < SERVICES; i++) {
                String name = name(i);
                String yaml = shop.replace("shop", name)
                        .replace("  name: " + name + "\n", "  name: " + name + "\n  labels:\n    team: " + TEAMS.get(i % 10)
                                + "\n    tier: " + (i % 3 == 0 ? "frontend" : "backend") + "\n")
                        .replace("/0123456789abcdef/0123456789abcdef", "/0123456789abcdef/" + String.format("%016x", i));
                Files.writeString(dir.resolve(name + ".yaml"), yaml);
            }
        }
    }

    static String name(int i) {
        return TEAMS.get(i % 10) + "-svc-" + String.format("%04d", i);
    }

    /** What each service shows: every 50th waits for promotion, some failed or rolled back, some shift, most are steady. */
    static Phase phase(int i) {
        if (i % 50 == 0) return Phase.AwaitingPromotion;
        if (i % 100 == 7) return Phase.Failed;
        if (i % 100 == 13) return Phase.RolledBack;
        if (i % 200 == 21) return Phase.Invalid;
        if (i % 40 == 3) return Phase.Shifting;
        return Phase.Steady;
    }

    @TestHTTPResource("/")
    URL page;

    @Inject
    StatusBook book;

    final DashboardBrowserTest chromium = new DashboardBrowserTest();

    @BeforeEach
    void startTheBrowser() throws IOException {
        chromium.screenshot = Path.of("target/dashboard-overview-last.png");
        chromium.startTheBrowser();
    }

    @AfterEach
    void stopTheBrowser() throws IOException {
        chromium.stopTheBrowser();
    }

    static String owner(int i) {
        return i % 2 == 0 ? "replica-a" : "replica-b";
    }

    void record(int i) {
        Phase phase = phase(i);
        String blue = "r-" + String.format("%012x", 0xb1000000L + i);
        String green = "r-" + String.format("%012x", 0x9e000000L + i);
        boolean steady = phase == Phase.Steady;
        Map<String, Integer> weights = phase == Phase.Shifting ? Map.of(blue, 75, green, 25) : Map.of(blue, 100);
        // what the revisions run and the commits they came from, as the engine notes them before a pass
        Instant at = Instant.parse("2026-12-01T09:00:00Z");
        book.labelled(name(i), new RevisionLabel(blue, List.of("app:1.0.0"), Provenance.commit(commit(i, false), "Release 1.0.0", "Alice", at)));
        book.labelled(name(i), new RevisionLabel(green, List.of("app:2.0.0"), Provenance.commit(commit(i, true), "Release 2.0.0", "Bob", at)));
        book.record(name(i), new ServiceStatus(phase, blue, steady ? blue : green, weights,
                phase == Phase.Steady ? Map.of() : Map.of(green, 100), phase == Phase.Shifting ? 2 : 0,
                phase == Phase.Shifting ? 3 : 0, phase.name(), "set by the test"),
                StatusBook.Check.ok("Valid"), StatusBook.Check.ok("UpToDate"));
    }

    /** A commit SHA of the service's blue or green revision whose short form is unique among the services. */
    static String commit(int i, boolean green) {
        return String.format("%07x", (green ? 0x9e00000 : 0xb100000) + i) + "0".repeat(33);
    }

    @Test
    void aPersonFiltersSearchesSortsAndOpensOneOfAThousandServicesAndPromotesItWithTheToken() throws Exception {
        // the first read of 1,000 files may still run: rows without it would have no labels yet
        org.awaitility.Awaitility.await("the 1,000 files read").atMost(java.time.Duration.ofMinutes(2))
                .until(() -> io.restassured.RestAssured.given().get("/api/v1/services").then().extract().jsonPath()
                        .getList("name").size() == SERVICES);
        for (int i = 0; i < SERVICES; i++) record(i);
        // two replicas share the services through leases: each row and card names the one holding it
        for (int i = 0; i < SERVICES; i++) book.ownedBy(name(i), owner(i));
        // a running operator has served its page and answered the overview before: the browser's first load
        // is measured, not the server's first use of its JSON writer and static-file handler
        for (String path : List.of("/", "/app.css", "/overview.css", "/app.js", "/overview.js", "/api/v1/overview")) {
            io.restassured.RestAssured.given().get(path).then().statusCode(200);
        }
        var browser = chromium.browser;
        long opened = System.nanoTime();
        browser.get(page.toString());
        chromium.await("1,000 rows", () -> "1000".equals(table().getAttribute("data-rows"))
                && table().getAttribute("data-first-screen-ms") != null);
        long seen = System.nanoTime();
        chromium.await("every row painted", () -> table().getAttribute("data-full-render-ms") != null);
        String timeline = timeline();

        // the counts, and the rows that need a person first
        assertThat(count("all")).isEqualTo(SERVICES);
        assertThat(count("awaiting")).isEqualTo(20);
        assertThat(count("failed")).isEqualTo(20);
        assertThat(count("invalid")).isEqualTo(5);
        assertThat(count("progressing")).isEqualTo(count("all") - 20 - 20 - 5 - count("steady"));
        assertThat(count("attention")).isEqualTo(45);
        List<WebElement> rows = rows();
        assertThat(rows).hasSize(SERVICES);
        assertThat(rows.subList(0, 45)).allMatch(r -> "true".equals(r.getAttribute("data-attention")));
        assertThat(rows.get(45).getAttribute("data-attention")).isNull();
        WebElement first = rows.get(0);
        assertThat(first.getAttribute("data-row")).as("by name, among those needing a person").isEqualTo(name(13));
        assertThat(first.findElement(By.cssSelector("[data-cell=phase]")).getText()).isEqualTo("RolledBack");
        WebElement awaiting = row(name(0));
        assertThat(awaiting.findElement(By.cssSelector("[data-cell=phase]")).getText()).isEqualTo("AwaitingPromotion");
        assertThat(awaiting.findElement(By.cssSelector("[data-cell=labels]")).getText()).contains("team=payments").contains("tier=frontend");
        // a narrow column may clip the labels: every one of them is in the tooltip
        assertThat(awaiting.findElement(By.cssSelector("[data-cell=labels]")).getAttribute("title").split("\n"))
                .contains("team=payments", "tier=frontend");
        assertThat(awaiting.findElement(By.cssSelector("[data-cell=owner]")).getText()).isEqualTo(owner(0));
        // what the revisions run and the commits they came from, the whole label in the tooltip
        WebElement desired = awaiting.findElement(By.cssSelector("[data-cell=desired]"));
        assertThat(desired.getText()).isEqualTo("app:2.0.0 " + commit(0, true).substring(0, 7));
        assertThat(desired.findElement(By.cssSelector(".rev-images")).getText()).isEqualTo("app:2.0.0");
        assertThat(desired.findElement(By.cssSelector(".rev-source")).getText()).isEqualTo(commit(0, true).substring(0, 7));
        assertThat(desired.getAttribute("title")).isEqualTo(desired.getAttribute("data-revision") + " [app:2.0.0 from git "
                + commit(0, true).substring(0, 7) + " \"Release 2.0.0\" (Bob)]");
        assertThat(awaiting.findElement(By.cssSelector("[data-cell=active]")).getText())
                .isEqualTo("app:1.0.0 " + commit(0, false).substring(0, 7));
        assertThat(row(name(2)).findElement(By.cssSelector("[data-cell=desired]")).getText())
                .as("a steady row: its desired revision is its active one").isEqualTo("app:1.0.0 " + commit(2, false).substring(0, 7));
        WebElement shifting = row(name(3));
        assertThat(shifting.findElement(By.cssSelector("[data-cell=step]")).getText()).isEqualTo("2/3");
        assertThat(shifting.findElements(By.cssSelector("[data-cell=production] .wseg")))
                .extracting(s -> s.getAttribute("data-weight")).containsExactly("75", "25");
        assertThat(shifting.findElement(By.cssSelector("[data-cell=production] .rev-green")).getAttribute("data-revision"))
                .isEqualTo(shifting.findElement(By.cssSelector("[data-cell=desired]")).getAttribute("data-revision"));
        assertThat(shifting.findElement(By.cssSelector("[data-cell=since]")).getText()).endsWith(" ago");
        Files.write(OVERVIEW_SCREENSHOT, browser.getScreenshotAs(OutputType.BYTES));

        // filter by phase: a count is a filter, and the URL says so
        browser.findElement(By.cssSelector("[data-count=awaiting]")).click();
        chromium.await("the services awaiting promotion", () -> "20".equals(table().getAttribute("data-rows")));
        String filterMs = table().getAttribute("data-render-ms");
        assertThat(rows()).allMatch(r -> "AwaitingPromotion".equals(r.getAttribute("data-phase")));
        assertThat(browser.getCurrentUrl()).endsWith("#/?phase=group%3Aawaiting");
        assertThat(browser.findElement(By.cssSelector("[data-count=awaiting]")).getAttribute("aria-pressed")).isEqualTo("true");
        assertThat(browser.findElement(By.id("shown")).getText()).isEqualTo("20 of 1000 services shown");

        // search by label within the filter, then by name over every phase
        type("team=payments tier=frontend");
        chromium.await("payments frontends awaiting promotion", () -> "7".equals(table().getAttribute("data-rows")));
        assertThat(rows()).allMatch(r -> r.getAttribute("data-row").startsWith("payments-"));
        new Select(browser.findElement(By.id("phase-filter"))).selectByValue("all");
        chromium.await("every payments frontend", () -> "34".equals(table().getAttribute("data-rows")));
        type("svc-0042");
        chromium.await("one service by name", () -> "1".equals(table().getAttribute("data-rows")));
        assertThat(rows().get(0).getAttribute("data-row")).isEqualTo(name(42));
        type(commit(42, false).substring(0, 7));   // steady: its active (and desired) revision is blue's
        chromium.await("one service by its commit", () -> "1".equals(table().getAttribute("data-rows")));
        assertThat(rows().get(0).getAttribute("data-row")).isEqualTo(name(42));
        type("tier=frontend search");
        chromium.await("the search team's frontends", () -> "33".equals(table().getAttribute("data-rows")));
        type("replica-b");
        chromium.await("the services replica-b holds", () -> "500".equals(table().getAttribute("data-rows")));
        assertThat(rows()).allMatch(r -> "replica-b".equals(r.findElement(By.cssSelector("[data-cell=owner]")).getText()));

        // every row again, then sorted by phase with and without the rows that need a person first
        type("");
        chromium.await("every row", () -> "1000".equals(table().getAttribute("data-rows")));
        String allRowsMs = table().getAttribute("data-render-ms");
        new Select(browser.findElement(By.id("sort"))).selectByValue("phase");
        chromium.await("sorted by phase", () -> browser.getCurrentUrl().endsWith("sort=phase") && settled());
        String sortMs = table().getAttribute("data-render-ms");
        List<String> phases = rows().stream().map(r -> r.getAttribute("data-phase")).toList();
        assertThat(phases.subList(0, 45)).containsOnly("AwaitingPromotion", "RolledBack", "Failed", "Invalid");
        assertThat(phases.subList(0, 45)).isSortedAccordingTo(Comparator.comparing(Phase::valueOf));
        browser.findElement(By.id("attention-first")).click();
        chromium.await("sorted by phase alone", () -> browser.getCurrentUrl().contains("attention=0") && settled());
        phases = rows().stream().map(r -> r.getAttribute("data-phase")).toList();
        assertThat(phases).isSortedAccordingTo(Comparator.comparing(Phase::valueOf));
        assertThat(phases.get(0)).isEqualTo("Steady");
        new Select(browser.findElement(By.id("sort"))).selectByValue("name");
        chromium.await("sorted by name", () -> !browser.getCurrentUrl().contains("sort=") && settled());
        List<String> names = rows().stream().map(r -> r.getAttribute("data-row")).toList();
        assertThat(names).hasSize(SERVICES).isSorted();

        // a change reaches the open page as a delta of one row
        book.record(name(1), new ServiceStatus(Phase.Failed, "r-1", "r-2", Map.of("r-1", 100), Map.of(), 0, 0, "ProbeFailed",
                "green failed"), StatusBook.Check.ok("Valid"), StatusBook.Check.ok("UpToDate"));
        chromium.await(name(1) + " failed", () -> "Failed".equals(row(name(1)).getAttribute("data-phase")));
        assertThat(count("failed")).isEqualTo(21);
        assertThat(browser.findElement(By.id("live")).getText()).contains(name(1) + ": Steady → Failed");

        // a row opens the service at its own URL: its card and its events
        String chosen = name(100);
        long click = System.nanoTime();
        row(chosen).findElement(By.cssSelector("[data-cell=since]")).click();
        chromium.await("the page of " + chosen, () -> "AwaitingPromotion".equals(chromium.card(chosen).getAttribute("data-phase")));
        long detailShown = System.nanoTime();
        assertThat(browser.getCurrentUrl()).endsWith("#/services/" + chosen);
        assertThat(browser.findElement(By.id("overview")).isDisplayed()).isFalse();
        assertThat(chromium.enabled(chosen, "promote")).isTrue();
        assertThat(chromium.card(chosen).findElement(By.cssSelector("[data-field=owner]")).getText()).isEqualTo(owner(100));
        chromium.await("its events", () -> !browser.findElements(By.cssSelector("[data-table=events] tbody tr")).isEmpty());
        assertThat(browser.findElement(By.cssSelector("[data-table=events] tbody tr")).getText()).contains("PhaseChanged");

        // promote with the token
        chromium.enterToken(AuthorizedRequests.TOKEN);
        chromium.click(chosen, "promote");
        chromium.await("promote accepted", () -> chromium.resultText(chosen).contains("promote accepted for " + chosen));
        Files.write(DETAIL_SCREENSHOT, browser.getScreenshotAs(OutputType.BYTES));

        // a shared URL opens that service's page; back goes to the overview with its filters
        browser.get(page + "#/services/" + name(7));
        chromium.await("the shared page", () -> "Failed".equals(chromium.card(name(7)).getAttribute("data-phase")));
        browser.findElement(By.id("back")).click();
        chromium.await("the overview again", () -> "1000".equals(table().getAttribute("data-rows")));

        // what the polls cost: one full answer, then 304s or small deltas
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> polls = (List<Map<String, Object>>) browser.executeScript(
                "return performance.getEntriesByType('resource').filter(function (e) { return e.name.indexOf('api/v1/overview?') > 0"
                        + " || /api\\/v1\\/overview$/.test(e.name); }).map(function (e) { return { name: e.name, status: e.responseStatus,"
                        + " bytes: e.encodedBodySize }; })");
        List<Long> sizes = new ArrayList<>();
        long notModified = 0;
        for (Map<String, Object> p : polls) {
            if (((Number) p.get("status")).intValue() == 304) notModified++;
            else sizes.add(((Number) p.get("bytes")).longValue());
        }
        assertThat(polls).as("the page polled the overview").isNotEmpty();
        System.out.printf("overview of %d services in headless Chromium, measured in the page (ms after the navigation"
                + " started): %s; page seen complete by the test after %d ms%n", SERVICES, timeline, (seen - opened) / 1_000_000);
        System.out.printf("redraw of every row %s ms; sort by phase %s ms; phase filter (20 rows) %s ms; a row to its service's"
                + " page %d ms (as the test saw it)%n", allRowsMs, sortMs, filterMs, (detailShown - click) / 1_000_000);
        System.out.printf("overview polls in the last load: %d, %d answered 304; answer bodies (bytes): %s%n", polls.size(),
                notModified, sizes);

        List<String> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
        assertThat(errors).as("no script errors and no policy violations in the console").isEmpty();
    }

    /** Whether the table holds every row of the latest draw (rows after the first screen are appended per frame). */
    boolean settled() {
        return "false".equals(table().getAttribute("aria-busy"));
    }

    /**
     * What the first screen was made of, from the page's own marks (performance.now, from the navigation's
     * start): the page and its scripts, the overview request (sent, first byte, body read, JSON parsed), the
     * first screen of rows built, laid out and painted, then every row painted.
     */
    String timeline() {
        @SuppressWarnings("unchecked")
        Map<String, Object> t = (Map<String, Object>) chromium.browser.executeScript(
                "var t = {}; performance.getEntriesByType('mark').forEach(function (m) { if (!(m.name in t)) t[m.name] = m.startTime; });"
                        + " var nav = performance.getEntriesByType('navigation')[0]; t.dom = nav.domContentLoadedEventEnd;"
                        + " var r = performance.getEntriesByType('resource').filter(function (e) { return /api\\/v1\\/overview$/.test(e.name); })[0];"
                        + " if (r) { t.firstByte = r.responseStart; t.server = r.responseStart - r.requestStart; }"
                        + " t.rows = document.querySelectorAll('#rows-body tr').length;"
                        + " t.firstRows = Math.max(40, Math.ceil(window.innerHeight / 22)); return t;");
        return String.format("page and scripts ready %s; overview request sent %s, first byte %s (server %s), body read %s,"
                        + " JSON parsed %s; first %s rows built %s, laid out %s, FIRST SCREEN painted %s; ALL %s rows painted %s",
                ms(t.get("dom")), ms(t.get("bg-overview-fetch")), ms(t.get("firstByte")), ms(t.get("server")),
                ms(t.get("bg-overview-body")), ms(t.get("bg-overview-parsed")), t.get("firstRows"), ms(t.get("bg-first-rows-built")),
                ms(t.get("bg-first-rows-laid-out")), ms(t.get("bg-first-screen")), t.get("rows"), ms(t.get("bg-all-rows")));
    }

    static String ms(Object value) {
        return value == null ? "?" : String.format("%.0f", ((Number) value).doubleValue());
    }

    WebElement table() {
        return chromium.browser.findElement(By.id("rows"));
    }

    List<WebElement> rows() {
        return DashboardBrowserTest.retrying(() -> chromium.browser.findElements(By.cssSelector("#rows-body tr")));
    }

    WebElement row(String name) {
        return chromium.browser.findElement(By.cssSelector("#rows-body tr[data-row='" + name + "']"));
    }

    int count(String group) {
        return Integer.parseInt(DashboardBrowserTest.retrying(
                () -> chromium.browser.findElement(By.cssSelector("[data-count='" + group + "']")).getAttribute("data-n")));
    }

    void type(String text) {
        WebElement search = chromium.browser.findElement(By.id("search"));
        search.clear();
        if (!text.isEmpty()) search.sendKeys(text);
        else chromium.browser.executeScript("arguments[0].dispatchEvent(new Event('input'))", search);
    }
}

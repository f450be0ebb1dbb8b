package io.ecsbluegreen.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/grafana/bluegreen-operator.json is an importable dashboard (a data-source variable, a service
 * variable, panels laid out on Grafana's 24-column grid) whose every query names metrics, labels and label
 * values the operator really exposes, and which shows every metric the operator has.
 */
class GrafanaDashboardTest {
    static final Path DASHBOARD = Path.of("../deploy/grafana/bluegreen-operator.json");
    static final String DATASOURCE_UID = "${datasource}";
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(([a-z_:]+),\\s*([a-z_]+)\\)");

    static JsonNode dashboard;
    static OperatorMetrics metrics;
    static List<JsonNode> panels;

    @BeforeAll
    static void load() throws IOException {
        dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        metrics = OperatorMetrics.scrape();
        panels = new ArrayList<>();
        for (JsonNode p : dashboard.get("panels")) {
            panels.add(p);
            if (p.has("panels")) p.get("panels").forEach(panels::add);
        }
    }

    @Test
    void theDashboardIsImportableWithADataSourceAndAServiceVariable() {
        assertThat(dashboard.get("uid").asText()).isEqualTo("bluegreen-operator");
        assertThat(dashboard.get("title").asText()).isNotBlank();
        assertThat(dashboard.get("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
        assertThat(dashboard.get("id").isNull()).as("no instance-specific id").isTrue();
        JsonNode variables = dashboard.get("templating").get("list");
        JsonNode datasource = variable(variables, "datasource");
        assertThat(datasource.get("type").asText()).isEqualTo("datasource");
        assertThat(datasource.get("query").asText()).isEqualTo("prometheus");
        JsonNode service = variable(variables, "service");
        assertThat(service.get("datasource").get("uid").asText()).isEqualTo(DATASOURCE_UID);
        String query = service.get("definition").asText();
        assertThat(service.get("query").get("query").asText()).isEqualTo(query);
        Matcher m = LABEL_VALUES.matcher(query);
        assertThat(m.matches()).as(query).isTrue();
        assertThat(m.group(1)).isEqualTo("bluegreen_service_phase");
        assertThat(metrics.labels(m.group(1))).containsKey(m.group(2));
    }

    private static JsonNode variable(JsonNode variables, String name) {
        for (JsonNode v : variables) {
            if (name.equals(v.get("name").asText())) return v;
        }
        throw new AssertionError("no variable " + name);
    }

    @Test
    void everyPanelQueriesTheDataSourceVariableAndHasAUniqueIdAndPlaceOnTheGrid() {
        Set<Integer> ids = new HashSet<>();
        List<int[]> cells = new ArrayList<>();
        for (JsonNode p : panels) {
            String title = p.get("title").asText();
            assertThat(ids.add(p.get("id").asInt())).as("id of " + title + " is unique").isTrue();
            JsonNode grid = p.get("gridPos");
            int x = grid.get("x").asInt();
            int y = grid.get("y").asInt();
            int w = grid.get("w").asInt();
            int h = grid.get("h").asInt();
            assertThat(x + w).as(title + " fits the 24 columns").isLessThanOrEqualTo(24);
            for (int[] other : cells) {
                boolean overlaps = x < other[0] + other[2] && other[0] < x + w && y < other[1] + other[3] && other[1] < y + h;
                assertThat(overlaps).as(title + " overlaps another panel").isFalse();
            }
            cells.add(new int[] {x, y, w, h});
            if ("row".equals(p.get("type").asText())) continue;
            assertThat(p.get("datasource").get("uid").asText()).as(title).isEqualTo(DATASOURCE_UID);
            assertThat(p.get("targets")).as(title + " has queries").isNotEmpty();
            Set<String> refIds = new HashSet<>();
            for (JsonNode t : p.get("targets")) {
                assertThat(refIds.add(t.get("refId").asText())).as(title + " refIds are unique").isTrue();
                assertThat(t.get("datasource").get("uid").asText()).as(title).isEqualTo(DATASOURCE_UID);
            }
        }
    }

    /** A panel's query: the panel's title and the PromQL. */
    record PanelQuery(String panel, String expr) {}

    static List<PanelQuery> queries() {
        List<PanelQuery> out = new ArrayList<>();
        for (JsonNode p : panels) {
            if (p.has("targets")) p.get("targets").forEach(t -> out.add(new PanelQuery(p.get("title").asText(), t.get("expr").asText())));
        }
        return out;
    }

    @Test
    void everyPanelQueryNamesOnlyMetricsLabelsAndValuesTheOperatorExposes() {
        List<String> problems = new ArrayList<>();
        for (PanelQuery q : queries()) {
            PromQl.problems(q.expr(), metrics).forEach(problem -> problems.add(q.panel() + ": " + problem));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyMetricTheOperatorExposesIsOnTheDashboard() {
        Set<String> shown = new TreeSet<>();
        for (PanelQuery q : queries()) {
            PromQl.parse(q.expr()).selectors().forEach(s -> shown.add(family(s.metric())));
        }
        Set<String> exposed = new TreeSet<>();
        metrics.names().forEach(n -> exposed.add(family(n)));
        assertThat(shown).containsAll(exposed);
    }

    /** A histogram's series (_bucket, _count, _sum, _max) belong to one metric. */
    private static String family(String name) {
        return name.replaceAll("_(bucket|count|sum|max)$", "");
    }

    @Test
    void servicePanelsFollowTheServiceVariable() {
        for (PanelQuery q : queries()) {
            for (PromQl.Selector s : PromQl.parse(q.expr()).selectors()) {
                if (!metrics.labels(s.metric()).containsKey("service")) continue;
                assertThat(s.matchers()).as(q.panel() + ": " + q.expr() + " filters by $service")
                        .contains(new PromQl.LabelMatcher("service", "=~", "$service"));
            }
        }
    }
}

package io.ecsbluegreen.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * deploy/prometheus/alerts.yaml is a well-formed rules file whose every query names metrics, labels and
 * label values the operator really exposes (scraped from a registry its metrics classes fed), with a
 * severity and a runbook section in docs/operating.md for each alert; promtool checks it where installed.
 */
class PrometheusAlertsTest {
    static final Path ALERTS = Path.of("../deploy/prometheus/alerts.yaml");
    static final Path ALERT_TESTS = Path.of("../deploy/prometheus/alerts.test.yaml");
    static final Path OPERATING = Path.of("../docs/operating.md");
    static final String RUNBOOK_BASE = "https://github.com/ecsbluegreen/ecs-bluegreen-operator/blob/main/docs/operating.md#";
    static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");
    static final Set<String> RULE_KEYS = Set.of("alert", "expr", "for", "keep_firing_for", "labels", "annotations");
    static final Pattern DURATION = Pattern.compile("([0-9]+(ms|s|m|h|d|w|y))+");
    static final Pattern LABEL_REFERENCE = Pattern.compile("\\$labels\\.([a-zA-Z_][a-zA-Z0-9_]*)");

    static OperatorMetrics metrics;
    static List<Map<String, Object>> rules;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        metrics = OperatorMetrics.scrape();
        Map<String, Object> file = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(ALERTS));
        assertThat(file).containsOnlyKeys("groups");
        rules = new ArrayList<>();
        for (Object g : (List<Object>) file.get("groups")) {
            Map<String, Object> group = (Map<String, Object>) g;
            assertThat(group).containsKeys("name", "rules");
            assertThat((List<Object>) group.get("rules")).isNotEmpty();
            ((List<Object>) group.get("rules")).forEach(r -> rules.add((Map<String, Object>) r));
        }
    }

    @Test
    void theScrapeHasTheNamesThePrometheusConventionsGiveTheOperatorsMeters() {
        assertThat(metrics.names()).contains("bluegreen_reconcile_total", "bluegreen_reconcile_duration_seconds_bucket",
                "bluegreen_service_phase", "bluegreen_service_converged", "bluegreen_traffic_weight", "bluegreen_rollouts_total",
                "bluegreen_rollout_duration_seconds_bucket", "bluegreen_convergence_lag_seconds", "bluegreen_drift_corrections_total",
                "bluegreen_hook_runs_total", "bluegreen_hook_duration_seconds_bucket", "bluegreen_analysis_measurements_total",
                "bluegreen_analysis_value", "bluegreen_aws_api_calls_total", "bluegreen_aws_api_attempts_total", "bluegreen_source_sync_total",
                "bluegreen_source_last_success_timestamp_seconds", "bluegreen_source_healthy", "bluegreen_source_invalid_files",
                "bluegreen_desired_services", "bluegreen_source_held", "bluegreen_source_held_removals");
        assertThat(metrics.labels("bluegreen_service_phase").get("phase")).contains("Orphaned");
        assertThat(metrics.labels("bluegreen_rollouts_total").get("outcome"))
                .containsExactlyInAnyOrder("Succeeded", "RolledBack", "Aborted", "Superseded");
        assertThat(metrics.labels("bluegreen_aws_api_calls_total").get("outcome")).containsExactlyInAnyOrder("success", "throttled", "error");
        assertThat(metrics.labels("bluegreen_aws_api_attempts_total").get("outcome")).containsExactlyInAnyOrder("success", "throttled", "error");
    }

    @Test
    void theQueryCheckCatchesAMetricALabelAValueOrAGroupingTheOperatorDoesNotHave() {
        assertThat(PromQl.problems("increase(bluegreen_rollout_total[1h]) > 0", metrics))
                .containsExactly("the operator exposes no metric bluegreen_rollout_total");
        assertThat(PromQl.problems("bluegreen_rollouts_total{result=\"error\"}", metrics))
                .containsExactly("bluegreen_rollouts_total has no label result");
        assertThat(PromQl.problems("bluegreen_rollouts_total{outcome=~\"RolledBack|Failed\"}", metrics))
                .singleElement().asString().startsWith("bluegreen_rollouts_total{outcome} is never Failed");
        assertThat(PromQl.problems("sum by (service) (rate(bluegreen_reconcile_total[5m]))", metrics))
                .containsExactly("no metric of the query has the label service it groups or matches by");
        assertThat(PromQl.problems("histogram_quantile(0.9, sum by (le, outcome) (rate(bluegreen_rollout_duration_seconds_bucket"
                + "{outcome!=\"Superseded\"}[$__rate_interval]))) or on (service) bluegreen_service_converged{service=~\"$service\"}", metrics))
                .isEmpty();
    }

    @Test
    void everyRuleIsANamedAlertWithAQueryASeverityAndAnnotations() {
        Set<String> names = new HashSet<>();
        for (Map<String, Object> rule : rules) {
            String alert = (String) rule.get("alert");
            assertThat(alert).as("every rule is an alert").isNotNull().matches("BlueGreen[A-Z][A-Za-z]+");
            assertThat(names.add(alert)).as(alert + " is unique").isTrue();
            assertThat(rule.keySet()).as(alert).isSubsetOf(RULE_KEYS);
            assertThat(rule.get("expr")).as(alert).isInstanceOf(String.class);
            if (rule.containsKey("for")) assertThat((String) rule.get("for")).as(alert + " for").matches(DURATION);
            @SuppressWarnings("unchecked")
            Map<String, Object> labels = (Map<String, Object>) rule.get("labels");
            assertThat(labels).as(alert).isNotNull();
            assertThat(SEVERITIES).as(alert + " severity").contains((String) labels.get("severity"));
            @SuppressWarnings("unchecked")
            Map<String, Object> annotations = (Map<String, Object>) rule.get("annotations");
            assertThat(annotations).as(alert).containsOnlyKeys("summary", "description", "runbook_url");
        }
    }

    @Test
    void everyQueryNamesOnlyMetricsLabelsAndValuesTheOperatorExposes() {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> rule : rules) {
            PromQl.problems((String) rule.get("expr"), metrics).forEach(p -> problems.add(rule.get("alert") + ": " + p));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void annotationsOnlyNameLabelsTheQueriedMetricsCarry() {
        for (Map<String, Object> rule : rules) {
            PromQl.Query query = PromQl.parse((String) rule.get("expr"));
            Set<String> carried = new TreeSet<>();
            query.selectors().forEach(s -> carried.addAll(metrics.labels(s.metric()).keySet()));
            Matcher m = LABEL_REFERENCE.matcher(String.valueOf(rule.get("annotations")));
            while (m.find()) assertThat(carried).as(rule.get("alert") + " names $labels." + m.group(1)).contains(m.group(1));
        }
    }

    @Test
    void theAlertsTheIssueAsksForAreThere() {
        Map<String, String> exprs = new java.util.HashMap<>();
        rules.forEach(r -> exprs.put((String) r.get("alert"), (String) r.get("expr")));
        assertThat(exprs.get("BlueGreenRolloutStuck")).contains("bluegreen_convergence_lag_seconds");
        assertThat(exprs.get("BlueGreenRollback")).contains("bluegreen_rollouts_total{outcome=\"RolledBack\"}");
        assertThat(exprs.get("BlueGreenSourceUnhealthy")).contains("bluegreen_source_healthy");
        // A source that suddenly lists nothing, and the services it orphaned (issue 14, §2).
        assertThat(exprs.get("BlueGreenSourceHeld")).contains("bluegreen_source_held");
        assertThat(exprs.get("BlueGreenServiceOrphaned")).contains("bluegreen_service_phase{phase=\"Orphaned\"}");
        assertThat(exprs.get("BlueGreenDriftCorrected")).contains("bluegreen_drift_corrections_total");
        assertThat(exprs.get("BlueGreenReconcileErrors")).contains("bluegreen_reconcile_total{result=\"error\"}");
        // Calls hide the throttled attempts the SDK retried away (issue 14, §3): the alert counts attempts.
        assertThat(exprs.get("BlueGreenAwsThrottled")).contains("bluegreen_aws_api_attempts_total{outcome=\"throttled\"}")
                .doesNotContain("bluegreen_aws_api_calls_total");
    }

    @Test
    void everyAlertLinksToItsOwnRunbookSectionOfTheOperatingGuide() throws IOException {
        Set<String> anchors = anchors(Files.readString(OPERATING));
        for (Map<String, Object> rule : rules) {
            String alert = (String) rule.get("alert");
            @SuppressWarnings("unchecked")
            String url = (String) ((Map<String, Object>) rule.get("annotations")).get("runbook_url");
            assertThat(url).as(alert).isEqualTo(RUNBOOK_BASE + alert.toLowerCase(Locale.ROOT));
            assertThat(anchors).as("docs/operating.md has a section ### " + alert).contains(alert.toLowerCase(Locale.ROOT));
        }
    }

    /** The anchors GitHub gives a Markdown file's headings. */
    static Set<String> anchors(String markdown) {
        Set<String> out = new TreeSet<>();
        for (String line : markdown.split("\n")) {
            if (!line.startsWith("#")) continue;
            String title = line.replaceFirst("^#+\\s*", "").trim().toLowerCase(Locale.ROOT);
            out.add(title.replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
        }
        return out;
    }

    @Test
    @SuppressWarnings("unchecked")
    void theUnitTestsFireEveryAlertOnSeriesTheOperatorExposes() throws IOException {
        Map<String, Object> file = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(ALERT_TESTS));
        assertThat((List<Object>) file.get("rule_files")).containsExactly(ALERTS.getFileName().toString());
        Set<String> alerts = new TreeSet<>();
        rules.forEach(r -> alerts.add((String) r.get("alert")));
        Set<String> fired = new TreeSet<>();
        for (Object t : (List<Object>) file.get("tests")) {
            Map<String, Object> test = (Map<String, Object>) t;
            for (Object i : (List<Object>) test.get("input_series")) {
                String series = (String) ((Map<String, Object>) i).get("series");
                for (PromQl.Selector s : PromQl.parse(series).selectors()) {
                    if (PromQl.SYNTHETIC_METRICS.contains(s.metric())) continue;
                    assertThat(metrics.names()).as(series).contains(s.metric());
                    s.matchers().forEach(m -> assertThat(metrics.labels(s.metric())).as(series).containsKey(m.label()));
                }
            }
            for (Object c : (List<Object>) test.get("alert_rule_test")) {
                Map<String, Object> check = (Map<String, Object>) c;
                assertThat(alerts).contains((String) check.get("alertname"));
                if (!((List<Object>) check.get("exp_alerts")).isEmpty()) fired.add((String) check.get("alertname"));
            }
        }
        assertThat(fired).as("alerts a unit test sees firing").containsExactlyElementsOf(alerts);
    }

    @Test
    void promtoolAcceptsTheRulesAndPassesTheirUnitTestsWhereItIsInstalled() throws Exception {
        Optional<ExternalTool> promtool = ExternalTool.find("promtool");
        assumeTrue(promtool.isPresent(), "promtool is not on the PATH");
        ExternalTool.Run check = promtool.get().run(Path.of("."), Duration.ofMinutes(1), "check", "rules", ALERTS.toString());
        assertThat(check.exitCode()).as(check.output()).isZero();
        ExternalTool.Run test = promtool.get().run(Path.of("."), Duration.ofMinutes(2), "test", "rules", ALERT_TESTS.toString());
        assertThat(test.exitCode()).as(test.output()).isZero();
    }
}

package io.ecsbluegreen.deploy;

import io.ecsbluegreen.observed.Measurement;
import io.ecsbluegreen.desired.DesiredState;
import io.ecsbluegreen.desired.SourceStatus;
import io.ecsbluegreen.hooks.HookRun;
import io.ecsbluegreen.loop.WorkQueue;
import io.ecsbluegreen.aws.AwsCallMetrics;
import io.ecsbluegreen.metrics.EngineMetrics;
import io.ecsbluegreen.metrics.SourceMetrics;
import io.ecsbluegreen.model.Phase;
import io.ecsbluegreen.plan.Plan;
import io.ecsbluegreen.status.RolloutRecord;
import io.ecsbluegreen.status.ServiceReport;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.metrics.MetricCollector;
import software.amazon.awssdk.core.metrics.CoreMetric;

/**
 * What the operator exposes at /q/metrics: a Prometheus registry fed through the operator's own metrics
 * classes (EngineMetrics, SourceMetrics, AwsCallMetrics) with every value their closed label sets can
 * take, scraped, and read back as metric name to label name to the values seen.
 */
final class OperatorMetrics {
    /** Results of a reconcile pass, as Engine reports them to its PassListener. */
    static final List<String> PASS_RESULTS = List.of("success", "requeue", "throttled", "error", "terminal", "skipped");
    /** Outside changes the planner corrects (Plan.Drift kinds). */
    static final List<String> DRIFT_KINDS = List.of("listenerWeights", "taskSetScale");
    /** Outcomes of a hook run (HookRunner) and the lifecycle points (HooksSpec). */
    static final List<String> HOOK_OUTCOMES = List.of("Succeeded", "Failed", "TimedOut");
    static final List<String> HOOK_POINTS = List.of("beforeInstall", "afterInstall", "afterAllowTestTraffic", "beforeAllowTraffic", "afterAllowTraffic");

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? \\S+.*$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** Metric name to label name to the values seen. */
    private final Map<String, Map<String, Set<String>>> series;
    private final String text;

    private OperatorMetrics(String text) {
        this.text = text;
        this.series = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) throw new IllegalStateException("not a sample line: " + line);
            Map<String, Set<String>> labels = series.computeIfAbsent(m.group(1), k -> new TreeMap<>());
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) labels.computeIfAbsent(l.group(1), k -> new TreeSet<>()).add(l.group(2));
            }
        }
    }

    /** The scrape of a registry the metrics classes have been given one of everything. */
    static OperatorMetrics scrape() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Instant now = Instant.parse("2026-01-01T12:00:00Z");
        EngineMetrics engine = new EngineMetrics(registry, Clock.fixed(now, ZoneOffset.UTC));

        Measurement measured = new Measurement("error-rate", "targetGroupMetric", now, 0.002, "<= 0.01", Measurement.Verdict.PASSED, "");
        engine.changed(null, new ServiceReport("checkout", Phase.Shifting, "r-000000000001", "r-000000000002",
                Map.of("r-000000000001", 90, "r-000000000002", 10), Map.of("r-000000000002", 100), 1, 3,
                "Shifting", "step 1 of 3", List.of(), now, now, now.minusSeconds(120), 0, List.of(), List.of(), List.of(measured)));
        for (RolloutRecord.Outcome outcome : RolloutRecord.Outcome.values()) {
            engine.rolloutEnded("checkout", new RolloutRecord("r-000000000002", "r-000000000001", now.minusSeconds(600), now, outcome, "why"));
        }
        for (String point : HOOK_POINTS) {
            for (String kind : List.of("lambda", "http", "task")) {
                for (String outcome : HOOK_OUTCOMES) {
                    engine.hookRan("checkout", new HookRun("r-000000000002", point, "smoke", kind, 1, now, Duration.ofSeconds(3), outcome, ""));
                }
            }
        }
        for (Measurement.Verdict verdict : Measurement.Verdict.values()) {
            engine.measured("checkout", new Measurement("error-rate", "targetGroupMetric", now, 0.5, "<= 0.01", verdict, ""));
        }
        engine.watchQueue(() -> new WorkQueue.Backlog(3, Duration.ofSeconds(7)));
        List<Plan.Drift> drift = DRIFT_KINDS.stream().map(kind -> new Plan.Drift(kind, "corrected")).toList();
        for (String result : PASS_RESULTS) {
            engine.passed("checkout", result, Duration.ofMillis(40), new Plan(List.of(), null, Plan.Next.IDLE, drift));
        }

        String source = "git:https://github.com/acme/deploy.git?branch=main&path=services";
        SourceStatus status = new SourceStatus(source, true, "abc123", now, now, null, 3, 3, List.of());
        SourceMetrics sources = new SourceMetrics(registry, () -> new DesiredState(Map.of(), List.of(status)));
        sources.register(source);
        sources.synced(source, true);
        sources.synced(source, false);

        AwsCallMetrics aws = new AwsCallMetrics(registry);
        ExecutionAttributes attributes = new ExecutionAttributes();
        attributes.putAttribute(SdkExecutionAttribute.SERVICE_NAME, "Ecs");
        attributes.putAttribute(SdkExecutionAttribute.OPERATION_NAME, "DescribeServices");
        MetricCollector call = MetricCollector.create("ApiCall");
        call.reportMetric(CoreMetric.SERVICE_ID, "ECS");
        call.reportMetric(CoreMetric.OPERATION_NAME, "DescribeServices");
        attributes.putAttribute(SdkExecutionAttribute.API_CALL_METRIC_COLLECTOR, call);
        aws.afterExecution(null, attributes);
        aws.onExecutionFailure(failure(AwsServiceException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").build()).build()), attributes);
        aws.onExecutionFailure(failure(AwsServiceException.builder().statusCode(500)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ServerException").build()).build()), attributes);
        // One call's attempts as the SDK publishes them: throttled, failed, then answered.
        call.createChild("ApiCallAttempt").reportMetric(CoreMetric.ERROR_TYPE, "Throttling");
        call.createChild("ApiCallAttempt").reportMetric(CoreMetric.ERROR_TYPE, "ServerError");
        call.createChild("ApiCallAttempt").reportMetric(CoreMetric.AWS_REQUEST_ID, "answered");
        aws.publish(call.collect());
        return new OperatorMetrics(registry.scrape());
    }

    private static Context.FailedExecution failure(Throwable e) {
        return new Context.FailedExecution() {
            @Override
            public Throwable exception() {
                return e;
            }

            @Override
            public SdkRequest request() {
                return null;
            }

            @Override
            public Optional<SdkHttpRequest> httpRequest() {
                return Optional.empty();
            }

            @Override
            public Optional<SdkHttpResponse> httpResponse() {
                return Optional.empty();
            }

            @Override
            public Optional<SdkResponse> response() {
                return Optional.empty();
            }
        };
    }

    /** The metric names the scrape shows. */
    Set<String> names() {
        return series.keySet();
    }

    /** The label names of a metric, with the values seen; empty when the metric is not exposed. */
    Map<String, Set<String>> labels(String metric) {
        return series.getOrDefault(metric, Map.of());
    }

    /** The whole scrape, for messages. */
    String text() {
        return text;
    }
}

package io.ecsbluegreen.sim.cloudwatch;

import io.ecsbluegreen.sim.SimClock;
import io.ecsbluegreen.spec.JsonReader;
import io.ecsbluegreen.sim.protocol.AwsDates;
import io.ecsbluegreen.sim.protocol.Json;
import io.ecsbluegreen.sim.spi.ServiceEvents;
import io.ecsbluegreen.sim.spi.LoadBalancerMetrics;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The simulated CloudWatch state: metric alarms with their history, the datapoints PutMetricData
 * stored, and the {@link LoadBalancerMetrics} seam that {@code AWS/ApplicationELB} metrics are read
 * from. Tests seed and inspect it from Java:
 *
 * <pre>{@code
 * sim.cloudwatch().useLoadBalancerMetrics(fakeTraffic);
 * sim.cloudwatch().putMetricData("Deployments", "Errors", Map.of("Service", "web"), 3);
 * sim.cloudwatch().setAlarmState("web-5xx", AlarmState.ALARM, "test");
 * assertThat(sim.cloudwatch().alarm("web-5xx")).map(MetricAlarm::stateValue).contains(AlarmState.ALARM);
 * }</pre>
 *
 * <p>Alarms are evaluated against their metric lazily, on the simulator clock: whenever alarms are read
 * (DescribeAlarms, DescribeAlarmHistory or the Java getters), every period boundary the clock passed
 * since the last evaluation is evaluated in order. {@link #alarmEvaluation(boolean)} turns this off, so
 * that alarm states change only through SetAlarmState.
 */
public final class CloudWatchStore {

    /** Most boundaries one alarm catches up on in one evaluation; older ones are skipped. */
    private static final int MAX_CATCH_UP = 1440;
    private static final int MAX_HISTORY = 10_000;
    private static final DateTimeFormatter REASON_DATE =
            DateTimeFormatter.ofPattern("dd/MM/yy HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter REASON_DATA_DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final SimClock clock;
    private final String accountId;
    private volatile LoadBalancerMetrics loadBalancerMetrics;
    private final TreeMap<String, MetricAlarm> alarms = new TreeMap<>();
    private final Map<String, Instant> lastEvaluated = new HashMap<>();
    private final Deque<AlarmHistoryItem> history = new ArrayDeque<>();
    private final Map<Metric, List<Datapoint>> datapoints = new HashMap<>();
    private boolean evaluateAlarms = true;
    private final ServiceEvents events;

    /**
     * @param loadBalancerMetrics the data plane's traffic, for {@code AWS/ApplicationELB} metrics
     */
    public CloudWatchStore(SimClock clock, String accountId, LoadBalancerMetrics loadBalancerMetrics) {
        this(clock, accountId, loadBalancerMetrics, ServiceEvents.NONE);
    }

    /** @param events where alarm state changes go, as CloudWatch sends them to EventBridge */
    public CloudWatchStore(SimClock clock, String accountId, LoadBalancerMetrics loadBalancerMetrics, ServiceEvents events) {
        this.clock = clock;
        this.accountId = accountId;
        this.loadBalancerMetrics = Objects.requireNonNull(loadBalancerMetrics, "loadBalancerMetrics");
        this.events = events;
    }

    /** Evaluates every alarm up to now, so that state changes are reported without waiting for a read. */
    public synchronized void evaluateNow() {
        evaluateAlarms();
    }

    public String accountId() {
        return accountId;
    }

    /** Replaces the source of {@code AWS/ApplicationELB} target-group metrics. */
    public void useLoadBalancerMetrics(LoadBalancerMetrics metrics) {
        this.loadBalancerMetrics = Objects.requireNonNull(metrics, "metrics");
    }

    public LoadBalancerMetrics loadBalancerMetrics() {
        return loadBalancerMetrics;
    }

    /**
     * Turns the evaluation of alarms against their metrics on (the default, as in CloudWatch) or off
     * (alarm states then change only through SetAlarmState).
     */
    public synchronized void alarmEvaluation(boolean enabled) {
        if (enabled && !evaluateAlarms) {
            // Resume from now: boundaries passed while evaluation was off are not replayed.
            alarms.values().forEach(a -> lastEvaluated.put(a.alarmName(), boundary(a, clock.instant())));
        }
        this.evaluateAlarms = enabled;
    }

    // ---- alarms ----

    /** An alarm by name, evaluated up to now. */
    public synchronized Optional<MetricAlarm> alarm(String name) {
        evaluateAlarms();
        return Optional.ofNullable(alarms.get(name));
    }

    /** Every alarm, sorted by name, evaluated up to now. */
    public synchronized List<MetricAlarm> alarms() {
        evaluateAlarms();
        return List.copyOf(alarms.values());
    }

    /**
     * Sets an alarm's state, as SetAlarmState does: it lasts until the alarm's next evaluation.
     *
     * @return false when there is no such alarm
     */
    public synchronized boolean setAlarmState(String name, AlarmState state, String reason) {
        return setAlarmState(name, state, reason, null);
    }

    synchronized boolean setAlarmState(String name, AlarmState state, String reason, String reasonData) {
        evaluateAlarms();
        MetricAlarm alarm = alarms.get(name);
        if (alarm == null) {
            return false;
        }
        changeState(alarm, state, reason, reasonData, clock.instant());
        return true;
    }

    /** Deletes alarms, ignoring names that do not exist. */
    public synchronized void deleteAlarms(List<String> names) {
        Instant now = clock.instant();
        for (String name : names) {
            if (alarms.remove(name) != null) {
                lastEvaluated.remove(name);
                addHistory(new AlarmHistoryItem(name, now, "ConfigurationUpdate", "Alarm \"" + name + "\" deleted",
                        Json.object().field("version", "1.0").field("type", "Delete").build()));
            }
        }
    }

    /** The history of every alarm, newest first. */
    public synchronized List<AlarmHistoryItem> history() {
        evaluateAlarms();
        List<AlarmHistoryItem> items = new ArrayList<>(history);
        Collections.reverse(items);
        return items;
    }

    /** Creates or updates an alarm, as PutMetricAlarm: an update keeps the state and the tags. */
    /**
     * Creates an alarm in state OK on a metric without data, for seeds and tests that only switch its state:
     * {@code AWS/ApplicationELB HTTPCode_Target_5XX_Count} (Sum over 60 s, at least 1), missing data not breaching.
     */
    public synchronized MetricAlarm createAlarm(String region, String name) {
        Instant now = clock.instant();
        putAlarm(new MetricAlarm(name, alarmArn(region, name), "created by the simulator's seed", true, List.of(), List.of(),
                List.of(), AlarmState.INSUFFICIENT_DATA, "Unchecked: Initial alarm creation", null, now, now, now,
                "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", List.of(), "Sum", null, 60, null, 1, null, 1.0,
                "GreaterThanOrEqualToThreshold", "notBreaching", null, List.of(), null, Map.of()));
        setAlarmState(name, AlarmState.OK, "Seeded");
        return alarm(name).orElseThrow();
    }

    synchronized void putAlarm(MetricAlarm alarm) {
        evaluateAlarms();
        MetricAlarm previous = alarms.get(alarm.alarmName());
        Instant now = clock.instant();
        if (previous == null) {
            alarms.put(alarm.alarmName(), alarm);
            lastEvaluated.put(alarm.alarmName(), boundary(alarm, now));
            addHistory(new AlarmHistoryItem(alarm.alarmName(), now, "ConfigurationUpdate",
                    "Alarm \"" + alarm.alarmName() + "\" created",
                    Json.object().field("version", "1.0").field("type", "Create").build()));
        } else {
            alarms.put(alarm.alarmName(), alarm.keepingStateOf(previous));
            addHistory(new AlarmHistoryItem(alarm.alarmName(), now, "ConfigurationUpdate",
                    "Alarm \"" + alarm.alarmName() + "\" updated",
                    Json.object().field("version", "1.0").field("type", "Update").build()));
        }
    }

    String alarmArn(String region, String name) {
        return "arn:aws:cloudwatch:" + region + ":" + accountId + ":alarm:" + name;
    }

    Instant now() {
        return clock.instant();
    }

    // ---- metrics ----

    /** Stores one value of a custom metric at the current simulated time. */
    public void putMetricData(String namespace, String metricName, Map<String, String> dimensions, double value) {
        putMetricData(namespace, metricName, dimensions, value, clock.instant(), null);
    }

    /** Stores one value of a custom metric. */
    public synchronized void putMetricData(String namespace, String metricName, Map<String, String> dimensions,
            double value, Instant timestamp, String unit) {
        store(new Metric(namespace, metricName, Dimension.of(dimensions)), Datapoint.single(timestamp, unit, value));
    }

    synchronized void store(Metric metric, Datapoint point) {
        datapoints.computeIfAbsent(metric, k -> new ArrayList<>()).add(point);
    }

    /** The metrics PutMetricData stored datapoints for. */
    public synchronized Set<Metric> metrics() {
        return Set.copyOf(datapoints.keySet());
    }

    /** Removes every alarm, history entry and datapoint. */
    public synchronized void clear() {
        alarms.clear();
        lastEvaluated.clear();
        history.clear();
        datapoints.clear();
    }

    /** Start of the period containing {@code t}, periods aligned on the epoch. */
    static Instant floor(Instant t, int periodSeconds) {
        long s = Math.floorDiv(t.getEpochSecond(), periodSeconds) * periodSeconds;
        return Instant.ofEpochSecond(s);
    }

    /**
     * Where a query's periods begin, as CloudWatch aligns them: on {@code start} rounded down to the
     * minute, or, for a period under a minute, to a multiple of the period within the minute. A 120 s
     * period asked from 12:01:30 thus covers 12:01–12:03, 12:03–12:05, ... (as CloudWatch answers for a
     * start time less than 15 days ago; older data's coarser rounding is not simulated).
     */
    static Instant alignStart(Instant start, int periodSeconds) {
        return floor(start, Math.min(periodSeconds, 60));
    }

    /** The start of the period containing {@code t} among periods that begin at {@code from}. */
    static Instant periodOf(Instant t, Instant from, int periodSeconds) {
        long offset = Math.floorDiv(t.getEpochSecond() - from.getEpochSecond(), periodSeconds) * periodSeconds;
        return from.plusSeconds(offset);
    }

    /** Every period start from {@code start} (aligned by {@link #alignStart}) to before {@code end}. */
    static List<Instant> grid(Instant start, Instant end, int period) {
        List<Instant> grid = new ArrayList<>();
        for (Instant t = alignStart(start, period); t.isBefore(end); t = t.plusSeconds(period)) {
            grid.add(t);
        }
        return grid;
    }

    /**
     * The periods of a metric in [start, end) that have data, each with a function computing a statistic
     * (null when that statistic cannot be computed).
     */
    synchronized TreeMap<Instant, Function<Statistic, Double>> periods(Metric metric, String unit, int period,
            Instant start, Instant end) {
        TreeMap<Instant, Function<Statistic, Double>> out = new TreeMap<>();
        if (ElbMetrics.answers(metric)) {
            if (unit != null && !unit.equals(ElbMetrics.unit(metric.metricName()))) {
                return out;
            }
            LoadBalancerMetrics traffic = loadBalancerMetrics;
            String targetGroup = metric.dimension(ElbMetrics.TARGET_GROUP);
            Instant now = clock.instant();
            for (Instant t = alignStart(start, period); t.isBefore(end) && !t.isAfter(now); t = t.plusSeconds(period)) {
                Instant windowEnd = t.plusSeconds(period);
                LoadBalancerMetrics.Window window = traffic.window(targetGroup, t,
                        windowEnd.isAfter(end) ? end : windowEnd);
                if (window != null && window.requests() > 0) {
                    out.put(t, stat -> ElbMetrics.value(metric.metricName(), window, stat));
                }
            }
            return out;
        }
        Instant from = alignStart(start, period);
        Map<Instant, Aggregate> buckets = new TreeMap<>();
        for (Datapoint point : datapoints.getOrDefault(metric, List.of())) {
            Instant t = point.timestamp();
            if (t.isBefore(from) || !t.isBefore(end) || (unit != null && !unit.equals(point.unit()))) {
                continue;
            }
            buckets.computeIfAbsent(periodOf(t, from, period), k -> new Aggregate()).add(point);
        }
        buckets.forEach((t, aggregate) -> {
            if (!aggregate.isEmpty()) {
                out.put(t, aggregate::value);
            }
        });
        return out;
    }

    /** The unit a metric's datapoints carry in a range, for GetMetricStatistics. */
    synchronized String unitOf(Metric metric, String requested) {
        if (requested != null) {
            return requested;
        }
        if (ElbMetrics.answers(metric)) {
            return ElbMetrics.unit(metric.metricName());
        }
        for (Datapoint point : datapoints.getOrDefault(metric, List.of())) {
            if (point.unit() != null) {
                return point.unit();
            }
        }
        return "None";
    }

    /** One statistic per period: the time series a MetricStat query answers. */
    TreeMap<Instant, Double> series(MetricStat stat, Instant start, Instant end) {
        Statistic statistic = Statistic.parse(stat.stat());
        TreeMap<Instant, Double> series = new TreeMap<>();
        periods(stat.metric(), stat.unit(), stat.period(), start, end).forEach((t, values) -> {
            Double value = values.apply(statistic);
            if (value != null) {
                series.put(t, value);
            }
        });
        return series;
    }

    /**
     * Runs GetMetricData queries: MetricStat queries first, then expressions over them.
     *
     * @return every query's series by id, in request order
     * @throws IllegalArgumentException for an expression that cannot be evaluated, with the reason
     */
    Map<String, TreeMap<Instant, Double>> run(List<MetricDataQuery> queries, Instant start, Instant end) {
        Map<String, MetricDataQuery> byId = new LinkedHashMap<>();
        queries.forEach(q -> byId.put(q.id(), q));
        Map<String, TreeMap<Instant, Double>> results = new LinkedHashMap<>();
        int defaultPeriod = queries.stream().filter(q -> q.metricStat() != null)
                .mapToInt(q -> q.metricStat().period()).findFirst().orElse(60);
        for (MetricDataQuery query : queries) {
            resolve(query, byId, results, new HashSet<>(), start, end, defaultPeriod);
        }
        Map<String, TreeMap<Instant, Double>> ordered = new LinkedHashMap<>();
        queries.forEach(q -> ordered.put(q.id(), results.get(q.id())));
        return ordered;
    }

    private TreeMap<Instant, Double> resolve(MetricDataQuery query, Map<String, MetricDataQuery> byId,
            Map<String, TreeMap<Instant, Double>> results, Set<String> visiting, Instant start, Instant end,
            int defaultPeriod) {
        TreeMap<Instant, Double> done = results.get(query.id());
        if (done != null) {
            return done;
        }
        TreeMap<Instant, Double> series;
        if (query.metricStat() != null) {
            series = series(query.metricStat(), start, end);
        } else {
            if (!visiting.add(query.id())) {
                throw new IllegalArgumentException("Circular dependency on " + query.id());
            }
            int period = query.period() != null ? query.period() : defaultPeriod;
            try {
                series = MetricMath.evaluate(query.expression(), id -> {
                    MetricDataQuery other = byId.get(id);
                    if (other == null || other == query) {
                        throw new IllegalArgumentException("Unrecognized metric or expression '" + id + "'");
                    }
                    return resolve(other, byId, results, visiting, start, end, defaultPeriod);
                }, grid(start, end, period));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Error in expression '" + query.id() + "': " + e.getMessage(), e);
            }
        }
        results.put(query.id(), series);
        return series;
    }

    // ---- alarm evaluation ----

    private static Instant boundary(MetricAlarm alarm, Instant t) {
        return floor(t, alarm.evaluationPeriodSeconds());
    }

    private void evaluateAlarms() {
        if (!evaluateAlarms) {
            return;
        }
        Instant now = clock.instant();
        for (MetricAlarm alarm : List.copyOf(alarms.values())) {
            int period = alarm.evaluationPeriodSeconds();
            Instant last = lastEvaluated.getOrDefault(alarm.alarmName(), boundary(alarm, now));
            Instant latest = boundary(alarm, now);
            if (!latest.isAfter(last)) {
                continue;
            }
            Instant first = last.plusSeconds(period);
            long pending = (latest.getEpochSecond() - first.getEpochSecond()) / period + 1;
            if (pending > MAX_CATCH_UP) {
                first = latest.minusSeconds((long) period * (MAX_CATCH_UP - 1));
            }
            for (Instant at = first; !at.isAfter(latest); at = at.plusSeconds(period)) {
                evaluate(alarms.get(alarm.alarmName()), at);
            }
            lastEvaluated.put(alarm.alarmName(), latest);
        }
    }

    /** Evaluates an alarm at a period boundary over its last EvaluationPeriods periods. */
    private void evaluate(MetricAlarm alarm, Instant at) {
        if (alarm.threshold() == null || alarm.comparisonOperator() == null) {
            return; // anomaly-detection alarms are not evaluated
        }
        int period = alarm.evaluationPeriodSeconds();
        int n = alarm.evaluationPeriods();
        Instant start = at.minusSeconds((long) period * n);
        TreeMap<Instant, Double> series;
        String statistic;
        try {
            if (alarm.metrics().isEmpty()) {
                statistic = alarm.statistic() != null ? alarm.statistic() : alarm.extendedStatistic();
                Metric metric = new Metric(alarm.namespace(), alarm.metricName(), alarm.dimensions());
                series = series(new MetricStat(metric, period, statistic, alarm.unit()), start, at);
            } else {
                statistic = null;
                Map<String, TreeMap<Instant, Double>> results = run(alarm.metrics(), start, at);
                series = alarm.metrics().stream().filter(MetricDataQuery::returnData).findFirst()
                        .map(q -> results.get(q.id())).orElse(new TreeMap<>());
            }
        } catch (IllegalArgumentException e) {
            return; // a query the simulator cannot run: the alarm keeps its state
        }
        List<Instant> periods = grid(start, at, period);
        int datapointsToAlarm = alarm.datapointsToAlarm() != null ? alarm.datapointsToAlarm() : n;
        String missing = alarm.treatMissingData() != null ? alarm.treatMissingData() : "missing";
        int breaching = 0;
        int present = 0;
        List<Map.Entry<Instant, Double>> recent = new ArrayList<>();
        for (Instant t : periods) {
            Double value = series.get(t);
            if (value == null) {
                if (missing.equals("breaching")) {
                    breaching++;
                }
                continue;
            }
            present++;
            recent.add(Map.entry(t, value));
            if (breaches(alarm.comparisonOperator(), value, alarm.threshold())) {
                breaching++;
            }
        }
        AlarmState next;
        if (present == 0 && (missing.equals("missing") || missing.equals("ignore"))) {
            next = missing.equals("ignore") ? alarm.stateValue() : AlarmState.INSUFFICIENT_DATA;
        } else {
            next = breaching >= datapointsToAlarm ? AlarmState.ALARM : AlarmState.OK;
        }
        if (next == alarm.stateValue()) {
            return;
        }
        Collections.reverse(recent);
        String reason = reason(alarm, next, recent, breaching, n, datapointsToAlarm);
        changeState(alarm, next, reason, reasonData(alarm, statistic, period, at, recent), at);
    }

    private static boolean breaches(String operator, double value, double threshold) {
        return switch (operator) {
            case "GreaterThanThreshold" -> value > threshold;
            case "GreaterThanOrEqualToThreshold" -> value >= threshold;
            case "LessThanThreshold" -> value < threshold;
            case "LessThanOrEqualToThreshold" -> value <= threshold;
            default -> false; // anomaly-band operators
        };
    }

    private static String reason(MetricAlarm alarm, AlarmState next, List<Map.Entry<Instant, Double>> recent,
            int breaching, int n, int datapointsToAlarm) {
        if (next == AlarmState.INSUFFICIENT_DATA) {
            return "Insufficient Data: " + n + " datapoint" + (n == 1 ? " was" : "s were") + " unknown.";
        }
        StringBuilder points = new StringBuilder();
        for (Map.Entry<Instant, Double> e : recent) {
            if (points.length() > 0) {
                points.append(", ");
            }
            points.append(e.getValue()).append(" (").append(REASON_DATE.format(e.getKey())).append(')');
        }
        String comparison = switch (alarm.comparisonOperator()) {
            case "GreaterThanThreshold" -> "greater than";
            case "GreaterThanOrEqualToThreshold" -> "greater than or equal to";
            case "LessThanThreshold" -> "less than";
            default -> "less than or equal to";
        };
        int count = next == AlarmState.ALARM ? breaching : recent.size() - Math.min(breaching, recent.size());
        String verb = next == AlarmState.ALARM ? "" : "not ";
        return "Threshold Crossed: " + count + " out of the last " + n + " datapoint" + (n == 1 ? "" : "s")
                + " [" + points + "] " + (count == 1 ? "was " : "were ") + verb + comparison + " the threshold ("
                + alarm.threshold() + ") (minimum " + datapointsToAlarm + " datapoint"
                + (datapointsToAlarm == 1 ? "" : "s") + " for " + (next == AlarmState.ALARM ? "OK -> ALARM"
                        : "ALARM -> OK") + " transition).";
    }

    private static String reasonData(MetricAlarm alarm, String statistic, int period, Instant at,
            List<Map.Entry<Instant, Double>> recent) {
        StringBuilder values = new StringBuilder("[");
        StringBuilder evaluated = new StringBuilder("[");
        for (Map.Entry<Instant, Double> e : recent) {
            if (values.length() > 1) {
                values.append(',');
                evaluated.append(',');
            }
            values.append(e.getValue());
            evaluated.append(Json.object().field("timestamp", REASON_DATA_DATE.format(e.getKey()))
                    .raw("value", e.getValue().toString()).build());
        }
        Json data = Json.object().field("version", "1.0")
                .field("queryDate", REASON_DATA_DATE.format(at))
                .field("startDate", REASON_DATA_DATE.format(at.minusSeconds((long) period * alarm.evaluationPeriods())))
                .field("statistic", statistic)
                .field("period", period)
                .raw("recentDatapoints", values.append(']').toString())
                .raw("threshold", Double.toString(alarm.threshold()))
                .raw("evaluatedDatapoints", evaluated.append(']').toString());
        return data.build();
    }

    private void changeState(MetricAlarm alarm, AlarmState state, String reason, String reasonData, Instant at) {
        MetricAlarm updated = alarm.withState(state, reason, reasonData, at);
        alarms.put(alarm.alarmName(), updated);
        Json oldState = Json.object().field("stateValue", alarm.stateValue().name())
                .field("stateReason", alarm.stateReason());
        Json newState = Json.object().field("stateValue", state.name()).field("stateReason", reason);
        if (reasonData != null && JsonReader.isValid(reasonData)) {
            newState.raw("stateReasonData", reasonData);
        }
        if (state != alarm.stateValue()) {
            alarmStateChange(alarm, updated, at);
        }
        addHistory(new AlarmHistoryItem(alarm.alarmName(), at, "StateUpdate",
                "Alarm updated from " + alarm.stateValue() + " to " + state,
                Json.object().field("version", "1.0").raw("oldState", oldState.build())
                        .raw("newState", newState.build()).build()));
    }

    /** CloudWatch's "CloudWatch Alarm State Change" event: the alarm's new and previous state. */
    private void alarmStateChange(MetricAlarm before, MetricAlarm after, Instant at) {
        Json state = Json.object().field("value", after.stateValue().name()).field("reason", after.stateReason())
                .field("timestamp", AwsDates.iso8601(at).replace("Z", "+0000"));
        Json previous = Json.object().field("value", before.stateValue().name()).field("reason", before.stateReason())
                .field("timestamp", AwsDates.iso8601(before.stateUpdatedTimestamp() != null ? before.stateUpdatedTimestamp() : at)
                        .replace("Z", "+0000"));
        Json configuration = Json.object().field("description", after.alarmDescription()).raw("metrics", "[]");
        String arn = after.alarmArn();
        String region = arn != null && arn.split(":").length > 3 ? arn.split(":")[3] : "us-east-1";
        events.emit(new ServiceEvents.Event("aws.cloudwatch", "CloudWatch Alarm State Change", region, at,
                arn == null ? List.of() : List.of(arn),
                Json.object().field("alarmName", after.alarmName()).raw("state", state.build())
                        .raw("previousState", previous.build()).raw("configuration", configuration.build()).build()));
    }

    private void addHistory(AlarmHistoryItem item) {
        history.addLast(item);
        while (history.size() > MAX_HISTORY) {
            history.removeFirst();
        }
    }
}

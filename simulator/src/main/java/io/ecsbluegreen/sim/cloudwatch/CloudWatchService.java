package io.ecsbluegreen.sim.cloudwatch;

import io.ecsbluegreen.spec.JsonReader;
import io.ecsbluegreen.sim.protocol.AwsErrorException;
import io.ecsbluegreen.sim.protocol.Protocol;
import io.ecsbluegreen.sim.protocol.QueryCompatible;
import io.ecsbluegreen.sim.protocol.ServiceHandler;
import io.ecsbluegreen.sim.protocol.SimRequest;
import io.ecsbluegreen.sim.protocol.SimResponse;
import io.ecsbluegreen.sim.protocol.Struct;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Amazon CloudWatch: alarms (PutMetricAlarm, DescribeAlarms, SetAlarmState, DeleteAlarms,
 * DescribeAlarmHistory) and metrics (PutMetricData, GetMetricData, GetMetricStatistics), in the two
 * protocols clients speak to it: Query (form-encoded {@code Action=...&Version=2010-08-01}, XML answers;
 * SDK v2 up to 2.40.6), Smithy RPC v2 CBOR (SDK v2 from 2.40.7) and JSON 1.0 (the AWS CLI v1). Each
 * request is answered in its own protocol; the operations see the same input and compute the same output
 * for all.
 */
public final class CloudWatchService implements ServiceHandler {

    static final String NAMESPACE = "http://monitoring.amazonaws.com/doc/2010-08-01/";
    /** Query, JSON 1.0 and RPC v2 CBOR; error shapes are those of the model whose name is not the Query code. */
    static final QueryCompatible PROTOCOLS = new QueryCompatible("GraniteServiceVersion20100801",
            "com.amazonaws.cloudwatch", NAMESPACE, Map.of(
                    "InvalidParameterValue", "InvalidParameterValueException",
                    "MissingParameter", "MissingRequiredParameterException",
                    "InvalidParameterCombination", "InvalidParameterCombinationException",
                    "InternalServiceError", "InternalServiceFault",
                    "InvalidFormat", "InvalidFormatFault",
                    "LimitExceeded", "LimitExceededFault"));
    private static final Set<String> ACTIONS = Set.of("PutMetricAlarm", "DescribeAlarms", "SetAlarmState",
            "DeleteAlarms", "DescribeAlarmHistory", "PutMetricData", "GetMetricData", "GetMetricStatistics");
    private static final List<String> COMPARISONS = List.of("GreaterThanOrEqualToThreshold", "GreaterThanThreshold",
            "LessThanThreshold", "LessThanOrEqualToThreshold", "LessThanLowerOrGreaterThanUpperThreshold",
            "LessThanLowerThreshold", "GreaterThanUpperThreshold");
    private static final List<String> STATISTICS = List.of("SampleCount", "Average", "Sum", "Minimum", "Maximum");
    private static final List<String> MISSING_DATA = List.of("breaching", "notBreaching", "ignore", "missing");
    private static final List<String> STATES = List.of("OK", "ALARM", "INSUFFICIENT_DATA");
    private static final Pattern QUERY_ID = Pattern.compile("[a-z][a-zA-Z0-9_]{0,254}");
    private static final String DEFAULT_REGION = "us-east-1";
    private static final int MAX_METRIC_DATA = 1000;
    private static final int MAX_DIMENSIONS = 30;
    private static final int MAX_QUERIES = 500;
    private static final long MAX_GET_METRIC_DATA_POINTS = 100_800;
    private static final long MAX_GET_METRIC_STATISTICS_POINTS = 1_440;

    private final CloudWatchStore store;

    public CloudWatchService(CloudWatchStore store) {
        this.store = store;
    }

    @Override
    public String signingName() {
        return "monitoring";
    }

    @Override
    public Protocol protocol() {
        return Protocol.QUERY;
    }

    @Override
    public String xmlNamespace() {
        return NAMESPACE;
    }

    /** CloudWatch's internal failure is {@code InternalServiceError} (the SDK's InternalServiceException). */
    @Override
    public AwsErrorException serverError(int status) {
        return status == 500
                ? new AwsErrorException(500, "InternalServiceError", "Internal service error")
                : protocol().serverError(status);
    }

    @Override
    public Set<String> queryActions() {
        return ACTIONS;
    }

    @Override
    public Set<String> targetPrefixes() {
        return Set.of(PROTOCOLS.targetPrefix());
    }

    @Override
    public Set<String> rpcV2ServiceNames() {
        return Set.of(PROTOCOLS.serviceName());
    }

    /**
     * The operation: from the path in RPC v2 CBOR, from {@code X-Amz-Target} in JSON 1.0, from the
     * {@code Action} parameter in Query.
     */
    @Override
    public String resolveAction(SimRequest request) {
        String action = PROTOCOLS.operation(request).orElseGet(() -> QueryParams.of(request).get("Action"));
        if (action == null) {
            throw new AwsErrorException(400, "MissingAction", "Missing Action");
        }
        if (!ACTIONS.contains(action)) {
            throw new AwsErrorException(400, "InvalidAction",
                    "Could not find operation " + action + " for version 2010-08-01");
        }
        return action;
    }

    /**
     * Performs the operation on input read into the Query form whatever the protocol, and answers its
     * output (null for operations without one) in the protocol of the request.
     */
    @Override
    public SimResponse handle(String action, SimRequest request) {
        QueryParams params = QueryParams.of(request);
        String region = request.scope().map(s -> s.region()).orElse(DEFAULT_REGION);
        Struct output = switch (action) {
            case "PutMetricAlarm" -> putMetricAlarm(params, region);
            case "DescribeAlarms" -> describeAlarms(params);
            case "SetAlarmState" -> setAlarmState(params);
            case "DeleteAlarms" -> deleteAlarms(params);
            case "DescribeAlarmHistory" -> describeAlarmHistory(params);
            case "PutMetricData" -> putMetricData(params);
            case "GetMetricData" -> getMetricData(params);
            case "GetMetricStatistics" -> getMetricStatistics(params);
            default -> throw new IllegalStateException("unresolved action " + action);
        };
        return PROTOCOLS.response(request, action, output);
    }

    /** Errors keep their Query codes in every protocol (see {@link QueryCompatible#error}). */
    @Override
    public SimResponse renderError(AwsErrorException error, SimRequest request) {
        return PROTOCOLS.error(request, error);
    }

    // ---- alarms ----

    private Struct putMetricAlarm(QueryParams p, String region) {
        String name = required(p, "AlarmName", "alarmName");
        if (name.isEmpty() || name.length() > 255) {
            throw validation("Value '" + name + "' at 'alarmName' failed to satisfy constraint: Member must have "
                    + "length between 1 and 255");
        }
        Integer evaluationPeriods = p.integer("EvaluationPeriods");
        if (evaluationPeriods == null) {
            throw validation("Value null at 'evaluationPeriods' failed to satisfy constraint: Member must not be null");
        }
        if (evaluationPeriods < 1) {
            throw validation("Value '" + evaluationPeriods + "' at 'evaluationPeriods' failed to satisfy constraint: "
                    + "Member must have value greater than or equal to 1");
        }
        String comparison = enumValue(p, "ComparisonOperator", "comparisonOperator", COMPARISONS, true);
        String treatMissingData = enumValue(p, "TreatMissingData", "treatMissingData", MISSING_DATA, false);
        Integer datapointsToAlarm = p.integer("DatapointsToAlarm");
        if (datapointsToAlarm != null && (datapointsToAlarm < 1 || datapointsToAlarm > evaluationPeriods)) {
            throw new AwsErrorException(400, "ValidationError",
                    "DatapointsToAlarm must be between 1 and EvaluationPeriods (" + evaluationPeriods + ").");
        }
        Double threshold = p.decimal("Threshold");
        String thresholdMetricId = p.get("ThresholdMetricId");
        if (threshold == null && thresholdMetricId == null) {
            throw new AwsErrorException(400, "ValidationError",
                    "Threshold or ThresholdMetricId must be specified.");
        }
        String metricName = p.get("MetricName");
        List<MetricDataQuery> metrics = new ArrayList<>();
        for (String member : p.members("Metrics")) {
            metrics.add(query(p, member, true));
        }
        String statistic = null;
        String extendedStatistic = null;
        Integer period = null;
        String namespace = p.get("Namespace");
        List<Dimension> dimensions = List.of();
        if (!metrics.isEmpty()) {
            if (metricName != null || namespace != null || p.get("Statistic") != null || p.get("Period") != null) {
                throw new AwsErrorException(400, "InvalidParameterCombination",
                        "Metrics cannot be specified together with MetricName, Namespace, Statistic or Period.");
            }
            Set<String> ids = new HashSet<>();
            for (MetricDataQuery query : metrics) {
                if (!ids.add(query.id())) {
                    throw new AwsErrorException(400, "ValidationError", "The metrics list contains the id "
                            + query.id() + " more than once.");
                }
            }
            if (metrics.stream().filter(MetricDataQuery::returnData).count() != 1) {
                throw new AwsErrorException(400, "ValidationError",
                        "Exactly one element of the metrics list must have ReturnData set to true.");
            }
        } else {
            if (metricName == null || namespace == null) {
                throw new AwsErrorException(400, "ValidationError",
                        "MetricName and Namespace, or Metrics, must be specified.");
            }
            statistic = enumValue(p, "Statistic", "statistic", STATISTICS, false);
            extendedStatistic = p.get("ExtendedStatistic");
            if ((statistic == null) == (extendedStatistic == null)) {
                throw new AwsErrorException(400, "InvalidParameterCombination",
                        "Exactly one of Statistic or ExtendedStatistic must be specified.");
            }
            if (extendedStatistic != null) {
                checkStat(extendedStatistic, "ExtendedStatistic");
            }
            period = p.integer("Period");
            if (period == null) {
                throw new AwsErrorException(400, "ValidationError", "Period must be specified.");
            }
            if (!(period == 10 || period == 20 || period == 30 || (period >= 60 && period % 60 == 0))) {
                throw new AwsErrorException(400, "InvalidParameterValue",
                        "The parameter Period must be 10, 20, 30, or a multiple of 60.");
            }
            if (period >= 60 && (long) period * evaluationPeriods > 86_400) {
                throw new AwsErrorException(400, "ValidationError",
                        "Metrics cannot be checked across more than a day (EvaluationPeriods * Period must be <= 86400).");
            }
            dimensions = dimensions(p, "Dimensions");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (String member : p.members("Tags")) {
            tags.put(p.get(member + ".Key"), p.get(member + ".Value"));
        }
        Boolean actionsEnabled = p.bool("ActionsEnabled");
        Instant now = store.now();
        store.putAlarm(new MetricAlarm(name, store.alarmArn(region, name), p.get("AlarmDescription"),
                actionsEnabled == null || actionsEnabled, p.list("OKActions"), p.list("AlarmActions"),
                p.list("InsufficientDataActions"), AlarmState.INSUFFICIENT_DATA, "Unchecked: Initial alarm creation",
                null, now, now, now, namespace, metricName, dimensions, statistic, extendedStatistic, period,
                p.get("Unit"), evaluationPeriods, datapointsToAlarm, threshold, comparison, treatMissingData,
                p.get("EvaluateLowSampleCountPercentile"), metrics, thresholdMetricId, tags));
        return null;
    }

    private Struct describeAlarms(QueryParams p) {
        List<String> names = p.list("AlarmNames");
        String prefix = p.get("AlarmNamePrefix");
        if (names.size() > 100) {
            throw validation("Value '" + names + "' at 'alarmNames' failed to satisfy constraint: Member must have "
                    + "length less than or equal to 100");
        }
        if (!names.isEmpty() && prefix != null) {
            throw new AwsErrorException(400, "InvalidParameterCombination",
                    "AlarmNamePrefix and AlarmNames cannot be specified at the same time.");
        }
        String state = enumValue(p, "StateValue", "stateValue", STATES, false);
        String actionPrefix = p.get("ActionPrefix");
        List<String> types = p.list("AlarmTypes");
        for (String type : types) {
            if (!type.equals("MetricAlarm") && !type.equals("CompositeAlarm")) {
                throw validation("Value '" + type + "' at 'alarmTypes' failed to satisfy constraint: Member must "
                        + "satisfy enum value set: [CompositeAlarm, MetricAlarm]");
            }
        }
        int max = maxRecords(p, 50);
        String after = decodeToken(p.get("NextToken"));
        boolean metricAlarms = types.isEmpty() || types.contains("MetricAlarm");
        List<MetricAlarm> matching = new ArrayList<>();
        if (metricAlarms) {
            Set<String> wanted = new HashSet<>(names);
            for (MetricAlarm alarm : store.alarms()) {
                if ((!names.isEmpty() && !wanted.contains(alarm.alarmName()))
                        || (prefix != null && !alarm.alarmName().startsWith(prefix))
                        || (state != null && !alarm.stateValue().name().equals(state))
                        || (actionPrefix != null && !alarm.hasActionStartingWith(actionPrefix))
                        || (after != null && alarm.alarmName().compareTo(after) <= 0)) {
                    continue;
                }
                matching.add(alarm);
            }
        }
        List<MetricAlarm> page = matching.subList(0, Math.min(max, matching.size()));
        return Struct.of()
                .put("MetricAlarms", page.stream().map(CloudWatchService::alarmOutput).toList())
                .put("CompositeAlarms", List.of())
                .put("NextToken", matching.size() > max ? encodeToken(page.get(page.size() - 1).alarmName()) : null);
    }

    private Struct setAlarmState(QueryParams p) {
        String name = required(p, "AlarmName", "alarmName");
        String state = enumValue(p, "StateValue", "stateValue", STATES, true);
        String reason = required(p, "StateReason", "stateReason");
        if (reason.length() > 1023) {
            throw validation("Value at 'stateReason' failed to satisfy constraint: Member must have length less than "
                    + "or equal to 1023");
        }
        String reasonData = p.get("StateReasonData");
        if (reasonData != null && !JsonReader.isValid(reasonData)) {
            throw new AwsErrorException(400, "InvalidFormat", "Data was not syntactically valid JSON");
        }
        if (!store.setAlarmState(name, AlarmState.valueOf(state), reason, reasonData)) {
            throw new AwsErrorException(404, "ResourceNotFound", "Alarm " + name + " not found");
        }
        return null;
    }

    private Struct deleteAlarms(QueryParams p) {
        List<String> names = p.list("AlarmNames");
        if (names.isEmpty()) {
            throw validation("Value null at 'alarmNames' failed to satisfy constraint: Member must not be null");
        }
        if (names.size() > 100) {
            throw validation("Value '" + names + "' at 'alarmNames' failed to satisfy constraint: Member must have "
                    + "length less than or equal to 100");
        }
        store.deleteAlarms(names);
        return null;
    }

    private Struct describeAlarmHistory(QueryParams p) {
        String name = p.get("AlarmName");
        String type = enumValue(p, "HistoryItemType", "historyItemType",
                List.of("ConfigurationUpdate", "StateUpdate", "Action", "AlarmContributorStateUpdate",
                        "AlarmContributorAction"), false);
        Instant startDate = p.instant("StartDate");
        Instant endDate = p.instant("EndDate");
        List<String> types = p.list("AlarmTypes");
        String scanBy = enumValue(p, "ScanBy", "scanBy", List.of("TimestampDescending", "TimestampAscending"), false);
        int max = maxRecords(p, 100);
        int from = offsetToken(p.get("NextToken"));
        List<AlarmHistoryItem> items = new ArrayList<>();
        if (types.isEmpty() || types.contains("MetricAlarm")) {
            for (AlarmHistoryItem item : store.history()) {
                if ((name == null || item.alarmName().equals(name))
                        && (type == null || item.historyItemType().equals(type))
                        && (startDate == null || !item.timestamp().isBefore(startDate))
                        && (endDate == null || !item.timestamp().isAfter(endDate))) {
                    items.add(item);
                }
            }
        }
        if ("TimestampAscending".equals(scanBy)) {
            Collections.reverse(items);
        }
        int to = Math.min(items.size(), from + max);
        List<Struct> page = new ArrayList<>();
        for (AlarmHistoryItem item : from >= items.size() ? List.<AlarmHistoryItem>of() : items.subList(from, to)) {
            page.add(Struct.of()
                    .put("AlarmName", item.alarmName())
                    .put("AlarmType", "MetricAlarm")
                    .put("Timestamp", item.timestamp())
                    .put("HistoryItemType", item.historyItemType())
                    .put("HistorySummary", item.historySummary())
                    .put("HistoryData", item.historyData()));
        }
        return Struct.of()
                .put("AlarmHistoryItems", page)
                .put("NextToken", to < items.size() ? encodeToken(Integer.toString(to)) : null);
    }

    // ---- metrics ----

    private Struct putMetricData(QueryParams p) {
        String namespace = required(p, "Namespace", "namespace");
        if (namespace.isEmpty() || namespace.startsWith("AWS/") || namespace.length() > 255) {
            throw new AwsErrorException(400, "InvalidParameterValue",
                    "The value " + namespace + " for parameter Namespace is invalid.");
        }
        List<String> members = p.members("MetricData");
        if (members.isEmpty()) {
            throw new AwsErrorException(400, "MissingParameter", "The parameter MetricData is required.");
        }
        if (members.size() > MAX_METRIC_DATA) {
            throw new AwsErrorException(400, "InvalidParameterValue",
                    "The collection MetricData must not have a size greater than " + MAX_METRIC_DATA + ".");
        }
        Instant now = store.now();
        List<Map.Entry<Metric, Datapoint>> points = new ArrayList<>();
        for (String m : members) {
            String metricName = p.get(m + ".MetricName");
            if (metricName == null || metricName.isEmpty()) {
                throw new AwsErrorException(400, "MissingParameter", "The parameter " + m + ".MetricName is required.");
            }
            Instant timestamp = p.instant(m + ".Timestamp");
            if (timestamp == null) {
                timestamp = now;
            } else if (timestamp.isAfter(now.plus(Duration.ofHours(2)))) {
                throw new AwsErrorException(400, "InvalidParameterValue", "The parameter " + m + ".Timestamp must "
                        + "specify a time no more than two hours in the future.");
            } else if (timestamp.isBefore(now.minus(Duration.ofDays(14)))) {
                throw new AwsErrorException(400, "InvalidParameterValue", "The parameter " + m + ".Timestamp must "
                        + "specify a time within the past two weeks.");
            }
            String unit = p.get(m + ".Unit");
            Double value = p.decimal(m + ".Value");
            List<String> values = p.list(m + ".Values");
            List<String> counts = p.list(m + ".Counts");
            boolean statisticSet = p.get(m + ".StatisticValues.SampleCount") != null
                    || p.get(m + ".StatisticValues.Sum") != null;
            int kinds = (value != null ? 1 : 0) + (values.isEmpty() ? 0 : 1) + (statisticSet ? 1 : 0);
            if (kinds > 1) {
                throw new AwsErrorException(400, "InvalidParameterCombination", "The parameters " + m + ".Value, "
                        + m + ".Values and " + m + ".StatisticValues are mutually exclusive and you have specified "
                        + "more than one.");
            }
            Datapoint point;
            if (value != null) {
                finite(value, m + ".Value");
                point = Datapoint.single(timestamp, unit, value);
            } else if (!values.isEmpty()) {
                if (!counts.isEmpty() && counts.size() != values.size()) {
                    throw new AwsErrorException(400, "InvalidParameterValue", "The parameters " + m + ".Values and "
                            + m + ".Counts must be of the same size.");
                }
                double[] v = new double[values.size()];
                double[] c = new double[values.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = finite(parse(values.get(i), m + ".Values.member." + (i + 1)), m + ".Values");
                    c[i] = counts.isEmpty() ? 1 : parse(counts.get(i), m + ".Counts.member." + (i + 1));
                }
                point = Datapoint.values(timestamp, unit, v, c);
            } else if (statisticSet) {
                Double sampleCount = p.decimal(m + ".StatisticValues.SampleCount");
                Double sum = p.decimal(m + ".StatisticValues.Sum");
                Double min = p.decimal(m + ".StatisticValues.Minimum");
                Double max = p.decimal(m + ".StatisticValues.Maximum");
                if (sampleCount == null || sum == null || min == null || max == null) {
                    throw new AwsErrorException(400, "MissingParameter", "The parameters " + m
                            + ".StatisticValues.SampleCount, Sum, Minimum and Maximum are all required.");
                }
                point = Datapoint.statisticSet(timestamp, unit, sampleCount, sum, min, max);
            } else {
                throw new AwsErrorException(400, "MissingParameter", "The parameter " + m + ".Value is required.");
            }
            points.add(Map.entry(new Metric(namespace, metricName, dimensions(p, m + ".Dimensions")), point));
        }
        points.forEach(e -> store.store(e.getKey(), e.getValue()));
        return null;
    }

    private Struct getMetricData(QueryParams p) {
        Instant start = requiredInstant(p, "StartTime", "startTime");
        Instant end = requiredInstant(p, "EndTime", "endTime");
        if (!start.isBefore(end)) {
            throw new AwsErrorException(400, "ValidationError",
                    "The parameter StartTime must be less than the parameter EndTime.");
        }
        String scanBy = enumValue(p, "ScanBy", "scanBy", List.of("TimestampDescending", "TimestampAscending"), false);
        List<String> members = p.members("MetricDataQueries");
        if (members.isEmpty()) {
            throw validation("Value null at 'metricDataQueries' failed to satisfy constraint: Member must not be null");
        }
        if (members.size() > MAX_QUERIES) {
            throw new AwsErrorException(400, "ValidationError",
                    "The collection MetricDataQueries must not have a size greater than " + MAX_QUERIES + ".");
        }
        List<MetricDataQuery> queries = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        long requested = 0;
        for (String member : members) {
            MetricDataQuery query = query(p, member, false);
            if (!ids.add(query.id())) {
                throw new AwsErrorException(400, "ValidationError",
                        "The value " + query.id() + " for parameter MetricDataQueries.member.N.Id is not unique.");
            }
            int period = query.metricStat() != null ? query.metricStat().period()
                    : query.period() != null ? query.period() : 60;
            requested += CloudWatchStore.grid(start, end, period).size();
            queries.add(query);
        }
        if (requested > MAX_GET_METRIC_DATA_POINTS) {
            throw new AwsErrorException(400, "InvalidParameterCombination", "You have requested up to " + requested
                    + " datapoints, which exceeds the limit of " + MAX_GET_METRIC_DATA_POINTS + ".");
        }
        Map<String, TreeMap<Instant, Double>> results;
        try {
            results = store.run(queries, start, end);
        } catch (IllegalArgumentException e) {
            throw new AwsErrorException(400, "ValidationError", e.getMessage());
        }
        boolean ascending = "TimestampAscending".equals(scanBy);
        List<Struct> metricDataResults = new ArrayList<>();
        for (MetricDataQuery query : queries) {
            if (!query.returnData()) {
                continue;
            }
            TreeMap<Instant, Double> series = results.get(query.id());
            Map<Instant, Double> ordered = ascending ? series : series.descendingMap();
            String label = query.label() != null ? query.label()
                    : query.metricStat() != null ? query.metricStat().metric().metricName() : query.id();
            metricDataResults.add(Struct.of()
                    .put("Id", query.id())
                    .put("Label", label)
                    .put("Timestamps", List.copyOf(ordered.keySet()))
                    .put("Values", List.copyOf(ordered.values()))
                    .put("StatusCode", "Complete")
                    .put("Messages", List.of()));
        }
        return Struct.of().put("MetricDataResults", metricDataResults).put("Messages", List.of());
    }

    private Struct getMetricStatistics(QueryParams p) {
        String namespace = required(p, "Namespace", "namespace");
        String metricName = required(p, "MetricName", "metricName");
        Instant start = requiredInstant(p, "StartTime", "startTime");
        Instant end = requiredInstant(p, "EndTime", "endTime");
        if (!start.isBefore(end)) {
            throw new AwsErrorException(400, "InvalidParameterValue",
                    "The parameter StartTime must be less than the parameter EndTime.");
        }
        Integer period = p.integer("Period");
        if (period == null) {
            throw validation("Value null at 'period' failed to satisfy constraint: Member must not be null");
        }
        checkPeriod(period, "Period");
        List<String> statistics = p.list("Statistics");
        List<String> extended = p.list("ExtendedStatistics");
        if (statistics.isEmpty() && extended.isEmpty()) {
            throw new AwsErrorException(400, "InvalidParameterCombination",
                    "Must specify either Statistics or ExtendedStatistics, but not both.");
        }
        for (String statistic : statistics) {
            if (!Statistic.isStandard(statistic)) {
                throw validation("Value '[" + statistic + "]' at 'statistics' failed to satisfy constraint: Member "
                        + "must satisfy enum value set: " + STATISTICS);
            }
        }
        for (String statistic : extended) {
            checkStat(statistic, "ExtendedStatistics.member");
        }
        long requested = CloudWatchStore.grid(start, end, period).size();
        if (requested > MAX_GET_METRIC_STATISTICS_POINTS) {
            throw new AwsErrorException(400, "InvalidParameterCombination", "You have requested up to " + requested
                    + " datapoints, which exceeds the limit of " + MAX_GET_METRIC_STATISTICS_POINTS + ".");
        }
        Metric metric = new Metric(namespace, metricName, dimensions(p, "Dimensions"));
        String unit = p.get("Unit");
        TreeMap<Instant, Function<Statistic, Double>> periods = store.periods(metric, unit, period, start, end);
        String answeredUnit = store.unitOf(metric, unit);
        List<Struct> datapoints = new ArrayList<>();
        periods.forEach((t, values) -> {
            Struct datapoint = Struct.of().put("Timestamp", t);
            for (String statistic : statistics) {
                datapoint.put(statistic, values.apply(Statistic.parse(statistic)));
            }
            datapoint.put("Unit", answeredUnit);
            if (!extended.isEmpty()) {
                Map<String, Double> percentiles = new LinkedHashMap<>();
                for (String statistic : extended) {
                    Double value = values.apply(Statistic.parse(statistic));
                    if (value != null) {
                        percentiles.put(statistic, value);
                    }
                }
                datapoint.put("ExtendedStatistics", percentiles);
            }
            datapoints.add(datapoint);
        });
        return Struct.of().put("Label", metricName).put("Datapoints", datapoints);
    }

    // ---- reading requests ----

    private MetricDataQuery query(QueryParams p, String member, boolean forAlarm) {
        String id = p.get(member + ".Id");
        if (id == null || !QUERY_ID.matcher(id).matches()) {
            throw new AwsErrorException(400, "ValidationError", "The value " + id + " for parameter " + member
                    + ".Id is invalid: it must start with a lowercase letter and contain only letters, digits and "
                    + "underscores.");
        }
        String expression = p.get(member + ".Expression");
        String stat = p.get(member + ".MetricStat.Stat");
        boolean hasMetricStat = stat != null || p.get(member + ".MetricStat.Metric.MetricName") != null;
        if (hasMetricStat == (expression != null)) {
            throw new AwsErrorException(400, "ValidationError",
                    "The parameter " + member + " must contain either MetricStat or Expression, but not both.");
        }
        Boolean returnData = p.bool(member + ".ReturnData");
        Integer period = p.integer(member + ".Period");
        MetricStat metricStat = null;
        if (hasMetricStat) {
            String namespace = p.get(member + ".MetricStat.Metric.Namespace");
            String metricName = p.get(member + ".MetricStat.Metric.MetricName");
            Integer statPeriod = p.integer(member + ".MetricStat.Period");
            if (namespace == null || metricName == null || statPeriod == null || stat == null) {
                throw new AwsErrorException(400, "ValidationError", "The parameter " + member
                        + ".MetricStat needs Metric.Namespace, Metric.MetricName, Period and Stat.");
            }
            if (forAlarm) {
                if (!(statPeriod == 10 || statPeriod == 20 || statPeriod == 30 || (statPeriod >= 60 && statPeriod % 60 == 0))) {
                    throw new AwsErrorException(400, "InvalidParameterValue",
                            "The parameter " + member + ".MetricStat.Period must be 10, 20, 30, or a multiple of 60.");
                }
            } else {
                checkPeriod(statPeriod, member + ".MetricStat.Period");
            }
            checkStat(stat, member + ".MetricStat.Stat");
            metricStat = new MetricStat(new Metric(namespace, metricName, dimensions(p, member + ".MetricStat.Metric.Dimensions")),
                    statPeriod, stat, p.get(member + ".MetricStat.Unit"));
        } else if (period != null) {
            checkPeriod(period, member + ".Period");
        }
        return new MetricDataQuery(id, metricStat, expression, p.get(member + ".Label"),
                returnData == null || returnData, period);
    }

    private static List<Dimension> dimensions(QueryParams p, String prefix) {
        List<Dimension> dimensions = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String member : p.members(prefix)) {
            String name = p.get(member + ".Name");
            String value = p.get(member + ".Value");
            if (name == null || value == null) {
                throw new AwsErrorException(400, "MissingParameter",
                        "The parameters " + member + ".Name and " + member + ".Value are required.");
            }
            if (!names.add(name)) {
                throw new AwsErrorException(400, "InvalidParameterValue",
                        "The dimension " + name + " is specified more than once in " + prefix + ".");
            }
            dimensions.add(new Dimension(name, value));
        }
        if (dimensions.size() > MAX_DIMENSIONS) {
            throw new AwsErrorException(400, "InvalidParameterValue",
                    "The collection " + prefix + " must not have a size greater than " + MAX_DIMENSIONS + ".");
        }
        return dimensions;
    }

    private static void checkPeriod(int period, String parameter) {
        boolean valid = period == 1 || period == 5 || period == 10 || period == 20 || period == 30
                || (period >= 60 && period % 60 == 0);
        if (!valid) {
            throw new AwsErrorException(400, "InvalidParameterValue", "The parameter " + parameter
                    + " must be 1, 5, 10, 20, 30, or a multiple of 60.");
        }
    }

    private static void checkStat(String stat, String parameter) {
        try {
            Statistic.parse(stat);
        } catch (IllegalArgumentException e) {
            String detail = e.getMessage().startsWith("not supported") ? " It is " + e.getMessage() + "." : "";
            throw new AwsErrorException(400, "InvalidParameterValue",
                    "The value " + stat + " for parameter " + parameter + " is invalid." + detail);
        }
    }

    private static String required(QueryParams p, String name, String member) {
        String value = p.get(name);
        if (value == null) {
            throw validation("Value null at '" + member + "' failed to satisfy constraint: Member must not be null");
        }
        return value;
    }

    private static Instant requiredInstant(QueryParams p, String name, String member) {
        Instant value = p.instant(name);
        if (value == null) {
            throw validation("Value null at '" + member + "' failed to satisfy constraint: Member must not be null");
        }
        return value;
    }

    private static String enumValue(QueryParams p, String name, String member, List<String> allowed, boolean required) {
        String value = p.get(name);
        if (value == null) {
            if (required) {
                throw validation("Value null at '" + member + "' failed to satisfy constraint: Member must not be null");
            }
            return null;
        }
        if (!allowed.contains(value)) {
            throw validation("Value '" + value + "' at '" + member + "' failed to satisfy constraint: Member must "
                    + "satisfy enum value set: " + allowed);
        }
        return value;
    }

    private static int maxRecords(QueryParams p, int fallback) {
        Integer max = p.integer("MaxRecords");
        if (max == null) {
            return fallback;
        }
        if (max < 1 || max > 100) {
            throw validation("Value '" + max + "' at 'maxRecords' failed to satisfy constraint: Member must have value "
                    + "between 1 and 100");
        }
        return max;
    }

    private static double parse(String value, String name) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw QueryParams.invalid(name, value);
        }
    }

    private static double finite(double value, String name) {
        if (!Double.isFinite(value)) {
            throw QueryParams.invalid(name, Double.toString(value));
        }
        return value;
    }

    private static String encodeToken(String value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeToken(String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new AwsErrorException(400, "InvalidNextToken", "The service couldn't process the NextToken.");
        }
    }

    private static int offsetToken(String token) {
        String decoded = decodeToken(token);
        if (decoded == null) {
            return 0;
        }
        try {
            int offset = Integer.parseInt(decoded);
            if (offset >= 0) {
                return offset;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new AwsErrorException(400, "InvalidNextToken", "The service couldn't process the NextToken.");
    }

    private static AwsErrorException validation(String constraint) {
        return new AwsErrorException(400, "ValidationError", "1 validation error detected: " + constraint);
    }

    // ---- writing answers ----

    private static Struct alarmOutput(MetricAlarm a) {
        Struct alarm = Struct.of()
                .put("AlarmName", a.alarmName())
                .put("AlarmArn", a.alarmArn())
                .put("AlarmDescription", a.alarmDescription())
                .put("AlarmConfigurationUpdatedTimestamp", a.alarmConfigurationUpdatedTimestamp())
                .put("ActionsEnabled", a.actionsEnabled())
                .put("OKActions", a.okActions())
                .put("AlarmActions", a.alarmActions())
                .put("InsufficientDataActions", a.insufficientDataActions())
                .put("StateValue", a.stateValue().name())
                .put("StateReason", a.stateReason())
                .put("StateReasonData", a.stateReasonData())
                .put("StateUpdatedTimestamp", a.stateUpdatedTimestamp())
                .put("MetricName", a.metricName())
                .put("Namespace", a.namespace())
                .put("Statistic", a.statistic())
                .put("ExtendedStatistic", a.extendedStatistic())
                .put("Dimensions", dimensionsOutput(a.dimensions()))
                .put("Period", a.period())
                .put("Unit", a.unit())
                .put("EvaluationPeriods", a.evaluationPeriods())
                .put("DatapointsToAlarm", a.datapointsToAlarm())
                .put("Threshold", a.threshold())
                .put("ComparisonOperator", a.comparisonOperator())
                .put("TreatMissingData", a.treatMissingData())
                .put("EvaluateLowSampleCountPercentile", a.evaluateLowSampleCountPercentile());
        if (!a.metrics().isEmpty()) {
            alarm.put("Metrics", a.metrics().stream().map(CloudWatchService::queryOutput).toList());
        }
        return alarm.put("ThresholdMetricId", a.thresholdMetricId())
                .put("StateTransitionedTimestamp", a.stateTransitionedTimestamp());
    }

    private static Struct queryOutput(MetricDataQuery q) {
        Struct query = Struct.of().put("Id", q.id());
        if (q.metricStat() != null) {
            MetricStat s = q.metricStat();
            Struct metric = Struct.of()
                    .put("Namespace", s.metric().namespace())
                    .put("MetricName", s.metric().metricName())
                    .put("Dimensions", dimensionsOutput(s.metric().dimensions()));
            query.put("MetricStat", Struct.of().put("Metric", metric).put("Period", s.period()).put("Stat", s.stat())
                    .put("Unit", s.unit()));
        }
        return query.put("Expression", q.expression()).put("Label", q.label()).put("ReturnData", q.returnData())
                .put("Period", q.period());
    }

    private static List<Struct> dimensionsOutput(List<Dimension> dimensions) {
        return dimensions.stream().map(d -> Struct.of().put("Name", d.name()).put("Value", d.value())).toList();
    }
}

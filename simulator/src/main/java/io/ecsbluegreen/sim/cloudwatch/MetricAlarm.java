package io.ecsbluegreen.sim.cloudwatch;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A metric alarm as DescribeAlarms reports it: its configuration (from PutMetricAlarm) and its state.
 * Immutable; the store replaces it on every change.
 */
public record MetricAlarm(
        String alarmName,
        String alarmArn,
        String alarmDescription,
        boolean actionsEnabled,
        List<String> okActions,
        List<String> alarmActions,
        List<String> insufficientDataActions,
        AlarmState stateValue,
        String stateReason,
        String stateReasonData,
        Instant stateUpdatedTimestamp,
        Instant stateTransitionedTimestamp,
        Instant alarmConfigurationUpdatedTimestamp,
        String namespace,
        String metricName,
        List<Dimension> dimensions,
        String statistic,
        String extendedStatistic,
        Integer period,
        String unit,
        int evaluationPeriods,
        Integer datapointsToAlarm,
        Double threshold,
        String comparisonOperator,
        String treatMissingData,
        String evaluateLowSampleCountPercentile,
        List<MetricDataQuery> metrics,
        String thresholdMetricId,
        Map<String, String> tags) {

    public MetricAlarm {
        okActions = List.copyOf(okActions);
        alarmActions = List.copyOf(alarmActions);
        insufficientDataActions = List.copyOf(insufficientDataActions);
        dimensions = dimensions == null ? List.of() : Dimension.sorted(dimensions);
        metrics = List.copyOf(metrics);
        tags = Map.copyOf(tags);
    }

    /** The alarm with a new state; {@code stateTransitionedTimestamp} moves only when the value changes. */
    MetricAlarm withState(AlarmState state, String reason, String reasonData, Instant now) {
        return new MetricAlarm(alarmName, alarmArn, alarmDescription, actionsEnabled, okActions, alarmActions,
                insufficientDataActions, state, reason, reasonData, now,
                state == stateValue ? stateTransitionedTimestamp : now, alarmConfigurationUpdatedTimestamp, namespace,
                metricName, dimensions, statistic, extendedStatistic, period, unit, evaluationPeriods, datapointsToAlarm,
                threshold, comparisonOperator, treatMissingData, evaluateLowSampleCountPercentile, metrics,
                thresholdMetricId, tags);
    }

    /** This alarm's new configuration keeping {@code previous}'s state and tags, as PutMetricAlarm updates. */
    MetricAlarm keepingStateOf(MetricAlarm previous) {
        return new MetricAlarm(alarmName, alarmArn, alarmDescription, actionsEnabled, okActions, alarmActions,
                insufficientDataActions, previous.stateValue, previous.stateReason, previous.stateReasonData,
                previous.stateUpdatedTimestamp, previous.stateTransitionedTimestamp, alarmConfigurationUpdatedTimestamp,
                namespace, metricName, dimensions, statistic, extendedStatistic, period, unit, evaluationPeriods,
                datapointsToAlarm, threshold, comparisonOperator, treatMissingData, evaluateLowSampleCountPercentile,
                metrics, thresholdMetricId, previous.tags);
    }

    /** The period the alarm is evaluated on: its own, or that of its metric-math queries. */
    int evaluationPeriodSeconds() {
        if (period != null) {
            return period;
        }
        for (MetricDataQuery query : metrics) {
            if (query.metricStat() != null) {
                return query.metricStat().period();
            }
            if (query.period() != null) {
                return query.period();
            }
        }
        return 60;
    }

    /** Whether any of the alarm's actions starts with {@code prefix} (DescribeAlarms' ActionPrefix). */
    boolean hasActionStartingWith(String prefix) {
        return okActions.stream().anyMatch(a -> a.startsWith(prefix))
                || alarmActions.stream().anyMatch(a -> a.startsWith(prefix))
                || insufficientDataActions.stream().anyMatch(a -> a.startsWith(prefix));
    }
}

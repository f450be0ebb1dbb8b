package io.ecsbluegreen.sim.cloudwatch;

import java.time.Instant;

/**
 * An entry of DescribeAlarmHistory.
 *
 * @param alarmName the alarm's name
 * @param timestamp when it happened, on the simulator clock
 * @param historyItemType {@code ConfigurationUpdate} or {@code StateUpdate}
 * @param historySummary a human-readable summary
 * @param historyData JSON details
 */
public record AlarmHistoryItem(String alarmName, Instant timestamp, String historyItemType, String historySummary,
        String historyData) {}

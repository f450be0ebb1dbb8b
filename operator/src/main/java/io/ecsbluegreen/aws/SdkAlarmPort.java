package io.ecsbluegreen.aws;

import io.ecsbluegreen.aws.AlarmPort;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmType;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;

/** {@link AlarmPort} over the SDK's CloudWatch client: DescribeAlarms by name, 100 names per call. */
public final class SdkAlarmPort implements AlarmPort {
    static final int NAMES_PER_CALL = 100;

    private final CloudWatchClient cloudWatch;

    public SdkAlarmPort(CloudWatchClient cloudWatch) {
        this.cloudWatch = cloudWatch;
    }

    @Override
    public Map<String, String> states(Collection<String> names) {
        Map<String, String> out = new HashMap<>();
        List<String> all = new ArrayList<>(names.stream().distinct().toList());
        for (int i = 0; i < all.size(); i += NAMES_PER_CALL) {
            List<String> page = all.subList(i, Math.min(all.size(), i + NAMES_PER_CALL));
            // Metric and composite alarms alike may guard a rollout.
            var response = cloudWatch.describeAlarms(r -> r.alarmNames(page).alarmTypes(AlarmType.METRIC_ALARM, AlarmType.COMPOSITE_ALARM)
                    .maxRecords(NAMES_PER_CALL));
            for (MetricAlarm a : response.metricAlarms()) out.put(a.alarmName(), a.stateValueAsString());
            response.compositeAlarms().forEach(a -> out.put(a.alarmName(), a.stateValueAsString()));
        }
        return out;
    }
}

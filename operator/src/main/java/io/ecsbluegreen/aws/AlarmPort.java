package io.ecsbluegreen.aws;

import java.util.Collection;
import java.util.Map;

/** The CloudWatch alarms the operator watches during rollouts. */
public interface AlarmPort {

    /** No alarms anywhere: for observers of accounts where rollback alarms are not used (tests, dry runs). */
    AlarmPort NONE = names -> Map.of();

    /**
     * The state of each named alarm that exists ({@code OK}, {@code ALARM} or {@code INSUFFICIENT_DATA});
     * names that do not exist are absent. Batched: up to 100 names per DescribeAlarms call.
     */
    Map<String, String> states(Collection<String> names);
}

package io.ecsbluegreen.sim.backends;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * The CloudWatch calls the operator makes for alarm-based rollback and analysis, written once against
 * the wire API: on the simulator everywhere, on LocalStack or Floci where Docker exists.
 */
public abstract class CloudWatchScenarios {

    protected abstract Backend backend();

    CloudWatchClient client() {
        Backend b = backend();
        return CloudWatchClient.builder().endpointOverride(b.endpoint()).region(Region.of(b.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(b.accessKey(), b.secretKey())))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Test
    void anAlarmSwitchedToAlarmIsFoundByItsStateAndCustomMetricsAreReadBack() {
        String name = "rollback-" + Long.toHexString(System.nanoTime());
        try (CloudWatchClient cw = client()) {
            cw.putMetricAlarm(r -> r.alarmName(name).namespace("Shop").metricName("Errors").statistic(Statistic.SUM).period(60)
                    .evaluationPeriods(1).threshold(1.0).comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                    .treatMissingData("notBreaching"));
            cw.setAlarmState(r -> r.alarmName(name).stateValue(StateValue.ALARM).stateReason("scenario"));
            var inAlarm = cw.describeAlarms(r -> r.alarmNames(name).stateValue(StateValue.ALARM)).metricAlarms();
            assertThat(inAlarm).extracting(a -> a.alarmName()).containsExactly(name);

            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            cw.putMetricData(r -> r.namespace("Shop").metricData(d -> d.metricName("Latency").value(0.25).timestamp(now),
                    d -> d.metricName("Latency").value(0.75).timestamp(now)));
            var data = cw.getMetricData(r -> r.startTime(now.minusSeconds(600)).endTime(now.plusSeconds(600))
                    .metricDataQueries(q -> q.id("avg").metricStat(m -> m.metric(x -> x.namespace("Shop").metricName("Latency"))
                            .period(60).stat("Average")))).metricDataResults();
            assertThat(data.get(0).values()).containsExactly(0.5);
            cw.deleteAlarms(r -> r.alarmNames(name));
        }
    }
}

package io.ecsbluegreen.sim.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.FaultRule;
import io.ecsbluegreen.sim.RawHttp;
import io.ecsbluegreen.sim.SimulatorConfig;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmHistoryItem;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.DashboardNotFoundErrorException;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsResponse;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.HistoryItemType;
import software.amazon.awssdk.services.cloudwatch.model.InternalServiceException;
import software.amazon.awssdk.services.cloudwatch.model.InvalidFormatException;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmRequest;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.cloudwatch.model.Tag;

/** CloudWatch alarms through the real SDK v2 client. */
class CloudWatchAlarmsTest {

    private static final Instant START = Instant.parse("2025-03-01T12:00:00Z");
    private static final String ACCOUNT = "123456789012";

    private AwsSimulator sim;
    private CloudWatchClient cloudwatch;

    @BeforeEach
    void start() {
        sim = AwsSimulator.start(SimulatorConfig.defaults().withClockStart(START).withAccountId(ACCOUNT));
        cloudwatch = CloudWatchClients.client(sim);
    }

    @AfterEach
    void stop() {
        cloudwatch.close();
        sim.close();
    }

    private void putAlarm(String name, Consumer<PutMetricAlarmRequest.Builder> extra) {
        cloudwatch.putMetricAlarm(b -> {
            b.alarmName(name).namespace("Deployments").metricName("Errors")
                    .dimensions(Dimension.builder().name("Service").value("web").build())
                    .statistic(Statistic.SUM).period(60).evaluationPeriods(2).threshold(5.0)
                    .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD);
            extra.accept(b);
        });
    }

    private void putAlarm(String name) {
        putAlarm(name, b -> { });
    }

    @Test
    void aNewAlarmStartsInInsufficientDataWithEverythingPutMetricAlarmStored() {
        putAlarm("web-errors", b -> b.alarmDescription("roll back on errors").actionsEnabled(false)
                .datapointsToAlarm(1).treatMissingData("notBreaching").unit("Count")
                .alarmActions("arn:aws:sns:eu-west-1:" + ACCOUNT + ":pager")
                .tags(Tag.builder().key("team").value("platform").build()));

        MetricAlarm alarm = cloudwatch.describeAlarms(b -> b.alarmNames("web-errors")).metricAlarms().get(0);

        assertThat(alarm.alarmName()).isEqualTo("web-errors");
        assertThat(alarm.alarmArn()).isEqualTo("arn:aws:cloudwatch:eu-west-1:" + ACCOUNT + ":alarm:web-errors");
        assertThat(alarm.alarmDescription()).isEqualTo("roll back on errors");
        assertThat(alarm.actionsEnabled()).isFalse();
        assertThat(alarm.alarmActions()).containsExactly("arn:aws:sns:eu-west-1:" + ACCOUNT + ":pager");
        assertThat(alarm.stateValue()).isEqualTo(StateValue.INSUFFICIENT_DATA);
        assertThat(alarm.stateReason()).isEqualTo("Unchecked: Initial alarm creation");
        assertThat(alarm.stateUpdatedTimestamp()).isEqualTo(START);
        assertThat(alarm.alarmConfigurationUpdatedTimestamp()).isEqualTo(START);
        assertThat(alarm.namespace()).isEqualTo("Deployments");
        assertThat(alarm.metricName()).isEqualTo("Errors");
        assertThat(alarm.dimensions()).containsExactly(Dimension.builder().name("Service").value("web").build());
        assertThat(alarm.statistic()).isEqualTo(Statistic.SUM);
        assertThat(alarm.period()).isEqualTo(60);
        assertThat(alarm.evaluationPeriods()).isEqualTo(2);
        assertThat(alarm.datapointsToAlarm()).isEqualTo(1);
        assertThat(alarm.threshold()).isEqualTo(5.0);
        assertThat(alarm.comparisonOperator()).isEqualTo(ComparisonOperator.GREATER_THAN_THRESHOLD);
        assertThat(alarm.treatMissingData()).isEqualTo("notBreaching");
        assertThat(alarm.unitAsString()).isEqualTo("Count");
        assertThat(sim.cloudwatch().alarm("web-errors").orElseThrow().tags()).containsEntry("team", "platform");
    }

    @Test
    void setAlarmStateMovesTheAlarmAndDescribeAlarmsFiltersByState() {
        putAlarm("web-errors");
        putAlarm("web-latency");
        sim.clock().advance(Duration.ofSeconds(20));

        cloudwatch.setAlarmState(b -> b.alarmName("web-errors").stateValue(StateValue.ALARM)
                .stateReason("deployment canary failed").stateReasonData("{\"source\":\"test\"}"));

        DescribeAlarmsResponse inAlarm = cloudwatch.describeAlarms(b -> b.stateValue(StateValue.ALARM));
        assertThat(inAlarm.metricAlarms()).singleElement().satisfies(alarm -> {
            assertThat(alarm.alarmName()).isEqualTo("web-errors");
            assertThat(alarm.stateReason()).isEqualTo("deployment canary failed");
            assertThat(alarm.stateReasonData()).isEqualTo("{\"source\":\"test\"}");
            assertThat(alarm.stateUpdatedTimestamp()).isEqualTo(START.plusSeconds(20));
            assertThat(alarm.stateTransitionedTimestamp()).isEqualTo(START.plusSeconds(20));
        });
        assertThat(cloudwatch.describeAlarms(b -> b.stateValue(StateValue.INSUFFICIENT_DATA)).metricAlarms())
                .extracting(MetricAlarm::alarmName).containsExactly("web-latency");
        assertThat(cloudwatch.describeAlarms(b -> b.stateValue(StateValue.OK)).metricAlarms()).isEmpty();
    }

    /**
     * AWS answers {@code 404 ResourceNotFound}. SDK 2.40.2 maps that code to
     * {@code DashboardNotFoundErrorException} (the model gives the dashboard error the same code), not to
     * the {@code ResourceNotFoundException} SetAlarmState declares: callers must check the error code.
     */
    @Test
    void setAlarmStateOnAnUnknownAlarmIsResourceNotFound() {
        assertThatThrownBy(() -> cloudwatch.setAlarmState(b -> b.alarmName("ghost").stateValue(StateValue.ALARM)
                .stateReason("test")))
                .isInstanceOfSatisfying(DashboardNotFoundErrorException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ResourceNotFound");
                });
    }

    @Test
    void setAlarmStateRejectsReasonDataThatIsNotJson() {
        putAlarm("web-errors");

        assertThatThrownBy(() -> cloudwatch.setAlarmState(b -> b.alarmName("web-errors").stateValue(StateValue.OK)
                .stateReason("test").stateReasonData("{not json")))
                .isInstanceOfSatisfying(InvalidFormatException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
    }

    @Test
    void describeAlarmsPagesInNameOrderWithNextToken() {
        List<String> names = new ArrayList<>();
        for (int i = 12; i >= 1; i--) {
            String name = String.format("alarm-%02d", i);
            putAlarm(name);
            names.add(0, name);
        }

        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String next = token;
            DescribeAlarmsResponse page = cloudwatch.describeAlarms(b -> b.maxRecords(5).nextToken(next));
            page.metricAlarms().forEach(a -> seen.add(a.alarmName()));
            token = page.nextToken();
            pages++;
        } while (token != null && pages < 10);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(names);
        assertThat(cloudwatch.describeAlarmsPaginator(b -> b.maxRecords(4)).metricAlarms())
                .extracting(MetricAlarm::alarmName).containsExactlyElementsOf(names);
    }

    @Test
    void describeAlarmsFiltersByNamesAndPrefix() {
        putAlarm("blue-errors");
        putAlarm("blue-latency");
        putAlarm("green-errors");

        assertThat(cloudwatch.describeAlarms(b -> b.alarmNamePrefix("blue-")).metricAlarms())
                .extracting(MetricAlarm::alarmName).containsExactly("blue-errors", "blue-latency");
        assertThat(cloudwatch.describeAlarms(b -> b.alarmNames("green-errors", "blue-errors", "missing")).metricAlarms())
                .extracting(MetricAlarm::alarmName).containsExactly("blue-errors", "green-errors");
        assertThat(cloudwatch.describeAlarms(b -> b.alarmTypesWithStrings("CompositeAlarm")).metricAlarms()).isEmpty();
    }

    @Test
    void describeAlarmsRefusesMoreThanAHundredNamesAndNamesWithAPrefix() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            names.add("alarm-" + i);
        }

        assertThatThrownBy(() -> cloudwatch.describeAlarms(b -> b.alarmNames(names)))
                .isInstanceOfSatisfying(CloudWatchException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                });
        assertThatThrownBy(() -> cloudwatch.describeAlarms(b -> b.alarmNames("a").alarmNamePrefix("b")))
                .isInstanceOfSatisfying(CloudWatchException.class, e ->
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterCombination"));
        assertThatThrownBy(() -> cloudwatch.describeAlarms(b -> b.maxRecords(101)))
                .isInstanceOf(CloudWatchException.class);
        assertThatThrownBy(() -> cloudwatch.describeAlarms(b -> b.nextToken("%%%")))
                .isInstanceOfSatisfying(CloudWatchException.class, e ->
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidNextToken"));
    }

    @Test
    void putMetricAlarmOnAnExistingAlarmUpdatesItsConfigurationAndKeepsItsState() {
        putAlarm("web-errors");
        cloudwatch.setAlarmState(b -> b.alarmName("web-errors").stateValue(StateValue.ALARM).stateReason("test"));
        sim.clock().advance(Duration.ofSeconds(10));

        putAlarm("web-errors", b -> b.threshold(50.0));

        MetricAlarm alarm = cloudwatch.describeAlarms(b -> b.alarmNames("web-errors")).metricAlarms().get(0);
        assertThat(alarm.threshold()).isEqualTo(50.0);
        assertThat(alarm.stateValue()).isEqualTo(StateValue.ALARM);
        assertThat(alarm.alarmConfigurationUpdatedTimestamp()).isEqualTo(START.plusSeconds(10));
    }

    @Test
    void putMetricAlarmValidatesItsParameters() {
        assertThatThrownBy(() -> cloudwatch.putMetricAlarm(b -> b.alarmName("x").namespace("N").metricName("M")
                .statistic(Statistic.SUM).period(45).evaluationPeriods(1).threshold(1.0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)))
                .isInstanceOfSatisfying(CloudWatchException.class, e ->
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
        assertThatThrownBy(() -> cloudwatch.putMetricAlarm(b -> b.alarmName("x").namespace("N").metricName("M")
                .statistic(Statistic.SUM).extendedStatistic("p99").period(60).evaluationPeriods(1).threshold(1.0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)))
                .isInstanceOfSatisfying(CloudWatchException.class, e ->
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterCombination"));
        assertThatThrownBy(() -> cloudwatch.putMetricAlarm(b -> b.alarmName("x").namespace("N").metricName("M")
                .statistic(Statistic.SUM).period(60).threshold(1.0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)))
                .isInstanceOfSatisfying(CloudWatchException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                    assertThat(e.getMessage()).contains("evaluationPeriods");
                });
        assertThatThrownBy(() -> cloudwatch.putMetricAlarm(b -> b.alarmName("x").namespace("N").metricName("M")
                .statistic(Statistic.SUM).period(60).evaluationPeriods(1).threshold(1.0)
                .comparisonOperator("BiggerThan")))
                .isInstanceOfSatisfying(CloudWatchException.class, e ->
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError"));
        assertThat(sim.cloudwatch().alarms()).isEmpty();
    }

    @Test
    void deleteAlarmsRemovesAlarmsAndIgnoresUnknownNames() {
        putAlarm("a");
        putAlarm("b");

        cloudwatch.deleteAlarms(b -> b.alarmNames("a", "never-existed"));

        assertThat(cloudwatch.describeAlarms().metricAlarms()).extracting(MetricAlarm::alarmName).containsExactly("b");
        assertThatThrownBy(() -> cloudwatch.deleteAlarms(b -> b.alarmNames(List.of())))
                .isInstanceOfSatisfying(CloudWatchException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
    }

    @Test
    void describeAlarmHistoryRecordsConfigurationAndStateUpdates() {
        putAlarm("web-errors");
        sim.clock().advance(Duration.ofSeconds(5));
        cloudwatch.setAlarmState(b -> b.alarmName("web-errors").stateValue(StateValue.ALARM).stateReason("canary"));
        sim.clock().advance(Duration.ofSeconds(5));
        cloudwatch.setAlarmState(b -> b.alarmName("web-errors").stateValue(StateValue.OK).stateReason("recovered"));

        List<AlarmHistoryItem> all = cloudwatch.describeAlarmHistory(b -> b.alarmName("web-errors")).alarmHistoryItems();
        List<AlarmHistoryItem> states = cloudwatch.describeAlarmHistory(b -> b.alarmName("web-errors")
                .historyItemType(HistoryItemType.STATE_UPDATE).scanBy("TimestampAscending")).alarmHistoryItems();

        assertThat(all).extracting(AlarmHistoryItem::historySummary).containsExactly(
                "Alarm updated from ALARM to OK", "Alarm updated from INSUFFICIENT_DATA to ALARM",
                "Alarm \"web-errors\" created");
        assertThat(states).extracting(AlarmHistoryItem::timestamp)
                .containsExactly(START.plusSeconds(5), START.plusSeconds(10));
        assertThat(states.get(0).historyData()).contains("\"newState\":{\"stateValue\":\"ALARM\"");
        assertThat(cloudwatch.describeAlarmHistory(b -> b.alarmName("web-errors").maxRecords(2)).nextToken()).isNotNull();
    }

    @Test
    void anAlarmIsEvaluatedAgainstItsMetricAsTheClockPassesPeriodBoundaries() {
        putAlarm("web-errors", b -> b.evaluationPeriods(1));
        Map<String, String> web = Map.of("Service", "web");

        sim.cloudwatch().putMetricData("Deployments", "Errors", web, 7);
        sim.clock().advance(Duration.ofSeconds(59));
        assertThat(state("web-errors")).isEqualTo(AlarmState.INSUFFICIENT_DATA);

        sim.clock().advance(Duration.ofSeconds(1));
        MetricAlarm alarm = cloudwatch.describeAlarms(b -> b.alarmNames("web-errors")).metricAlarms().get(0);
        assertThat(alarm.stateValue()).isEqualTo(StateValue.ALARM);
        assertThat(alarm.stateReason()).startsWith("Threshold Crossed: 1 out of the last 1 datapoint [7.0 (01/03/25 12:00:00)] "
                + "was greater than the threshold (5.0)");
        assertThat(alarm.stateUpdatedTimestamp()).isEqualTo(START.plusSeconds(60));

        sim.cloudwatch().putMetricData("Deployments", "Errors", web, 1);
        sim.clock().advance(Duration.ofSeconds(60));
        assertThat(state("web-errors")).isEqualTo(AlarmState.OK);

        sim.clock().advance(Duration.ofSeconds(60));
        assertThat(state("web-errors")).isEqualTo(AlarmState.INSUFFICIENT_DATA);
    }

    @Test
    void datapointsToAlarmAndTreatMissingDataShapeTheEvaluation() {
        putAlarm("m-of-n", b -> b.evaluationPeriods(3).datapointsToAlarm(2).treatMissingData("notBreaching"));
        Map<String, String> web = Map.of("Service", "web");

        sim.cloudwatch().putMetricData("Deployments", "Errors", web, 9);
        sim.clock().advance(Duration.ofSeconds(60));
        assertThat(state("m-of-n")).isEqualTo(AlarmState.OK);

        sim.cloudwatch().putMetricData("Deployments", "Errors", web, 9);
        sim.clock().advance(Duration.ofSeconds(60));
        assertThat(state("m-of-n")).isEqualTo(AlarmState.ALARM);
    }

    @Test
    void setAlarmStateHoldsUntilTheNextEvaluationUnlessEvaluationIsOff() {
        putAlarm("web-errors");
        cloudwatch.setAlarmState(b -> b.alarmName("web-errors").stateValue(StateValue.ALARM).stateReason("test"));
        sim.clock().advance(Duration.ofSeconds(30));
        assertThat(state("web-errors")).isEqualTo(AlarmState.ALARM);

        sim.clock().advance(Duration.ofSeconds(30));
        assertThat(state("web-errors")).isEqualTo(AlarmState.INSUFFICIENT_DATA);

        sim.cloudwatch().alarmEvaluation(false);
        sim.cloudwatch().setAlarmState("web-errors", AlarmState.ALARM, "held by the test");
        sim.clock().advance(Duration.ofMinutes(10));
        assertThat(state("web-errors")).isEqualTo(AlarmState.ALARM);
    }

    @Test
    void unsignedQueryRequestsReachCloudWatchAndErrorsUseItsXmlDocument() {
        putAlarm("web-errors");
        RawHttp raw = new RawHttp(sim);

        HttpResponse<String> described = raw.query(null, "Action=DescribeAlarms&Version=2010-08-01");
        HttpResponse<String> missing = raw.query("monitoring",
                "Action=SetAlarmState&Version=2010-08-01&AlarmName=ghost&StateValue=OK&StateReason=x");
        HttpResponse<String> unknown = raw.query("monitoring", "Action=ListDashboards&Version=2010-08-01");

        assertThat(described.statusCode()).isEqualTo(200);
        assertThat(described.body()).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?><DescribeAlarmsResponse "
                + "xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\"><DescribeAlarmsResult><MetricAlarms><member>"
                + "<AlarmName>web-errors</AlarmName>");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("<ErrorResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\">"
                + "<Error><Type>Sender</Type><Code>ResourceNotFound</Code>");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("<Code>InvalidAction</Code>");
    }

    @Test
    void anInjectedFaultIsCloudWatchsInternalServiceError() {
        sim.faults().add(FaultRule.errors("monitoring:DescribeAlarms", 1.0));

        assertThatThrownBy(() -> cloudwatch.describeAlarms())
                .isInstanceOfSatisfying(InternalServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(500);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalServiceError");
                });
    }

    @Test
    void statsCountEveryCloudWatchAction() {
        putAlarm("a");
        cloudwatch.describeAlarms();
        cloudwatch.describeAlarms();

        assertThat(sim.stats().calls("monitoring", "PutMetricAlarm")).isEqualTo(1);
        assertThat(sim.stats().calls("monitoring", "DescribeAlarms")).isEqualTo(2);
    }

    private AlarmState state(String name) {
        return AlarmState.valueOf(cloudwatch.describeAlarms(b -> b.alarmNames(name)).metricAlarms().get(0)
                .stateValueAsString());
    }
}

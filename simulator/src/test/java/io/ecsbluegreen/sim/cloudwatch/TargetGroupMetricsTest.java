package io.ecsbluegreen.sim.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.SimulatorConfig;
import io.ecsbluegreen.sim.spi.LoadBalancerMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricStatisticsResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/** AWS/ApplicationELB target-group metrics, read from traffic a test-owned data plane serves. */
class TargetGroupMetricsTest {

    private static final Instant START = Instant.parse("2025-03-01T12:00:00Z");
    private static final String GREEN = "targetgroup/web-green/6d0ecf831eec9f09";
    private static final String BLUE = "targetgroup/web-blue/943f017f100becff";
    private static final String ALB = "app/web/50dc6c495c0c9188";

    private AwsSimulator sim;
    private CloudWatchClient cloudwatch;
    private final FakeTraffic traffic = new FakeTraffic();

    @BeforeEach
    void start() {
        sim = AwsSimulator.start(SimulatorConfig.defaults().withClockStart(START));
        sim.cloudwatch().useLoadBalancerMetrics(traffic);
        cloudwatch = CloudWatchClients.client(sim);
    }

    @AfterEach
    void stop() {
        cloudwatch.close();
        sim.close();
    }

    private static MetricDataQuery elb(String id, String metric, String stat, String targetGroup, boolean withLoadBalancer) {
        return elb(id, metric, stat, targetGroup, withLoadBalancer, 60);
    }

    private static MetricDataQuery elb(String id, String metric, String stat, String targetGroup, boolean withLoadBalancer,
            int period) {
        List<Dimension> dimensions = new ArrayList<>();
        dimensions.add(Dimension.builder().name("TargetGroup").value(targetGroup).build());
        if (withLoadBalancer) {
            dimensions.add(Dimension.builder().name("LoadBalancer").value(ALB).build());
        }
        return MetricDataQuery.builder().id(id).metricStat(s -> s.period(period).stat(stat)
                .metric(m -> m.namespace("AWS/ApplicationELB").metricName(metric).dimensions(dimensions))).build();
    }

    private Map<String, MetricDataResult> run(Instant from, Instant to, MetricDataQuery... queries) {
        Map<String, MetricDataResult> results = new HashMap<>();
        cloudwatch.getMetricData(b -> b.startTime(from).endTime(to).scanBy(ScanBy.TIMESTAMP_ASCENDING)
                .metricDataQueries(queries)).metricDataResults().forEach(r -> results.put(r.id(), r));
        return results;
    }

    @Test
    void requestAndStatusCountsComeFromTheDataPlane() {
        traffic.serve(GREEN, START.plusSeconds(5), 90, 200, 0.020)
                .serve(GREEN, START.plusSeconds(10), 6, 404, 0.010)
                .serve(GREEN, START.plusSeconds(30), 4, 503, 0.100)
                .serve(BLUE, START.plusSeconds(30), 50, 200, 0.030);
        sim.clock().advance(Duration.ofMinutes(1));

        Map<String, MetricDataResult> r = run(START, START.plusSeconds(60),
                elb("requests", "RequestCount", "Sum", GREEN, true),
                elb("ok", "HTTPCode_Target_2XX_Count", "Sum", GREEN, true),
                elb("client", "HTTPCode_Target_4XX_Count", "Sum", GREEN, false),
                elb("errors", "HTTPCode_Target_5XX_Count", "Sum", GREEN, false),
                elb("blue", "RequestCount", "Sum", BLUE, true));

        assertThat(r.get("requests").timestamps()).containsExactly(START);
        assertThat(r.get("requests").values()).containsExactly(100.0);
        assertThat(r.get("ok").values()).containsExactly(90.0);
        assertThat(r.get("client").values()).containsExactly(6.0);
        assertThat(r.get("errors").values()).containsExactly(4.0);
        assertThat(r.get("blue").values()).containsExactly(50.0);
        assertThat(traffic.queried()).contains(GREEN, BLUE);
    }

    @Test
    void theErrorRateIsComputableFromTwoQueriesOrAnExpression() {
        for (int minute = 0; minute < 3; minute++) {
            Instant t = START.plusSeconds(60L * minute + 15);
            traffic.serve(GREEN, t, 100, 200, 0.020).serve(GREEN, t, minute * 10, 500, 0.050);
        }
        sim.clock().advance(Duration.ofMinutes(3));

        Map<String, MetricDataResult> r = run(START, START.plus(Duration.ofMinutes(3)),
                elb("requests", "RequestCount", "Sum", GREEN, true),
                elb("errors", "HTTPCode_Target_5XX_Count", "Sum", GREEN, true),
                MetricDataQuery.builder().id("rate").expression("100 * FILL(errors, 0) / requests").build());

        assertThat(r.get("requests").values()).containsExactly(100.0, 110.0, 120.0);
        // As ELB, a period without 5xx has no 5xx datapoint at all.
        assertThat(r.get("errors").timestamps()).containsExactly(START.plusSeconds(60), START.plusSeconds(120));
        assertThat(r.get("errors").values()).containsExactly(10.0, 20.0);
        assertThat(r.get("rate").values()).containsExactly(0.0, 100 * 10 / 110.0, 100 * 20 / 120.0);
    }

    @Test
    void targetResponseTimeAnswersAverageAndP99() {
        traffic.serve(GREEN, START.plusSeconds(1), 99, 200, 0.010).serve(GREEN, START.plusSeconds(2), 1, 200, 2.0);
        sim.clock().advance(Duration.ofMinutes(1));

        Map<String, MetricDataResult> r = run(START, START.plusSeconds(60),
                elb("avg", "TargetResponseTime", "Average", GREEN, true),
                elb("p99", "TargetResponseTime", "p99", GREEN, true),
                elb("count", "TargetResponseTime", "SampleCount", GREEN, true));

        assertThat(r.get("avg").values()).singleElement().satisfies(v -> assertThat(v).isCloseTo(0.0299,
                offset(1e-9)));
        assertThat(r.get("p99").values()).containsExactly(0.010);
        assertThat(r.get("count").values()).containsExactly(100.0);
    }

    @Test
    void periodsBeginAtTheStartTimeRoundedDownToTheMinuteNotOnMultiplesOfThePeriod() {
        // 12:01:00 to 12:03:00 is one 120 s period when asked from 12:01:20: slow requests in both of its
        // minutes make one p99, and the traffic of 12:00 is left out.
        traffic.serve(GREEN, START.plusSeconds(30), 50, 500, 5.0)
                .serve(GREEN, START.plusSeconds(70), 99, 200, 0.010)
                .serve(GREEN, START.plusSeconds(150), 99, 200, 0.010)
                .serve(GREEN, START.plusSeconds(170), 3, 200, 3.0);
        sim.clock().advance(Duration.ofMinutes(4));

        Map<String, MetricDataResult> r = run(START.plusSeconds(80), START.plusSeconds(180),
                elb("requests", "RequestCount", "Sum", GREEN, true, 120),
                elb("errors", "HTTPCode_Target_5XX_Count", "Sum", GREEN, true, 120),
                elb("p99", "TargetResponseTime", "p99", GREEN, true, 120));

        assertThat(r.get("requests").timestamps()).containsExactly(START.plusSeconds(60));
        assertThat(r.get("requests").values()).containsExactly(201.0);
        assertThat(r.get("errors").values()).isEmpty();
        assertThat(r.get("p99").values()).containsExactly(3.0);
    }

    @Test
    void periodsWithoutTrafficHaveNoDatapoints() {
        traffic.serve(GREEN, START.plusSeconds(130), 10, 200, 0.020);
        sim.clock().advance(Duration.ofMinutes(5));

        Map<String, MetricDataResult> r = run(START, START.plus(Duration.ofMinutes(5)),
                elb("requests", "RequestCount", "Sum", GREEN, true),
                elb("latency", "TargetResponseTime", "p99", GREEN, true),
                elb("other", "RequestCount", "Sum", "targetgroup/unknown/0000000000000000", true));

        assertThat(r.get("requests").timestamps()).containsExactly(START.plusSeconds(120));
        assertThat(r.get("latency").timestamps()).containsExactly(START.plusSeconds(120));
        assertThat(r.get("other").timestamps()).isEmpty();
    }

    @Test
    void withoutADataPlaneTargetGroupMetricsAreEmpty() {
        sim.cloudwatch().useLoadBalancerMetrics(NoLoadBalancerMetrics.INSTANCE);
        sim.clock().advance(Duration.ofMinutes(5));

        assertThat(run(START, START.plus(Duration.ofMinutes(5)), elb("requests", "RequestCount", "Sum", GREEN, true))
                .get("requests").values()).isEmpty();
        assertThat(NoLoadBalancerMetrics.INSTANCE.window(GREEN, START, START.plusSeconds(60)))
                .isEqualTo(LoadBalancerMetrics.Window.EMPTY);
    }

    @Test
    void getMetricStatisticsReadsTargetGroupMetricsToo() {
        traffic.serve(GREEN, START.plusSeconds(5), 40, 502, 0.5);
        sim.clock().advance(Duration.ofMinutes(1));

        GetMetricStatisticsResponse response = cloudwatch.getMetricStatistics(b -> b.namespace("AWS/ApplicationELB")
                .metricName("HTTPCode_Target_5XX_Count")
                .dimensions(Dimension.builder().name("TargetGroup").value(GREEN).build(),
                        Dimension.builder().name("LoadBalancer").value(ALB).build())
                .startTime(START).endTime(START.plusSeconds(60)).period(60).statistics(Statistic.SUM));

        assertThat(response.datapoints()).singleElement().satisfies(d -> {
            assertThat(d.sum()).isEqualTo(40.0);
            assertThat(d.unit()).isEqualTo(StandardUnit.COUNT);
        });
    }

    @Test
    void anAlarmOnTargetGroup5xxFiresFromDataPlaneTraffic() {
        cloudwatch.putMetricAlarm(b -> b.alarmName("green-5xx").namespace("AWS/ApplicationELB")
                .metricName("HTTPCode_Target_5XX_Count")
                .dimensions(Dimension.builder().name("TargetGroup").value(GREEN).build(),
                        Dimension.builder().name("LoadBalancer").value(ALB).build())
                .statistic(Statistic.SUM).period(60).evaluationPeriods(1).threshold(5.0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData("notBreaching"));

        traffic.serve(GREEN, START.plusSeconds(10), 100, 200, 0.02);
        sim.clock().advance(Duration.ofMinutes(1));
        assertThat(cloudwatch.describeAlarms(b -> b.alarmNames("green-5xx")).metricAlarms().get(0).stateValue())
                .isEqualTo(StateValue.OK);

        traffic.serve(GREEN, START.plusSeconds(70), 8, 500, 0.02);
        sim.clock().advance(Duration.ofMinutes(1));
        assertThat(cloudwatch.describeAlarms(b -> b.stateValue(StateValue.ALARM)).metricAlarms())
                .extracting(a -> a.alarmName()).containsExactly("green-5xx");
    }
}

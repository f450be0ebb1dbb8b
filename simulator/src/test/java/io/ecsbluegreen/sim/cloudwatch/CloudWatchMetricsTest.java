package io.ecsbluegreen.sim.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.SimulatorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricStatisticsResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.cloudwatch.model.StatusCode;

/** PutMetricData, GetMetricData and GetMetricStatistics through the real SDK v2 client, on the virtual clock. */
class CloudWatchMetricsTest {

    private static final Instant START = Instant.parse("2025-03-01T12:00:00Z");
    private static final Dimension SERVICE = Dimension.builder().name("Service").value("web").build();

    private AwsSimulator sim;
    private CloudWatchClient cloudwatch;

    @BeforeEach
    void start() {
        sim = AwsSimulator.start(SimulatorConfig.defaults().withClockStart(START));
        cloudwatch = CloudWatchClients.client(sim);
    }

    @AfterEach
    void stop() {
        cloudwatch.close();
        sim.close();
    }

    private void put(double... values) {
        List<MetricDatum> data = new ArrayList<>();
        for (double v : values) {
            data.add(MetricDatum.builder().metricName("Latency").dimensions(SERVICE).value(v)
                    .unit(StandardUnit.MILLISECONDS).build());
        }
        cloudwatch.putMetricData(b -> b.namespace("Greeter").metricData(data));
    }

    private static MetricDataQuery stat(String id, String stat, int period) {
        return MetricDataQuery.builder().id(id).metricStat(s -> s.period(period).stat(stat)
                .metric(m -> m.namespace("Greeter").metricName("Latency").dimensions(SERVICE))).build();
    }

    private MetricDataResult query(MetricDataQuery query, Instant from, Instant to) {
        return cloudwatch.getMetricData(b -> b.startTime(from).endTime(to).metricDataQueries(query))
                .metricDataResults().get(0);
    }

    @Test
    void getMetricDataComputesEveryStatisticPerPeriodOnTheVirtualClock() {
        put(10, 20, 30);
        sim.clock().advance(Duration.ofSeconds(70));
        put(100);
        sim.clock().advance(Duration.ofSeconds(60));

        GetMetricDataResponse response = cloudwatch.getMetricData(b -> b.startTime(START).endTime(START.plusSeconds(180))
                .scanBy(ScanBy.TIMESTAMP_ASCENDING)
                .metricDataQueries(stat("sum", "Sum", 60), stat("avg", "Average", 60), stat("min", "Minimum", 60),
                        stat("max", "Maximum", 60), stat("count", "SampleCount", 60), stat("p50", "p50", 60)));

        Map<String, MetricDataResult> results = new HashMap<>();
        response.metricDataResults().forEach(r -> results.put(r.id(), r));
        assertThat(results.get("sum").timestamps()).containsExactly(START, START.plusSeconds(60));
        assertThat(results.get("sum").values()).containsExactly(60.0, 100.0);
        assertThat(results.get("avg").values()).containsExactly(20.0, 100.0);
        assertThat(results.get("min").values()).containsExactly(10.0, 100.0);
        assertThat(results.get("max").values()).containsExactly(30.0, 100.0);
        assertThat(results.get("count").values()).containsExactly(3.0, 1.0);
        assertThat(results.get("p50").values()).containsExactly(20.0, 100.0);
        assertThat(response.metricDataResults()).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(StatusCode.COMPLETE);
            assertThat(r.label()).isEqualTo("Latency");
        });
    }

    @Test
    void resultsAreNewestFirstByDefaultAndLongerPeriodsAggregateMore() {
        put(1);
        sim.clock().advance(Duration.ofMinutes(2));
        put(2);
        sim.clock().advance(Duration.ofMinutes(4));
        put(4);

        MetricDataResult perMinute = query(stat("m", "Sum", 60), START, START.plus(Duration.ofMinutes(10)));
        MetricDataResult perFive = query(stat("m", "Sum", 300), START, START.plus(Duration.ofMinutes(10)));

        assertThat(perMinute.timestamps()).containsExactly(START.plusSeconds(360), START.plusSeconds(120), START);
        assertThat(perMinute.values()).containsExactly(4.0, 2.0, 1.0);
        assertThat(perFive.timestamps()).containsExactly(START.plusSeconds(300), START);
        assertThat(perFive.values()).containsExactly(4.0, 3.0);
    }

    @Test
    void periodsWithoutDataHaveNoDatapoint() {
        put(5);

        MetricDataResult result = query(stat("m", "Average", 60), START.minusSeconds(600), START.plusSeconds(600));
        MetricDataResult before = query(stat("m", "Average", 60), START.minusSeconds(600), START);

        assertThat(result.timestamps()).containsExactly(START);
        assertThat(before.timestamps()).isEmpty();
        assertThat(before.values()).isEmpty();
        assertThat(before.statusCode()).isEqualTo(StatusCode.COMPLETE);
    }

    @Test
    void percentilesUseRawValuesWithCounts() {
        cloudwatch.putMetricData(b -> b.namespace("Greeter").metricData(MetricDatum.builder().metricName("Latency")
                .dimensions(SERVICE).values(10.0, 500.0).counts(99.0, 1.0).build()));

        assertThat(query(stat("m", "p99", 60), START, START.plusSeconds(60)).values()).containsExactly(10.0);
        assertThat(query(stat("m", "p99.5", 60), START, START.plusSeconds(60)).values()).containsExactly(500.0);
        assertThat(query(stat("m", "SampleCount", 60), START, START.plusSeconds(60)).values()).containsExactly(100.0);
    }

    @Test
    void statisticSetsAnswerStandardStatisticsButNoPercentiles() {
        cloudwatch.putMetricData(b -> b.namespace("Greeter").metricData(MetricDatum.builder().metricName("Latency")
                .dimensions(SERVICE).statisticValues(s -> s.sampleCount(4.0).sum(40.0).minimum(1.0).maximum(20.0))
                .build()));

        assertThat(query(stat("m", "Average", 60), START, START.plusSeconds(60)).values()).containsExactly(10.0);
        assertThat(query(stat("m", "Maximum", 60), START, START.plusSeconds(60)).values()).containsExactly(20.0);
        assertThat(query(stat("m", "p90", 60), START, START.plusSeconds(60)).values()).isEmpty();
    }

    @Test
    void dimensionsAreMatchedExactlyAndUnitsFilter() {
        put(5);
        cloudwatch.putMetricData(b -> b.namespace("Greeter").metricData(MetricDatum.builder().metricName("Latency")
                .dimensions(SERVICE, Dimension.builder().name("Color").value("green").build()).value(7.0).build()));

        MetricDataQuery withColor = MetricDataQuery.builder().id("c").metricStat(s -> s.period(60).stat("Sum")
                .metric(m -> m.namespace("Greeter").metricName("Latency")
                        .dimensions(Dimension.builder().name("Color").value("green").build(), SERVICE))).build();
        MetricDataQuery inSeconds = MetricDataQuery.builder().id("s").metricStat(s -> s.period(60).stat("Sum")
                .unit(StandardUnit.SECONDS)
                .metric(m -> m.namespace("Greeter").metricName("Latency").dimensions(SERVICE))).build();

        assertThat(query(stat("m", "Sum", 60), START, START.plusSeconds(60)).values()).containsExactly(5.0);
        assertThat(query(withColor, START, START.plusSeconds(60)).values()).containsExactly(7.0);
        assertThat(query(inSeconds, START, START.plusSeconds(60)).values()).isEmpty();
    }

    @Test
    void datapointsMayCarryTheirOwnTimestamps() {
        sim.clock().advance(Duration.ofMinutes(30));
        cloudwatch.putMetricData(b -> b.namespace("Greeter").metricData(MetricDatum.builder().metricName("Latency")
                .dimensions(SERVICE).value(3.0).timestamp(START.plusSeconds(65)).build()));

        MetricDataResult result = query(stat("m", "Sum", 60), START, START.plus(Duration.ofMinutes(30)));

        assertThat(result.timestamps()).containsExactly(START.plusSeconds(60));
    }

    @Test
    void expressionsCombineQueriesAndFillGaps() {
        put(10, 20);
        sim.clock().advance(Duration.ofSeconds(60));
        put(30);

        GetMetricDataResponse response = cloudwatch.getMetricData(b -> b.startTime(START).endTime(START.plusSeconds(180))
                .scanBy(ScanBy.TIMESTAMP_ASCENDING)
                .metricDataQueries(stat("s", "Sum", 60).toBuilder().returnData(false).build(),
                        stat("n", "SampleCount", 60).toBuilder().returnData(false).build(),
                        MetricDataQuery.builder().id("mean").expression("s / n").label("mean").build(),
                        MetricDataQuery.builder().id("filled").expression("FILL(s, 0) * 2").build()));

        assertThat(response.metricDataResults()).extracting(MetricDataResult::id).containsExactly("mean", "filled");
        assertThat(response.metricDataResults().get(0).values()).containsExactly(15.0, 30.0);
        assertThat(response.metricDataResults().get(1).timestamps())
                .containsExactly(START, START.plusSeconds(60), START.plusSeconds(120));
        assertThat(response.metricDataResults().get(1).values()).containsExactly(60.0, 60.0, 0.0);
        assertThatThrownBy(() -> cloudwatch.getMetricData(b -> b.startTime(START).endTime(START.plusSeconds(60))
                .metricDataQueries(MetricDataQuery.builder().id("e").expression("x * 2").build())))
                .isInstanceOfSatisfying(CloudWatchException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("Unrecognized metric or expression 'x'");
                });
    }

    @Test
    void getMetricDataValidatesItsQueries() {
        assertThatThrownBy(() -> query(stat("m", "Sum", 45), START, START.plusSeconds(60)))
                .isInstanceOfSatisfying(CloudWatchException.class, e ->
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
        assertThatThrownBy(() -> query(stat("m", "Median", 60), START, START.plusSeconds(60)))
                .isInstanceOfSatisfying(CloudWatchException.class, e ->
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
        assertThatThrownBy(() -> query(stat("M1", "Sum", 60), START, START.plusSeconds(60)))
                .isInstanceOf(CloudWatchException.class);
        assertThatThrownBy(() -> query(stat("m", "Sum", 60), START, START))
                .isInstanceOf(CloudWatchException.class);
        assertThatThrownBy(() -> query(stat("m", "Sum", 1), START, START.plus(Duration.ofDays(2))))
                .isInstanceOfSatisfying(CloudWatchException.class, e ->
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterCombination"));
    }

    @Test
    void putMetricDataRefusesAwsNamespacesAndConflictingValues() {
        assertThatThrownBy(() -> cloudwatch.putMetricData(b -> b.namespace("AWS/ApplicationELB")
                .metricData(MetricDatum.builder().metricName("RequestCount").value(1.0).build())))
                .isInstanceOfSatisfying(CloudWatchException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
                });
        assertThatThrownBy(() -> cloudwatch.putMetricData(b -> b.namespace("Greeter")
                .metricData(MetricDatum.builder().metricName("Latency").value(1.0).values(2.0).build())))
                .isInstanceOfSatisfying(CloudWatchException.class, e ->
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterCombination"));
        assertThatThrownBy(() -> cloudwatch.putMetricData(b -> b.namespace("Greeter")
                .metricData(MetricDatum.builder().metricName("Latency").value(1.0)
                        .timestamp(START.plus(Duration.ofHours(3))).build())))
                .isInstanceOf(CloudWatchException.class);
        assertThat(sim.cloudwatch().metrics()).isEmpty();
    }

    @Test
    void getMetricStatisticsAnswersDatapointsWithStandardAndExtendedStatistics() {
        put(10, 20, 30);
        sim.clock().advance(Duration.ofSeconds(60));
        put(40);

        GetMetricStatisticsResponse response = cloudwatch.getMetricStatistics(b -> b.namespace("Greeter")
                .metricName("Latency").dimensions(SERVICE).startTime(START).endTime(START.plusSeconds(120)).period(60)
                .statistics(Statistic.SUM, Statistic.MAXIMUM).extendedStatistics("p50"));

        assertThat(response.label()).isEqualTo("Latency");
        List<Datapoint> points = new ArrayList<>(response.datapoints());
        points.sort(Comparator.comparing(Datapoint::timestamp));
        assertThat(points).extracting(Datapoint::timestamp).containsExactly(START, START.plusSeconds(60));
        assertThat(points.get(0).sum()).isEqualTo(60.0);
        assertThat(points.get(0).maximum()).isEqualTo(30.0);
        assertThat(points.get(0).average()).isNull();
        assertThat(points.get(0).extendedStatistics()).containsEntry("p50", 20.0);
        assertThat(points.get(0).unit()).isEqualTo(StandardUnit.MILLISECONDS);
        assertThat(points.get(1).sum()).isEqualTo(40.0);
    }

    @Test
    void theSdkSpeaksTheQueryProtocolToCloudWatch() {
        List<String> contentTypes = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        ExecutionInterceptor recorder = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                SdkHttpRequest request = context.httpRequest();
                contentTypes.add(request.firstMatchingHeader("Content-Type").orElse(""));
                Optional<byte[]> body = context.requestBody().map(b -> readAll(b.contentStreamProvider()));
                if (body.isEmpty() && request instanceof SdkHttpFullRequest full) {
                    body = full.contentStreamProvider().map(CloudWatchMetricsTest::readAll);
                }
                bodies.add(body.map(b -> new String(b, StandardCharsets.UTF_8)).orElse(""));
            }
        };
        try (CloudWatchClient recording = CloudWatchClients.client(sim, recorder)) {
            recording.describeAlarms(b -> b.alarmNames("a"));
        }

        assertThat(contentTypes).containsExactly("application/x-www-form-urlencoded; charset=utf-8");
        assertThat(bodies).containsExactly("Action=DescribeAlarms&Version=2010-08-01&AlarmNames.member.1=a");
    }

    @Test
    void largePutMetricDataRequestsArriveGzippedAndAreDecoded() {
        List<String> encodings = new ArrayList<>();
        ExecutionInterceptor recorder = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                encodings.add(context.httpRequest().firstMatchingHeader("Content-Encoding").orElse("none"));
            }
        };
        List<MetricDatum> data = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            data.add(MetricDatum.builder().metricName("Latency").dimensions(SERVICE).value((double) i)
                    .unit(StandardUnit.MILLISECONDS).build());
        }
        try (CloudWatchClient recording = CloudWatchClients.client(sim, recorder)) {
            recording.putMetricData(b -> b.namespace("Greeter").metricData(data));
        }

        assertThat(encodings).containsExactly("gzip");
        assertThat(query(stat("m", "SampleCount", 60), START, START.plusSeconds(60)).values()).containsExactly(400.0);
        assertThat(sim.stats().calls("monitoring", "PutMetricData")).isEqualTo(1);
    }

    private static byte[] readAll(ContentStreamProvider body) {
        try (var in = body.newStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

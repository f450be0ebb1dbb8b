package io.ecsbluegreen.sim.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.FaultRule;
import io.ecsbluegreen.sim.RawHttp;
import io.ecsbluegreen.sim.SimulatorConfig;
import io.ecsbluegreen.sim.ThrottleRule;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * CloudWatch in the protocols other than Query, over plain HTTP, so that they are checked where no AWS CLI
 * is installed: Smithy RPC v2 CBOR (SDK v2 from 2.40.7) and AWS JSON 1.0 (the AWS CLI v1). Requests are
 * botocore 1.43's own bytes where they carry timestamps; answers are decoded with Jackson, independently
 * of the simulator's codec.
 */
class CloudWatchProtocolsTest {

    private static final Instant START = Instant.parse("2025-01-01T12:00:00Z");

    private AwsSimulator sim;
    private RawHttp http;

    @BeforeEach
    void start() {
        sim = AwsSimulator.start(SimulatorConfig.defaults().withClockStart(START));
        http = new RawHttp(sim);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Nested
    class InRpcV2Cbor {

        private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());
        private static final String OPERATION = "/service/GraniteServiceVersion20100801/operation/";

        /**
         * botocore 1.43's RpcV2CBORSerializer for PutMetricAlarm: web-5xx on Shop/Errors (Service=web), Sum over
         * 60 s, 2 periods, threshold 5.0, GreaterThanThreshold, ActionsEnabled false.
         */
        private static final String BOTOCORE_PUT_METRIC_ALARM = "aa69416c61726d4e616d65677765622d357878694e616d657370616365"
                + "6453686f706a4d65747269634e616d65664572726f72736a44696d656e73696f6e7381a2644e616d6567536572766963656556"
                + "616c756563776562695374617469737469636353756d66506572696f64183c714576616c756174696f6e506572696f64730269"
                + "5468726573686f6c64fb401400000000000072436f6d70617269736f6e4f70657261746f7274477265617465725468616e5468"
                + "726573686f6c646e416374696f6e73456e61626c6564f4";
        /**
         * botocore's GetMetricData from 11:50 to 12:10 (tag-1 integer timestamps) for Shop/Errors without
         * dimensions, Sum over 300 s, id {@code errors}.
         */
        private static final String BOTOCORE_GET_METRIC_DATA = "a369537461727454696d65c11a67752be867456e6454696d65c11a6775"
                + "3098714d6574726963446174615175657269657381a2624964666572726f72736a4d657472696353746174a3664d6574726963"
                + "a2694e616d6573706163656453686f706a4d65747269634e616d65664572726f727366506572696f6419012c64537461746353"
                + "756d";

        private HttpResponse<byte[]> call(String operation, byte[] body) {
            return http.sendForBytes("POST", OPERATION + operation, Map.of("smithy-protocol", "rpc-v2-cbor",
                    "Content-Type", "application/cbor", "Accept", "application/cbor"), body);
        }

        private HttpResponse<byte[]> call(String operation, Map<String, Object> input) {
            try {
                return call(operation, CBOR.writeValueAsBytes(input));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static JsonNode decode(HttpResponse<byte[]> response) {
            try {
                return CBOR.readTree(response.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The bytes of a tag-1 timestamp in whole seconds, as the simulator writes them (32-bit integer). */
        private static byte[] taggedEpochSeconds(Instant instant) {
            return ByteBuffer.allocate(6).put((byte) 0xc1).put((byte) 0x1a).putInt((int) instant.getEpochSecond()).array();
        }

        private void putAlarmFromBotocore() {
            HttpResponse<byte[]> put = call("PutMetricAlarm", HexFormat.of().parseHex(BOTOCORE_PUT_METRIC_ALARM));
            assertThat(put.statusCode()).isEqualTo(200);
        }

        @Test
        void putMetricAlarmFromBotocoresOwnBytesStoresTheAlarmAndAnswersWithoutBody() {
            HttpResponse<byte[]> put = call("PutMetricAlarm", HexFormat.of().parseHex(BOTOCORE_PUT_METRIC_ALARM));

            assertThat(put.statusCode()).isEqualTo(200);
            assertThat(put.headers().firstValue("smithy-protocol")).hasValue("rpc-v2-cbor");
            assertThat(put.headers().firstValue("Content-Type")).isEmpty();
            assertThat(put.body()).isEmpty();
            MetricAlarm alarm = sim.cloudwatch().alarm("web-5xx").orElseThrow();
            assertThat(alarm.namespace()).isEqualTo("Shop");
            assertThat(alarm.dimensions()).containsExactly(new Dimension("Service", "web"));
            assertThat(alarm.period()).isEqualTo(60);
            assertThat(alarm.evaluationPeriods()).isEqualTo(2);
            assertThat(alarm.threshold()).isEqualTo(5.0);
            assertThat(alarm.comparisonOperator()).isEqualTo("GreaterThanThreshold");
            assertThat(alarm.actionsEnabled()).isFalse();
            assertThat(sim.stats().calls("monitoring", "PutMetricAlarm")).isEqualTo(1);
        }

        @Test
        void describeAlarmsAnswersTypedMembersAndTaggedTimestamps() {
            putAlarmFromBotocore();

            HttpResponse<byte[]> described = call("DescribeAlarms", Map.of("AlarmNames", List.of("web-5xx")));

            assertThat(described.statusCode()).isEqualTo(200);
            assertThat(described.headers().firstValue("smithy-protocol")).hasValue("rpc-v2-cbor");
            assertThat(described.headers().firstValue("Content-Type")).hasValue("application/cbor");
            JsonNode alarm = decode(described).get("MetricAlarms").get(0);
            assertThat(alarm.get("AlarmName").textValue()).isEqualTo("web-5xx");
            assertThat(alarm.get("AlarmArn").textValue()).isEqualTo("arn:aws:cloudwatch:us-east-1:000000000000:alarm:web-5xx");
            assertThat(alarm.get("StateValue").textValue()).isEqualTo("INSUFFICIENT_DATA");
            assertThat(alarm.get("ActionsEnabled").isBoolean()).isTrue();
            assertThat(alarm.get("Period").isInt()).isTrue();
            assertThat(alarm.get("Period").intValue()).isEqualTo(60);
            assertThat(alarm.get("Threshold").isDouble()).isTrue();
            assertThat(alarm.get("Threshold").doubleValue()).isEqualTo(5.0);
            assertThat(alarm.get("Dimensions").get(0).get("Value").textValue()).isEqualTo("web");
            assertThat(alarm.get("StateUpdatedTimestamp").longValue()).isEqualTo(START.getEpochSecond());
            assertThat(described.body()).containsSequence(taggedEpochSeconds(START));
            assertThat(decode(described).get("CompositeAlarms").isArray()).isTrue();
        }

        @Test
        void setAlarmStateChangesTheStateDescribeAlarmsReports() {
            putAlarmFromBotocore();

            HttpResponse<byte[]> set = call("SetAlarmState", Map.of("AlarmName", "web-5xx", "StateValue", "ALARM",
                    "StateReason", "game day"));

            assertThat(set.statusCode()).isEqualTo(200);
            assertThat(set.body()).isEmpty();
            JsonNode alarms = decode(call("DescribeAlarms", Map.of("StateValue", "ALARM"))).get("MetricAlarms");
            assertThat(alarms).hasSize(1);
            assertThat(alarms.get(0).get("StateReason").textValue()).isEqualTo("game day");
        }

        @Test
        void setAlarmStateOnAnUnknownAlarmAnswersResourceNotFound() {
            HttpResponse<byte[]> missing = call("SetAlarmState", Map.of("AlarmName", "nope", "StateValue", "OK",
                    "StateReason", "drill"));

            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.headers().firstValue("smithy-protocol")).hasValue("rpc-v2-cbor");
            assertThat(missing.headers().firstValue("x-amzn-query-error")).hasValue("ResourceNotFound;Sender");
            JsonNode error = decode(missing);
            assertThat(error.get("__type").textValue()).isEqualTo("com.amazonaws.cloudwatch#ResourceNotFound");
            assertThat(error.get("message").textValue()).isEqualTo("Alarm nope not found");
        }

        @Test
        void validationErrorsKeepTheirQueryCodesAndNameTheModelsErrorShape() {
            HttpResponse<byte[]> refused = call("PutMetricData", Map.of("Namespace", "AWS/ApplicationELB",
                    "MetricData", List.of(Map.of("MetricName", "RequestCount", "Value", 1.0))));

            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.headers().firstValue("x-amzn-query-error")).hasValue("InvalidParameterValue;Sender");
            assertThat(decode(refused).get("__type").textValue())
                    .isEqualTo("com.amazonaws.cloudwatch#InvalidParameterValueException");

            HttpResponse<byte[]> missing = call("PutMetricData", Map.of("Namespace", "Shop"));
            assertThat(missing.headers().firstValue("x-amzn-query-error")).hasValue("MissingParameter;Sender");
            assertThat(decode(missing).get("__type").textValue())
                    .isEqualTo("com.amazonaws.cloudwatch#MissingRequiredParameterException");
        }

        @Test
        void getMetricDataFromBotocoresOwnBytesAnswersTheSeriesWithTaggedTimestamps() {
            sim.cloudwatch().putMetricData("Shop", "Errors", Map.of(), 2.0, START.minusSeconds(240), null);
            sim.cloudwatch().putMetricData("Shop", "Errors", Map.of(), 3.5, START.minusSeconds(60), null);
            sim.cloudwatch().putMetricData("Shop", "Errors", Map.of(), 4.0, START.plusSeconds(30), null);

            HttpResponse<byte[]> answer = call("GetMetricData", HexFormat.of().parseHex(BOTOCORE_GET_METRIC_DATA));

            assertThat(answer.statusCode()).isEqualTo(200);
            JsonNode result = decode(answer).get("MetricDataResults").get(0);
            assertThat(result.get("Id").textValue()).isEqualTo("errors");
            assertThat(result.get("Label").textValue()).isEqualTo("Errors");
            assertThat(result.get("StatusCode").textValue()).isEqualTo("Complete");
            // Newest first, 300 s periods from 11:50.
            assertThat(result.get("Timestamps").get(0).longValue()).isEqualTo(START.getEpochSecond());
            assertThat(result.get("Timestamps").get(1).longValue()).isEqualTo(START.minusSeconds(300).getEpochSecond());
            assertThat(result.get("Values").get(0).doubleValue()).isEqualTo(4.0);
            assertThat(result.get("Values").get(1).doubleValue()).isEqualTo(5.5);
            assertThat(result.get("Values").get(0).isDouble()).isTrue();
            assertThat(answer.body()).containsSequence(taggedEpochSeconds(START))
                    .containsSequence(taggedEpochSeconds(START.minusSeconds(300)));
        }

        @Test
        void putMetricDataReadsFloatingPointTimestampsAndListsOfValues() throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            try (CBORGenerator g = (CBORGenerator) CBOR.getFactory().createGenerator(body)) {
                g.writeStartObject();
                g.writeStringField("Namespace", "Shop");
                g.writeFieldName("MetricData");
                g.writeStartArray();
                g.writeStartObject();
                g.writeStringField("MetricName", "Latency");
                g.writeFieldName("Timestamp");
                g.writeTag(1);
                g.writeNumber(START.getEpochSecond() - 90.5);
                g.writeFieldName("Values");
                g.writeStartArray();
                g.writeNumber(10.0);
                g.writeNumber(30.0);
                g.writeEndArray();
                g.writeFieldName("Counts");
                g.writeStartArray();
                g.writeNumber(1.0);
                g.writeNumber(3.0);
                g.writeEndArray();
                g.writeEndObject();
                g.writeEndArray();
                g.writeEndObject();
            }

            assertThat(call("PutMetricData", body.toByteArray()).statusCode()).isEqualTo(200);

            Map<String, Object> query = new LinkedHashMap<>();
            query.put("StartTime", START.minusSeconds(600).getEpochSecond());
            query.put("EndTime", START.getEpochSecond());
            query.put("MetricDataQueries", List.of(Map.of("Id", "avg", "MetricStat", Map.of("Metric",
                    Map.of("Namespace", "Shop", "MetricName", "Latency"), "Period", 60, "Stat", "Average"))));
            JsonNode result = decode(call("GetMetricData", query)).get("MetricDataResults").get(0);
            assertThat(result.get("Timestamps").get(0).longValue()).isEqualTo(START.minusSeconds(120).getEpochSecond());
            assertThat(result.get("Values").get(0).doubleValue()).isEqualTo(25.0);
        }

        @Test
        void gzippedPutMetricDataIsDecoded() throws IOException {
            ByteArrayOutputStream zipped = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(zipped)) {
                out.write(CBOR.writeValueAsBytes(Map.of("Namespace", "Shop",
                        "MetricData", List.of(Map.of("MetricName", "Orders", "Value", 7.0)))));
            }

            HttpResponse<byte[]> put = http.sendForBytes("POST", OPERATION + "PutMetricData", Map.of("smithy-protocol",
                    "rpc-v2-cbor", "Content-Type", "application/cbor", "Content-Encoding", "gzip"), zipped.toByteArray());

            assertThat(put.statusCode()).isEqualTo(200);
            assertThat(sim.cloudwatch().metrics()).extracting(Metric::metricName).containsExactly("Orders");
        }

        @Test
        void deleteAlarmsAndDescribeAlarmHistoryWorkAsInTheQueryProtocol() {
            putAlarmFromBotocore();

            assertThat(call("DeleteAlarms", Map.of("AlarmNames", List.of("web-5xx"))).statusCode()).isEqualTo(200);

            assertThat(sim.cloudwatch().alarms()).isEmpty();
            JsonNode history = decode(call("DescribeAlarmHistory", Map.of("AlarmName", "web-5xx"))).get("AlarmHistoryItems");
            assertThat(history).extracting(item -> item.get("HistorySummary").textValue())
                    .containsExactly("Alarm \"web-5xx\" deleted", "Alarm \"web-5xx\" created");
            assertThat(history.get(0).get("Timestamp").longValue()).isEqualTo(START.getEpochSecond());
        }

        @Test
        void signedRequestsAreServedAsUnsignedOnes() {
            HttpResponse<byte[]> signed = http.sendForBytes("POST", OPERATION + "DescribeAlarms", Map.of("smithy-protocol",
                    "rpc-v2-cbor", "Content-Type", "application/cbor", "Authorization", RawHttp.authorization("monitoring")),
                    new byte[] {(byte) 0xa0});

            assertThat(signed.statusCode()).isEqualTo(200);
            assertThat(decode(signed).get("MetricAlarms").isArray()).isTrue();
        }

        @Test
        void malformedBodiesAndUnknownOperationsAnswerCborErrors() {
            HttpResponse<byte[]> truncated = call("DescribeAlarms", new byte[] {(byte) 0xa1, 0x61});
            assertThat(truncated.statusCode()).isEqualTo(400);
            assertThat(decode(truncated).get("__type").textValue()).isEqualTo("com.amazonaws.cloudwatch#SerializationException");

            HttpResponse<byte[]> unknown = call("ListDashboards", Map.of());
            assertThat(unknown.statusCode()).isEqualTo(400);
            assertThat(unknown.headers().firstValue("x-amzn-query-error")).hasValue("InvalidAction;Sender");
            assertThat(decode(unknown).get("message").textValue())
                    .isEqualTo("Could not find operation ListDashboards for version 2010-08-01");
        }

        @Test
        void throttlingAndInjectedFaultsAnswerCloudWatchsCodesInCbor() {
            sim.throttling().set(ThrottleRule.of("alarms", "monitoring:DescribeAlarms", 1, 0));
            sim.faults().add(FaultRule.errors("monitoring:GetMetricData", 1.0));

            assertThat(call("DescribeAlarms", Map.of()).statusCode()).isEqualTo(200);
            HttpResponse<byte[]> throttled = call("DescribeAlarms", Map.of());
            HttpResponse<byte[]> failed = call("GetMetricData", HexFormat.of().parseHex(BOTOCORE_GET_METRIC_DATA));

            assertThat(throttled.statusCode()).isEqualTo(400);
            assertThat(throttled.headers().firstValue("x-amzn-query-error")).hasValue("Throttling;Sender");
            assertThat(decode(throttled).get("message").textValue()).isEqualTo("Rate exceeded");
            assertThat(failed.statusCode()).isEqualTo(500);
            assertThat(failed.headers().firstValue("x-amzn-query-error")).hasValue("InternalServiceError;Receiver");
            assertThat(decode(failed).get("__type").textValue()).isEqualTo("com.amazonaws.cloudwatch#InternalServiceFault");
        }

        @Test
        void aServiceTheSimulatorDoesNotServeIsNotImplementedInCbor() {
            HttpResponse<byte[]> answer = http.sendForBytes("POST", "/service/AmazonSSM/operation/GetParameter",
                    Map.of("smithy-protocol", "rpc-v2-cbor", "Content-Type", "application/cbor"), new byte[] {(byte) 0xa0});

            assertThat(answer.statusCode()).isEqualTo(501);
            assertThat(answer.headers().firstValue("smithy-protocol")).hasValue("rpc-v2-cbor");
            assertThat(decode(answer).get("message").textValue()).contains("service 'AmazonSSM'");
        }
    }

    /** The protocol the AWS CLI v1 prefers; request bodies are those botocore's JSONSerializer writes. */
    @Nested
    class InJson10 {

        private static final ObjectMapper JSON = new ObjectMapper();
        private static final String PUT_ALARM = "{\"AlarmName\": \"web-5xx\", \"Namespace\": \"Shop\", \"MetricName\": "
                + "\"Errors\", \"Dimensions\": [{\"Name\": \"Service\", \"Value\": \"web\"}], \"Statistic\": \"Sum\", "
                + "\"Period\": 60, \"EvaluationPeriods\": 2, \"Threshold\": 5.0, \"ComparisonOperator\": \"GreaterThanThreshold\"}";

        private HttpResponse<String> call(String operation, String body) {
            return http.send("POST", "/", Map.of("X-Amz-Target", "GraniteServiceVersion20100801." + operation,
                    "Content-Type", "application/x-amz-json-1.0", "x-amzn-query-mode", "true"),
                    body.getBytes(StandardCharsets.UTF_8));
        }

        private static JsonNode parse(HttpResponse<String> response) {
            try {
                return JSON.readTree(response.body());
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Test
        void putMetricAlarmAnswersAnEmptyObjectAndDescribeAlarmsEpochSeconds() {
            HttpResponse<String> put = call("PutMetricAlarm", PUT_ALARM);

            assertThat(put.statusCode()).isEqualTo(200);
            assertThat(put.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.0");
            assertThat(put.body()).isEqualTo("{}");
            assertThat(sim.cloudwatch().alarm("web-5xx").orElseThrow().dimensions())
                    .containsExactly(new Dimension("Service", "web"));

            JsonNode alarm = parse(call("DescribeAlarms", "{\"AlarmNames\": [\"web-5xx\"]}")).get("MetricAlarms").get(0);
            assertThat(alarm.get("Threshold").isDouble()).isTrue();
            assertThat(alarm.get("Period").isInt()).isTrue();
            assertThat(alarm.get("StateUpdatedTimestamp").isIntegralNumber()).isTrue();
            assertThat(alarm.get("StateUpdatedTimestamp").longValue()).isEqualTo(START.getEpochSecond());
        }

        @Test
        void getMetricDataReadsEpochSecondTimestamps() {
            sim.cloudwatch().putMetricData("Shop", "Errors", Map.of(), 2.0, START.minusSeconds(240), null);
            sim.cloudwatch().putMetricData("Shop", "Errors", Map.of(), 3.5, START.minusSeconds(60), null);

            HttpResponse<String> answer = call("GetMetricData", "{\"StartTime\": 1735732200, \"EndTime\": 1735733400, "
                    + "\"MetricDataQueries\": [{\"Id\": \"errors\", \"MetricStat\": {\"Metric\": {\"Namespace\": \"Shop\", "
                    + "\"MetricName\": \"Errors\"}, \"Period\": 300, \"Stat\": \"Sum\"}}]}");

            assertThat(answer.statusCode()).isEqualTo(200);
            JsonNode result = parse(answer).get("MetricDataResults").get(0);
            assertThat(result.get("Timestamps").get(0).longValue()).isEqualTo(START.minusSeconds(300).getEpochSecond());
            assertThat(result.get("Values").get(0).doubleValue()).isEqualTo(5.5);
        }

        @Test
        void setAlarmStateOnAnUnknownAlarmAnswersResourceNotFoundWithItsQueryCode() {
            HttpResponse<String> missing = call("SetAlarmState",
                    "{\"AlarmName\": \"nope\", \"StateValue\": \"OK\", \"StateReason\": \"drill\"}");

            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.headers().firstValue("x-amzn-query-error")).hasValue("ResourceNotFound;Sender");
            assertThat(parse(missing).get("__type").textValue()).isEqualTo("com.amazonaws.cloudwatch#ResourceNotFound");
            assertThat(parse(missing).get("message").textValue()).isEqualTo("Alarm nope not found");
        }

        @Test
        void aBodyThatIsNotOneJsonObjectIsASerializationException() {
            HttpResponse<String> malformed = call("DescribeAlarms", "{\"AlarmNames\": [");

            assertThat(malformed.statusCode()).isEqualTo(400);
            assertThat(malformed.headers().firstValue("x-amzn-query-error")).hasValue("SerializationException;Sender");
            assertThat(parse(malformed).get("message").textValue()).startsWith("Malformed JSON request body");
        }
    }
}

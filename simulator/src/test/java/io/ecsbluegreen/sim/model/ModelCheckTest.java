package io.ecsbluegreen.sim.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.RawHttp;
import io.ecsbluegreen.sim.SimClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.EcsException;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ElasticLoadBalancingV2Exception;

/**
 * Requests the service models reject, sent over HTTP as the SDKs and the CLI would send them, answered
 * with AWS's model-validation error: the code of the protocol and the classic message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelCheckTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ECS = "AmazonEC2ContainerServiceV20141113.";
    private static final String TAG_PATTERN = "([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)";
    private static final String ELB_TAG_PATTERN = "^" + TAG_PATTERN + "$";
    private static final String CLUSTER = "arn:aws:ecs:us-east-1:000000000000:cluster/demo";

    private AwsSimulator sim;
    private RawHttp http;

    @BeforeAll
    void start() {
        sim = AwsSimulator.start();
        http = new RawHttp(sim);
    }

    @AfterAll
    void stop() {
        sim.close();
    }

    /** One bad request and AWS's answer to it. */
    record Row(String name, Function<RawHttp, HttpResponse<String>> send, String code, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> badRequests() {
        String fiftyOneTags = IntStream.rangeClosed(1, 51).mapToObj(i -> "{\"key\":\"k" + i + "\",\"value\":\"v\"}")
                .collect(Collectors.joining(",", "[", "]"));
        String longKey = "k".repeat(129);
        return Stream.of(
                new Row("ECS: a tag value outside the documented characters",
                        h -> ecs(h, "TagResource", "{\"resourceArn\":\"" + CLUSTER + "\",\"tags\":[{\"key\":\"state\",\"value\":\"(0 of 2 healthy)\"}]}"),
                        "ValidationException", "1 validation error detected: Value '(0 of 2 healthy)' at 'tags.1.member.value' "
                                + "failed to satisfy constraint: Member must satisfy regular expression pattern: " + TAG_PATTERN),
                new Row("ECS: a required member missing",
                        h -> ecs(h, "TagResource", "{\"tags\":[]}"),
                        "ValidationException", "1 validation error detected: Value null at 'resourceArn' "
                                + "failed to satisfy constraint: Member must not be null"),
                new Row("ECS: a tag key too long",
                        h -> ecs(h, "TagResource", "{\"resourceArn\":\"" + CLUSTER + "\",\"tags\":[{\"key\":\"" + longKey + "\",\"value\":\"v\"}]}"),
                        "ValidationException", "1 validation error detected: Value '" + longKey + "' at 'tags.1.member.key' "
                                + "failed to satisfy constraint: Member must have length less than or equal to 128"),
                new Row("ECS: a tag key too short",
                        h -> ecs(h, "TagResource", "{\"resourceArn\":\"" + CLUSTER + "\",\"tags\":[{\"key\":\"\",\"value\":\"v\"}]}"),
                        "ValidationException", "1 validation error detected: Value '' at 'tags.1.member.key' "
                                + "failed to satisfy constraint: Member must have length greater than or equal to 1"),
                new Row("ECS: a list longer than the model allows",
                        h -> ecs(h, "TagResource", "{\"resourceArn\":\"" + CLUSTER + "\",\"tags\":" + fiftyOneTags + "}"),
                        "ValidationException", "failed to satisfy constraint: Member must have length less than or equal to 50"),
                new Row("ECS: a value outside the enum",
                        h -> ecs(h, "UpdateTaskSet", "{\"cluster\":\"demo\",\"service\":\"web\",\"taskSet\":\"ts-1\","
                                + "\"scale\":{\"unit\":\"COUNT\",\"value\":50}}"),
                        "ValidationException", "1 validation error detected: Value 'COUNT' at 'scale.unit' "
                                + "failed to satisfy constraint: Member must satisfy enum value set: [PERCENT]"),
                new Row("ECS: a member the model does not define",
                        h -> ecs(h, "ListClusters", "{\"maxResult\":10}"),
                        "ValidationException", "1 validation error detected: Value '10' at 'maxResult' "
                                + "failed to satisfy constraint: " + Validator.UNKNOWN_MEMBER),
                new Row("ELBv2: a number out of range",
                        h -> h.query("elasticloadbalancing", "Action=CreateTargetGroup&Version=2015-12-01&Name=tg&Port=0"),
                        "ValidationError", "1 validation error detected: Value '0' at 'port' "
                                + "failed to satisfy constraint: Member must have value greater than or equal to 1"),
                new Row("ELBv2: a tag value outside the documented characters and a tag without key",
                        h -> h.query("elasticloadbalancing", "Action=AddTags&Version=2015-12-01&ResourceArns.member.1=arn"
                                + "&Tags.member.1.Key=a&Tags.member.1.Value=" + form("x&y") + "&Tags.member.2.Value=v"),
                        "ValidationError", "2 validation errors detected: Value 'x&y' at 'tags.1.member.value' "
                                + "failed to satisfy constraint: Member must satisfy regular expression pattern: " + ELB_TAG_PATTERN
                                + "; Value null at 'tags.2.member.key' failed to satisfy constraint: Member must not be null"),
                new Row("ELBv2: a protocol outside the enum",
                        h -> h.query("elasticloadbalancing", "Action=CreateTargetGroup&Version=2015-12-01&Name=tg&Protocol=FTP"),
                        "ValidationError", "at 'protocol' failed to satisfy constraint: Member must satisfy enum value set: [HTTP, HTTPS,"),
                new Row("STS: a session name too short and a duration out of range",
                        h -> h.query("sts", "Action=AssumeRole&Version=2011-06-15&RoleArn=" + form("arn:aws:iam::000000000000:role/r")
                                + "&RoleSessionName=a&DurationSeconds=60"),
                        "ValidationError", "2 validation errors detected: Value '60' at 'durationSeconds' "
                                + "failed to satisfy constraint: Member must have value greater than or equal to 900; "
                                + "Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2"),
                new Row("STS: a session name outside its pattern",
                        h -> h.query("sts", "Action=AssumeRole&Version=2011-06-15&RoleArn=" + form("arn:aws:iam::000000000000:role/r")
                                + "&RoleSessionName=" + form("bad name")),
                        "ValidationError", "1 validation error detected: Value 'bad name' at 'roleSessionName' "
                                + "failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*"),
                new Row("SNS: a required member missing",
                        h -> h.query("sns", "Action=Publish&Version=2010-03-31&TopicArn=" + form("arn:aws:sns:us-east-1:000000000000:t")),
                        "ValidationError", "1 validation error detected: Value null at 'message' "
                                + "failed to satisfy constraint: Member must not be null"),
                new Row("Lambda: a header outside the enum",
                        h -> h.send("POST", "/2015-03-31/functions/hook/invocations",
                                Map.of("Authorization", RawHttp.authorization("lambda"), "X-Amz-Invocation-Type", "Later"), "{}".getBytes()),
                        "ValidationException", "1 validation error detected: Value 'Later' at 'invocationType' "
                                + "failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]"),
                new Row("Lambda: a query parameter out of range",
                        h -> h.send("GET", "/2015-03-31/functions?MaxItems=0", Map.of("Authorization", RawHttp.authorization("lambda")), new byte[0]),
                        "ValidationException", "1 validation error detected: Value '0' at 'maxItems' "
                                + "failed to satisfy constraint: Member must have value greater than or equal to 1"),
                new Row("Lambda: a function name in the path outside its pattern",
                        h -> h.send("GET", "/2015-03-31/functions/bad%20name", Map.of("Authorization", RawHttp.authorization("lambda")), new byte[0]),
                        "ValidationException", "1 validation error detected: Value 'bad name' at 'functionName' "
                                + "failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:"),
                new Row("CloudWatch Query: a list longer than the model allows",
                        h -> h.query("monitoring", "Action=DescribeAlarms&Version=2010-08-01" + IntStream.rangeClosed(1, 101)
                                .mapToObj(i -> "&AlarmNames.member." + i + "=a" + i).collect(Collectors.joining())),
                        "ValidationError", "at 'alarmNames' failed to satisfy constraint: Member must have length less than or equal to 100"),
                new Row("CloudWatch Query: a scalar list item too long",
                        h -> h.query("monitoring", "Action=DeleteAlarms&Version=2010-08-01&AlarmNames.member.1=" + "a".repeat(256)),
                        "ValidationError", "at 'alarmNames' failed to satisfy constraint: Member must satisfy constraint: "
                                + "[Member must have length less than or equal to 255]"),
                new Row("CloudWatch JSON 1.0: a number out of range",
                        h -> h.send("POST", "/", Map.of("Authorization", RawHttp.authorization("monitoring"),
                                "X-Amz-Target", "GraniteServiceVersion20100801.DescribeAlarms",
                                "Content-Type", "application/x-amz-json-1.0"), "{\"MaxRecords\":101}".getBytes()),
                        "ValidationError", "1 validation error detected: Value '101' at 'maxRecords' "
                                + "failed to satisfy constraint: Member must have value less than or equal to 100"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void aRequestTheModelRejectsIsAnsweredWithAwsValidationError(Row row) {
        HttpResponse<String> response = row.send().apply(http);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(code(response)).isEqualTo(row.code());
        assertThat(message(response)).contains(row.message());
        if (!row.message().startsWith("1 ") && !row.message().startsWith("2 ")) {
            assertThat(message(response)).startsWith("1 validation error detected: Value '");
        }
    }

    @Test
    void anEcsSdkClientSeesAValidationExceptionForAFreeTextTagValue() {
        try (EcsClient ecs = EcsClient.builder().endpointOverride(sim.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(SimClients.CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build()) {
            assertThatThrownBy(() -> ecs.tagResource(b -> b.resourceArn(CLUSTER).tags(t -> t.key("note").value("a, b"))))
                    .isInstanceOfSatisfying(EcsException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                        assertThat(e.awsErrorDetails().errorMessage()).contains("at 'tags.1.member.value'");
                    });
        }
    }

    @Test
    void anElbSdkClientSeesAValidationErrorForAPortOutOfRange() {
        try (ElasticLoadBalancingV2Client elb = ElasticLoadBalancingV2Client.builder().endpointOverride(sim.endpoint())
                .region(Region.US_EAST_1).credentialsProvider(SimClients.CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            assertThatThrownBy(() -> elb.createTargetGroup(b -> b.name("tg").port(70000)))
                    .isInstanceOfSatisfying(ElasticLoadBalancingV2Exception.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("1 validation error detected: Value '70000' "
                                + "at 'port' failed to satisfy constraint: Member must have value less than or equal to 65535");
                    });
        }
    }

    @Test
    void aValidRequestReachesTheServiceAndIsRecordedWithoutViolations() {
        sim.modelCheck().startRecording();
        HttpResponse<String> response = ecs(http, "ListClusters", "{}");
        sim.modelCheck().stopRecording();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(sim.modelCheck().recorded()).containsExactly(new ModelCheckRecord("ecs", "ListClusters", java.util.List.of()));
    }

    @Test
    void theRecordingKeepsTheViolationsOfARejectedRequest() {
        sim.modelCheck().startRecording();
        ecs(http, "TagResource", "{\"tags\":[]}");
        sim.modelCheck().stopRecording();

        assertThat(sim.modelCheck().recorded()).singleElement().satisfies(r -> {
            assertThat(r.operation()).isEqualTo("TagResource");
            assertThat(r.violations()).containsExactly(new Violation("resourceArn", null, "Member must not be null"));
        });
    }

    private static HttpResponse<String> ecs(RawHttp h, String operation, String body) {
        return h.send("POST", "/", Map.of("Authorization", RawHttp.authorization("ecs"), "X-Amz-Target", ECS + operation,
                "Content-Type", "application/x-amz-json-1.1"), body.getBytes(StandardCharsets.UTF_8));
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String code(HttpResponse<String> response) {
        String queryError = response.headers().firstValue("x-amzn-query-error").orElse(null);
        if (queryError != null) {
            return queryError.split(";")[0];
        }
        String errorType = response.headers().firstValue("x-amzn-ErrorType").orElse(null);
        if (errorType != null) {
            return errorType.split(":")[0];
        }
        return xml(response.body(), "Code");
    }

    private static String message(HttpResponse<String> response) {
        if (response.body().startsWith("<")) {
            return xml(response.body(), "Message");
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            return body.has("message") ? body.get("message").asText() : body.get("Message").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String xml(String body, String element) {
        Matcher m = Pattern.compile("<" + element + ">(.*?)</" + element + ">", Pattern.DOTALL).matcher(body);
        assertThat(m.find()).as("<%s> in %s", element, body).isTrue();
        return m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                .replace("&amp;", "&");
    }
}

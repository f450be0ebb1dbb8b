package io.ecsbluegreen.sim.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.FaultRule;
import io.ecsbluegreen.sim.RawHttp;
import io.ecsbluegreen.sim.SimClients;
import io.ecsbluegreen.sim.SimulatorConfig;
import io.ecsbluegreen.sim.ThrottleRule;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.InternalErrorException;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.InvalidParameterValueException;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.PublishResponse;
import software.amazon.awssdk.services.sns.model.SnsException;
import software.amazon.awssdk.services.sns.model.Topic;

/** SNS topics and Publish through the real SDK v2 client (Query protocol at 2.40.2). */
class SnsServiceTest {

    private static final String ACCOUNT = "123456789012";

    private AwsSimulator sim;
    private SnsClient sns;
    private final SimClients.RequestRecorder recorder = new SimClients.RequestRecorder();

    @BeforeEach
    void start() {
        sim = AwsSimulator.start(SimulatorConfig.defaults().withAccountId(ACCOUNT).withClockStart(Instant.parse("2026-11-23T10:00:00Z")));
        sns = SnsClient.builder()
                .endpointOverride(sim.endpoint())
                .region(Region.EU_WEST_1)
                .credentialsProvider(SimClients.CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).addExecutionInterceptor(recorder))
                .build();
    }

    @AfterEach
    void stop() {
        sns.close();
        sim.close();
    }

    static MessageAttributeValue string(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    @Test
    void theSdkSpeaksTheQueryProtocolAndCreateTopicIsIdempotent() {
        String arn = sns.createTopic(b -> b.name("deploys")).topicArn();
        assertThat(arn).isEqualTo("arn:aws:sns:eu-west-1:" + ACCOUNT + ":deploys");
        assertThat(sns.createTopic(b -> b.name("deploys")).topicArn()).isEqualTo(arn);
        assertThat(recorder.last().firstMatchingHeader("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/x-www-form-urlencoded"));
        assertThat(sim.sns().topics()).extracting(t -> t.arn()).containsExactly(arn);
        assertThat(sim.stats().calls("sns", "CreateTopic")).isEqualTo(2);
    }

    @Test
    void publishKeepsTheMessageSubjectAndAttributesForTests() {
        String arn = sns.createTopic(b -> b.name("deploys")).topicArn();
        PublishResponse response = sns.publish(b -> b.topicArn(arn).message("{\"type\":\"RolloutFailed\"}")
                .subject("shop rolled back r-2")
                .messageAttributes(Map.of("eventType", string("RolloutFailed"), "service", string("shop"),
                        "attempt", MessageAttributeValue.builder().dataType("Number").stringValue("3").build(),
                        "raw", MessageAttributeValue.builder().dataType("Binary").binaryValue(SdkBytes.fromUtf8String("b")).build())));

        assertThat(response.messageId()).isNotBlank();
        assertThat(response.sequenceNumber()).isNull();
        assertThat(sim.sns().published(arn)).singleElement().satisfies(m -> {
            assertThat(m.messageId()).isEqualTo(response.messageId());
            assertThat(m.message()).isEqualTo("{\"type\":\"RolloutFailed\"}");
            assertThat(m.subject()).isEqualTo("shop rolled back r-2");
            assertThat(m.attribute("eventType")).isEqualTo("RolloutFailed");
            assertThat(m.attribute("service")).isEqualTo("shop");
            assertThat(m.attributes().get("attempt").dataType()).isEqualTo("Number");
            assertThat(new String(m.attributes().get("raw").binaryValue(), StandardCharsets.UTF_8)).isEqualTo("b");
            assertThat(m.time()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
        });
        HttpResponse<String> control = new RawHttp(sim).get("/_sim/sns/published?topicArn=" + arn);
        assertThat(control.statusCode()).isEqualTo(200);
        assertThat(control.body()).contains("\"subject\":\"shop rolled back r-2\"",
                "\"eventType\":{\"dataType\":\"String\",\"stringValue\":\"RolloutFailed\"}");
    }

    @Test
    void publishingToAMissingTopicIsNotFoundAndBadInputIsInvalidParameter() {
        String arn = sns.createTopic(b -> b.name("deploys")).topicArn();
        assertThatThrownBy(() -> sns.publish(b -> b.topicArn(arn + "-gone").message("x")))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("Topic does not exist")
                .satisfies(e -> assertThat(((SnsException) e).statusCode()).isEqualTo(404));
        assertThatThrownBy(() -> sns.publish(b -> b.topicArn(arn).message("x").subject("s".repeat(100))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("Invalid parameter: Subject");
        assertThatThrownBy(() -> sns.publish(b -> b.topicArn(arn).message("x").subject("two\nlines")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("Invalid parameter: Subject");
        assertThatThrownBy(() -> sns.publish(b -> b.topicArn(arn).message("")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("Empty message");
        assertThatThrownBy(() -> sns.publish(b -> b.topicArn(arn).message("x".repeat(262_145))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("Message too long");
        assertThatThrownBy(() -> sns.publish(b -> b.topicArn("arn:aws:sqs:eu-west-1:" + ACCOUNT + ":q").message("x")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("Invalid parameter: TopicArn");
        assertThatThrownBy(() -> sns.publish(b -> b.topicArn(arn).message("x")
                .messageAttributes(Map.of("service", MessageAttributeValue.builder().dataType("String").stringValue("").build()))))
                .isInstanceOf(InvalidParameterValueException.class)
                .hasMessageContaining("must contain non-empty message attribute value for message attribute type 'String'");
        assertThatThrownBy(() -> sns.publish(b -> b.topicArn(arn).message("x").messageStructure("json")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("Message Structure");
        assertThatThrownBy(() -> sns.createTopic(b -> b.name("bad name")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("Invalid parameter: Topic Name");
        assertThat(sim.sns().published(arn)).isEmpty();
    }

    @Test
    void listTopicsPagesByAHundredWithinTheRequestsRegion() {
        for (int i = 0; i < 150; i++) {
            String name = String.format("topic-%03d", i);
            sns.createTopic(b -> b.name(name));
        }
        sim.sns().createTopic("us-east-1-only");
        List<String> arns = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String next = token;
            var page = sns.listTopics(b -> b.nextToken(next));
            page.topics().stream().map(Topic::topicArn).forEach(arns::add);
            token = page.nextToken();
            pages++;
        } while (token != null && pages < 10);
        assertThat(pages).isEqualTo(2);
        assertThat(arns).hasSize(150).doesNotHaveDuplicates().allSatisfy(a -> assertThat(a).contains(":eu-west-1:"));
        assertThat(sns.listTopicsPaginator().topics().stream().count()).isEqualTo(150);
    }

    @Test
    void getTopicAttributesAndDeleteTopicWhichIsIdempotent() {
        String arn = sns.createTopic(b -> b.name("deploys").attributes(Map.of("DisplayName", "Deploys"))).topicArn();
        Map<String, String> attributes = sns.getTopicAttributes(b -> b.topicArn(arn)).attributes();
        assertThat(attributes).containsEntry("TopicArn", arn).containsEntry("Owner", ACCOUNT).containsEntry("DisplayName", "Deploys")
                .containsEntry("SubscriptionsConfirmed", "0").containsKey("Policy");

        sns.deleteTopic(b -> b.topicArn(arn));
        sns.deleteTopic(b -> b.topicArn(arn));
        assertThat(sim.sns().topics()).isEmpty();
        assertThatThrownBy(() -> sns.getTopicAttributes(b -> b.topicArn(arn))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void fifoTopicsNeedAMessageGroupAndDeduplicateWithinFiveMinutes() {
        String arn = sns.createTopic(b -> b.name("deploys.fifo").attributes(Map.of("FifoTopic", "true"))).topicArn();
        assertThatThrownBy(() -> sns.createTopic(b -> b.name("plain").attributes(Map.of("FifoTopic", "true"))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("must end with .fifo");
        assertThatThrownBy(() -> sns.publish(b -> b.topicArn(arn).message("x").messageDeduplicationId("1")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("MessageGroupId");
        PublishResponse first = sns.publish(b -> b.topicArn(arn).message("x").messageGroupId("shop").messageDeduplicationId("1"));
        PublishResponse again = sns.publish(b -> b.topicArn(arn).message("x").messageGroupId("shop").messageDeduplicationId("1"));
        sim.clock().advance(Duration.ofMinutes(6));
        PublishResponse later = sns.publish(b -> b.topicArn(arn).message("x").messageGroupId("shop").messageDeduplicationId("1"));
        assertThat(first.sequenceNumber()).hasSize(20);
        assertThat(again.messageId()).isEqualTo(first.messageId());
        assertThat(later.messageId()).isNotEqualTo(first.messageId());
        assertThat(sim.sns().published(arn)).hasSize(2);
    }

    @Test
    void throttlingAndInjectedFaultsAnswerAsSnsDoes() {
        String arn = sns.createTopic(b -> b.name("deploys")).topicArn();
        sim.faults().add(FaultRule.errors("sns:Publish", 1.0));
        assertThatThrownBy(() -> sns.publish(b -> b.topicArn(arn).message("x")))
                .isInstanceOf(InternalErrorException.class)
                .satisfies(e -> assertThat(((SnsException) e).statusCode()).isEqualTo(500));
        sim.faults().clear();
        sim.throttling().set(ThrottleRule.of("sns-publish", "sns:Publish", 1, 1));
        sns.publish(b -> b.topicArn(arn).message("x"));
        assertThatThrownBy(() -> sns.publish(b -> b.topicArn(arn).message("x")))
                .isInstanceOf(SnsException.class)
                .satisfies(e -> assertThat(((SnsException) e).isThrottlingException()).isTrue());
        assertThat(sim.stats().calls("sns", "Publish")).isEqualTo(3);
        assertThat(sim.stats().throttled("sns", "Publish")).isEqualTo(1);
        assertThat(sim.stats().faults("sns", "Publish")).isEqualTo(1);
        assertThat(sim.sns().published(arn)).hasSize(1);
    }
}

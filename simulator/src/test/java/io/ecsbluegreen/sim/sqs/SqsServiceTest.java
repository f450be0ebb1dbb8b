package io.ecsbluegreen.sim.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.SimClients;
import io.ecsbluegreen.sim.SimulatorConfig;
import io.ecsbluegreen.sim.cloudwatch.AlarmState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchEntryIdsNotDistinctException;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.EmptyBatchRequestException;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageNotInflightException;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;
import software.amazon.awssdk.services.sqs.model.ReceiptHandleIsInvalidException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;
import software.amazon.awssdk.services.sqs.model.TooManyEntriesInBatchRequestException;

/** SQS queues, messages and the simulator's EventBridge routing through the real SDK v2 client (AWS JSON 1.0 at 2.40.2). */
class SqsServiceTest {

    private static final String ACCOUNT = "123456789012";
    private static final ObjectMapper JSON = new ObjectMapper();

    private AwsSimulator sim;
    private SqsClient sqs;
    private final SimClients.RequestRecorder recorder = new SimClients.RequestRecorder();

    @BeforeEach
    void start() {
        sim = AwsSimulator.start(SimulatorConfig.defaults().withAccountId(ACCOUNT).withClockStart(Instant.parse("2026-12-06T10:00:00Z")));
        sqs = SqsClient.builder()
                .endpointOverride(sim.endpoint())
                .region(Region.EU_WEST_1)
                .credentialsProvider(SimClients.CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).addExecutionInterceptor(recorder))
                .build();
    }

    @AfterEach
    void stop() {
        sqs.close();
        sim.close();
    }

    @Test
    void theSdkSpeaksJsonOneZeroAndCreateQueueIsIdempotentForTheSameAttributes() {
        String url = sqs.createQueue(b -> b.queueName("events")).queueUrl();

        assertThat(url).isEqualTo("https://sqs.eu-west-1.amazonaws.com/" + ACCOUNT + "/events");
        assertThat(recorder.last().firstMatchingHeader("X-Amz-Target")).contains("AmazonSQS.CreateQueue");
        assertThat(recorder.last().firstMatchingHeader("Content-Type")).contains("application/x-amz-json-1.0");
        assertThat(sqs.createQueue(b -> b.queueName("events")).queueUrl()).isEqualTo(url);
        assertThat(sqs.getQueueUrl(b -> b.queueName("events")).queueUrl()).isEqualTo(url);
        assertThatThrownBy(() -> sqs.createQueue(b -> b.queueName("events").attributes(java.util.Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "5"))))
                .isInstanceOf(QueueNameExistsException.class);
        assertThat(sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN)).attributes())
                .containsEntry(QueueAttributeName.QUEUE_ARN, "arn:aws:sqs:eu-west-1:" + ACCOUNT + ":events");
    }

    @Test
    void aQueueThatDoesNotExistIsQueueDoesNotExist() {
        assertThatThrownBy(() -> sqs.getQueueUrl(b -> b.queueName("missing"))).isInstanceOf(QueueDoesNotExistException.class);
        assertThatThrownBy(() -> sqs.sendMessage(b -> b.queueUrl("https://sqs.eu-west-1.amazonaws.com/" + ACCOUNT + "/missing").messageBody("x")))
                .isInstanceOf(QueueDoesNotExistException.class);
        String url = sqs.createQueue(b -> b.queueName("events")).queueUrl();
        assertThatThrownBy(() -> sqs.sendMessage(b -> b.queueUrl(url.replace(ACCOUNT, "999999999999")).messageBody("x")))
                .isInstanceOf(QueueDoesNotExistException.class);
    }

    @Test
    void aReceivedMessageStaysInvisibleForTheVisibilityTimeoutOnTheSimulatorClockAndOnlyItsLatestHandleDeletesIt() {
        String url = sqs.createQueue(b -> b.queueName("events")).queueUrl();
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("hello"));

        Message first = sqs.receiveMessage(b -> b.queueUrl(url).visibilityTimeout(30)).messages().get(0);
        assertThat(first.body()).isEqualTo("hello");
        assertThat(sqs.receiveMessage(b -> b.queueUrl(url)).messages()).isEmpty();

        sim.clock().advance(Duration.ofSeconds(31));
        Message second = sqs.receiveMessage(b -> b.queueUrl(url).messageSystemAttributeNames(MessageSystemAttributeName.ALL))
                .messages().get(0);
        assertThat(second.attributes()).containsEntry(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "2");
        assertThat(second.receiptHandle()).isNotEqualTo(first.receiptHandle());

        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(first.receiptHandle()));
        assertThat(sim.sqs().depth(url)).as("a superseded handle deletes nothing, without error").isEqualTo(1);
        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(second.receiptHandle()));
        assertThat(sim.sqs().depth(url)).isZero();
        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(second.receiptHandle()));
    }

    @Test
    void changeMessageVisibilityMakesAMessageVisibleAgainAndRefusesOneNotInFlight() {
        String url = sqs.createQueue(b -> b.queueName("events")).queueUrl();
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("hello"));
        Message m = sqs.receiveMessage(b -> b.queueUrl(url)).messages().get(0);

        sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
        Message again = sqs.receiveMessage(b -> b.queueUrl(url)).messages().get(0);
        assertThat(again.messageId()).isEqualTo(m.messageId());

        sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(again.receiptHandle()).visibilityTimeout(0));
        assertThatThrownBy(() -> sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(again.receiptHandle()).visibilityTimeout(10)))
                .isInstanceOf(MessageNotInflightException.class);
        assertThatThrownBy(() -> sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle("not-a-handle")))
                .isInstanceOf(ReceiptHandleIsInvalidException.class);
    }

    @Test
    void aLongPollReturnsAsSoonAsAMessageArrives() throws Exception {
        String url = sqs.createQueue(b -> b.queueName("events")).queueUrl();
        CompletableFuture<List<Message>> poll = CompletableFuture.supplyAsync(
                () -> sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(20).maxNumberOfMessages(10)).messages());
        // The poll is waiting (or about to): a message sent now ends it long before its 20 seconds.
        sim.sqs().send(url, "wake up", null);

        assertThat(poll.get(15, TimeUnit.SECONDS)).extracting(Message::body).containsExactly("wake up");
    }

    @Test
    void aLongPollWithNothingToReceiveEndsWhenItsWaitPassesOnTheSimulatorClock() throws Exception {
        String url = sqs.createQueue(b -> b.queueName("events")).queueUrl();
        CompletableFuture<List<Message>> poll = CompletableFuture.supplyAsync(
                () -> sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(20)).messages());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            sim.clock().advance(Duration.ofSeconds(5));
            return poll.isDone();
        });

        assertThat(poll.get()).isEmpty();
    }

    @Test
    void receiveTakesAtMostTenMessagesAndWaitsAtMostTwentySeconds() {
        String url = sqs.createQueue(b -> b.queueName("events")).queueUrl();
        IntStream.range(0, 12).forEach(i -> sqs.sendMessage(b -> b.queueUrl(url).messageBody("m" + i)));

        assertThat(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages()).hasSize(10);
        assertThatThrownBy(() -> sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(11)))
                .isInstanceOf(SqsException.class).hasMessageContaining("MaxNumberOfMessages");
        assertThatThrownBy(() -> sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(21)))
                .isInstanceOf(SqsException.class).hasMessageContaining("WaitTimeSeconds");
    }

    @Test
    void batchesTakeOneToTenEntriesWithDistinctIdsAndReportEachEntry() {
        String url = sqs.createQueue(b -> b.queueName("events")).queueUrl();
        List<SendMessageBatchRequestEntry> eleven = IntStream.range(0, 11)
                .mapToObj(i -> SendMessageBatchRequestEntry.builder().id("e" + i).messageBody("m" + i).build()).toList();

        assertThatThrownBy(() -> sqs.sendMessageBatch(b -> b.queueUrl(url).entries(eleven)))
                .isInstanceOf(TooManyEntriesInBatchRequestException.class);
        assertThatThrownBy(() -> sqs.sendMessageBatch(b -> b.queueUrl(url).entries(List.of())))
                .isInstanceOf(EmptyBatchRequestException.class);
        assertThatThrownBy(() -> sqs.sendMessageBatch(b -> b.queueUrl(url).entries(eleven.get(0), eleven.get(0))))
                .isInstanceOf(BatchEntryIdsNotDistinctException.class);

        assertThat(sqs.sendMessageBatch(b -> b.queueUrl(url).entries(eleven.subList(0, 10))).successful()).hasSize(10);
        List<Message> got = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(2)).messages();
        DeleteMessageBatchResponse deleted = sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(
                e -> e.id("ok").receiptHandle(got.get(0).receiptHandle()),
                e -> e.id("bad").receiptHandle("garbage")));

        assertThat(deleted.successful()).extracting(e -> e.id()).containsExactly("ok");
        assertThat(deleted.failed()).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo("bad");
            assertThat(f.code()).isEqualTo("ReceiptHandleIsInvalid");
            assertThat(f.senderFault()).isTrue();
        });
        assertThat(sim.sqs().depth(url)).isEqualTo(9);
    }

    @Test
    void routedEventsArriveInEventBridgesEnvelope() throws Exception {
        // Created (and seeded OK) before events flow; no evaluation, as it has no datapoints to stay OK on.
        sim.cloudwatch().alarmEvaluation(false);
        sim.cloudwatch().createAlarm("eu-west-1", "web-5xx");
        String url = sim.events().routeTo("eu-west-1", "events");
        sim.s3().createBucket("desired", "eu-west-1");
        sim.s3().putObject("desired", "before-events-on.yaml", "x");
        sim.s3().sendEventsToEventBridge("desired");
        sim.s3().putObject("desired", "services/web.yaml", "kind: BlueGreenService");
        sim.s3().deleteObject("desired", "services/web.yaml");
        sim.cloudwatch().setAlarmState("web-5xx", AlarmState.ALARM, "test");

        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages();
        List<JsonNode> events = messages.stream().map(m -> read(m.body())).toList();

        assertThat(events).extracting(e -> e.path("detail-type").asText())
                .containsExactly("Object Created", "Object Deleted", "CloudWatch Alarm State Change");
        JsonNode created = events.get(0);
        assertThat(created.path("version").asText()).isEqualTo("0");
        assertThat(created.path("id").asText()).isNotBlank();
        assertThat(created.path("source").asText()).isEqualTo("aws.s3");
        assertThat(created.path("account").asText()).isEqualTo(ACCOUNT);
        assertThat(created.path("time").asText()).isEqualTo("2026-12-06T10:00:00Z");
        assertThat(created.path("region").asText()).isEqualTo("eu-west-1");
        assertThat(created.path("resources").get(0).asText()).isEqualTo("arn:aws:s3:::desired");
        assertThat(created.path("detail").path("bucket").path("name").asText()).isEqualTo("desired");
        assertThat(created.path("detail").path("object").path("key").asText()).isEqualTo("services/web.yaml");
        JsonNode alarm = events.get(2);
        assertThat(alarm.path("source").asText()).isEqualTo("aws.cloudwatch");
        assertThat(alarm.path("detail").path("alarmName").asText()).isEqualTo("web-5xx");
        assertThat(alarm.path("detail").path("state").path("value").asText()).isEqualTo("ALARM");
        assertThat(alarm.path("detail").path("previousState").path("value").asText()).isEqualTo("OK");
        assertThat(sim.events().delivered()).isEqualTo(3);
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError(body, e);
        }
    }
}

package io.ecsbluegreen.sim.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecsbluegreen.sim.AwsSimulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/** The simulator's DynamoDB, through the SDK's DynamoDbClient over HTTP: the conditional-write semantics leases build on. */
class DynamoDbOnSimulatorTest {
    AwsSimulator sim;
    DynamoDbClient dynamo;

    static DynamoDbClient client(AwsSimulator sim, String userAgent) {
        return DynamoDbClient.builder().endpointOverride(sim.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(ClientOverrideConfiguration.builder().retryStrategy(AwsRetryStrategy.doNotRetry())
                        .putAdvancedOption(SdkAdvancedClientOption.USER_AGENT_SUFFIX, userAgent).build())
                .build();
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    @BeforeEach
    void start() {
        sim = AwsSimulator.start();
        dynamo = client(sim, "test/one");
        var created = dynamo.createTable(b -> b.tableName("leases").billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build()));
        assertThat(created.tableDescription().tableStatus()).isEqualTo(TableStatus.CREATING);
        dynamo.waiter().waitUntilTableExists(b -> b.tableName("leases"));
    }

    @AfterEach
    void stop() {
        dynamo.close();
        sim.close();
    }

    void put(String pk, String owner, long ver) {
        dynamo.putItem(b -> b.tableName("leases").item(Map.of("pk", s(pk), "owner", s(owner), "ver", n(ver))));
    }

    @Test
    void aTableIsDescribedActiveAndASecondCreateIsRefused() {
        var table = dynamo.describeTable(b -> b.tableName("leases")).table();
        assertThat(table.tableStatus()).isEqualTo(TableStatus.ACTIVE);
        assertThat(table.tableArn()).endsWith(":table/leases");
        assertThat(table.keySchema()).extracting(KeySchemaElement::attributeName).containsExactly("pk");
        assertThatThrownBy(() -> dynamo.createTable(b -> b.tableName("leases").billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())))
                .isInstanceOf(ResourceInUseException.class);
    }

    @Test
    void aMissingTableAnswersResourceNotFound() {
        assertThatThrownBy(() -> dynamo.getItem(b -> b.tableName("nope").key(Map.of("pk", s("x")))))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> dynamo.describeTable(b -> b.tableName("nope"))).isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void attributeNotExistsLetsOnlyTheFirstPutIn() {
        dynamo.putItem(b -> b.tableName("leases").item(Map.of("pk", s("service#a"), "owner", s("r1")))
                .conditionExpression("attribute_not_exists(pk)"));
        assertThatThrownBy(() -> dynamo.putItem(b -> b.tableName("leases").item(Map.of("pk", s("service#a"), "owner", s("r2")))
                .conditionExpression("attribute_not_exists(pk)")))
                .isInstanceOf(ConditionalCheckFailedException.class)
                .hasMessageContaining("The conditional request failed");
        assertThat(dynamo.getItem(b -> b.tableName("leases").key(Map.of("pk", s("service#a"))).consistentRead(true)).item())
                .containsEntry("owner", s("r1"));
    }

    @Test
    void aFailedConditionReturnsTheItemWhenAskedAndWritesNothing() {
        put("service#a", "r1", 3);
        var failed = org.assertj.core.api.Assertions.catchThrowableOfType(() -> dynamo.updateItem(b -> b.tableName("leases")
                .key(Map.of("pk", s("service#a")))
                .updateExpression("SET #o = :me, #v = :next")
                .conditionExpression("#v = :seen")
                .expressionAttributeNames(Map.of("#o", "owner", "#v", "ver"))
                .expressionAttributeValues(Map.of(":me", s("r2"), ":next", n(3), ":seen", n(2)))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)),
                ConditionalCheckFailedException.class);
        assertThat(failed.item()).containsEntry("owner", s("r1")).containsEntry("ver", n(3));
        assertThat(failed.awsErrorDetails().errorCode()).isEqualTo("ConditionalCheckFailedException");
        assertThat(failed.statusCode()).isEqualTo(400);
        assertThat(sim.dynamodb().item("leases", "service#a").orElseThrow().get("owner").get("S").asText()).isEqualTo("r1");
    }

    @Test
    void updateReturnsTheValuesAskedForAndNumbersCompareByValue() {
        put("service#a", "r1", 3);
        var updated = dynamo.updateItem(b -> b.tableName("leases").key(Map.of("pk", s("service#a")))
                .updateExpression("SET #v = #v + :one, #e = if_not_exists(#e, :zero) REMOVE #x")
                .conditionExpression("#o = :me AND #v = :three AND (#v < :ten OR attribute_exists(#nope)) AND NOT #v >= :ten")
                .expressionAttributeNames(Map.of("#v", "ver", "#e", "expiresAt", "#o", "owner", "#x", "gone", "#nope", "nope"))
                .expressionAttributeValues(Map.of(":one", n(1), ":zero", n(0), ":me", s("r1"), ":three", AttributeValue.fromN("3.0"),
                        ":ten", n(10)))
                .returnValues(ReturnValue.UPDATED_NEW));
        assertThat(updated.attributes()).isEqualTo(Map.of("ver", n(4), "expiresAt", n(0)));
        var old = dynamo.updateItem(b -> b.tableName("leases").key(Map.of("pk", s("service#a")))
                .updateExpression("SET #v = :v").expressionAttributeNames(Map.of("#v", "ver"))
                .expressionAttributeValues(Map.of(":v", n(9))).returnValues(ReturnValue.UPDATED_OLD));
        assertThat(old.attributes()).isEqualTo(Map.of("ver", n(4)));
        var all = dynamo.updateItem(b -> b.tableName("leases").key(Map.of("pk", s("service#b")))
                .updateExpression("SET #o = :o").expressionAttributeNames(Map.of("#o", "owner"))
                .expressionAttributeValues(Map.of(":o", s("r3"))).returnValues(ReturnValue.ALL_NEW));
        assertThat(all.attributes()).as("an update creates the item").isEqualTo(Map.of("pk", s("service#b"), "owner", s("r3")));
    }

    @Test
    void strictExpressionRulesAreEnforcedAsDynamoDbDoes() {
        put("service#a", "r1", 1);
        assertThatThrownBy(() -> dynamo.deleteItem(b -> b.tableName("leases").key(Map.of("pk", s("service#a")))
                .conditionExpression("#v = :v").expressionAttributeNames(Map.of("#v", "ver"))
                .expressionAttributeValues(Map.of(":v", n(1), ":unused", n(2)))))
                .isInstanceOf(DynamoDbException.class).hasMessageContaining("unused in expressions: keys: {:unused}");
        assertThatThrownBy(() -> dynamo.deleteItem(b -> b.tableName("leases").key(Map.of("pk", s("service#a")))
                .conditionExpression("owner = :o").expressionAttributeValues(Map.of(":o", s("r1")))))
                .isInstanceOf(DynamoDbException.class).hasMessageContaining("reserved keyword");
        assertThatThrownBy(() -> dynamo.deleteItem(b -> b.tableName("leases").key(Map.of("pk", s("service#a")))
                .conditionExpression("#v = :missing").expressionAttributeNames(Map.of("#v", "ver"))))
                .isInstanceOf(DynamoDbException.class).hasMessageContaining("not defined; attribute value: :missing");
        assertThatThrownBy(() -> dynamo.updateItem(b -> b.tableName("leases").key(Map.of("pk", s("service#a")))
                .updateExpression("SET pk = :v").expressionAttributeValues(Map.of(":v", s("other")))))
                .isInstanceOf(DynamoDbException.class).hasMessageContaining("part of the key");
        assertThatThrownBy(() -> dynamo.getItem(b -> b.tableName("leases").key(Map.of("pk", n(1)))))
                .isInstanceOf(DynamoDbException.class).hasMessageContaining("Type mismatch");
        assertThat(sim.dynamodb().item("leases", "service#a")).as("nothing deleted").isPresent();
    }

    @Test
    void deleteWithAConditionReturnsTheOldItem() {
        put("service#a", "r1", 1);
        var deleted = dynamo.deleteItem(b -> b.tableName("leases").key(Map.of("pk", s("service#a")))
                .conditionExpression("#o = :me").expressionAttributeNames(Map.of("#o", "owner"))
                .expressionAttributeValues(Map.of(":me", s("r1"))).returnValues(ReturnValue.ALL_OLD));
        assertThat(deleted.attributes()).containsEntry("owner", s("r1"));
        assertThat(dynamo.getItem(b -> b.tableName("leases").key(Map.of("pk", s("service#a")))).hasItem()).isFalse();
    }

    @Test
    void scanPagesWithLimitAndFiltersAfterTheLimitAndQueryNeedsTheHashKey() {
        for (int i = 0; i < 7; i++) put("service#" + i, i % 2 == 0 ? "r1" : "r2", i);
        List<Map<String, AttributeValue>> seen = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        int pages = 0;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = dynamo.scan(b -> b.tableName("leases").limit(3).consistentRead(true).exclusiveStartKey(from)
                    .filterExpression("#o = :r").expressionAttributeNames(Map.of("#o", "owner"))
                    .expressionAttributeValues(Map.of(":r", s("r1"))));
            assertThat(page.scannedCount()).isLessThanOrEqualTo(3);
            seen.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            pages++;
        } while (start != null && pages < 10);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(4).allSatisfy(i -> assertThat(i.get("owner")).isEqualTo(s("r1")));
        var query = dynamo.query(b -> b.tableName("leases").keyConditionExpression("pk = :k")
                .expressionAttributeValues(Map.of(":k", s("service#3"))));
        assertThat(query.items()).hasSize(1);
        assertThatThrownBy(() -> dynamo.query(b -> b.tableName("leases").keyConditionExpression("#o = :k")
                .expressionAttributeNames(Map.of("#o", "owner")).expressionAttributeValues(Map.of(":k", s("r1")))))
                .isInstanceOf(DynamoDbException.class).hasMessageContaining("missed key schema element");
    }

    @Test
    void concurrentConditionalPutsLetExactlyOneWriterIn() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> tries = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String me = "r" + i;
                tries.add(() -> {
                    try {
                        dynamo.putItem(b -> b.tableName("leases").item(Map.of("pk", s("service#x"), "owner", s(me)))
                                .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", "pk")));
                        return true;
                    } catch (ConditionalCheckFailedException e) {
                        return false;
                    }
                });
            }
            int won = 0;
            for (Future<Boolean> f : pool.invokeAll(tries)) if (f.get()) won++;
            assertThat(won).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRefusedCallerGetsAccessDeniedAndTheWriteLogNamesTheUserAgent() {
        put("service#a", "r1", 1);
        assertThat(sim.dynamodb().writes()).last().satisfies(w -> assertThat(w.userAgent()).contains("test/one"));
        sim.dynamodb().refuse(ua -> ua.contains("test/one"));
        assertThatThrownBy(() -> put("service#a", "r1", 2)).isInstanceOf(DynamoDbException.class)
                .satisfies(e -> assertThat(((DynamoDbException) e).awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
        try (DynamoDbClient other = client(sim, "test/two")) {
            other.putItem(b -> b.tableName("leases").item(Map.of("pk", s("service#b"))));
        }
        sim.dynamodb().refuse(ua -> false);
        put("service#a", "r1", 3);
    }
}

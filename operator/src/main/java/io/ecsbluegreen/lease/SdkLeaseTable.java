package io.ecsbluegreen.lease;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * The lease table in DynamoDB: partition key {@code pk} (string), one item per service
 * ({@code service#NAME}: {@code owner}, {@code ver}, {@code expiresAt} in epoch milliseconds) and one per
 * live replica ({@code replica#ID}: {@code expiresAt}). Attribute names go through expression attribute
 * names (OWNER is a reserved word).
 */
public final class SdkLeaseTable implements LeaseTable {
    static final String KEY = "pk";
    private static final String SERVICE = "service#";
    private static final String REPLICA = "replica#";

    private final DynamoDbClient dynamo;
    private final String table;

    public SdkLeaseTable(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /**
     * Checks the table exists and is ACTIVE (waiting while it is being created); throws otherwise. The
     * operator never creates the table: deploy/ does, so the operator needs no dynamodb:CreateTable.
     */
    public void ensureTable() {
        try {
            TableStatus status = dynamo.describeTable(b -> b.tableName(table)).table().tableStatus();
            if (status == TableStatus.ACTIVE || status == TableStatus.UPDATING) return;
        } catch (ResourceNotFoundException e) {
            throw new IllegalStateException("the lease table " + table + " does not exist (bluegreen.leases.table; deploy/ creates it)", e);
        }
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    private static Map<String, AttributeValue> key(String pk) {
        return Map.of(KEY, s(pk));
    }

    @Override
    public Snapshot scan() {
        List<Lease> leases = new ArrayList<>();
        List<Replica> replicas = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        // Bounded: a table of a million items still ends; each page is up to 1 MB.
        for (int page = 0; page < 10_000; page++) {
            Map<String, AttributeValue> from = start;
            ScanResponse r = dynamo.scan(b -> b.tableName(table).consistentRead(true).exclusiveStartKey(from));
            for (Map<String, AttributeValue> item : r.items()) {
                String pk = item.get(KEY).s();
                Instant expires = Instant.ofEpochMilli(item.containsKey("expiresAt") ? Long.parseLong(item.get("expiresAt").n()) : 0);
                if (pk.startsWith(SERVICE)) {
                    leases.add(new Lease(pk.substring(SERVICE.length()), item.containsKey("owner") ? item.get("owner").s() : null,
                            item.containsKey("ver") ? Long.parseLong(item.get("ver").n()) : 0, expires));
                } else if (pk.startsWith(REPLICA)) {
                    replicas.add(new Replica(pk.substring(REPLICA.length()), expires));
                }
            }
            if (!r.hasLastEvaluatedKey() || r.lastEvaluatedKey().isEmpty()) break;
            start = r.lastEvaluatedKey();
        }
        return new Snapshot(leases, replicas);
    }

    @Override
    public boolean acquire(String service, String owner, Long seenVersion, Instant expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(KEY, s(SERVICE + service));
        item.put("owner", s(owner));
        item.put("ver", n(seenVersion == null ? 1 : seenVersion + 1));
        item.put("expiresAt", n(expiresAt.toEpochMilli()));
        try {
            if (seenVersion == null) {
                dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", KEY)));
            } else {
                dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("#ver = :seen")
                        .expressionAttributeNames(Map.of("#ver", "ver")).expressionAttributeValues(Map.of(":seen", n(seenVersion))));
            }
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public boolean renew(String service, String owner, long version, Instant expiresAt) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(SERVICE + service))
                    .updateExpression("SET #exp = :exp, #ver = :next")
                    .conditionExpression("#owner = :me AND #ver = :ver")
                    .expressionAttributeNames(Map.of("#exp", "expiresAt", "#ver", "ver", "#owner", "owner"))
                    .expressionAttributeValues(Map.of(":exp", n(expiresAt.toEpochMilli()), ":next", n(version + 1),
                            ":me", s(owner), ":ver", n(version))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public boolean release(String service, String owner, long version, Instant now) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(SERVICE + service))
                    .updateExpression("SET #exp = :now, #ver = :next REMOVE #owner")
                    .conditionExpression("#owner = :me AND #ver = :ver")
                    .expressionAttributeNames(Map.of("#exp", "expiresAt", "#ver", "ver", "#owner", "owner"))
                    .expressionAttributeValues(Map.of(":now", n(now.toEpochMilli()), ":next", n(version + 1),
                            ":me", s(owner), ":ver", n(version))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public void beat(String replica, Instant expiresAt) {
        dynamo.putItem(b -> b.tableName(table).item(Map.of(KEY, s(REPLICA + replica), "expiresAt", n(expiresAt.toEpochMilli()))));
    }

    @Override
    public void leave(String replica) {
        dynamo.deleteItem(b -> b.tableName(table).key(key(REPLICA + replica)));
    }
}

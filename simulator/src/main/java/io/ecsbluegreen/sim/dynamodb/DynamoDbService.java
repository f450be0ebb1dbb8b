package io.ecsbluegreen.sim.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecsbluegreen.sim.protocol.AwsErrorException;
import io.ecsbluegreen.sim.protocol.AwsJson10;
import io.ecsbluegreen.sim.protocol.Protocol;
import io.ecsbluegreen.sim.protocol.ServiceHandler;
import io.ecsbluegreen.sim.protocol.SimRequest;
import io.ecsbluegreen.sim.protocol.SimResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Amazon DynamoDB over AWS JSON 1.0 ({@code X-Amz-Target: DynamoDB_20120810.Operation}), the subset that
 * leases need: CreateTable, DescribeTable, DeleteTable, GetItem, PutItem, UpdateItem, DeleteItem, Scan
 * and Query, with condition, update, filter, key-condition and projection expressions (see
 * {@link Expressions}). Conditions are evaluated and writes made atomically per item. The legacy
 * parameters ({@code Expected}, {@code AttributeUpdates}, {@code ScanFilter}, ...) are refused. Errors
 * carry AWS's shape ids in {@code __type}.
 */
public final class DynamoDbService implements ServiceHandler {
    static final String TARGET_PREFIX = "DynamoDB_20120810";
    private static final Set<String> OPERATIONS = Set.of("CreateTable", "DescribeTable", "DeleteTable", "GetItem", "PutItem",
            "UpdateItem", "DeleteItem", "Scan", "Query");
    private static final Set<String> LEGACY = Set.of("Expected", "AttributeUpdates", "ConditionalOperator", "ScanFilter",
            "QueryFilter", "KeyConditions", "AttributesToGet");
    private static final Pattern TABLE_NAME = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DynamoDbStore store;

    public DynamoDbService(DynamoDbStore store) {
        this.store = store;
    }

    @Override
    public String signingName() {
        return "dynamodb";
    }

    @Override
    public Protocol protocol() {
        return Protocol.JSON_1_1;
    }

    @Override
    public Set<String> targetPrefixes() {
        return Set.of(TARGET_PREFIX + ".");
    }

    @Override
    public String resolveAction(SimRequest request) {
        String operation = AwsJson10.operation(request, TARGET_PREFIX).orElse("");
        if (!OPERATIONS.contains(operation)) {
            throw new AwsErrorException(400, "UnknownOperationException", "");
        }
        return operation;
    }

    @Override
    public AwsErrorException throttlingError() {
        return new AwsErrorException(400, "ThrottlingException", "Rate exceeded");
    }

    @Override
    public AwsErrorException serverError(int status) {
        return new AwsErrorException(status, "InternalServerError", "Internal server error");
    }

    @Override
    public SimResponse renderError(AwsErrorException error, SimRequest request) {
        String type = switch (error.code()) {
            case "ThrottlingException" -> "com.amazon.coral.availability#ThrottlingException";
            case "UnknownOperationException", "SerializationException", "AccessDeniedException" -> "com.amazon.coral.service#" + error.code();
            case "ValidationException" -> "com.amazon.coral.validate#ValidationException";
            default -> "com.amazonaws.dynamodb.v20120810#" + error.code();
        };
        return render(error.status(), type, error.errorMessage(), null);
    }

    private static SimResponse render(DynamoDbError e) {
        return render(e.status, e.type, e.getMessage(), e.item);
    }

    private static SimResponse render(int status, String type, String message, JsonNode item) {
        ObjectNode body = JSON.createObjectNode().put("__type", type);
        if (message != null) body.put("message", message);
        if (item != null) body.set("Item", item);
        return new SimResponse(status, Map.of("Content-Type", AwsJson10.CONTENT_TYPE), bytes(body));
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public SimResponse handle(String action, SimRequest request) {
        try {
            String userAgent = request.header("User-Agent");
            if (store.refuses(userAgent)) throw DynamoDbError.accessDenied(userAgent);
            JsonNode in;
            try {
                in = JSON.readTree(request.body());
            } catch (IOException e) {
                throw DynamoDbError.serialization("Start of structure or map found where not expected");
            }
            if (in == null || !in.isObject()) throw DynamoDbError.serialization("the body is not a JSON object");
            for (String legacy : LEGACY) {
                if (in.has(legacy)) {
                    throw DynamoDbError.validation("the simulator serves expressions only; " + legacy + " is a legacy parameter");
                }
            }
            ObjectNode out = switch (action) {
                case "CreateTable" -> createTable(in);
                case "DescribeTable" -> describeTable(in);
                case "DeleteTable" -> deleteTable(in);
                case "GetItem" -> getItem(in);
                case "PutItem" -> putItem(in, userAgent);
                case "UpdateItem" -> updateItem(in, userAgent);
                case "DeleteItem" -> deleteItem(in, userAgent);
                case "Scan" -> scan(in, false);
                default -> scan(in, true);
            };
            return new SimResponse(200, Map.of("Content-Type", AwsJson10.CONTENT_TYPE), bytes(out));
        } catch (DynamoDbError e) {
            return render(e);
        }
    }

    // ---- tables ---------------------------------------------------------------------------------------

    private static String text(JsonNode in, String field) {
        JsonNode v = in.get(field);
        if (v == null || v.isNull()) {
            throw DynamoDbError.validation("1 validation error detected: Value null at '" + lower(field)
                    + "' failed to satisfy constraint: Member must not be null");
        }
        return v.asText();
    }

    private static String lower(String field) {
        return Character.toLowerCase(field.charAt(0)) + field.substring(1);
    }

    private static String tableName(JsonNode in) {
        String name = text(in, "TableName");
        if (!TABLE_NAME.matcher(name).matches()) {
            throw DynamoDbError.validation("1 validation error detected: Value '" + name
                    + "' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
        }
        return name;
    }

    private ObjectNode createTable(JsonNode in) {
        String name = tableName(in);
        JsonNode schema = in.get("KeySchema");
        JsonNode definitions = in.get("AttributeDefinitions");
        if (schema == null || !schema.isArray() || schema.isEmpty() || schema.size() > 2) {
            throw DynamoDbError.validation("1 validation error detected: Value at 'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2");
        }
        if (definitions == null || !definitions.isArray()) {
            throw DynamoDbError.validation("1 validation error detected: Value null at 'attributeDefinitions' failed to satisfy constraint: Member must not be null");
        }
        Map<String, String> types = new HashMap<>();
        for (JsonNode d : definitions) {
            String type = text(d, "AttributeType");
            if (!Set.of("S", "N", "B").contains(type)) {
                throw DynamoDbError.validation("1 validation error detected: Value '" + type
                        + "' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]");
            }
            types.put(text(d, "AttributeName"), type);
        }
        String hash = null;
        String range = null;
        for (JsonNode k : schema) {
            String keyType = text(k, "KeyType");
            if (keyType.equals("HASH") && hash == null) hash = text(k, "AttributeName");
            else if (keyType.equals("RANGE") && range == null) range = text(k, "AttributeName");
            else throw DynamoDbError.validation("Invalid KeySchema: Some index key attribute have no definition");
        }
        if (hash == null) throw DynamoDbError.validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
        if (types.size() != schema.size() || !types.containsKey(hash) || (range != null && !types.containsKey(range))) {
            throw DynamoDbError.validation("One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions");
        }
        String billing = in.path("BillingMode").asText("PROVISIONED");
        JsonNode throughput = in.get("ProvisionedThroughput");
        if (billing.equals("PROVISIONED") && (throughput == null || !throughput.has("ReadCapacityUnits") || !throughput.has("WriteCapacityUnits"))) {
            throw DynamoDbError.validation("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
        }
        if (billing.equals("PAY_PER_REQUEST") && throughput != null) {
            throw DynamoDbError.validation("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
        }
        if (!billing.equals("PROVISIONED") && !billing.equals("PAY_PER_REQUEST")) {
            throw DynamoDbError.validation("1 validation error detected: Value '" + billing
                    + "' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]");
        }
        DynamoDbStore.Table t = store.create(name, hash, types.get(hash), range, range == null ? null : types.get(range), in);
        ObjectNode out = JSON.createObjectNode();
        out.set("TableDescription", description(t, "CREATING"));
        return out;
    }

    private ObjectNode describeTable(JsonNode in) {
        DynamoDbStore.Table t = store.table(tableName(in));
        ObjectNode out = JSON.createObjectNode();
        // A table is CREATING in CreateTable's answer, ACTIVE from the next call on: a waiter needs one poll.
        out.set("Table", description(t, "ACTIVE"));
        return out;
    }

    private ObjectNode deleteTable(JsonNode in) {
        DynamoDbStore.Table t = store.delete(tableName(in));
        ObjectNode out = JSON.createObjectNode();
        out.set("TableDescription", description(t, "DELETING"));
        return out;
    }

    private ObjectNode description(DynamoDbStore.Table t, String status) {
        ObjectNode d = JSON.createObjectNode();
        d.put("TableName", t.name).put("TableArn", t.arn).put("TableStatus", status)
                .put("TableId", java.util.UUID.nameUUIDFromBytes(t.arn.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString())
                .put("CreationDateTime", t.created.toEpochMilli() / 1000.0);
        d.set("KeySchema", t.definition.get("KeySchema"));
        d.set("AttributeDefinitions", t.definition.get("AttributeDefinitions"));
        synchronized (store) {
            d.put("ItemCount", t.items.size());
        }
        d.put("TableSizeBytes", 0);
        String billing = t.definition.path("BillingMode").asText("PROVISIONED");
        d.putObject("BillingModeSummary").put("BillingMode", billing);
        ObjectNode throughput = d.putObject("ProvisionedThroughput").put("NumberOfDecreasesToday", 0);
        JsonNode given = t.definition.get("ProvisionedThroughput");
        throughput.put("ReadCapacityUnits", given == null ? 0 : given.path("ReadCapacityUnits").asLong());
        throughput.put("WriteCapacityUnits", given == null ? 0 : given.path("WriteCapacityUnits").asLong());
        return d;
    }

    // ---- items ----------------------------------------------------------------------------------------

    /** The expressions of a request, with a check that names and values come only with expressions. */
    private static Expressions expressions(JsonNode in, String... expressionFields) {
        Expressions e = new Expressions(in.get("ExpressionAttributeNames"), in.get("ExpressionAttributeValues"));
        boolean any = false;
        for (String f : expressionFields) any |= in.hasNonNull(f);
        if (e.definesAny() && !any) {
            throw DynamoDbError.validation("ExpressionAttributeNames and ExpressionAttributeValues can only be specified when using expressions");
        }
        return e;
    }

    private static String returnValues(JsonNode in, Set<String> allowed) {
        String rv = in.path("ReturnValues").asText("NONE");
        if (!allowed.contains(rv)) throw DynamoDbError.validation("ReturnValues can only be " + String.join(" or ", allowed.stream().sorted().toList()));
        return rv;
    }

    private static boolean oldOnFailure(JsonNode in) {
        String v = in.path("ReturnValuesOnConditionCheckFailure").asText("NONE");
        if (!v.equals("NONE") && !v.equals("ALL_OLD")) {
            throw DynamoDbError.validation("1 validation error detected: Value '" + v
                    + "' at 'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]");
        }
        return v.equals("ALL_OLD");
    }

    private ObjectNode getItem(JsonNode in) {
        Expressions x = expressions(in, "ProjectionExpression");
        List<String> projection = in.hasNonNull("ProjectionExpression") ? x.projection(in.get("ProjectionExpression").asText()) : null;
        x.checkAllUsed();
        Map<String, JsonNode> key = Values.item(in.get("Key"), "key");
        ObjectNode out = JSON.createObjectNode();
        synchronized (store) {
            DynamoDbStore.Table t = store.table(tableName(in));
            Map<String, JsonNode> item = t.items.get(t.key(key, true));
            if (item != null) out.set("Item", project(item, projection));
        }
        return out;
    }

    private static ObjectNode project(Map<String, JsonNode> item, List<String> projection) {
        if (projection == null) return Values.copy(item);
        Map<String, JsonNode> kept = new LinkedHashMap<>();
        for (String p : projection) if (item.containsKey(p)) kept.put(p, item.get(p));
        return Values.copy(kept);
    }

    private Expressions.Condition condition(Expressions x, JsonNode in) {
        return in.hasNonNull("ConditionExpression") ? x.condition(in.get("ConditionExpression").asText(), "ConditionExpression") : null;
    }

    private ObjectNode putItem(JsonNode in, String userAgent) {
        String rv = returnValues(in, Set.of("NONE", "ALL_OLD"));
        boolean oldOnFailure = oldOnFailure(in);
        Expressions x = expressions(in, "ConditionExpression");
        Expressions.Condition condition = condition(x, in);
        x.checkAllUsed();
        Map<String, JsonNode> item = Values.item(in.get("Item"), "item");
        ObjectNode out = JSON.createObjectNode();
        synchronized (store) {
            DynamoDbStore.Table t = store.table(tableName(in));
            String key = t.key(item, false);
            Map<String, JsonNode> old = t.items.get(key);
            check(condition, old, oldOnFailure);
            t.items.put(key, item);
            store.wrote(t, t.keyOf(item), item, userAgent);
            if (rv.equals("ALL_OLD") && old != null) out.set("Attributes", Values.copy(old));
        }
        return out;
    }

    private static void check(Expressions.Condition condition, Map<String, JsonNode> old, boolean oldOnFailure) {
        if (condition != null && !Expressions.holds(condition, old == null ? Map.of() : old)) {
            throw DynamoDbError.conditionFailed(oldOnFailure && old != null ? Values.copy(old) : null);
        }
    }

    private ObjectNode updateItem(JsonNode in, String userAgent) {
        String rv = returnValues(in, Set.of("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"));
        boolean oldOnFailure = oldOnFailure(in);
        Expressions x = expressions(in, "ConditionExpression", "UpdateExpression");
        Expressions.Condition condition = condition(x, in);
        Expressions.Update update = in.hasNonNull("UpdateExpression") ? x.update(in.get("UpdateExpression").asText())
                : new Expressions.Update(Map.of(), List.of());
        x.checkAllUsed();
        Map<String, JsonNode> key = Values.item(in.get("Key"), "key");
        ObjectNode out = JSON.createObjectNode();
        synchronized (store) {
            DynamoDbStore.Table t = store.table(tableName(in));
            String k = t.key(key, true);
            for (String touched : update.touched()) {
                if (key.containsKey(touched)) {
                    throw DynamoDbError.validation("One or more parameter values were invalid: Cannot update attribute " + touched
                            + ". This attribute is part of the key");
                }
            }
            Map<String, JsonNode> old = t.items.get(k);
            check(condition, old, oldOnFailure);
            Map<String, JsonNode> base = new LinkedHashMap<>(old == null ? key : old);
            Map<String, JsonNode> updated = Expressions.apply(update, base);
            t.items.put(k, updated);
            store.wrote(t, key, updated, userAgent);
            Map<String, JsonNode> returned = switch (rv) {
                case "ALL_OLD" -> old;
                case "ALL_NEW" -> updated;
                case "UPDATED_OLD" -> old == null ? null : only(old, update.touched());
                case "UPDATED_NEW" -> only(updated, update.touched());
                default -> null;
            };
            if (returned != null && !returned.isEmpty()) out.set("Attributes", Values.copy(returned));
        }
        return out;
    }

    private static Map<String, JsonNode> only(Map<String, JsonNode> item, Set<String> names) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (String n : names) if (item.containsKey(n)) out.put(n, item.get(n));
        return out;
    }

    private ObjectNode deleteItem(JsonNode in, String userAgent) {
        String rv = returnValues(in, Set.of("NONE", "ALL_OLD"));
        boolean oldOnFailure = oldOnFailure(in);
        Expressions x = expressions(in, "ConditionExpression");
        Expressions.Condition condition = condition(x, in);
        x.checkAllUsed();
        Map<String, JsonNode> key = Values.item(in.get("Key"), "key");
        ObjectNode out = JSON.createObjectNode();
        synchronized (store) {
            DynamoDbStore.Table t = store.table(tableName(in));
            String k = t.key(key, true);
            Map<String, JsonNode> old = t.items.get(k);
            check(condition, old, oldOnFailure);
            if (old != null) {
                t.items.remove(k);
                store.wrote(t, key, null, userAgent);
                if (rv.equals("ALL_OLD")) out.set("Attributes", Values.copy(old));
            }
        }
        return out;
    }

    /** Scan, or Query when {@code query}: pages of at most {@code Limit} items (1 MB pages are not simulated). */
    private ObjectNode scan(JsonNode in, boolean query) {
        Expressions x = query ? expressions(in, "KeyConditionExpression", "FilterExpression", "ProjectionExpression")
                : expressions(in, "FilterExpression", "ProjectionExpression");
        Expressions.Condition keyCondition = null;
        if (query) {
            keyCondition = x.condition(text(in, "KeyConditionExpression"), "KeyConditionExpression");
        }
        Expressions.Condition filter = in.hasNonNull("FilterExpression") ? x.condition(in.get("FilterExpression").asText(), "FilterExpression") : null;
        List<String> projection = in.hasNonNull("ProjectionExpression") ? x.projection(in.get("ProjectionExpression").asText()) : null;
        x.checkAllUsed();
        int limit = in.has("Limit") ? in.get("Limit").asInt() : Integer.MAX_VALUE;
        if (limit < 1) {
            throw DynamoDbError.validation("1 validation error detected: Value '" + limit
                    + "' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
        }
        ObjectNode out = JSON.createObjectNode();
        var items = out.putArray("Items");
        int scanned = 0;
        synchronized (store) {
            DynamoDbStore.Table t = store.table(tableName(in));
            if (query && !keyedOnHash(keyCondition, t.hashKey)) {
                throw DynamoDbError.validation("Query condition missed key schema element: " + t.hashKey);
            }
            Map<String, Map<String, JsonNode>> from = in.has("ExclusiveStartKey")
                    ? t.items.tailMap(t.key(Values.item(in.get("ExclusiveStartKey"), "exclusiveStartKey"), true), false) : t.items;
            String last = null;
            for (Map.Entry<String, Map<String, JsonNode>> e : from.entrySet()) {
                Map<String, JsonNode> item = e.getValue();
                if (keyCondition != null && !Expressions.holds(keyCondition, item)) continue;
                if (scanned == limit) break;
                scanned++;
                last = e.getKey();
                if (filter == null || Expressions.holds(filter, item)) items.add(project(item, projection));
                if (scanned == limit && from instanceof java.util.NavigableMap<String, Map<String, JsonNode>> nav
                        && nav.higherKey(last) != null) {
                    out.set("LastEvaluatedKey", Values.copy(t.keyOf(item)));
                }
            }
        }
        out.put("Count", items.size()).put("ScannedCount", scanned);
        return out;
    }

    /** Whether a key condition is {@code hash = :v}, alone or ANDed with a condition on the range key. */
    private static boolean keyedOnHash(Expressions.Condition c, String hashKey) {
        if (c instanceof Expressions.Compare cmp) {
            return cmp.op().equals("=") && cmp.left() instanceof Expressions.Path p && p.name().equals(hashKey)
                    && cmp.right() instanceof Expressions.Value;
        }
        if (c instanceof Expressions.And and) return keyedOnHash(and.left(), hashKey) || keyedOnHash(and.right(), hashKey);
        return false;
    }

}

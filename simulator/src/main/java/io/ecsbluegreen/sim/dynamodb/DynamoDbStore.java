package io.ecsbluegreen.sim.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The DynamoDB state: tables and their items. Every operation holds the store's lock from the read of
 * the item to its write, so a condition and the write it guards are one atomic step, as in DynamoDB.
 * Tests read the history of committed writes ({@link #writes()}) and can cut callers off ({@link #refuse}).
 */
public final class DynamoDbStore {
    /** Writes kept in {@link #writes()} at most. */
    static final int MAX_WRITES = 500_000;

    /** A table: its key schema and its items in key order. */
    static final class Table {
        final String name;
        final String arn;
        final String hashKey;
        final String hashType;
        final String rangeKey;
        final String rangeType;
        final Instant created;
        final JsonNode definition;
        boolean described;
        final NavigableMap<String, Map<String, JsonNode>> items = new TreeMap<>();

        Table(String name, String arn, String hashKey, String hashType, String rangeKey, String rangeType, Instant created,
              JsonNode definition) {
            this.name = name;
            this.arn = arn;
            this.hashKey = hashKey;
            this.hashType = hashType;
            this.rangeKey = rangeKey;
            this.rangeType = rangeType;
            this.created = created;
            this.definition = definition;
        }

        /** The item's key as one sortable string; a ValidationException when it does not match the schema. */
        String key(Map<String, JsonNode> key, boolean exact) {
            if (exact && key.size() != (rangeKey == null ? 1 : 2)) {
                throw DynamoDbError.validation("The provided key element does not match the schema");
            }
            String out = part(key.get(hashKey), hashType, hashKey);
            return rangeKey == null ? out : out + "\u0000" + part(key.get(rangeKey), rangeType, rangeKey);
        }

        private static String part(JsonNode value, String type, String name) {
            if (value == null) {
                throw DynamoDbError.validation("One or more parameter values were invalid: Missing the key " + name + " in the item");
            }
            if (!Values.type(value).equals(type)) {
                throw DynamoDbError.validation("One or more parameter values were invalid: Type mismatch for key " + name
                        + " expected: " + type + " actual: " + Values.type(value));
            }
            String text = value.get(type).asText();
            if (text.isEmpty()) {
                throw DynamoDbError.validation("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: " + name);
            }
            return text;
        }

        Map<String, JsonNode> keyOf(Map<String, JsonNode> item) {
            Map<String, JsonNode> out = new LinkedHashMap<>();
            out.put(hashKey, item.get(hashKey));
            if (rangeKey != null) out.put(rangeKey, item.get(rangeKey));
            return out;
        }
    }

    /**
     * A committed write.
     *
     * @param at when, on the simulator's clock
     * @param table the table
     * @param key the item's key attributes
     * @param image the item after the write; null when it was deleted
     * @param userAgent the User-Agent of the request
     */
    public record Write(Instant at, String table, Map<String, JsonNode> key, ObjectNode image, String userAgent) {
        /** The string value of an attribute of the image (S or N); null when absent or deleted. */
        public String attribute(String name) {
            if (image == null || !image.has(name)) return null;
            JsonNode v = image.get(name);
            return v.has("S") ? v.get("S").asText() : v.has("N") ? v.get("N").asText() : v.toString();
        }
    }

    private final Clock clock;
    private final String accountId;
    private final String region;
    private final Map<String, Table> tables = new LinkedHashMap<>();
    private final List<Write> writes = new ArrayList<>();
    private volatile Predicate<String> refused = ua -> false;

    public DynamoDbStore(Clock clock, String accountId) {
        this.clock = clock;
        this.accountId = accountId;
        this.region = "us-east-1";
    }

    /**
     * Refuses every DynamoDB call whose User-Agent matches (an {@code AccessDeniedException}, as a caller
     * without permission gets), until called again; {@code ua -> false} lets everyone in again.
     */
    public void refuse(Predicate<String> userAgent) {
        this.refused = userAgent;
    }

    boolean refuses(String userAgent) {
        return refused.test(userAgent == null ? "" : userAgent);
    }

    /** Every committed write since start, oldest first (bounded at {@value #MAX_WRITES}). */
    public List<Write> writes() {
        synchronized (this) {
            return List.copyOf(writes);
        }
    }

    /** The item with this string hash key in a table with a string hash key only, as stored. */
    public synchronized Optional<Map<String, JsonNode>> item(String table, String hashKeyValue) {
        Table t = tables.get(table);
        if (t == null) return Optional.empty();
        return Optional.ofNullable(t.items.get(hashKeyValue)).map(Map::copyOf);
    }

    /** The names of the tables. */
    public synchronized List<String> tableNames() {
        return List.copyOf(tables.keySet());
    }

    Clock clock() {
        return clock;
    }

    synchronized Table create(String name, String hashKey, String hashType, String rangeKey, String rangeType, JsonNode definition) {
        if (tables.containsKey(name)) throw DynamoDbError.inUse("Table already exists: " + name);
        Table t = new Table(name, "arn:aws:dynamodb:" + region + ":" + accountId + ":table/" + name, hashKey, hashType, rangeKey,
                rangeType, clock.instant(), definition);
        tables.put(name, t);
        return t;
    }

    synchronized Table delete(String name) {
        Table t = table(name);
        tables.remove(name);
        return t;
    }

    /** The table; ResourceNotFoundException when there is none. */
    synchronized Table table(String name) {
        Table t = tables.get(name);
        if (t == null) throw DynamoDbError.notFound("Requested resource not found: Table: " + name + " not found");
        return t;
    }

    /** Records a write; the caller holds the lock. */
    void wrote(Table table, Map<String, JsonNode> key, Map<String, JsonNode> image, String userAgent) {
        if (writes.size() < MAX_WRITES) {
            writes.add(new Write(clock.instant(), table.name, Map.copyOf(key), image == null ? null : Values.copy(image), userAgent));
        }
    }
}

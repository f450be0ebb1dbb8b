package io.ecsbluegreen.sim.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * DynamoDB attribute values ({@code {"S": "x"}}, {@code {"N": "1"}}, ...) as JSON nodes: checking, the
 * comparisons condition expressions make, and number arithmetic.
 */
final class Values {
    private Values() {}

    static final Set<String> TYPES = Set.of("S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS");

    /** The value's one type key; a ValidationException for anything else. */
    static String type(JsonNode value) {
        if (value == null || !value.isObject() || value.size() != 1) {
            throw DynamoDbError.validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        }
        String type = value.fieldNames().next();
        if (!TYPES.contains(type)) {
            throw DynamoDbError.validation("Supplied AttributeValue has an unknown datatype: " + type);
        }
        return type;
    }

    /** Checks a value deeply and returns it with its numbers normalised, as DynamoDB stores them. */
    static JsonNode checked(JsonNode value) {
        String type = type(value);
        JsonNode inner = value.get(type);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        switch (type) {
            case "S" -> {
                if (!inner.isTextual()) throw DynamoDbError.serialization("S must be a string");
                out.put("S", inner.asText());
            }
            case "N" -> out.put("N", number(inner));
            case "B" -> {
                if (!inner.isTextual()) throw DynamoDbError.serialization("B must be base64 text");
                out.put("B", inner.asText());
            }
            case "BOOL" -> {
                if (!inner.isBoolean()) throw DynamoDbError.serialization("BOOL must be a boolean");
                out.put("BOOL", inner.asBoolean());
            }
            case "NULL" -> {
                if (!inner.isBoolean() || !inner.asBoolean()) {
                    throw DynamoDbError.validation("One or more parameter values were invalid: Null attribute value types must have the value of true");
                }
                out.put("NULL", true);
            }
            case "M" -> {
                if (!inner.isObject()) throw DynamoDbError.serialization("M must be an object");
                ObjectNode map = out.putObject("M");
                inner.fields().forEachRemaining(e -> map.set(e.getKey(), checked(e.getValue())));
            }
            case "L" -> {
                if (!inner.isArray()) throw DynamoDbError.serialization("L must be an array");
                var list = out.putArray("L");
                inner.forEach(v -> list.add(checked(v)));
            }
            default -> {
                if (!inner.isArray() || inner.isEmpty()) {
                    throw DynamoDbError.validation("One or more parameter values were invalid: An string set  may not be empty");
                }
                var set = out.putArray(type);
                Set<String> seen = new HashSet<>();
                for (JsonNode member : inner) {
                    String m = type.equals("NS") ? number(member) : member.asText();
                    if (!seen.add(m)) {
                        throw DynamoDbError.validation("One or more parameter values were invalid: Input collection contains duplicates");
                    }
                    set.add(m);
                }
            }
        }
        return out;
    }

    private static String number(JsonNode inner) {
        if (!inner.isTextual()) throw DynamoDbError.serialization("N must be a string");
        try {
            BigDecimal n = new BigDecimal(inner.asText().trim());
            if (n.precision() > 38) {
                throw DynamoDbError.validation("Attempting to store more than 38 significant digits in a Number");
            }
            return n.signum() == 0 ? "0" : n.stripTrailingZeros().toPlainString();
        } catch (NumberFormatException e) {
            throw DynamoDbError.validation("A value provided cannot be converted into a number");
        }
    }

    /** Equality as {@code =} sees it: same type and same value (numbers by value, sets in any order). */
    static boolean equal(JsonNode a, JsonNode b) {
        if (a == null || b == null) return false;
        String ta = type(a);
        if (!ta.equals(type(b))) return false;
        return switch (ta) {
            case "N" -> new BigDecimal(a.get("N").asText()).compareTo(new BigDecimal(b.get("N").asText())) == 0;
            case "SS", "NS", "BS" -> members(a.get(ta)).equals(members(b.get(ta)));
            default -> a.equals(b);
        };
    }

    private static Set<String> members(JsonNode array) {
        Set<String> out = new HashSet<>();
        array.forEach(m -> out.add(m.asText()));
        return out;
    }

    /**
     * The order of {@code <}, {@code <=}, {@code >}, {@code >=}: numbers by value, strings and binaries
     * by their bytes; null when the two are not both of one of these types (the comparison is then false).
     */
    static Integer compare(JsonNode a, JsonNode b) {
        if (a == null || b == null) return null;
        String ta = type(a);
        if (!ta.equals(type(b))) return null;
        return switch (ta) {
            case "N" -> new BigDecimal(a.get("N").asText()).compareTo(new BigDecimal(b.get("N").asText()));
            case "S" -> compareBytes(a.get("S").asText().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    b.get("S").asText().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            case "B" -> compareBytes(Base64.getDecoder().decode(a.get("B").asText()), Base64.getDecoder().decode(b.get("B").asText()));
            default -> null;
        };
    }

    private static int compareBytes(byte[] a, byte[] b) {
        return java.util.Arrays.compareUnsigned(a, b);
    }

    /** {@code a + b} or {@code a - b} of two numbers; a ValidationException for other types. */
    static JsonNode arithmetic(JsonNode a, JsonNode b, boolean plus) {
        if (a == null || b == null || !type(a).equals("N") || !type(b).equals("N")) {
            throw DynamoDbError.validation("Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: "
                    + (plus ? "+" : "-") + ", operand type: " + (a == null ? "missing" : type(a)));
        }
        BigDecimal x = new BigDecimal(a.get("N").asText());
        BigDecimal y = new BigDecimal(b.get("N").asText());
        BigDecimal r = plus ? x.add(y) : x.subtract(y);
        return JsonNodeFactory.instance.objectNode().put("N", r.signum() == 0 ? "0" : r.stripTrailingZeros().toPlainString());
    }

    /** A deep copy of an item, for keeping or answering. */
    static ObjectNode copy(Map<String, JsonNode> item) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        item.forEach((k, v) -> out.set(k, v.deepCopy()));
        return out;
    }

    /** The attributes of an item object, checked. */
    static Map<String, JsonNode> item(JsonNode node, String parameter) {
        if (node == null || !node.isObject()) {
            throw DynamoDbError.validation("1 validation error detected: Value null at '" + parameter + "' failed to satisfy constraint: Member must not be null");
        }
        Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().isEmpty()) {
                throw DynamoDbError.validation("One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value.");
            }
            out.put(e.getKey(), checked(e.getValue()));
        }
        return out;
    }
}

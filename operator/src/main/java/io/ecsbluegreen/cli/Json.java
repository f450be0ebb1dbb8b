package io.ecsbluegreen.cli;

import io.ecsbluegreen.spec.JsonReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON value read by the CLI, with the few navigation methods of Jackson's {@code JsonNode} the CLI
 * uses ({@code path}, {@code asText}, {@code asInt}, ...) and the same answers for absent and null
 * members. The CLI's commands that talk to a running operator use it instead of Jackson so that they
 * load a few dozen classes of their own and start in a fraction of a second (see {@link RemoteMain}).
 * Objects keep their members' order. The parsing is {@link JsonReader}'s, the simulator's JDK-only reader.
 */
final class Json implements Iterable<Json> {
    private enum Kind { MISSING, NULL, BOOLEAN, NUMBER, STRING, ARRAY, OBJECT }

    static final Json MISSING = new Json(Kind.MISSING, null);
    static final Json NULL = new Json(Kind.NULL, null);

    private final Kind kind;
    /** Boolean, the number's text, String, List of Json, or Map of String to Json, by kind. */
    private final Object value;

    private Json(Kind kind, Object value) {
        this.kind = kind;
        this.value = value;
    }

    /** A JSON string value. */
    static Json text(String s) {
        return new Json(Kind.STRING, s);
    }

    /** Parses one JSON document; {@link IllegalArgumentException} says where the first error is. */
    static Json parse(String text) {
        try {
            return of(JsonReader.parse(text));
        } catch (JsonReader.JsonException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The tree {@link JsonReader} reads (maps, lists, strings, numbers, booleans, null) as values. */
    private static Json of(Object v) {
        if (v == null) return NULL;
        if (v instanceof String t) return text(t);
        if (v instanceof Boolean) return new Json(Kind.BOOLEAN, v);
        if (v instanceof Number) return new Json(Kind.NUMBER, v.toString());
        if (v instanceof List<?> list) {
            List<Json> l = new ArrayList<>(list.size());
            for (Object o : list) l.add(of(o));
            return new Json(Kind.ARRAY, Collections.unmodifiableList(l));
        }
        Map<String, Json> m = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) m.put((String) e.getKey(), of(e.getValue()));
        return new Json(Kind.OBJECT, Collections.unmodifiableMap(m));
    }

    /** The member of an object, or {@link #MISSING}: never null, as Jackson's {@code path}. */
    Json path(String field) {
        if (kind != Kind.OBJECT) return MISSING;
        Json v = members().get(field);
        return v == null ? MISSING : v;
    }

    boolean isMissingNode() {
        return kind == Kind.MISSING;
    }

    boolean isNull() {
        return kind == Kind.NULL;
    }

    boolean isObject() {
        return kind == Kind.OBJECT;
    }

    boolean isArray() {
        return kind == Kind.ARRAY;
    }

    /** Whether an object has the member with a value other than null. */
    boolean hasNonNull(String field) {
        Json v = path(field);
        return !v.isMissingNode() && !v.isNull();
    }

    /** Elements of an array or members of an object; 0 for anything else. */
    int size() {
        return kind == Kind.ARRAY ? elements().size() : kind == Kind.OBJECT ? members().size() : 0;
    }

    boolean isEmpty() {
        return size() == 0;
    }

    /** A scalar's text ("" for missing, "null" for null, "" for containers), as Jackson's {@code asText()}. */
    String asText() {
        return switch (kind) {
            case MISSING, ARRAY, OBJECT -> "";
            case NULL -> "null";
            case BOOLEAN, NUMBER, STRING -> String.valueOf(value);
        };
    }

    /** The scalar's text, or {@code fallback} for a missing or null value. */
    String asText(String fallback) {
        return kind == Kind.MISSING || kind == Kind.NULL ? fallback : asText();
    }

    int asInt() {
        return asInt(0);
    }

    /** A number (truncated), a numeric string, or a boolean as 0/1; {@code fallback} for anything else. */
    int asInt(int fallback) {
        try {
            return switch (kind) {
                case NUMBER -> (int) Double.parseDouble((String) value);
                case STRING -> Integer.parseInt(((String) value).strip());
                case BOOLEAN -> (Boolean) value ? 1 : 0;
                default -> fallback;
            };
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** A boolean, the string "true", or a non-zero number. */
    boolean asBoolean() {
        return switch (kind) {
            case BOOLEAN -> (Boolean) value;
            case STRING -> "true".equals(((String) value).strip());
            case NUMBER -> asInt() != 0;
            default -> false;
        };
    }

    /** An object's members in order; empty for anything else. */
    Map<String, Json> members() {
        @SuppressWarnings("unchecked")
        Map<String, Json> m = kind == Kind.OBJECT ? (Map<String, Json>) value : Map.of();
        return m;
    }

    /** An array's elements, or an object's values (as Jackson iterates them); empty for a scalar. */
    List<Json> elements() {
        if (kind == Kind.OBJECT) return List.copyOf(members().values());
        @SuppressWarnings("unchecked")
        List<Json> l = kind == Kind.ARRAY ? (List<Json>) value : List.of();
        return l;
    }

    @Override
    public Iterator<Json> iterator() {
        return elements().iterator();
    }

    /** Compact JSON, as Jackson's {@code toString()}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        write(b);
        return b.toString();
    }

    private void write(StringBuilder b) {
        switch (kind) {
            case MISSING -> { }
            case NULL -> b.append("null");
            case BOOLEAN, NUMBER -> b.append(value);
            case STRING -> quote(b, (String) value);
            case ARRAY -> {
                b.append('[');
                List<Json> l = elements();
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) b.append(',');
                    l.get(i).write(b);
                }
                b.append(']');
            }
            case OBJECT -> {
                b.append('{');
                boolean first = true;
                for (Map.Entry<String, Json> e : members().entrySet()) {
                    if (!first) b.append(',');
                    first = false;
                    quote(b, e.getKey());
                    b.append(':');
                    e.getValue().write(b);
                }
                b.append('}');
            }
        }
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04X", (int) c));
                    else b.append(c);
                }
            }
        }
        b.append('"');
    }
}

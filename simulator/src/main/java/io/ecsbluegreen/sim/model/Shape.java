package io.ecsbluegreen.sim.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One shape of a service model as the constraint table holds it, linked to the shapes it contains and
 * with its pattern compiled once. Built and linked by {@link ConstraintTable}; read-only afterwards.
 */
final class Shape {

    /** The model's shape types; {@link #OTHER} for types without constraints the simulator checks. */
    enum Type { STRUCTURE, LIST, MAP, STRING, INTEGER, LONG, DOUBLE, FLOAT, BOOLEAN, TIMESTAMP, BLOB, OTHER }

    /** A structure member: its shape, and where a REST request carries it (null: the body). */
    record Member(String name, String wireName, Shape shape, String location) {}

    final String name;
    final Type type;
    final Map<String, Member> members = new LinkedHashMap<>();
    List<String> required = List.of();
    /** REST: the member the whole body is, when the body is not a JSON object of members. */
    String payload;
    Shape member;
    Shape key;
    Shape value;
    String keyName = "key";
    String valueName = "value";
    List<String> enumValues;
    Set<String> enumSet;
    Number min;
    Number max;
    String patternText;
    /** Null when there is no pattern, or when Java cannot compile it (listed by the table). */
    Pattern pattern;

    Shape(String name, Type type) {
        this.name = name;
        this.type = type;
    }

    boolean isNumeric() {
        return type == Type.INTEGER || type == Type.LONG || type == Type.DOUBLE || type == Type.FLOAT;
    }

    boolean isScalar() {
        return type != Type.STRUCTURE && type != Type.LIST && type != Type.MAP;
    }

    @Override
    public String toString() {
        return name + "(" + type + ")";
    }
}

package io.ecsbluegreen.sim.elb;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A view of Query-protocol parameters under a prefix, with the protocol's list encoding
 * ({@code Names.member.1=a&Names.member.2=b}, {@code Tags.member.1.Key=k}) and AWS-style validation
 * errors for malformed numbers and booleans.
 */
final class QueryParams {

    private final Map<String, List<String>> all;
    private final String prefix;

    QueryParams(Map<String, List<String>> all) {
        this(all, "");
    }

    private QueryParams(Map<String, List<String>> all, String prefix) {
        this.all = all;
        this.prefix = prefix;
    }

    /** The parameters under {@code name.} ({@code ForwardConfig.}, {@code Matcher.}). */
    QueryParams sub(String name) {
        return new QueryParams(all, prefix + name + ".");
    }

    String string(String name) {
        List<String> values = all.get(prefix + name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** A required string; {@code member} is the lowerCamel member name AWS reports. */
    String required(String name, String member) {
        String value = string(name);
        if (value == null) {
            throw ElbErrors.validation("1 validation error detected: Value null at '" + member
                    + "' failed to satisfy constraint: Member must not be null");
        }
        return value;
    }

    Integer integer(String name, String member) {
        String value = string(name);
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw ElbErrors.validation("1 validation error detected: Value '" + value + "' at '" + member
                    + "' failed to satisfy constraint: Member must be an integer");
        }
    }

    Boolean bool(String name, String member) {
        String value = string(name);
        if (value == null) {
            return null;
        }
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.valueOf(value);
        }
        throw ElbErrors.validation("1 validation error detected: Value '" + value + "' at '" + member
                + "' failed to satisfy constraint: Member must be a boolean");
    }

    /** Whether the parameter, or anything under it, was sent (an empty list is sent as {@code Name=}). */
    boolean present(String name) {
        String exact = prefix + name;
        String nested = exact + ".";
        for (String key : all.keySet()) {
            if (key.equals(exact) || key.startsWith(nested)) {
                return true;
            }
        }
        return false;
    }

    /** A list of strings: {@code name.member.N}. */
    List<String> list(String name) {
        List<String> values = new ArrayList<>();
        for (int index : indexes(name)) {
            String value = string(name + ".member." + index);
            if (value != null) {
                values.add(value);
            }
        }
        return values;
    }

    /** A map: {@code name.entry.N.key} and {@code name.entry.N.value}, in index order. */
    java.util.Map<String, String> map(String name) {
        java.util.Map<String, String> map = new java.util.LinkedHashMap<>();
        for (int index = 1; index <= 1000; index++) {
            String key = string(name + ".entry." + index + ".key");
            if (key == null) {
                break;
            }
            map.put(key, java.util.Objects.requireNonNullElse(string(name + ".entry." + index + ".value"), ""));
        }
        return map;
    }

    /** A list of structures: {@code name.member.N.Field}. */
    List<QueryParams> structs(String name) {
        List<QueryParams> structs = new ArrayList<>();
        for (int index : indexes(name)) {
            structs.add(sub(name + ".member." + index));
        }
        return structs;
    }

    private TreeSet<Integer> indexes(String name) {
        String listPrefix = prefix + name + ".member.";
        TreeSet<Integer> indexes = new TreeSet<>();
        for (String key : all.keySet()) {
            if (key.startsWith(listPrefix)) {
                String rest = key.substring(listPrefix.length());
                int dot = rest.indexOf('.');
                try {
                    indexes.add(Integer.parseInt(dot < 0 ? rest : rest.substring(0, dot)));
                } catch (NumberFormatException e) {
                    // not a list index; ignored
                }
            }
        }
        return indexes;
    }
}

package io.ecsbluegreen.sim.model;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks an input tree ({@link RequestInputs}) against its shape and lists what breaks the model, in
 * the words and paths of AWS's model validation: members lower camel case, list items
 * {@code name.N.member}, constraints of scalar list items and map entries gathered under the list or
 * map ({@code Member must satisfy constraint: [...]}).
 *
 * <p>Members the model does not define are violations too: AWS documents nothing for them, and the
 * strictest reading keeps a request that relies on an undefined member from passing unnoticed.
 */
final class Validator {

    static final String UNKNOWN_MEMBER = "Member must be defined by the service model";

    private Validator() {}

    /** The violations of {@code input} against {@code shape}; empty for a valid input. */
    static List<Violation> validate(Shape shape, Map<String, Object> input) {
        List<Violation> out = new ArrayList<>();
        if (shape == null) {
            input.keySet().forEach(name -> out.add(new Violation(lowerFirst(name), null, UNKNOWN_MEMBER)));
            return out;
        }
        structure(shape, input, "", out);
        return out;
    }

    private static void structure(Shape shape, Map<?, ?> value, String prefix, List<Violation> out) {
        for (String required : shape.required) {
            if (value.get(required) == null) {
                out.add(new Violation(prefix + lowerFirst(required), null, "Member must not be null"));
            }
        }
        for (Map.Entry<?, ?> entry : value.entrySet()) {
            String name = String.valueOf(entry.getKey());
            Object v = entry.getValue();
            if (v == null) {
                continue;
            }
            Shape.Member member = shape.members.get(name);
            if (member == null) {
                out.add(new Violation(prefix + lowerFirst(name), render(v), UNKNOWN_MEMBER));
            } else {
                value(member.shape(), v, prefix + lowerFirst(name), out);
            }
        }
    }

    private static void value(Shape shape, Object v, String path, List<Violation> out) {
        switch (shape.type) {
            case STRUCTURE -> {
                if (v instanceof Map<?, ?> map) {
                    structure(shape, map, path + ".", out);
                }
            }
            case LIST -> {
                if (v instanceof List<?> list) {
                    list(shape, list, path, out);
                }
            }
            case MAP -> {
                if (v instanceof Map<?, ?> map) {
                    map(shape, map, path, out);
                }
            }
            default -> scalar(shape, v).forEach(c -> out.add(new Violation(path, render(v), c)));
        }
    }

    private static void list(Shape shape, List<?> list, String path, List<Violation> out) {
        size(shape, list.size()).forEach(c -> out.add(new Violation(path, render(list), c)));
        if (shape.member.isScalar()) {
            Set<String> problems = new LinkedHashSet<>();
            list.stream().filter(item -> item != null).forEach(item -> problems.addAll(scalar(shape.member, item)));
            if (!problems.isEmpty()) {
                out.add(new Violation(path, render(list), "Member must satisfy constraint: " + problems));
            }
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) != null) {
                value(shape.member, list.get(i), path + "." + (i + 1) + ".member", out);
            }
        }
    }

    private static void map(Shape shape, Map<?, ?> map, String path, List<Violation> out) {
        size(shape, map.size()).forEach(c -> out.add(new Violation(path, render(map), c)));
        Set<String> keyProblems = new LinkedHashSet<>();
        map.keySet().forEach(k -> keyProblems.addAll(scalar(shape.key, k)));
        if (!keyProblems.isEmpty()) {
            out.add(new Violation(path, render(map), "Map keys must satisfy constraint: " + keyProblems));
        }
        if (shape.value.isScalar()) {
            Set<String> valueProblems = new LinkedHashSet<>();
            map.values().stream().filter(v -> v != null).forEach(v -> valueProblems.addAll(scalar(shape.value, v)));
            if (!valueProblems.isEmpty()) {
                out.add(new Violation(path, render(map), "Map value must satisfy constraint: " + valueProblems));
            }
            return;
        }
        map.forEach((k, v) -> {
            if (v != null) {
                value(shape.value, v, path + "." + k, out);
            }
        });
    }

    /** The constraints a scalar breaks, worded as AWS words them. */
    private static List<String> scalar(Shape shape, Object v) {
        List<String> problems = new ArrayList<>(0);
        if (shape.type == Shape.Type.STRING && v instanceof String s) {
            if (shape.enumSet != null && !shape.enumSet.contains(s)) {
                problems.add("Member must satisfy enum value set: " + shape.enumValues);
            }
            if (shape.pattern != null && !shape.pattern.matcher(s).matches()) {
                problems.add("Member must satisfy regular expression pattern: " + shape.patternText);
            }
            problems.addAll(size(shape, s.codePointCount(0, s.length())));
        } else if (shape.type == Shape.Type.BLOB) {
            if (v instanceof byte[] bytes) {
                problems.addAll(size(shape, bytes.length));
            } else if (v instanceof String base64) {
                problems.addAll(size(shape, base64Length(base64)));
            }
        } else if (shape.isNumeric() && (shape.min != null || shape.max != null)) {
            BigDecimal n = number(v);
            if (n != null && shape.min != null && n.compareTo(new BigDecimal(shape.min.toString())) < 0) {
                problems.add("Member must have value greater than or equal to " + shape.min);
            }
            if (n != null && shape.max != null && n.compareTo(new BigDecimal(shape.max.toString())) > 0) {
                problems.add("Member must have value less than or equal to " + shape.max);
            }
        }
        return problems;
    }

    /** Length constraints: characters (code points) of strings, bytes of blobs, items of lists and maps. */
    private static List<String> size(Shape shape, long size) {
        List<String> problems = new ArrayList<>(0);
        if (shape.min != null && size < shape.min.longValue()) {
            problems.add("Member must have length greater than or equal to " + shape.min);
        }
        if (shape.max != null && size > shape.max.longValue()) {
            problems.add("Member must have length less than or equal to " + shape.max);
        }
        return problems;
    }

    private static long base64Length(String base64) {
        int padding = base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
        return base64.length() / 4L * 3 - padding;
    }

    private static BigDecimal number(Object v) {
        try {
            return v instanceof Number || v instanceof String ? new BigDecimal(v.toString().trim()) : null;
        } catch (NumberFormatException e) {
            // Not a number: the service answers the type error itself.
            return null;
        }
    }

    private static String render(Object v) {
        return v instanceof byte[] bytes ? "<" + bytes.length + " bytes>" : String.valueOf(v);
    }

    private static String lowerFirst(String name) {
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}

package io.ecsbluegreen.spec;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * How a YAML node reads as a plain value. The binder and the JSON view used against the JSON Schema both
 * go through here, so they can never disagree on what {@code yes}, {@code 0x1F} or {@code 1.5} mean
 * (YAML 1.2 core schema: a string, a number written in hexadecimal, a float).
 */
public final class YamlValues {
    private YamlValues() {}

    /**
     * The scalar as String, Long, BigInteger (an integer too large for a long), Double (possibly infinite
     * or NaN), Boolean or null, by the YAML 1.2 core schema ({@link CoreSchemaResolver} tags the nodes).
     */
    public static Object scalar(ScalarNode node) {
        Tag tag = node.getTag();
        String text = node.getValue();
        if (tag.equals(Tag.NULL)) {
            return null;
        }
        if (tag.equals(Tag.BOOL)) {
            return text.equalsIgnoreCase("true");
        }
        if (tag.equals(Tag.INT)) {
            BigInteger value = parseInteger(text);
            if (value == null) return text; // an explicit !!int on something that is not one
            return value.bitLength() < 64 ? (Object) value.longValue() : value;
        }
        if (tag.equals(Tag.FLOAT)) {
            String t = text.replace(".inf", "Infinity").replace(".Inf", "Infinity").replace(".INF", "Infinity");
            if (t.equalsIgnoreCase(".nan")) return Double.NaN;
            try {
                return Double.parseDouble(t);
            } catch (NumberFormatException e) {
                return text;
            }
        }
        return text;
    }

    private static BigInteger parseInteger(String text) {
        try {
            if (text.startsWith("0x")) return new BigInteger(text.substring(2), 16);
            if (text.startsWith("0o")) return new BigInteger(text.substring(2), 8);
            return new BigInteger(text.startsWith("+") ? text.substring(1) : text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Whether an integer is written in decimal. The core schema also reads {@code 0x10} and {@code 0o20}
     * as sixteen, but in a count or a port they are a trap for the reviewer of a diff, and JSON (the
     * schema, the API) has no such notation: numeric fields take decimal only.
     */
    static boolean decimal(String text) {
        return !text.startsWith("0x") && !text.startsWith("0o");
    }

    /** A mapping's entries with YAML merge keys ({@code <<: *defaults}) resolved; explicit keys win. */
    public static List<NodeTuple> entries(MappingNode node) {
        boolean hasMerge = node.getValue().stream().anyMatch(t -> t.getKeyNode().getTag().equals(Tag.MERGE));
        if (!hasMerge) {
            return node.getValue();
        }
        Map<String, NodeTuple> merged = new LinkedHashMap<>();
        List<NodeTuple> explicit = new ArrayList<>();
        for (NodeTuple t : node.getValue()) {
            if (t.getKeyNode().getTag().equals(Tag.MERGE)) {
                List<Node> sources = t.getValueNode() instanceof SequenceNode s ? s.getValue() : List.of(t.getValueNode());
                for (Node source : sources) {
                    if (source instanceof MappingNode m) {
                        for (NodeTuple inherited : entries(m)) {
                            merged.putIfAbsent(keyText(inherited), inherited);
                        }
                    }
                }
            } else {
                explicit.add(t);
            }
        }
        List<NodeTuple> out = new ArrayList<>(explicit);
        for (NodeTuple t : explicit) merged.remove(keyText(t));
        out.addAll(merged.values());
        return out;
    }

    private static String keyText(NodeTuple t) {
        return t.getKeyNode() instanceof ScalarNode s ? s.getValue() : String.valueOf(System.identityHashCode(t.getKeyNode()));
    }

    /** The node as plain Java values (LinkedHashMap, ArrayList, scalars), e.g. to validate it with a JSON Schema. */
    public static Object plain(Node node) {
        if (node instanceof ScalarNode s) {
            Object value = scalar(s);
            // JSON has neither hexadecimal nor infinities: such scalars meet the schema as the text written
            if (value instanceof Double d && !Double.isFinite(d)) return s.getValue();
            if ((value instanceof Long || value instanceof BigInteger) && !decimal(s.getValue())) return s.getValue();
            return value;
        }
        if (node instanceof SequenceNode s) {
            List<Object> list = new ArrayList<>();
            for (Node item : s.getValue()) list.add(plain(item));
            return list;
        }
        MappingNode m = (MappingNode) node;
        Map<String, Object> map = new LinkedHashMap<>();
        for (NodeTuple t : entries(m)) {
            Object key = plain(t.getKeyNode());
            map.put(String.valueOf(key), plain(t.getValueNode()));
        }
        return map;
    }

    /** How a value reads to a person, for "expected a string, got …" messages. */
    static String describe(Node node) {
        if (node instanceof SequenceNode) return "a list";
        if (node instanceof MappingNode) return "a mapping";
        Object v = scalar((ScalarNode) node);
        if (v == null) return "an empty value";
        if (v instanceof Boolean) return "the boolean " + v + (node instanceof ScalarNode s && !s.getValue().equals(v.toString()) ? " (YAML reads '" + s.getValue() + "' as a boolean; quote it for a string)" : "");
        if (v instanceof Number) return "the number " + ((ScalarNode) node).getValue();
        return "the string '" + v + "'";
    }
}

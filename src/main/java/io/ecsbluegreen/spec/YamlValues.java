package io.ecsbluegreen.spec;

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
 * go through here, so they can never disagree on what {@code yes}, {@code 0x1F} or {@code 1.5} mean.
 */
public final class YamlValues {
    private YamlValues() {}

    /** The scalar as String, Long, Double, Boolean or null (YAML 1.1 rules, as SnakeYAML resolves them). */
    public static Object scalar(ScalarNode node) {
        Tag tag = node.getTag();
        String text = node.getValue();
        if (tag.equals(Tag.NULL)) {
            return null;
        }
        if (tag.equals(Tag.BOOL)) {
            return switch (text.toLowerCase(java.util.Locale.ROOT)) {
                case "true", "yes", "on", "y" -> Boolean.TRUE;
                default -> Boolean.FALSE;
            };
        }
        if (tag.equals(Tag.INT)) {
            Long value = parseInteger(text);
            return value != null ? value : text;
        }
        if (tag.equals(Tag.FLOAT)) {
            try {
                double d = Double.parseDouble(text.replace("_", ""));
                return Double.isFinite(d) ? d : text;
            } catch (NumberFormatException e) {
                return text; // .inf, .nan: no JSON equivalent, so treated as text everywhere
            }
        }
        return text;
    }

    private static Long parseInteger(String text) {
        String t = text.replace("_", "");
        boolean negative = t.startsWith("-");
        if (t.startsWith("-") || t.startsWith("+")) t = t.substring(1);
        try {
            long v;
            if (t.startsWith("0x")) v = Long.parseLong(t.substring(2), 16);
            else if (t.startsWith("0b")) v = Long.parseLong(t.substring(2), 2);
            else if (t.startsWith("0o")) v = Long.parseLong(t.substring(2), 8);
            else if (t.length() > 1 && t.startsWith("0")) v = Long.parseLong(t.substring(1), 8);
            else v = Long.parseLong(t);
            return negative ? -v : v;
        } catch (NumberFormatException e) {
            return null; // sexagesimal (1:30) and overflow stay text
        }
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
            return scalar(s);
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
        if (v instanceof Long || v instanceof Double) return "the number " + ((ScalarNode) node).getValue();
        return "the string '" + v + "'";
    }
}

package io.ecsbluegreen.spec;

import io.ecsbluegreen.model.WireValue;
import io.ecsbluegreen.model.meta.AtLeastOneOf;
import io.ecsbluegreen.model.meta.AtMostOneOf;
import io.ecsbluegreen.model.meta.Conflicts;
import io.ecsbluegreen.model.meta.DecimalRange;
import io.ecsbluegreen.model.meta.Default;
import io.ecsbluegreen.model.meta.DurationRange;
import io.ecsbluegreen.model.meta.ExactlyOneOf;
import io.ecsbluegreen.model.meta.Ignored;
import io.ecsbluegreen.model.meta.KeyPattern;
import io.ecsbluegreen.model.meta.Pattern;
import io.ecsbluegreen.model.meta.PresentWhen;
import io.ecsbluegreen.model.meta.Range;
import io.ecsbluegreen.model.meta.Required;
import io.ecsbluegreen.model.meta.Requires;
import io.ecsbluegreen.model.meta.Size;
import io.ecsbluegreen.model.meta.Shorthand;
import io.ecsbluegreen.model.meta.Values;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Binds a YAML node tree to the model's records, enforcing every constraint the model declares through
 * its annotations ({@code @Required}, {@code @Pattern}, {@code @ExactlyOneOf}, …) and applying
 * {@code @Default}s — the one place defaults are applied. It reports every problem it finds, each with
 * the line, column and field path, instead of stopping at the first one.
 *
 * <p>Rules beyond the reach of single fields (rising canary weights, a traffic container that exists…)
 * live in {@link SemanticValidator}.
 */
public final class SpecBinder {

    /**
     * The outcome of binding one document.
     *
     * @param value the bound record; meaningful only when {@code errors} is empty
     * @param positions where each field path was written, for later errors
     */
    public record Bound<T>(T value, Map<String, Mark> positions, List<SpecError> errors) {}

    private static final Map<Class<?>, Map<String, List<String>>> FIELD_HOMES = new ConcurrentHashMap<>();

    private final String file;
    private final Class<?> rootType;
    private final List<SpecError> errors = new ArrayList<>();
    private final Map<String, Mark> positions = new LinkedHashMap<>();

    private SpecBinder(String file, Class<?> rootType) {
        this.file = file;
        this.rootType = rootType;
    }

    /** Binds {@code root} to {@code type}; {@code file} appears in errors. */
    public static <T extends Record> Bound<T> bind(String file, Node root, Class<T> type) {
        SpecBinder binder = new SpecBinder(file, type);
        binder.positions.put("", root.getStartMark());
        Object value = binder.bindValue(root, type, null, "", root.getStartMark(), false);
        return new Bound<>(type.cast(value), Map.copyOf(binder.positions), List.copyOf(binder.errors));
    }

    private void error(Mark mark, String path, String message) {
        errors.add(YamlDocuments.at(file, mark, path, message));
    }

    private Object bindValue(Node node, Type type, RecordComponent component, String path, Mark anchor, boolean element) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            if (raw == List.class) return bindList(node, p.getActualTypeArguments()[0], component, path);
            if (raw == Map.class) return bindMap(node, component, path);
            throw new IllegalStateException("unsupported model type " + type);
        }
        Class<?> cls = (Class<?>) type;
        if (cls.isRecord()) return bindRecord(node, cls, path, anchor);
        if (!(node instanceof ScalarNode scalar) || YamlValues.scalar(scalar) == null) {
            error(node.getStartMark(), path, "expected " + expectation(cls) + ", got " + YamlValues.describe(node));
            return null;
        }
        Object raw = YamlValues.scalar(scalar);
        Object value = convert(raw, cls, scalar, path, component);
        if (value != null) checkScalar(value, component, path, node.getStartMark(), element);
        return value;
    }

    private static String expectation(Class<?> cls) {
        if (cls == String.class) return "a string";
        if (cls == Integer.class) return "a whole number";
        if (cls == Double.class) return "a number";
        if (cls == Boolean.class) return "true or false";
        if (cls == Duration.class) return "a duration such as 30s, 5m or 1h";
        if (cls.isEnum()) return "one of " + String.join(", ", wireValues(cls));
        return cls.getSimpleName();
    }

    private Object convert(Object raw, Class<?> cls, ScalarNode node, String path, RecordComponent component) {
        Mark mark = node.getStartMark();
        if (cls == String.class) {
            if (raw instanceof String s) return s;
        } else if (cls == Integer.class) {
            if ((raw instanceof Long || raw instanceof BigInteger) && !notDecimal(raw, node, path)) {
                if (raw instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) return l.intValue();
                error(mark, path, node.getValue() + " is out of range; " + outOfRangeHint(component));
                return null;
            }
            if (raw instanceof Long || raw instanceof BigInteger) return null;
        } else if (cls == Double.class) {
            if ((raw instanceof Long || raw instanceof BigInteger) && notDecimal(raw, node, path)) return null;
            if (raw instanceof Number n && !(raw instanceof Double)) return n.doubleValue();
            if (raw instanceof Double d) {
                if (Double.isFinite(d)) return d;
                error(mark, path, d.isNaN() ? node.getValue() + " is not a number" : node.getValue() + " is out of range");
                return null;
            }
        } else if (cls == Boolean.class) {
            if (raw instanceof Boolean b) return b;
        } else if (cls == Duration.class) {
            if (raw instanceof String s) {
                try {
                    return Durations.parse(s);
                } catch (IllegalArgumentException e) {
                    error(mark, path, e.getMessage());
                    return null;
                }
            }
        } else if (cls.isEnum()) {
            if (raw instanceof String s) return enumValue(cls, s, mark, path);
        } else {
            throw new IllegalStateException("unsupported model type " + cls);
        }
        error(mark, path, "expected " + expectation(cls) + ", got " + YamlValues.describe(node));
        return null;
    }

    /** Reports an integer written in hexadecimal or octal; true when it was. */
    private boolean notDecimal(Object value, ScalarNode node, String path) {
        if (YamlValues.decimal(node.getValue())) return false;
        error(node.getStartMark(), path, node.getValue() + " is written in " + (node.getValue().startsWith("0x") ? "hexadecimal" : "octal")
                + "; write numbers in decimal (" + value + ")");
        return true;
    }

    private static String outOfRangeHint(RecordComponent component) {
        Range range = component == null ? null : component.getAnnotation(Range.class);
        return range != null ? "must be " + rangeText(range.min(), range.max())
                : "must be " + rangeText(Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    private Object enumValue(Class<?> cls, String text, Mark mark, String path) {
        for (Object constant : cls.getEnumConstants()) {
            if (wire(constant).equals(text)) return constant;
        }
        List<String> allowed = wireValues(cls);
        String hint = allowed.stream().filter(a -> a.equalsIgnoreCase(text)).findFirst()
                .or(() -> DidYouMean.suggest(text, allowed))
                .map(s -> "; did you mean '" + s + "'?")
                .orElse("");
        error(mark, path, "'" + text + "' is not one of " + String.join(", ", allowed) + hint);
        return null;
    }

    static String wire(Object constant) {
        return constant instanceof WireValue w ? w.wire() : ((Enum<?>) constant).name();
    }

    static List<String> wireValues(Class<?> enumType) {
        return Arrays.stream(enumType.getEnumConstants()).map(SpecBinder::wire).toList();
    }

    private void checkScalar(Object value, RecordComponent c, String path, Mark mark, boolean element) {
        if (c == null) return;
        if (value instanceof String s) {
            Values values = c.getAnnotation(Values.class);
            if (values != null && !Arrays.asList(values.value()).contains(s)) {
                error(mark, path, "must be " + Arrays.stream(values.value()).map(v -> "'" + v + "'").collect(Collectors.joining(" or "))
                        + ", not '" + s + "'");
                return;
            }
            Size size = c.getAnnotation(Size.class);
            if (size != null && !element && (s.length() < size.min() || s.length() > size.max())) {
                error(mark, path, "must be " + bounds(size.min(), size.max()) + " characters long, not " + s.length());
                return;
            }
            Pattern pattern = c.getAnnotation(Pattern.class);
            if (pattern != null && !Regexes.matches(pattern.value(), s)) {
                error(mark, path, "'" + abbreviate(s) + "' is not " + pattern.hint());
            }
        } else if (value instanceof Integer i) {
            Range range = c.getAnnotation(Range.class);
            if (range != null && (i < range.min() || i > range.max())) {
                error(mark, path, "must be " + rangeText(range.min(), range.max()) + ", not " + i);
            }
        } else if (value instanceof Double d) {
            DecimalRange range = c.getAnnotation(DecimalRange.class);
            if (range != null && (d < range.min() || d > range.max())) {
                String text = range.max() == Double.MAX_VALUE ? "at least " + fmt(range.min())
                        : range.min() == -Double.MAX_VALUE ? "at most " + fmt(range.max())
                        : "between " + fmt(range.min()) + " and " + fmt(range.max());
                error(mark, path, "must be " + text + ", not " + fmt(d));
            }
        } else if (value instanceof Duration d) {
            DurationRange range = c.getAnnotation(DurationRange.class);
            Duration min = range == null ? Duration.ofMillis(1) : Durations.parse(range.min());
            Optional<Duration> max = range == null || range.max().isEmpty() ? Optional.empty() : Optional.of(Durations.parse(range.max()));
            if (d.compareTo(min) < 0) {
                error(mark, path, min.equals(Duration.ofMillis(1)) ? "must be a positive duration, not " + Durations.format(d)
                        : "must be at least " + Durations.format(min) + ", not " + Durations.format(d));
            } else if (max.isPresent() && d.compareTo(max.get()) > 0) {
                error(mark, path, "must be at most " + Durations.format(max.get()) + ", not " + Durations.format(d));
            }
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }

    private static String rangeText(long min, long max) {
        if (max == Long.MAX_VALUE) return "at least " + min;
        if (min == Long.MIN_VALUE) return "at most " + max;
        return "between " + min + " and " + max;
    }

    private static String bounds(int min, int max) {
        if (max == Integer.MAX_VALUE) return "at least " + min;
        if (min == 0) return "at most " + max;
        return min + " to " + max;
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    private List<Object> bindList(Node node, Type itemType, RecordComponent c, String path) {
        if (!(node instanceof SequenceNode seq)) {
            error(node.getStartMark(), path, "expected a list, got " + YamlValues.describe(node));
            return List.of();
        }
        Size size = c == null ? null : c.getAnnotation(Size.class);
        if (size != null && (seq.getValue().size() < size.min() || seq.getValue().size() > size.max())) {
            error(node.getStartMark(), path, "must have " + bounds(size.min(), size.max()) + " items, not " + seq.getValue().size());
        }
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < seq.getValue().size(); i++) {
            Node item = seq.getValue().get(i);
            String itemPath = path + "[" + i + "]";
            positions.put(itemPath, item.getStartMark());
            out.add(bindValue(item, itemType, c, itemPath, item.getStartMark(), true));
        }
        return out.contains(null) ? out : List.copyOf(out);
    }

    private Map<String, String> bindMap(Node node, RecordComponent c, String path) {
        if (!(node instanceof MappingNode mapping)) {
            error(node.getStartMark(), path, "expected a mapping, got " + YamlValues.describe(node));
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        KeyPattern keyPattern = c.getAnnotation(KeyPattern.class);
        Pattern valuePattern = c.getAnnotation(Pattern.class);
        for (NodeTuple t : YamlValues.entries(mapping)) {
            String key = keyOf(t, path);
            if (key == null) continue;
            String entryPath = child(path, key);
            positions.put(entryPath, t.getKeyNode().getStartMark());
            if (out.containsKey(key)) {
                error(t.getKeyNode().getStartMark(), entryPath, "duplicate key '" + key + "'");
                continue;
            }
            if (keyPattern != null && !Regexes.matches(keyPattern.value(), key)) {
                error(t.getKeyNode().getStartMark(), entryPath, "key '" + abbreviate(key) + "' is not " + keyPattern.hint());
            }
            Node v = t.getValueNode();
            // Environment-style maps take numbers and booleans as the text the user wrote, as people
            // expect from "PORT: 8080"; lists, mappings and empty values are mistakes.
            if (!(v instanceof ScalarNode s) || YamlValues.scalar(s) == null) {
                error(v.getStartMark(), entryPath, "expected a string, got " + YamlValues.describe(v));
                continue;
            }
            String value = s.getValue();
            if (valuePattern != null && !Regexes.matches(valuePattern.value(), value)) {
                error(v.getStartMark(), entryPath, "'" + abbreviate(value) + "' is not " + valuePattern.hint());
            }
            out.put(key, value);
        }
        Size size = c.getAnnotation(Size.class);
        if (size != null && (out.size() < size.min() || out.size() > size.max())) {
            error(node.getStartMark(), path, "must have " + bounds(size.min(), size.max()) + " entries, not " + out.size());
        }
        return Map.copyOf(out);
    }

    private String keyOf(NodeTuple t, String path) {
        Node k = t.getKeyNode();
        if (k instanceof ScalarNode s && YamlValues.scalar(s) instanceof String str) {
            return str;
        }
        error(k.getStartMark(), path, "keys must be strings, got " + YamlValues.describe(k));
        return null;
    }

    static String child(String path, String key) {
        boolean plain = key.matches("[A-Za-z_][A-Za-z0-9_]*");
        if (path.isEmpty()) return plain ? key : "[\"" + key + "\"]";
        return plain ? path + "." + key : path + "[\"" + key + "\"]";
    }

    private Object bindRecord(Node node, Class<?> type, String path, Mark anchor) {
        Shorthand shorthand = type.getAnnotation(Shorthand.class);
        if (shorthand != null && node instanceof ScalarNode scalar && YamlValues.scalar(scalar) != null) {
            // `scaling: external` reads as `scaling: {mode: external}`, errors and positions included.
            ScalarNode key = new ScalarNode(Tag.STR, shorthand.field(), scalar.getStartMark(), scalar.getEndMark(), DumperOptions.ScalarStyle.PLAIN);
            node = new MappingNode(Tag.MAP, List.of(new NodeTuple(key, scalar)), DumperOptions.FlowStyle.FLOW);
        }
        if (!(node instanceof MappingNode mapping)) {
            error(node.getStartMark(), path, "expected a mapping, got " + YamlValues.describe(node));
            return null;
        }
        RecordComponent[] components = type.getRecordComponents();
        Map<String, RecordComponent> byName = new LinkedHashMap<>();
        for (RecordComponent c : components) byName.put(c.getName(), c);

        Map<String, NodeTuple> present = new LinkedHashMap<>();
        for (NodeTuple t : YamlValues.entries(mapping)) {
            String key = keyOf(t, path);
            if (key == null) continue;
            String childPath = child(path, key);
            Mark keyMark = t.getKeyNode().getStartMark();
            if (present.containsKey(key)) {
                error(keyMark, childPath, "duplicate field '" + key + "' (first set on line "
                        + (present.get(key).getKeyNode().getStartMark().getLine() + 1) + ")");
                continue;
            }
            if (!byName.containsKey(key)) {
                error(keyMark, childPath, unknownField(key, byName.keySet(), path));
                continue;
            }
            present.put(key, t);
            positions.put(childPath, keyMark);
        }
        checkPresence(type, present, path, anchor);

        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            String childPath = child(path, c.getName());
            NodeTuple t = present.get(c.getName());
            if (c.isAnnotationPresent(Ignored.class)) {
                args[i] = null;
            } else if (t != null) {
                args[i] = bindValue(t.getValueNode(), c.getGenericType(), c, childPath, t.getKeyNode().getStartMark(), false);
            } else if (c.isAnnotationPresent(Default.class)) {
                args[i] = defaultValue(c, childPath);
            } else if (c.isAnnotationPresent(Required.class)) {
                error(anchor, childPath, "required field '" + c.getName() + "' is missing");
            } else if (c.getType() == List.class) {
                args[i] = List.of();
            } else if (c.getType() == Map.class) {
                args[i] = Map.of();
            }
        }
        checkPresentWhen(components, args, present, path, anchor);
        try {
            Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
            return type.getDeclaredConstructor(types).newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + type.getSimpleName(), e);
        }
    }

    private String unknownField(String key, java.util.Set<String> known, String path) {
        String where = path.isEmpty() ? "the document" : path;
        Optional<String> close = DidYouMean.suggest(key, known);
        if (close.isPresent()) {
            return "unknown field '" + key + "' in " + where + "; did you mean '" + close.get() + "'?";
        }
        List<String> homes = fieldHomes(rootType).getOrDefault(key, List.of());
        if (!homes.isEmpty()) {
            return "unknown field '" + key + "' in " + where + "; it belongs under " + String.join(" or ", homes);
        }
        return "unknown field '" + key + "' in " + where + "; expected one of: " + String.join(", ", known);
    }

    /** Where in the model each field name lives, to tell users who put a field at the wrong level. */
    private static Map<String, List<String>> fieldHomes(Class<?> root) {
        return FIELD_HOMES.computeIfAbsent(root, r -> {
            Map<String, List<String>> homes = new LinkedHashMap<>();
            collectHomes(r, "", homes, 0);
            return homes;
        });
    }

    private static void collectHomes(Class<?> type, String path, Map<String, List<String>> homes, int depth) {
        if (depth > 8) return;
        for (RecordComponent c : type.getRecordComponents()) {
            homes.computeIfAbsent(c.getName(), k -> new ArrayList<>()).add(path.isEmpty() ? "the document" : path);
            Class<?> next = c.getType();
            if (c.getGenericType() instanceof ParameterizedType p && next == List.class) {
                next = (Class<?>) p.getActualTypeArguments()[0];
            }
            if (next.isRecord()) collectHomes(next, child(path, c.getName()) + (c.getType() == List.class ? "[]" : ""), homes, depth + 1);
        }
    }

    private void checkPresence(Class<?> type, Map<String, NodeTuple> present, String path, Mark anchor) {
        String where = path.isEmpty() ? "the document" : path;
        ExactlyOneOf exactly = type.getAnnotation(ExactlyOneOf.class);
        if (exactly != null) {
            List<String> set = presentOf(exactly.value(), present);
            if (set.isEmpty()) {
                error(anchor, path, where + " needs exactly one of " + orList(exactly.value()));
            } else if (set.size() > 1) {
                error(markOf(present, set.get(1)), child(path, set.get(1)),
                        "'" + set.get(0) + "' and '" + set.get(1) + "' cannot both be set; choose one of " + orList(exactly.value()));
            }
        }
        AtLeastOneOf atLeast = type.getAnnotation(AtLeastOneOf.class);
        if (atLeast != null && presentOf(atLeast.value(), present).isEmpty()) {
            error(anchor, path, where + " needs at least one of " + orList(atLeast.value()));
        }
        AtMostOneOf atMost = type.getAnnotation(AtMostOneOf.class);
        if (atMost != null) {
            List<String> set = presentOf(atMost.value(), present);
            if (set.size() > 1) {
                error(markOf(present, set.get(1)), child(path, set.get(1)),
                        "'" + set.get(0) + "' and '" + set.get(1) + "' cannot both be set");
            }
        }
        Conflicts conflicts = type.getAnnotation(Conflicts.class);
        if (conflicts != null && present.containsKey(conflicts.field())) {
            for (String other : presentOf(conflicts.with(), present)) {
                error(markOf(present, other), child(path, other),
                        "'" + other + "' cannot be set together with '" + conflicts.field() + "'");
            }
        }
        Requires requires = type.getAnnotation(Requires.class);
        if (requires != null && present.containsKey(requires.field())) {
            for (String needed : requires.requires()) {
                if (!present.containsKey(needed)) {
                    error(markOf(present, requires.field()), child(path, needed),
                            "required field '" + needed + "' is missing ('" + requires.field() + "' is set)");
                }
            }
        }
    }

    private void checkPresentWhen(RecordComponent[] components, Object[] args, Map<String, NodeTuple> present, String path, Mark anchor) {
        for (RecordComponent c : components) {
            PresentWhen when = c.getAnnotation(PresentWhen.class);
            if (when == null) continue;
            Object discriminator = null;
            for (int i = 0; i < components.length; i++) {
                if (components[i].getName().equals(when.field())) discriminator = args[i];
            }
            if (discriminator == null) continue; // already reported as invalid
            String actual = discriminator.getClass().isEnum() ? wire(discriminator) : discriminator.toString();
            boolean isPresent = present.containsKey(c.getName());
            if (actual.equals(when.equals()) && !isPresent) {
                error(markOf(present, when.field(), anchor), child(path, c.getName()),
                        "required field '" + c.getName() + "' is missing (" + when.field() + " is " + actual + ")");
            } else if (!actual.equals(when.equals()) && isPresent) {
                error(markOf(present, c.getName()), child(path, c.getName()),
                        "'" + c.getName() + "' is only allowed when " + when.field() + " is " + when.equals()
                                + " (" + when.field() + " is " + actual + ")");
            }
        }
    }

    private static List<String> presentOf(String[] names, Map<String, NodeTuple> present) {
        return Arrays.stream(names).filter(present::containsKey).toList();
    }

    private static Mark markOf(Map<String, NodeTuple> present, String name) {
        return present.get(name).getKeyNode().getStartMark();
    }

    private static Mark markOf(Map<String, NodeTuple> present, String name, Mark fallback) {
        return present.containsKey(name) ? markOf(present, name) : fallback;
    }

    private static String orList(String[] names) {
        List<String> quoted = Arrays.stream(names).map(n -> "'" + n + "'").toList();
        return quoted.size() == 1 ? quoted.get(0)
                : String.join(", ", quoted.subList(0, quoted.size() - 1)) + " or " + quoted.get(quoted.size() - 1);
    }

    private Object defaultValue(RecordComponent c, String path) {
        String text = c.getAnnotation(Default.class).value();
        Node node = YamlDocuments.composeTrusted(text);
        SpecBinder inner = new SpecBinder("<default of " + path + ">", rootType);
        Object value = inner.bindValue(node, c.getGenericType(), c, path, node.getStartMark(), false);
        if (!inner.errors.isEmpty()) {
            throw new IllegalStateException("invalid @Default on " + path + ": " + inner.errors);
        }
        return value;
    }

    /** The lowercase form used in a few messages. */
    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}

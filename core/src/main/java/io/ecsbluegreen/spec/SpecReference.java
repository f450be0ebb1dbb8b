package io.ecsbluegreen.spec;

import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.model.meta.AtLeastOneOf;
import io.ecsbluegreen.model.meta.AtMostOneOf;
import io.ecsbluegreen.model.meta.Conflicts;
import io.ecsbluegreen.model.meta.DecimalRange;
import io.ecsbluegreen.model.meta.Default;
import io.ecsbluegreen.model.meta.Doc;
import io.ecsbluegreen.model.meta.DurationRange;
import io.ecsbluegreen.model.meta.ExactlyOneOf;
import io.ecsbluegreen.model.meta.Ignored;
import io.ecsbluegreen.model.meta.KeyPattern;
import io.ecsbluegreen.model.meta.Pattern;
import io.ecsbluegreen.model.meta.PresentWhen;
import io.ecsbluegreen.model.meta.Range;
import io.ecsbluegreen.model.meta.Required;
import io.ecsbluegreen.model.meta.Requires;
import io.ecsbluegreen.model.meta.Shorthand;
import io.ecsbluegreen.model.meta.Size;
import io.ecsbluegreen.model.meta.Values;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The field reference of docs/spec.md, generated from the model's annotations so that the documented
 * defaults and constraints are the enforced ones. A test keeps docs/spec.md in step.
 */
public final class SpecReference {
    public static final String BEGIN = "<!-- BEGIN GENERATED REFERENCE: bin/bluegreen schema --markdown -->";
    public static final String END = "<!-- END GENERATED REFERENCE -->";

    private SpecReference() {}

    /** The Markdown reference, one table per object, in document order. */
    public static String markdown() {
        StringBuilder out = new StringBuilder();
        Set<Class<?>> seen = new LinkedHashSet<>();
        List<Object[]> queue = new ArrayList<>();
        queue.add(new Object[] {BlueGreenService.class, "(document)"});
        while (!queue.isEmpty()) {
            Object[] next = queue.remove(0);
            Class<?> type = (Class<?>) next[0];
            String path = (String) next[1];
            if (!seen.add(type)) continue;
            out.append("### `").append(path).append("`\n\n");
            Doc doc = type.getAnnotation(Doc.class);
            if (doc != null) out.append(doc.value()).append("\n\n");
            for (String rule : classRules(type)) out.append("- ").append(rule).append('\n');
            if (!classRules(type).isEmpty()) out.append('\n');
            out.append("| field | type | default | constraints | description |\n|---|---|---|---|---|\n");
            for (RecordComponent c : type.getRecordComponents()) {
                String childPath = path.equals("(document)") ? c.getName() : path + "." + c.getName();
                Class<?> nested = nestedRecord(c);
                if (nested != null && !c.isAnnotationPresent(Ignored.class)) {
                    queue.add(new Object[] {nested, childPath + (c.getType() == List.class ? "[]" : "")});
                }
                Default def = c.getAnnotation(Default.class);
                Doc d = c.getAnnotation(Doc.class);
                out.append("| `").append(c.getName()).append("` | ").append(typeName(c.getGenericType(), c))
                        .append(" | ").append(def == null ? "" : "`" + def.value() + "`")
                        .append(" | ").append(String.join("; ", constraints(c)))
                        .append(" | ").append(d == null ? "" : d.value().replace("|", "\\|"))
                        .append(" |\n");
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static Class<?> nestedRecord(RecordComponent c) {
        Class<?> t = c.getType();
        if (t == List.class && c.getGenericType() instanceof ParameterizedType p) t = (Class<?>) p.getActualTypeArguments()[0];
        return t.isRecord() ? t : null;
    }

    private static String typeName(Type type, RecordComponent c) {
        if (c != null && c.isAnnotationPresent(Ignored.class)) return "object (ignored)";
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            if (raw == Map.class) return "map of string";
            return "list of " + typeName(p.getActualTypeArguments()[0], null);
        }
        Class<?> cls = (Class<?>) type;
        if (cls == String.class) return "string";
        if (cls == Integer.class) return "integer";
        if (cls == Double.class) return "number";
        if (cls == Boolean.class) return "boolean";
        if (cls == Duration.class) return "duration";
        if (cls.isEnum()) return String.join(" \\| ", SpecBinder.wireValues(cls).stream().map(v -> "`" + v + "`").toList());
        Shorthand shorthand = cls.getAnnotation(Shorthand.class);
        if (shorthand != null) {
            for (RecordComponent r : cls.getRecordComponents()) {
                if (r.getName().equals(shorthand.field())) return typeName(r.getGenericType(), r) + " or object";
            }
        }
        return "object";
    }

    private static List<String> constraints(RecordComponent c) {
        List<String> out = new ArrayList<>();
        if (c.isAnnotationPresent(Required.class)) out.add("required");
        PresentWhen when = c.getAnnotation(PresentWhen.class);
        if (when != null) out.add("required when `" + when.field() + "` is `" + when.equals() + "`, forbidden otherwise");
        Values values = c.getAnnotation(Values.class);
        if (values != null) out.add("exactly `" + String.join("` or `", values.value()) + "`");
        Range range = c.getAnnotation(Range.class);
        if (range != null) out.add(range.min() + " to " + range.max());
        DecimalRange dr = c.getAnnotation(DecimalRange.class);
        if (dr != null) {
            out.add(dr.max() == Double.MAX_VALUE ? "at least " + trim(dr.min()) : trim(dr.min()) + " to " + trim(dr.max()));
        }
        DurationRange dur = c.getAnnotation(DurationRange.class);
        if (dur != null) out.add(dur.min() + " to " + (dur.max().isEmpty() ? "any" : dur.max()));
        else if (c.getType() == Duration.class) out.add("positive");
        Size size = c.getAnnotation(Size.class);
        if (size != null) {
            String unit = c.getType() == String.class ? " characters" : c.getType() == Map.class ? " entries" : " items";
            out.add((size.min() > 0 ? size.min() + " to " : "at most ") + size.max() + unit);
        }
        Pattern pattern = c.getAnnotation(Pattern.class);
        if (pattern != null) out.add(pattern.hint().replace("|", "\\|"));
        KeyPattern keys = c.getAnnotation(KeyPattern.class);
        if (keys != null) out.add("keys: " + keys.hint().replace("|", "\\|"));
        return out;
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    private static List<String> classRules(Class<?> type) {
        List<String> rules = new ArrayList<>();
        ExactlyOneOf exactly = type.getAnnotation(ExactlyOneOf.class);
        if (exactly != null) rules.add("Exactly one of `" + String.join("`, `", exactly.value()) + "`.");
        AtLeastOneOf atLeast = type.getAnnotation(AtLeastOneOf.class);
        if (atLeast != null) rules.add("At least one of `" + String.join("`, `", atLeast.value()) + "`.");
        AtMostOneOf atMost = type.getAnnotation(AtMostOneOf.class);
        if (atMost != null) rules.add("At most one of `" + String.join("`, `", atMost.value()) + "`.");
        Conflicts conflicts = type.getAnnotation(Conflicts.class);
        if (conflicts != null) rules.add("With `" + conflicts.field() + "`, none of `" + String.join("`, `", conflicts.with()) + "`.");
        Shorthand shorthand = type.getAnnotation(Shorthand.class);
        if (shorthand != null) rules.add("May be written as the bare value of `" + shorthand.field() + "`.");
        Requires requires = type.getAnnotation(Requires.class);
        if (requires != null) rules.add("With `" + requires.field() + "`, also `" + String.join("`, `", requires.requires()) + "`.");
        return rules;
    }
}

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
import io.ecsbluegreen.model.Phase;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Derives the published schemas from the model's annotations, so that the JSON Schema editors use, the
 * Kubernetes CRD and the binder enforce one set of rules. The files in {@code crds/} are this class's
 * output; a test fails when they fall behind the model.
 *
 * <p>Two flavours: JSON Schema 2020-12, strict ({@code additionalProperties: false}); and the CRD's
 * OpenAPI v3 subset, which Kubernetes requires to be structural: no {@code additionalProperties} beside
 * {@code properties}, no look-around in patterns (Go's RE2), no multi-type values.
 */
public final class SchemaGenerator {

    /** Which dialect to write. */
    public enum Flavor { JSON_SCHEMA, KUBERNETES }

    public static final String SCHEMA_ID = "https://ecsbluegreen.io/schemas/v1alpha1/bluegreenservice.schema.json";

    private final Flavor flavor;

    private SchemaGenerator(Flavor flavor) {
        this.flavor = flavor;
    }

    /** The JSON Schema of a {@code BlueGreenService} document. */
    public static Map<String, Object> jsonSchema() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.put("$id", SCHEMA_ID);
        root.put("title", BlueGreenService.KIND);
        root.putAll(new SchemaGenerator(Flavor.JSON_SCHEMA).recordSchema(BlueGreenService.class));
        return root;
    }

    /** The Kubernetes CustomResourceDefinition carrying the same schema. */
    public static Map<String, Object> crd() {
        SchemaGenerator g = new SchemaGenerator(Flavor.KUBERNETES);
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("type", "object");
        status.put("description", "Written by the operator.");
        status.put("x-kubernetes-preserve-unknown-fields", true);
        Map<String, Object> phase = new LinkedHashMap<>();
        phase.put("type", "string");
        phase.put("description", "Where the service stands (docs/operating.md#phases); `Queued` from the moment the spec asks"
                + " for a new revision until the operator's pass for the service.");
        phase.put("enum", Arrays.stream(Phase.values()).map(Enum::name).toList());
        Map<String, Object> reported = new LinkedHashMap<>();
        reported.put("phase", phase);
        reported.put("activeRevision", described("string", "The revision serving production."));
        reported.put("desiredRevision", described("string", "The revision the spec asks for, shown from the moment the spec changes."));
        status.put("properties", reported);
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("apiVersion", Map.of("type", "string"));
        properties.put("kind", Map.of("type", "string"));
        properties.put("metadata", Map.of("type", "object"));
        properties.put("spec", g.recordSchema(io.ecsbluegreen.model.BlueGreenServiceSpec.class));
        properties.put("status", status);
        Map<String, Object> openApi = new LinkedHashMap<>();
        openApi.put("type", "object");
        openApi.put("description", BlueGreenService.class.getAnnotation(Doc.class).value());
        openApi.put("required", List.of("spec"));
        openApi.put("properties", properties);

        Map<String, Object> version = new LinkedHashMap<>();
        version.put("name", "v1alpha1");
        version.put("served", true);
        version.put("storage", true);
        version.put("subresources", Map.of("status", Map.of()));
        version.put("additionalPrinterColumns", List.of(
                column("Phase", ".status.phase"),
                column("Active", ".status.activeRevision"),
                column("Desired", ".status.desiredRevision"),
                column("Age", ".metadata.creationTimestamp", "date")));
        version.put("schema", Map.of("openAPIV3Schema", openApi));

        Map<String, Object> names = new LinkedHashMap<>();
        names.put("kind", BlueGreenService.KIND);
        names.put("listKind", BlueGreenService.KIND + "List");
        names.put("plural", "bluegreenservices");
        names.put("singular", "bluegreenservice");
        names.put("shortNames", List.of("bgs"));

        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("group", BlueGreenService.API_GROUP);
        spec.put("names", names);
        spec.put("scope", "Namespaced");
        spec.put("versions", List.of(version));

        Map<String, Object> crd = new LinkedHashMap<>();
        crd.put("apiVersion", "apiextensions.k8s.io/v1");
        crd.put("kind", "CustomResourceDefinition");
        crd.put("metadata", Map.of("name", "bluegreenservices." + BlueGreenService.API_GROUP));
        crd.put("spec", spec);
        return crd;
    }

    private static Map<String, Object> described(String type, String description) {
        Map<String, Object> property = new LinkedHashMap<>();
        property.put("type", type);
        property.put("description", description);
        return property;
    }

    private static Map<String, Object> column(String name, String path) {
        return column(name, path, "string");
    }

    private static Map<String, Object> column(String name, String path, String type) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("type", type);
        c.put("jsonPath", path);
        return c;
    }

    private Map<String, Object> recordSchema(Class<?> type) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        Doc doc = type.getAnnotation(Doc.class);
        if (doc != null) schema.put("description", doc.value());
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        List<Object> constraints = new ArrayList<>();
        for (RecordComponent c : type.getRecordComponents()) {
            Map<String, Object> property;
            if (c.isAnnotationPresent(Ignored.class)) {
                property = new LinkedHashMap<>();
                property.put("type", "object");
                if (flavor == Flavor.KUBERNETES) property.put("x-kubernetes-preserve-unknown-fields", true);
            } else {
                property = schemaOf(c.getGenericType(), c, false);
            }
            Doc d = c.getAnnotation(Doc.class);
            Map<String, Object> described = new LinkedHashMap<>();
            if (d != null) described.put("description", d.value());
            described.putAll(property);
            Default def = c.getAnnotation(Default.class);
            if (def != null) described.put("default", defaultValue(def.value()));
            properties.put(c.getName(), described);
            if (c.isAnnotationPresent(Required.class)) required.add(c.getName());
            PresentWhen when = c.getAnnotation(PresentWhen.class);
            if (when != null) constraints.add(presentWhen(type, c.getName(), when));
        }
        schema.put("properties", properties);
        if (!required.isEmpty()) schema.put("required", required);
        if (flavor == Flavor.JSON_SCHEMA) schema.put("additionalProperties", false);

        ExactlyOneOf exactly = type.getAnnotation(ExactlyOneOf.class);
        if (exactly != null) constraints.add(0, Map.of("oneOf", requiredEach(exactly.value())));
        AtLeastOneOf atLeast = type.getAnnotation(AtLeastOneOf.class);
        if (atLeast != null) constraints.add(Map.of("anyOf", requiredEach(atLeast.value())));
        AtMostOneOf atMost = type.getAnnotation(AtMostOneOf.class);
        if (atMost != null) {
            List<Object> pairs = new ArrayList<>();
            String[] f = atMost.value();
            for (int i = 0; i < f.length; i++) {
                for (int j = i + 1; j < f.length; j++) pairs.add(required(f[i], f[j]));
            }
            constraints.add(Map.of("not", Map.of("anyOf", pairs)));
        }
        Conflicts conflicts = type.getAnnotation(Conflicts.class);
        if (conflicts != null) {
            constraints.add(Map.of("not", Map.of("allOf", List.of(required(conflicts.field()),
                    Map.of("anyOf", requiredEach(conflicts.with())))))); 
        }
        Requires requires = type.getAnnotation(Requires.class);
        if (requires != null) {
            constraints.add(Map.of("anyOf", List.of(Map.of("not", required(requires.field())), required(requires.requires()))));
        }
        if (!constraints.isEmpty()) schema.put("allOf", constraints);
        return schema;
    }

    /** "field X is present exactly when the discriminator equals V", the discriminator's default included. */
    private Map<String, Object> presentWhen(Class<?> type, String name, PresentWhen when) {
        RecordComponent discriminator = Arrays.stream(type.getRecordComponents())
                .filter(r -> r.getName().equals(when.field())).findFirst().orElseThrow();
        Default def = discriminator.getAnnotation(Default.class);
        Map<String, Object> hasValue = Map.of("properties", Map.of(when.field(), Map.of("enum", List.of(when.equals()))));
        Map<String, Object> matches = def != null && def.value().equals(when.equals())
                ? hasValue
                : Map.of("allOf", List.of(required(when.field()), hasValue));
        return Map.of("anyOf", List.of(
                Map.of("allOf", List.of(matches, required(name))),
                Map.of("allOf", List.of(Map.of("not", matches), Map.of("not", required(name))))));
    }

    private static List<Object> requiredEach(String[] names) {
        return Arrays.stream(names).map(n -> (Object) required(n)).toList();
    }

    private static Map<String, Object> required(String... names) {
        return Map.of("required", List.of(names));
    }

    private Map<String, Object> schemaOf(Type type, RecordComponent c, boolean element) {
        Map<String, Object> s = new LinkedHashMap<>();
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Size size = c.getAnnotation(Size.class);
            if (raw == List.class) {
                s.put("type", "array");
                s.put("items", schemaOf(p.getActualTypeArguments()[0], c, true));
                if (size != null && size.min() > 0) s.put("minItems", size.min());
                if (size != null && size.max() != Integer.MAX_VALUE) s.put("maxItems", size.max());
                return s;
            }
            s.put("type", "object");
            Map<String, Object> values = new LinkedHashMap<>();
            if (flavor == Flavor.JSON_SCHEMA) {
                values.put("type", List.of("string", "number", "boolean"));
            } else {
                values.put("x-kubernetes-int-or-string", true);
            }
            Pattern pattern = c.getAnnotation(Pattern.class);
            if (pattern != null) values.put("pattern", pattern(pattern.value()));
            s.put("additionalProperties", values);
            KeyPattern keys = c.getAnnotation(KeyPattern.class);
            if (keys != null && flavor == Flavor.JSON_SCHEMA) s.put("propertyNames", Map.of("pattern", keys.value()));
            if (size != null && size.min() > 0) s.put("minProperties", size.min());
            if (size != null && size.max() != Integer.MAX_VALUE) s.put("maxProperties", size.max());
            return s;
        }
        Class<?> cls = (Class<?>) type;
        if (cls.isRecord() && cls.isAnnotationPresent(Shorthand.class)) return shorthandSchema(cls);
        if (cls.isRecord()) return recordSchema(cls);
        if (cls == String.class) {
            s.put("type", "string");
            Values values = c.getAnnotation(Values.class);
            if (values != null) s.put("enum", List.of(values.value()));
            Size size = c.getAnnotation(Size.class);
            if (size != null && !element && size.min() > 0) s.put("minLength", size.min());
            if (size != null && !element && size.max() != Integer.MAX_VALUE) s.put("maxLength", size.max());
            Pattern pattern = c.getAnnotation(Pattern.class);
            if (pattern != null) s.put("pattern", pattern(pattern.value()));
        } else if (cls == Integer.class) {
            s.put("type", "integer");
            Range range = c.getAnnotation(Range.class);
            if (range != null && range.min() != Long.MIN_VALUE) s.put("minimum", range.min());
            if (range != null && range.max() != Long.MAX_VALUE) s.put("maximum", range.max());
        } else if (cls == Double.class) {
            s.put("type", "number");
            DecimalRange range = c.getAnnotation(DecimalRange.class);
            if (range != null && range.min() != -Double.MAX_VALUE) s.put("minimum", range.min());
            if (range != null && range.max() != Double.MAX_VALUE) s.put("maximum", range.max());
        } else if (cls == Boolean.class) {
            s.put("type", "boolean");
        } else if (cls == Duration.class) {
            s.put("type", "string");
            DurationRange range = c.getAnnotation(DurationRange.class);
            boolean zeroAllowed = range != null && Durations.parse(range.min()).isZero();
            s.put("pattern", pattern(zeroAllowed ? Durations.PATTERN : Durations.POSITIVE_PATTERN));
        } else if (cls.isEnum()) {
            s.put("type", "string");
            s.put("enum", SpecBinder.wireValues(cls));
        } else {
            throw new IllegalStateException("unsupported model type " + cls);
        }
        return s;
    }

    /**
     * A record that may also be a bare value ({@link Shorthand}): either the value or the mapping. Kubernetes'
     * structural schemas cannot say "a string or an object", so the CRD leaves the field to the operator's
     * own validation, which names file, line and field.
     */
    private Map<String, Object> shorthandSchema(Class<?> cls) {
        Map<String, Object> s = new LinkedHashMap<>();
        if (flavor == Flavor.KUBERNETES) {
            s.put("x-kubernetes-preserve-unknown-fields", true);
            return s;
        }
        String field = cls.getAnnotation(Shorthand.class).field();
        RecordComponent component = Arrays.stream(cls.getRecordComponents()).filter(r -> r.getName().equals(field))
                .findFirst().orElseThrow(() -> new IllegalStateException("no field " + field + " in " + cls));
        s.put("oneOf", List.of(schemaOf(component.getGenericType(), component, false), recordSchema(cls)));
        return s;
    }

    private String pattern(String regex) {
        return flavor == Flavor.KUBERNETES ? withoutLookarounds(regex) : regex;
    }

    /** Drops {@code (?=…)} and {@code (?!…)} groups, which Kubernetes' RE2 patterns cannot express. */
    static String withoutLookarounds(String regex) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < regex.length()) {
            if (regex.startsWith("(?=", i) || regex.startsWith("(?!", i)) {
                int depth = 0;
                int j = i;
                for (; j < regex.length(); j++) {
                    char ch = regex.charAt(j);
                    if (ch == '\\') { j++; continue; }
                    if (ch == '(') depth++;
                    if (ch == ')' && --depth == 0) break;
                }
                i = j + 1;
            } else {
                out.append(regex.charAt(i++));
            }
        }
        return out.toString();
    }

    private static Object defaultValue(String yaml) {
        return YamlValues.plain(YamlDocuments.composeTrusted(yaml));
    }
}

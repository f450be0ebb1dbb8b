package io.ecsbluegreen.sim.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The request constraints of the AWS service models, for the operations the simulator serves:
 * {@code constraints.json}, which {@code tools/aws-models/derive-constraints.py} derives from botocore's
 * models (never edited by hand; a test re-derives it). Patterns are compiled once, when the table loads.
 */
public final class ConstraintTable {

    /** The committed table, on the class path beside this class. */
    static final String RESOURCE = "constraints.json";

    /**
     * One service of the table.
     *
     * @param signingName the SigV4 name the simulator routes by
     * @param model botocore's name for the service ({@code elbv2})
     * @param apiVersion the model's API version
     * @param protocol the model's protocol: {@code json}, {@code rest-json}, {@code query} or, for
     *     CloudWatch, {@code smithy-rpc-v2-cbor} (which also speaks JSON 1.0 and Query)
     * @param operations the operations the simulator serves, by name
     */
    public record Service(String signingName, String model, String apiVersion, String protocol,
            Map<String, Operation> operations) {

        /** Whether a model violation is a {@code ValidationException} (JSON) or a {@code ValidationError} (Query). */
        boolean answersInJson() {
            return protocol.equals("json") || protocol.equals("rest-json");
        }
    }

    /**
     * One operation: its input shape (null when it takes none) and, for REST services, its HTTP route.
     *
     * @param requestUri the route's path template ({@code /2015-03-31/functions/{FunctionName}}), null
     *     outside REST services
     */
    public record Operation(String name, Shape input, String method, String requestUri) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LONG_ESCAPE = Pattern.compile("(?<!\\\\)\\\\u(10[0-9A-Fa-f]{4}|1[0-9A-Fa-f]{4})");

    private final String botocoreVersion;
    private final Map<String, Service> services;
    private final List<String> uncompiledPatterns;

    private ConstraintTable(String botocoreVersion, Map<String, Service> services, List<String> uncompiledPatterns) {
        this.botocoreVersion = botocoreVersion;
        this.services = services;
        this.uncompiledPatterns = uncompiledPatterns;
    }

    /** The committed table. Immutable, so every simulator in the JVM shares the one parse. */
    public static ConstraintTable official() {
        return Holder.TABLE;
    }

    private static final class Holder {
        static final ConstraintTable TABLE = load();
    }

    private static ConstraintTable load() {
        try (InputStream in = ConstraintTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing class-path resource " + RESOURCE);
            }
            return parse(JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    static ConstraintTable parse(JsonNode root) {
        Map<String, Service> services = new LinkedHashMap<>();
        List<String> uncompiled = new ArrayList<>();
        root.get("services").fields().forEachRemaining(entry -> {
            JsonNode svc = entry.getValue();
            Map<String, Shape> shapes = shapes(svc.get("shapes"), svc.get("model").asText(), uncompiled);
            Map<String, Operation> operations = new LinkedHashMap<>();
            svc.get("operations").fields().forEachRemaining(op -> {
                JsonNode o = op.getValue();
                operations.put(op.getKey(), new Operation(op.getKey(),
                        o.has("input") ? shapes.get(o.get("input").asText()) : null,
                        o.path("method").asText(null), o.path("requestUri").asText(null)));
            });
            services.put(entry.getKey(), new Service(entry.getKey(), svc.get("model").asText(),
                    svc.get("apiVersion").asText(), svc.get("protocol").asText(), Collections.unmodifiableMap(operations)));
        });
        return new ConstraintTable(root.get("botocoreVersion").asText(), Collections.unmodifiableMap(services),
                List.copyOf(new TreeSet<>(uncompiled)));
    }

    private static Map<String, Shape> shapes(JsonNode node, String model, List<String> uncompiled) {
        Map<String, Shape> shapes = new HashMap<>();
        node.fields().forEachRemaining(e -> shapes.put(e.getKey(), new Shape(e.getKey(), type(e.getValue().get("type").asText()))));
        node.fields().forEachRemaining(e -> {
            Shape shape = shapes.get(e.getKey());
            JsonNode s = e.getValue();
            s.path("members").fields().forEachRemaining(m -> {
                JsonNode ref = m.getValue();
                shape.members.put(m.getKey(), new Shape.Member(m.getKey(), ref.path("locationName").asText(m.getKey()),
                        shapes.get(ref.get("shape").asText()), ref.path("location").asText(null)));
            });
            if (s.has("required")) {
                List<String> required = new ArrayList<>();
                s.get("required").forEach(r -> required.add(r.asText()));
                shape.required = List.copyOf(required);
            }
            shape.payload = s.path("payload").asText(null);
            shape.member = s.has("member") ? shapes.get(s.get("member").asText()) : null;
            shape.key = s.has("key") ? shapes.get(s.get("key").asText()) : null;
            shape.value = s.has("value") ? shapes.get(s.get("value").asText()) : null;
            shape.keyName = s.path("keyName").asText("key");
            shape.valueName = s.path("valueName").asText("value");
            if (s.has("enum")) {
                List<String> values = new ArrayList<>();
                s.get("enum").forEach(v -> values.add(v.asText()));
                shape.enumValues = List.copyOf(values);
                shape.enumSet = new LinkedHashSet<>(values);
            }
            shape.min = s.has("min") ? s.get("min").numberValue() : null;
            shape.max = s.has("max") ? s.get("max").numberValue() : null;
            if (s.has("pattern")) {
                shape.patternText = s.get("pattern").asText();
                try {
                    shape.pattern = Pattern.compile(javaRegex(shape.patternText));
                } catch (PatternSyntaxException ex) {
                    uncompiled.add(model + "#" + e.getKey() + ": " + shape.patternText);
                }
            }
        });
        return shapes;
    }

    /**
     * The models write code points above U+FFFF as {@code \u10000} (five or six hex digits), which Java
     * would read as {@code \u1000} followed by a {@code 0}; Java's notation for them is {@code \x{10000}}.
     */
    static String javaRegex(String modelPattern) {
        return LONG_ESCAPE.matcher(modelPattern).replaceAll("\\\\x{$1}");
    }

    private static Shape.Type type(String type) {
        try {
            return Shape.Type.valueOf(type.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Shape.Type.OTHER;
        }
    }

    /** The botocore release the table comes from. */
    public String botocoreVersion() {
        return botocoreVersion;
    }

    /** The services of the table by SigV4 signing name. */
    public Map<String, Service> services() {
        return services;
    }

    /** A service by SigV4 signing name; empty for services without model checks (S3). */
    public Optional<Service> service(String signingName) {
        return Optional.ofNullable(services.get(signingName));
    }

    /** Patterns Java cannot compile, which the check therefore skips ({@code model#Shape: pattern}). */
    public List<String> uncompiledPatterns() {
        return uncompiledPatterns;
    }
}

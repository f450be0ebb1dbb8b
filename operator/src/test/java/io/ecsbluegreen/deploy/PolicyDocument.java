package io.ecsbluegreen.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An IAM policy document as deploy/ writes it: statements with a Sid, actions and resources as sets. */
record PolicyDocument(String version, List<Statement> statements) {
    static final Path IAM_POLICY = Path.of("../deploy/iam-policy.json");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_:]+)}");

    /**
     * One statement; {@code condition} maps operator to key to values, every value a sorted set so that
     * a single string and a one-element list compare equal.
     */
    record Statement(String sid, String effect, Set<String> actions, Set<String> resources,
                     Map<String, Map<String, Set<String>>> condition) {}

    static PolicyDocument read(Path file) {
        try {
            return of(new ObjectMapper().readValue(file.toFile(), Object.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A document from its parsed JSON or YAML form (maps, lists and strings). */
    @SuppressWarnings("unchecked")
    static PolicyDocument of(Object parsed) {
        Map<String, Object> doc = (Map<String, Object>) parsed;
        List<Statement> statements = new ArrayList<>();
        for (Object s : (List<Object>) doc.get("Statement")) {
            Map<String, Object> st = (Map<String, Object>) s;
            Map<String, Map<String, Set<String>>> condition = new LinkedHashMap<>();
            Map<String, Object> raw = (Map<String, Object>) st.getOrDefault("Condition", Map.of());
            raw.forEach((op, keys) -> {
                Map<String, Set<String>> byKey = new LinkedHashMap<>();
                ((Map<String, Object>) keys).forEach((key, values) -> byKey.put(key, strings(values)));
                condition.put(op, byKey);
            });
            statements.add(new Statement((String) st.get("Sid"), (String) st.get("Effect"), strings(st.get("Action")),
                    strings(st.get("Resource")), condition));
        }
        return new PolicyDocument((String) doc.get("Version"), statements);
    }

    @SuppressWarnings("unchecked")
    private static Set<String> strings(Object value) {
        Set<String> out = new TreeSet<>();
        if (value instanceof String s) {
            out.add(s);
        } else if (value instanceof List<?> list) {
            list.forEach(v -> out.addAll(strings(v)));
        } else if (value != null) {
            throw new IllegalArgumentException("not a string or a list of strings: " + value);
        }
        return out;
    }

    /** Every action an Allow statement grants. */
    Set<String> allowedActions() {
        Set<String> out = new TreeSet<>();
        statements.stream().filter(s -> "Allow".equals(s.effect())).forEach(s -> out.addAll(s.actions()));
        return out;
    }

    /** The {@code ${Name}} placeholders in resources and conditions. */
    Set<String> placeholders() {
        Set<String> out = new TreeSet<>();
        for (Statement s : statements) {
            List<String> texts = new ArrayList<>(s.resources());
            s.condition().values().forEach(byKey -> byKey.values().forEach(texts::addAll));
            for (String text : texts) {
                Matcher m = PLACEHOLDER.matcher(text);
                while (m.find()) out.add(m.group(1));
            }
        }
        return out;
    }

    Statement statement(String sid) {
        return statements.stream().filter(s -> sid.equals(s.sid())).findFirst().orElse(null);
    }
}

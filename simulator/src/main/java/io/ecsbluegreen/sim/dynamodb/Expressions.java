package io.ecsbluegreen.sim.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * DynamoDB's expression language, the part the simulator serves: condition (and filter and key
 * condition) expressions with {@code = <> < <= > >=}, {@code BETWEEN}, {@code IN}, {@code AND OR NOT},
 * parentheses, {@code attribute_exists}, {@code attribute_not_exists}, {@code attribute_type},
 * {@code begins_with}, {@code contains} and {@code size}; update expressions with {@code SET} (values,
 * {@code +}, {@code -}, {@code if_not_exists}) and {@code REMOVE}; projection expressions. Document paths
 * are top-level attribute names ({@code name} or {@code #placeholder}); nested paths are refused.
 *
 * <p>One instance holds a request's {@code ExpressionAttributeNames} and {@code ExpressionAttributeValues}
 * and remembers which ones the request's expressions used: DynamoDB refuses a request that defines one it
 * never uses ({@link #checkAllUsed}).
 */
final class Expressions {
    private final Map<String, String> names;
    private final Map<String, JsonNode> values;
    private final Set<String> usedNames = new HashSet<>();
    private final Set<String> usedValues = new HashSet<>();

    Expressions(JsonNode names, JsonNode values) {
        this.names = new LinkedHashMap<>();
        this.values = new LinkedHashMap<>();
        if (names != null && !names.isNull()) {
            if (names.isEmpty()) throw DynamoDbError.validation("ExpressionAttributeNames must not be empty");
            names.fields().forEachRemaining(e -> this.names.put(e.getKey(), e.getValue().asText()));
        }
        if (values != null && !values.isNull()) {
            if (values.isEmpty()) throw DynamoDbError.validation("ExpressionAttributeValues must not be empty");
            values.fields().forEachRemaining(e -> this.values.put(e.getKey(), Values.checked(e.getValue())));
        }
    }

    /** Whether the request defined any name or value: then it must use expressions. */
    boolean definesAny() {
        return !names.isEmpty() || !values.isEmpty();
    }

    /** Refuses names and values the request defined but no expression used, as DynamoDB does. */
    void checkAllUsed() {
        Set<String> unusedValues = new java.util.TreeSet<>(values.keySet());
        unusedValues.removeAll(usedValues);
        if (!unusedValues.isEmpty()) {
            throw DynamoDbError.validation("Value provided in ExpressionAttributeValues unused in expressions: keys: {"
                    + String.join(", ", unusedValues) + "}");
        }
        Set<String> unusedNames = new java.util.TreeSet<>(names.keySet());
        unusedNames.removeAll(usedNames);
        if (!unusedNames.isEmpty()) {
            throw DynamoDbError.validation("Value provided in ExpressionAttributeNames unused in expressions: keys: {"
                    + String.join(", ", unusedNames) + "}");
        }
    }

    // ---- syntax -------------------------------------------------------------------------------------

    /** An operand: an attribute of the item, a placeholder value, or a function of them. */
    sealed interface Operand {}

    record Path(String name) implements Operand {}

    record Value(JsonNode value) implements Operand {}

    record Size(Path path) implements Operand {}

    record IfNotExists(Path path, Operand fallback) implements Operand {}

    record Arithmetic(Operand left, Operand right, boolean plus) implements Operand {}

    /** A condition. */
    sealed interface Condition {}

    record Compare(Operand left, String op, Operand right) implements Condition {}

    record Between(Operand operand, Operand low, Operand high) implements Condition {}

    record In(Operand operand, List<Operand> candidates) implements Condition {}

    record Function(String name, List<Operand> args) implements Condition {}

    record And(Condition left, Condition right) implements Condition {}

    record Or(Condition left, Condition right) implements Condition {}

    record Not(Condition condition) implements Condition {}

    /** An update expression: SET assignments in order, then REMOVE. */
    record Update(Map<String, Operand> set, List<String> remove) {
        /** The attribute names the update touches. */
        Set<String> touched() {
            Set<String> out = new java.util.LinkedHashSet<>(set.keySet());
            out.addAll(remove);
            return out;
        }
    }

    private static final class Lexer {
        final String text;
        final String kind;
        final List<String> tokens = new ArrayList<>();
        int at;

        Lexer(String text, String kind) {
            this.text = text;
            this.kind = kind;
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if ("(),[].+-=".indexOf(c) >= 0) {
                    tokens.add(String.valueOf(c));
                    i++;
                } else if (c == '<' || c == '>') {
                    if (i + 1 < text.length() && (text.charAt(i + 1) == '=' || (c == '<' && text.charAt(i + 1) == '>'))) {
                        tokens.add(text.substring(i, i + 2));
                        i += 2;
                    } else {
                        tokens.add(String.valueOf(c));
                        i++;
                    }
                } else if (c == '#' || c == ':' || Character.isLetterOrDigit(c) || c == '_') {
                    int start = i++;
                    while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) i++;
                    tokens.add(text.substring(start, i));
                } else {
                    throw error("Syntax error; token: \"" + c + "\", near: \"" + near(i) + "\"");
                }
            }
        }

        private String near(int i) {
            return text.substring(Math.max(0, i - 5), Math.min(text.length(), i + 5));
        }

        DynamoDbError error(String message) {
            return DynamoDbError.validation("Invalid " + kind + ": " + message);
        }

        boolean done() {
            return at >= tokens.size();
        }

        String peek() {
            return done() ? null : tokens.get(at);
        }

        boolean peekKeyword(String keyword) {
            return !done() && tokens.get(at).equalsIgnoreCase(keyword);
        }

        String next() {
            if (done()) throw error("Syntax error; token: \"<EOF>\", near: \"" + near(text.length()) + "\"");
            return tokens.get(at++);
        }

        void expect(String token) {
            String got = next();
            if (!got.equalsIgnoreCase(token)) throw error("Syntax error; token: \"" + got + "\", expected: \"" + token + "\"");
        }
    }

    /** Parses a condition, filter or key-condition expression; {@code kind} names it in errors. */
    Condition condition(String text, String kind) {
        if (text.isBlank()) throw DynamoDbError.validation("Invalid " + kind + ": The expression can not be empty;");
        Lexer lex = new Lexer(text, kind);
        Condition c = or(lex);
        if (!lex.done()) throw lex.error("Syntax error; token: \"" + lex.peek() + "\"");
        return c;
    }

    private Condition or(Lexer lex) {
        Condition left = and(lex);
        while (lex.peekKeyword("OR")) {
            lex.next();
            left = new Or(left, and(lex));
        }
        return left;
    }

    private Condition and(Lexer lex) {
        Condition left = not(lex);
        while (lex.peekKeyword("AND")) {
            lex.next();
            left = new And(left, not(lex));
        }
        return left;
    }

    private Condition not(Lexer lex) {
        if (lex.peekKeyword("NOT")) {
            lex.next();
            return new Not(not(lex));
        }
        return primary(lex);
    }

    private static final Set<String> CONDITION_FUNCTIONS = Set.of("attribute_exists", "attribute_not_exists", "attribute_type",
            "begins_with", "contains");

    private Condition primary(Lexer lex) {
        if ("(".equals(lex.peek())) {
            lex.next();
            Condition c = or(lex);
            lex.expect(")");
            return c;
        }
        String token = lex.peek();
        if (token != null && CONDITION_FUNCTIONS.contains(token.toLowerCase(Locale.ROOT))) {
            String name = lex.next().toLowerCase(Locale.ROOT);
            lex.expect("(");
            List<Operand> args = new ArrayList<>();
            args.add(operand(lex));
            while (",".equals(lex.peek())) {
                lex.next();
                args.add(operand(lex));
            }
            lex.expect(")");
            int arity = name.startsWith("attribute_") && !name.equals("attribute_type") ? 1 : 2;
            if (args.size() != arity) {
                throw lex.error("Incorrect number of operands for operator or function; operator or function: " + name
                        + ", number of operands: " + args.size());
            }
            if (!(args.get(0) instanceof Path)) {
                throw lex.error("Operator or function requires a document path; operator or function: " + name);
            }
            return new Function(name, args);
        }
        Operand left = operand(lex);
        if (lex.peekKeyword("BETWEEN")) {
            lex.next();
            Operand low = operand(lex);
            lex.expect("AND");
            return new Between(left, low, operand(lex));
        }
        if (lex.peekKeyword("IN")) {
            lex.next();
            lex.expect("(");
            List<Operand> candidates = new ArrayList<>();
            candidates.add(operand(lex));
            while (",".equals(lex.peek())) {
                lex.next();
                candidates.add(operand(lex));
            }
            lex.expect(")");
            return new In(left, candidates);
        }
        String op = lex.next();
        if (!Set.of("=", "<>", "<", "<=", ">", ">=").contains(op)) {
            throw lex.error("Syntax error; token: \"" + op + "\"");
        }
        return new Compare(left, op, operand(lex));
    }

    private Operand operand(Lexer lex) {
        String token = lex.next();
        if (token.startsWith(":")) return value(token);
        if (token.equalsIgnoreCase("size") && "(".equals(lex.peek())) {
            lex.next();
            Operand p = operand(lex);
            lex.expect(")");
            if (!(p instanceof Path path)) throw lex.error("Operator or function requires a document path; operator or function: size");
            return new Size(path);
        }
        return path(token, lex);
    }

    private Value value(String token) {
        JsonNode v = values.get(token);
        if (v == null) {
            throw DynamoDbError.validation("Invalid expression: An expression attribute value used in expression is not defined; attribute value: " + token);
        }
        usedValues.add(token);
        return new Value(v);
    }

    private Path path(String token, Lexer lex) {
        String name;
        if (token.startsWith("#")) {
            name = names.get(token);
            if (name == null) {
                throw DynamoDbError.validation("Invalid expression: An expression attribute name used in the document path is not defined; attribute name: " + token);
            }
            usedNames.add(token);
        } else if (!token.isEmpty() && (Character.isLetter(token.charAt(0)) || token.charAt(0) == '_')) {
            if (ReservedWords.is(token)) {
                throw lex.error("Attribute name is a reserved keyword; reserved keyword: " + token);
            }
            name = token;
        } else {
            throw lex.error("Syntax error; token: \"" + token + "\"");
        }
        if (".".equals(lex.peek()) || "[".equals(lex.peek())) {
            throw DynamoDbError.validation("the simulator serves top-level attribute paths only (near \"" + token + "\")");
        }
        return new Path(name);
    }

    /** Parses an update expression (SET and REMOVE; ADD and DELETE are not served). */
    Update update(String text) {
        if (text.isBlank()) throw DynamoDbError.validation("Invalid UpdateExpression: The expression can not be empty;");
        Lexer lex = new Lexer(text, "UpdateExpression");
        Map<String, Operand> set = new LinkedHashMap<>();
        List<String> remove = new ArrayList<>();
        Set<String> clauses = new HashSet<>();
        Set<String> paths = new HashSet<>();
        while (!lex.done()) {
            String clause = lex.next().toUpperCase(Locale.ROOT);
            if (!clauses.add(clause)) {
                throw lex.error("The \"" + clause + "\" section can only be used once in an update expression;");
            }
            switch (clause) {
                case "SET" -> {
                    do {
                        if (",".equals(lex.peek())) lex.next();
                        Path target = path(lex.next(), lex);
                        lex.expect("=");
                        Operand value = setValue(lex);
                        if (!paths.add(target.name())) throw overlap(target.name());
                        set.put(target.name(), value);
                    } while (",".equals(lex.peek()));
                }
                case "REMOVE" -> {
                    do {
                        if (",".equals(lex.peek())) lex.next();
                        Path target = path(lex.next(), lex);
                        if (!paths.add(target.name())) throw overlap(target.name());
                        remove.add(target.name());
                    } while (",".equals(lex.peek()));
                }
                case "ADD", "DELETE" -> throw DynamoDbError.validation("the simulator does not serve the " + clause
                        + " section of update expressions (SET and REMOVE only)");
                default -> throw lex.error("Syntax error; token: \"" + clause + "\"");
            }
        }
        return new Update(set, remove);
    }

    private static DynamoDbError overlap(String name) {
        return DynamoDbError.validation("Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ["
                + name + "], path two: [" + name + "]");
    }

    private Operand setValue(Lexer lex) {
        Operand left = setOperand(lex);
        if ("+".equals(lex.peek()) || "-".equals(lex.peek())) {
            boolean plus = lex.next().equals("+");
            return new Arithmetic(left, setOperand(lex), plus);
        }
        return left;
    }

    private Operand setOperand(Lexer lex) {
        String token = lex.next();
        if (token.startsWith(":")) return value(token);
        if (token.equalsIgnoreCase("if_not_exists") && "(".equals(lex.peek())) {
            lex.next();
            Path path = path(lex.next(), lex);
            lex.expect(",");
            Operand fallback = setOperand(lex);
            lex.expect(")");
            return new IfNotExists(path, fallback);
        }
        return path(token, lex);
    }

    /** Parses a projection expression: top-level attribute names separated by commas. */
    List<String> projection(String text) {
        Lexer lex = new Lexer(text, "ProjectionExpression");
        List<String> out = new ArrayList<>();
        do {
            if (",".equals(lex.peek())) lex.next();
            out.add(path(lex.next(), lex).name());
        } while (",".equals(lex.peek()));
        if (!lex.done()) throw lex.error("Syntax error; token: \"" + lex.peek() + "\"");
        return out;
    }

    // ---- evaluation ---------------------------------------------------------------------------------

    /** Whether {@code condition} holds for {@code item} (empty when the item does not exist). */
    static boolean holds(Condition condition, Map<String, JsonNode> item) {
        if (condition instanceof And a) return holds(a.left(), item) && holds(a.right(), item);
        if (condition instanceof Or o) return holds(o.left(), item) || holds(o.right(), item);
        if (condition instanceof Not n) return !holds(n.condition(), item);
        if (condition instanceof Compare c) return compare(value(c.left(), item), c.op(), value(c.right(), item));
        if (condition instanceof Between b) {
            JsonNode v = value(b.operand(), item);
            return compare(v, ">=", value(b.low(), item)) && compare(v, "<=", value(b.high(), item));
        }
        if (condition instanceof In in) {
            JsonNode v = value(in.operand(), item);
            return in.candidates().stream().anyMatch(c -> Values.equal(v, value(c, item)));
        }
        return function((Function) condition, item);
    }

    private static boolean compare(JsonNode left, String op, JsonNode right) {
        if (op.equals("=")) return Values.equal(left, right);
        // A missing attribute differs from every value.
        if (op.equals("<>")) return !Values.equal(left, right);
        Integer order = Values.compare(left, right);
        if (order == null) return false;
        return switch (op) {
            case "<" -> order < 0;
            case "<=" -> order <= 0;
            case ">" -> order > 0;
            default -> order >= 0;
        };
    }

    private static boolean function(Function f, Map<String, JsonNode> item) {
        String attribute = ((Path) f.args().get(0)).name();
        JsonNode v = item.get(attribute);
        return switch (f.name()) {
            case "attribute_exists" -> v != null;
            case "attribute_not_exists" -> v == null;
            case "attribute_type" -> {
                JsonNode t = value(f.args().get(1), item);
                yield v != null && t != null && "S".equals(Values.type(t)) && Values.type(v).equals(t.get("S").asText());
            }
            case "begins_with" -> {
                JsonNode prefix = value(f.args().get(1), item);
                if (v == null || prefix == null) yield false;
                String type = Values.type(v);
                yield (type.equals("S") || type.equals("B")) && type.equals(Values.type(prefix))
                        && v.get(type).asText().startsWith(prefix.get(type).asText());
            }
            default -> { // contains
                JsonNode needle = value(f.args().get(1), item);
                if (v == null || needle == null) yield false;
                String type = Values.type(v);
                if (type.equals("S") && Values.type(needle).equals("S")) yield v.get("S").asText().contains(needle.get("S").asText());
                if (type.equals("L")) {
                    for (JsonNode m : v.get("L")) if (Values.equal(m, needle)) yield true;
                    yield false;
                }
                if (type.length() == 2 && type.endsWith("S") && Values.type(needle).equals(type.substring(0, 1))) {
                    for (JsonNode m : v.get(type)) {
                        if (Values.equal(JsonNodeFactory.instance.objectNode().set(type.substring(0, 1), m), needle)) yield true;
                    }
                }
                yield false;
            }
        };
    }

    /** The operand's value for the item; null when it names a missing attribute. */
    static JsonNode value(Operand operand, Map<String, JsonNode> item) {
        if (operand instanceof Path p) return item.get(p.name());
        if (operand instanceof Value v) return v.value();
        if (operand instanceof IfNotExists i) {
            JsonNode v = item.get(i.path().name());
            return v != null ? v : value(i.fallback(), item);
        }
        if (operand instanceof Arithmetic a) return Values.arithmetic(value(a.left(), item), value(a.right(), item), a.plus());
        JsonNode v = item.get(((Size) operand).path().name());
        if (v == null) return null;
        String type = Values.type(v);
        JsonNode inner = v.get(type);
        long size = switch (type) {
            case "S" -> inner.asText().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            case "B" -> java.util.Base64.getDecoder().decode(inner.asText()).length;
            case "M", "L", "SS", "NS", "BS" -> inner.size();
            default -> -1;
        };
        return size < 0 ? null : JsonNodeFactory.instance.objectNode().put("N", String.valueOf(size));
    }

    /** The item after {@code update}: every SET value is computed from the item as it was. */
    static Map<String, JsonNode> apply(Update update, Map<String, JsonNode> item) {
        Map<String, JsonNode> out = new LinkedHashMap<>(item);
        for (Map.Entry<String, Operand> e : update.set().entrySet()) {
            JsonNode v = value(e.getValue(), item);
            if (v == null) {
                throw DynamoDbError.validation("The provided expression refers to an attribute that does not exist in the item");
            }
            out.put(e.getKey(), v);
        }
        update.remove().forEach(out::remove);
        return out;
    }
}

package io.ecsbluegreen.sim.cloudwatch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleBinaryOperator;
import java.util.function.Function;

/**
 * A subset of CloudWatch metric math: numbers, query ids, {@code + - * /}, parentheses, unary minus,
 * {@code FILL(series, value)} and {@code ABS(x)}. Arithmetic between two series keeps the timestamps
 * both have; a division by zero yields no datapoint.
 */
final class MetricMath {

    /** A value while evaluating: a constant or a time series. */
    private record Value(Double scalar, TreeMap<Instant, Double> series) {
        static Value of(double d) {
            return new Value(d, null);
        }

        static Value of(TreeMap<Instant, Double> s) {
            return new Value(null, s);
        }
    }

    private final String text;
    private final Function<String, TreeMap<Instant, Double>> resolver;
    private final List<Instant> grid;
    private int pos;

    private MetricMath(String text, Function<String, TreeMap<Instant, Double>> resolver, List<Instant> grid) {
        this.text = text;
        this.resolver = resolver;
        this.grid = grid;
    }

    /**
     * Evaluates {@code expression}.
     *
     * @param resolver the series of another query, by id; throws {@link IllegalArgumentException} for an
     *     unknown id
     * @param grid every period start of the query's range, for constants and FILL
     * @throws IllegalArgumentException for an expression the simulator cannot evaluate
     */
    static TreeMap<Instant, Double> evaluate(String expression, Function<String, TreeMap<Instant, Double>> resolver,
            List<Instant> grid) {
        MetricMath math = new MetricMath(expression, resolver, grid);
        Value value = math.expression();
        math.skipSpaces();
        if (math.pos < expression.length()) {
            throw new IllegalArgumentException("Unexpected '" + expression.charAt(math.pos) + "' at position " + math.pos);
        }
        if (value.series() != null) {
            return value.series();
        }
        TreeMap<Instant, Double> constant = new TreeMap<>();
        grid.forEach(t -> constant.put(t, value.scalar()));
        return constant;
    }

    private Value expression() {
        Value left = term();
        while (true) {
            skipSpaces();
            char c = peek();
            if (c == '+') {
                pos++;
                left = combine(left, term(), Double::sum);
            } else if (c == '-') {
                pos++;
                left = combine(left, term(), (a, b) -> a - b);
            } else {
                return left;
            }
        }
    }

    private Value term() {
        Value left = factor();
        while (true) {
            skipSpaces();
            char c = peek();
            if (c == '*') {
                pos++;
                left = combine(left, factor(), (a, b) -> a * b);
            } else if (c == '/') {
                pos++;
                left = combine(left, factor(), (a, b) -> a / b);
            } else {
                return left;
            }
        }
    }

    private Value factor() {
        skipSpaces();
        char c = peek();
        if (c == '-') {
            pos++;
            return combine(Value.of(0), factor(), (a, b) -> a - b);
        }
        if (c == '(') {
            pos++;
            Value inner = expression();
            expect(')');
            return inner;
        }
        if (Character.isDigit(c) || c == '.') {
            int start = pos;
            while (Character.isDigit(peek()) || peek() == '.' || peek() == 'e' || peek() == 'E') {
                pos++;
            }
            try {
                return Value.of(Double.parseDouble(text.substring(start, pos)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Invalid number '" + text.substring(start, pos) + "'");
            }
        }
        if (Character.isLetter(c)) {
            int start = pos;
            while (Character.isLetterOrDigit(peek()) || peek() == '_') {
                pos++;
            }
            String word = text.substring(start, pos);
            skipSpaces();
            if (peek() == '(') {
                pos++;
                return function(word);
            }
            return Value.of(new TreeMap<>(resolver.apply(word)));
        }
        throw new IllegalArgumentException(pos >= text.length() ? "Unexpected end of expression"
                : "Unexpected '" + c + "' at position " + pos);
    }

    private Value function(String name) {
        List<Value> args = new ArrayList<>();
        skipSpaces();
        if (peek() != ')') {
            args.add(expression());
            skipSpaces();
            while (peek() == ',') {
                pos++;
                args.add(expression());
                skipSpaces();
            }
        }
        expect(')');
        switch (name) {
            case "FILL" -> {
                if (args.size() != 2 || args.get(0).series() == null || args.get(1).scalar() == null) {
                    throw new IllegalArgumentException("FILL takes a time series and a number");
                }
                TreeMap<Instant, Double> filled = new TreeMap<>(args.get(0).series());
                double fill = args.get(1).scalar();
                grid.forEach(t -> filled.putIfAbsent(t, fill));
                return Value.of(filled);
            }
            case "ABS" -> {
                if (args.size() != 1) {
                    throw new IllegalArgumentException("ABS takes one argument");
                }
                return combine(args.get(0), Value.of(0), (a, b) -> Math.abs(a));
            }
            default -> throw new IllegalArgumentException("The function " + name + " is not supported by the simulator");
        }
    }

    private static Value combine(Value left, Value right, DoubleBinaryOperator op) {
        if (left.scalar() != null && right.scalar() != null) {
            return Value.of(op.applyAsDouble(left.scalar(), right.scalar()));
        }
        TreeMap<Instant, Double> out = new TreeMap<>();
        if (left.series() != null && right.series() != null) {
            for (Map.Entry<Instant, Double> e : left.series().entrySet()) {
                Double other = right.series().get(e.getKey());
                if (other != null) {
                    put(out, e.getKey(), op.applyAsDouble(e.getValue(), other));
                }
            }
        } else if (left.series() != null) {
            left.series().forEach((t, v) -> put(out, t, op.applyAsDouble(v, right.scalar())));
        } else {
            right.series().forEach((t, v) -> put(out, t, op.applyAsDouble(left.scalar(), v)));
        }
        return Value.of(out);
    }

    private static void put(TreeMap<Instant, Double> series, Instant t, double v) {
        if (Double.isFinite(v)) {
            series.put(t, v);
        }
    }

    private void expect(char c) {
        skipSpaces();
        if (peek() != c) {
            throw new IllegalArgumentException("Expected '" + c + "' at position " + pos);
        }
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }
}

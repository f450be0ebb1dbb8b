package io.ecsbluegreen.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough PromQL to check a query against what the operator exposes: the metric selectors (name and
 * label matchers) and the labels named by {@code by}, {@code without}, {@code on}, {@code ignoring} and
 * {@code group_left}/{@code group_right}. Grafana's variables ({@code $service}, {@code $__rate_interval})
 * may appear in matcher values and ranges.
 */
final class PromQl {
    /** Metrics Prometheus itself makes for every target, and the labels it adds to every series. */
    static final Set<String> SYNTHETIC_METRICS = Set.of("up");
    static final Set<String> TARGET_LABELS = Set.of("job", "instance");

    private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar", "count",
            "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");
    private static final Set<String> GROUPING = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "inf", "nan", "atan2");
    private static final Pattern MATCHER = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*,?");
    private static final Pattern LITERAL_ALTERNATIVES = Pattern.compile("[A-Za-z0-9_.:-]+(\\|[A-Za-z0-9_.:-]+)*");

    record LabelMatcher(String label, String op, String value) {}

    record Selector(String metric, List<LabelMatcher> matchers) {}

    record Query(List<Selector> selectors, Set<String> groupingLabels) {}

    private PromQl() {}

    static Query parse(String expr) {
        List<Selector> selectors = new ArrayList<>();
        Set<String> grouping = new TreeSet<>();
        int i = 0;
        int n = expr.length();
        while (i < n) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = skipString(expr, i);
            } else if (c == '[') {
                i = expr.indexOf(']', i) + 1;
            } else if (c == '{') {
                throw new IllegalArgumentException("a selector without a metric name in: " + expr);
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '_' || expr.charAt(i) == ':')) i++;
                String word = expr.substring(start, i);
                int next = skipSpaces(expr, i);
                char after = next < n ? expr.charAt(next) : ' ';
                if (GROUPING.contains(word)) {
                    if (after == '(') {
                        int close = expr.indexOf(')', next);
                        for (String label : expr.substring(next + 1, close).split(",")) {
                            if (!label.isBlank()) grouping.add(label.trim());
                        }
                        i = close + 1;
                    }
                } else if (KEYWORDS.contains(word) || AGGREGATIONS.contains(word) || after == '(') {
                    // an operator, an aggregation or a function: its arguments follow
                } else if (after == '{') {
                    int close = closingBrace(expr, next);
                    selectors.add(new Selector(word, matchers(expr.substring(next + 1, close), expr)));
                    i = close + 1;
                } else {
                    selectors.add(new Selector(word, List.of()));
                }
            } else if (Character.isDigit(c) || c == '.') {
                while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '.')) i++;
            } else {
                i++;
            }
        }
        return new Query(selectors, grouping);
    }

    private static List<LabelMatcher> matchers(String body, String expr) {
        List<LabelMatcher> out = new ArrayList<>();
        Matcher m = MATCHER.matcher(body);
        int end = 0;
        while (m.lookingAt()) {
            out.add(new LabelMatcher(m.group(1), m.group(2), m.group(3)));
            end = m.end();
            m.region(end, body.length());
        }
        if (!body.substring(end).isBlank()) throw new IllegalArgumentException("cannot read the matchers {" + body + "} in: " + expr);
        return out;
    }

    /**
     * What in {@code expr} the operator's metrics do not have: an unknown metric, a label a metric does
     * not carry, a literal label value never seen, a grouping label none of the query's metrics carries.
     */
    static List<String> problems(String expr, OperatorMetrics metrics) {
        List<String> problems = new ArrayList<>();
        Query query = parse(expr);
        Set<String> labelsInQuery = new TreeSet<>(TARGET_LABELS);
        if (query.selectors().isEmpty()) problems.add("no metric in: " + expr);
        for (Selector s : query.selectors()) {
            boolean synthetic = SYNTHETIC_METRICS.contains(s.metric());
            if (!synthetic && !metrics.names().contains(s.metric())) {
                problems.add("the operator exposes no metric " + s.metric());
                continue;
            }
            labelsInQuery.addAll(metrics.labels(s.metric()).keySet());
            for (LabelMatcher m : s.matchers()) {
                if (TARGET_LABELS.contains(m.label()) || synthetic) continue;
                Set<String> seen = metrics.labels(s.metric()).get(m.label());
                if (seen == null) {
                    problems.add(s.metric() + " has no label " + m.label());
                } else if (!m.value().contains("$") && LITERAL_ALTERNATIVES.matcher(m.value()).matches()) {
                    for (String value : m.value().split("\\|")) {
                        if (!seen.contains(value)) problems.add(s.metric() + "{" + m.label() + "} is never " + value + " (only " + seen + ")");
                    }
                }
            }
        }
        for (String label : query.groupingLabels()) {
            if (!labelsInQuery.contains(label)) problems.add("no metric of the query has the label " + label + " it groups or matches by");
        }
        return problems;
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        return i;
    }

    private static int skipString(String s, int i) {
        char quote = s.charAt(i);
        i++;
        while (i < s.length() && s.charAt(i) != quote) {
            if (s.charAt(i) == '\\' && quote != '`') i++;
            i++;
        }
        return i + 1;
    }

    private static int closingBrace(String s, int open) {
        int i = open + 1;
        while (i < s.length() && s.charAt(i) != '}') {
            i = s.charAt(i) == '"' ? skipString(s, i) : i + 1;
        }
        return i;
    }
}

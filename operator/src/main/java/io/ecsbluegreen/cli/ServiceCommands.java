package io.ecsbluegreen.cli;

import io.ecsbluegreen.text.Escapes;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The CLI's view of a running operator: {@code status [NAME] [--watch]} (a line for each held source
 * first, see {@link SourceCommands#heldLines}) and the commands {@code promote|abort|retry NAME}. Exit codes: 0 done, 1 refused or unreachable, 2 usage.
 * A watch on a terminal redraws one screen in place (weight bars and the step above the usual view); a
 * watch into a pipe or file prints each change once, with the time it was seen: a log of the rollout.
 * Uses only the JDK and {@link Json}, so the small CLI jar ({@link RemoteMain}) runs it without Quarkus.
 */
final class ServiceCommands {
    static final String STATUS_USAGE = "usage: bluegreen status [NAME] [--watch [--redraw|--no-redraw]] [--api URL] [--token TOKEN]";
    static final String COMMAND_USAGE = "usage: bluegreen promote|abort|retry NAME [--api URL] [--token TOKEN]";

    private final PrintStream out;
    private final PrintStream err;
    private final Duration watchInterval;
    /** Whether a watch redraws in place when neither --redraw nor --no-redraw says: when out is a terminal. */
    private final boolean terminal;

    ServiceCommands(PrintStream out, PrintStream err, Duration watchInterval) {
        this(out, err, watchInterval, false);
    }

    ServiceCommands(PrintStream out, PrintStream err, Duration watchInterval, boolean terminal) {
        this.out = out;
        this.err = err;
        this.watchInterval = watchInterval;
        this.terminal = terminal;
    }

    /** Options shared by the subcommands; {@code redraw} null when the terminal decides. */
    record Options(String name, boolean watch, String api, int maxWatchRounds, String token, Boolean redraw) {}

    static Options parse(String[] args, boolean watchAllowed) {
        String name = null;
        boolean watch = false;
        String api = null;
        String token = null;
        int rounds = Integer.MAX_VALUE;
        Boolean redraw = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--watch") && watchAllowed) {
                watch = true;
            } else if ((a.equals("--redraw") || a.equals("--no-redraw")) && watchAllowed) {
                redraw = a.equals("--redraw");
            } else if (a.equals("--api")) {
                if (++i >= args.length) throw new IllegalArgumentException("--api needs a value");
                api = args[i];
            } else if (a.equals("--token")) {
                if (++i >= args.length) throw new IllegalArgumentException("--token needs a value");
                token = args[i];
            } else if (a.equals("--watch-rounds") && watchAllowed) {
                // For tests: a watch that ends by itself.
                if (++i >= args.length) throw new IllegalArgumentException("--watch-rounds needs a value");
                rounds = Integer.parseInt(args[i]);
            } else if (a.startsWith("-")) {
                throw new IllegalArgumentException("unknown option '" + a + "'");
            } else if (name == null) {
                name = a;
            } else {
                throw new IllegalArgumentException("one service name only");
            }
        }
        return new Options(name, watch, api, rounds, token, redraw);
    }

    int status(String[] args) {
        Options o;
        try {
            o = parse(args, true);
        } catch (IllegalArgumentException e) {
            err.println("bluegreen status: " + e.getMessage());
            err.println(STATUS_USAGE);
            return 2;
        }
        OperatorClient client = new OperatorClient(o.api(), o.token());
        boolean redraw = o.watch() && (o.redraw() != null ? o.redraw() : terminal);
        String previous = null;
        for (int round = 0; round < o.maxWatchRounds(); round++) {
            String text;
            try {
                OperatorClient.Answer a = client.get(o.name() == null ? "/api/v1/services" : "/api/v1/services/" + o.name());
                if (a.status() == 404) {
                    err.println(Escapes.printable("bluegreen status: no service named '" + o.name() + "'"));
                    return 1;
                }
                if (a.status() != 200) {
                    err.println(Escapes.printable("bluegreen status: the operator answered " + a.status() + ": " + a.body()));
                    return 1;
                }
                // messages carry spec values and file names: nothing reaches the terminal raw
                Instant now = Instant.now();
                text = printableLines(SourceCommands.heldLines(client, now) + (redraw ? traffic(o.name(), a.body()) : "")
                        + (o.name() == null ? table(a.body(), now) : detail(a.body(), now)));
            } catch (OperatorClient.Unreachable e) {
                if (!o.watch()) {
                    err.println("bluegreen status: " + e.getMessage());
                    return 1;
                }
                text = "(operator unreachable: " + e.getMessage() + ")\n";
            }
            if (!o.watch()) {
                out.print(text);
                return 0;
            }
            if (redraw) {
                out.print(frame("bluegreen status" + (o.name() == null ? "" : " " + Escapes.printable(o.name())) + "   every "
                        + watchInterval.toSeconds() + "s   " + java.time.LocalTime.now().withNano(0) + "   (Ctrl-C to stop)\n\n" + text));
                out.flush();
            } else {
                // A watch prints only what changed, each with the time it saw it: a log of the rollout.
                String key = text.replaceAll("\\b\\d+[smhd]\\b", "");
                if (!Objects.equals(key, previous)) {
                    out.println("--- " + java.time.LocalTime.now().withNano(0));
                    out.print(text);
                    out.flush();
                    previous = key;
                }
            }
            if (round + 1 < o.maxWatchRounds()) {
                try {
                    Thread.sleep(watchInterval.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return 0;
                }
            }
        }
        return 0;
    }

    int command(String command, String[] args) {
        Options o;
        try {
            o = parse(args, false);
            if (o.name() == null) throw new IllegalArgumentException("which service?");
        } catch (IllegalArgumentException e) {
            err.println("bluegreen " + command + ": " + e.getMessage());
            err.println(COMMAND_USAGE);
            return 2;
        }
        try {
            OperatorClient.Answer a = new OperatorClient(o.api(), o.token()).post("/api/v1/services/" + o.name() + "/" + command);
            String message = a.body().path("message").asText(a.body().toString());
            if (a.status() == 202) {
                out.println(Escapes.printable(message));
                return 0;
            }
            err.println(Escapes.printable("bluegreen " + command + ": " + (a.status() == 404 ? "no service named '" + o.name() + "'" : message)));
            return 1;
        } catch (OperatorClient.Unreachable e) {
            err.println("bluegreen " + command + ": " + e.getMessage());
            return 1;
        }
    }

    /**
     * One screen of a watch, drawn over the previous one without a blank flash: cursor home, each line
     * followed by erase-to-end-of-line, then erase below. {@code text} is already printable.
     */
    static String frame(String text) {
        StringBuilder b = new StringBuilder(text.length() + 64).append("\u001b[H");
        for (String line : text.split("\n", -1)) {
            if (b.length() > 3) b.append('\n');
            b.append(line).append("\u001b[K");
        }
        return b.append("\u001b[J").toString();
    }

    /**
     * The traffic block at the top of a watch: per service, the step and a weight bar for each revision on
     * the production and the test listener. {@code body} is one service (with its status) or the listing.
     */
    static String traffic(String name, Json body) {
        StringBuilder b = new StringBuilder();
        if (name != null) {
            trafficOf(b, body.path("name").asText(name), body.path("status"));
        } else {
            for (Json s : body) trafficOf(b, s.path("name").asText(), s);
        }
        return b.append('\n').toString();
    }

    private static void trafficOf(StringBuilder b, String name, Json s) {
        int steps = s.path("steps").asInt(0);
        b.append(name).append("  ").append(s.path("phase").asText("-"));
        if (steps > 0) b.append("  step ").append(s.path("step").asInt()).append('/').append(steps);
        b.append('\n');
        bars(b, "production", s.path("productionWeights"));
        bars(b, "test", s.path("testWeights"));
    }

    private static final int BAR = 30;

    private static void bars(StringBuilder b, String listener, Json weights) {
        List<String> revisions = new ArrayList<>(weights.members().keySet());
        revisions.sort(null);
        for (String r : revisions) {
            int w = Math.max(0, Math.min(100, weights.path(r).asInt()));
            int full = (w * BAR + 50) / 100;
            b.append("  ").append(pad(listener, 11)).append(pad(r, 16)).append(BAR_FULL.repeat(full)).append(BAR_EMPTY.repeat(BAR - full))
                    .append(w < 10 ? "   " : w < 100 ? "  " : " ").append(w).append("%\n");
            listener = "";
        }
    }

    /** Block characters where the output encoding has them, else ASCII. */
    private static final boolean BLOCKS = java.nio.charset.Charset.defaultCharset().newEncoder().canEncode('\u2588');
    private static final String BAR_FULL = BLOCKS ? "\u2588" : "#";
    private static final String BAR_EMPTY = BLOCKS ? "\u2591" : ".";

    /** {@code text} with each line's control characters escaped, its line breaks kept. */
    static String printableLines(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (String line : text.split("\n", -1)) {
            if (!out.isEmpty()) out.append('\n');
            out.append(Escapes.printable(line));
        }
        return out.toString();
    }

    /** The listing: one line per service. */
    static String table(Json services, Instant now) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "PHASE", "ACTIVE", "DESIRED", "PRODUCTION", "TEST", "STEP", "SINCE", "MESSAGE"});
        for (Json s : services) {
            String phase = text(s, "phase");
            if (phase == null) phase = s.path("state").asText().equals("READY") ? "Pending" : s.path("state").asText();
            int steps = s.path("steps").asInt(0);
            Json labels = s.path("revisions");
            rows.add(new String[] {s.path("name").asText(), phase, dash(withImages(labels, text(s, "activeRevision"))),
                    dash(withImages(labels, text(s, "desiredRevision"))),
                    weights(s.path("productionWeights")), weights(s.path("testWeights")),
                    steps == 0 ? "-" : s.path("step").asInt() + "/" + steps, age(text(s, "lastTransitionTime"), now),
                    dash(text(s, "message"))});
        }
        return columns(rows);
    }

    /** One service in full: phase, revisions, traffic, conditions, history, hook runs and analysis measurements. */
    static String detail(Json service, Instant now) {
        StringBuilder b = new StringBuilder();
        Json st = service.path("status");
        b.append(service.path("name").asText()).append("  (desired state ").append(service.path("state").asText());
        Json origin = service.path("origin");
        if (!origin.isMissingNode() && !origin.isNull()) {
            b.append(" from ").append(origin.path("file").asText()).append(':').append(origin.path("line").asInt());
        }
        b.append(")\n");
        for (Json p : service.path("problems")) b.append("  problem: ").append(p.path("message").asText(p.toString())).append('\n');
        if (st.isMissingNode() || st.isNull()) {
            b.append("  not reconciled yet\n");
            return b.toString();
        }
        b.append("  phase:      ").append(st.path("phase").asText()).append(" (").append(st.path("reason").asText())
                .append(", for ").append(age(text(st, "lastTransitionTime"), now)).append(")\n");
        b.append("  message:    ").append(dash(text(st, "message"))).append('\n');
        // who acts in AWS for the service: its spec.roleArn, or the operator's own credentials
        if (st.hasNonNull("identity")) b.append("  acting as:  ").append(text(st, "identity")).append('\n');
        Json labels = st.path("revisions");
        b.append("  active:     ").append(dash(labelled(labels, text(st, "activeRevision")))).append('\n');
        b.append("  desired:    ").append(dash(labelled(labels, text(st, "desiredRevision"))));
        if (st.hasNonNull("waitingSince")) b.append("  (waiting ").append(age(text(st, "waitingSince"), now)).append(')');
        b.append('\n');
        b.append("  production: ").append(weights(st.path("productionWeights"))).append('\n');
        b.append("  test:       ").append(weights(st.path("testWeights"))).append('\n');
        if (st.path("steps").asInt() > 0) b.append("  step:       ").append(st.path("step").asInt()).append(" of ").append(st.path("steps").asInt()).append('\n');
        if (st.path("consecutiveFailures").asInt() > 0) {
            b.append("  failures:   ").append(st.path("consecutiveFailures").asInt()).append(" in a row\n");
        }
        b.append("  conditions:\n");
        for (Json c : st.path("conditions")) {
            b.append("    ").append(pad(c.path("type").asText(), 12)).append(pad(c.path("status").asBoolean() ? "True" : "False", 6))
                    .append(pad(c.path("reason").asText(""), 26)).append(age(text(c, "lastTransitionTime"), now));
            if (c.hasNonNull("message")) b.append("  ").append(c.path("message").asText());
            b.append('\n');
        }
        if (!st.path("history").isEmpty()) {
            b.append("  history:\n");
            for (Json h : st.path("history")) {
                b.append("    ").append(h.path("revision").asText()).append("  ")
                        .append(pad(h.hasNonNull("outcome") ? h.path("outcome").asText() : "InProgress", 11))
                        .append(" started ").append(text(h, "startedAt"));
                if (h.hasNonNull("endedAt")) b.append("  ended ").append(text(h, "endedAt"));
                if (h.hasNonNull("why")) b.append("  ").append(h.path("why").asText());
                String runs = text(labels.path(h.path("revision").asText()), "text");
                if (runs != null && !runs.isEmpty()) b.append("\n      ").append(runs);
                b.append('\n');
            }
        }
        if (!st.path("hooks").isEmpty()) {
            b.append("  hooks:\n");
            for (Json h : st.path("hooks")) {
                b.append("    ").append(pad(h.path("point").asText() + "/" + h.path("name").asText(), 34))
                        .append(pad(h.path("kind").asText(), 7)).append(pad(h.path("outcome").asText(), 10))
                        .append("attempt ").append(h.path("attempts").asInt()).append("  ").append(dash(text(h, "startedAt")));
                if (h.hasNonNull("detail")) b.append("  ").append(h.path("detail").asText());
                b.append('\n');
            }
        }
        if (!st.path("analysis").isEmpty()) {
            // newest first: the line a failed step was judged on is at the top
            b.append("  analysis:\n");
            for (Json m : st.path("analysis")) {
                b.append("    ").append(pad(m.path("check").asText(), 20)).append(pad(m.path("verdict").asText(), 8))
                        .append(pad(m.hasNonNull("value") ? m.path("value").asText() : "-", 12))
                        .append(pad(dash(text(m, "threshold")), 14)).append(dash(text(m, "at")));
                if (m.hasNonNull("detail")) b.append("  ").append(m.path("detail").asText());
                b.append('\n');
            }
        }
        return b.toString();
    }

    /** {@code r-33d789593ac0 greeter:2.0.0}: the revision and its images, for the one-line listing. */
    static String withImages(Json labels, String revision) {
        if (revision == null) return null;
        List<String> images = new ArrayList<>();
        for (Json i : labels.path(revision).path("images")) images.add(i.asText());
        return images.isEmpty() ? revision : revision + " " + String.join(",", images);
    }

    /** {@code r-33d789593ac0  greeter:2.0.0 from git 1a2b3c4 "Bump greeter" (Alice)}: the revision and its label. */
    static String labelled(Json labels, String revision) {
        if (revision == null) return null;
        String runs = text(labels.path(revision), "text");
        return runs == null || runs.isEmpty() ? revision : revision + "  " + runs;
    }

    private static String text(Json node, String field) {
        Json v = node.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    private static String dash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    static String weights(Json weights) {
        if (weights == null || !weights.isObject() || weights.isEmpty()) return "-";
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Json> e : weights.members().entrySet()) {
            parts.add(e.getKey() + "=" + e.getValue().asInt() + "%");
        }
        parts.sort(null);
        return String.join(",", parts);
    }

    /** A duration since an instant, as people read it: 42s, 5m, 3h, 2d. */
    static String age(String instant, Instant now) {
        if (instant == null) return "-";
        Duration d = Duration.between(instant(instant), now);
        if (d.isNegative()) d = Duration.ZERO;
        if (d.toSeconds() < 120) return d.toSeconds() + "s";
        if (d.toMinutes() < 120) return d.toMinutes() + "m";
        if (d.toHours() < 48) return d.toHours() + "h";
        return d.toDays() + "d";
    }

    /**
     * An instant as the operator writes it ({@link Instant#toString}: {@code 2026-11-23T10:00:00Z}, with an
     * optional fraction) read by hand; anything else goes to {@link Instant#parse}. Why: the first
     * {@code Instant.parse} initialises {@code DateTimeFormatter} and its builder, dozens of classes, for
     * a CLI call that reads a few timestamps.
     */
    static Instant instant(String text) {
        int n = text.length();
        if (n >= 20 && n <= 30 && text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(10) == 'T' && text.charAt(13) == ':'
                && text.charAt(16) == ':' && text.charAt(n - 1) == 'Z' && (n == 20 || text.charAt(19) == '.' && n > 21)) {
            int nanos = 0;
            for (int i = 20, scale = 100_000_000; i < n - 1; i++, scale /= 10) {
                int digit = text.charAt(i) - '0';
                if (digit < 0 || digit > 9 || scale == 0) return Instant.parse(text);
                nanos += digit * scale;
            }
            int year = digits(text, 0, 4);
            int month = digits(text, 5, 7);
            int day = digits(text, 8, 10);
            int hour = digits(text, 11, 13);
            int minute = digits(text, 14, 16);
            int second = digits(text, 17, 19);
            if (year >= 0 && month >= 0 && day >= 0 && hour >= 0 && hour < 24 && minute >= 0 && minute < 60 && second >= 0 && second < 60) {
                try {
                    long days = java.time.LocalDate.of(year, month, day).toEpochDay();
                    return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
                } catch (java.time.DateTimeException e) {
                    // no such day: Instant.parse says so in its own words
                }
            }
        }
        return Instant.parse(text);
    }

    /** The decimal number in {@code text[from, to)}, or -1 when a character there is not a digit. */
    private static int digits(String text, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            int digit = text.charAt(i) - '0';
            if (digit < 0 || digit > 9) return -1;
            v = v * 10 + digit;
        }
        return v;
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
    }

    static String columns(List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length - 1; i++) width[i] = Math.max(width[i], r[i].length());
        }
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) b.append(i == r.length - 1 ? r[i] : pad(r[i], width[i] + 2));
            b.append('\n');
        }
        return b.toString();
    }
}

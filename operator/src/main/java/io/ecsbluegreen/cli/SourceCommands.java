package io.ecsbluegreen.cli;

import io.ecsbluegreen.text.Escapes;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bluegreen sources [status]}: every source of a running operator, with the hold of each held one.
 * {@code bluegreen sources confirm [SOURCE]}: confirms, on a running operator, the removal its removal
 * guard holds (one source, or every held one), so the held snapshot takes effect and the services it no
 * longer declares become orphaned, still watched. Needs the API token like every mutating call.
 */
final class SourceCommands {
    static final String USAGE = "usage: bluegreen sources [status] [--api URL] [--token TOKEN]\n"
            + "       bluegreen sources confirm [SOURCE] [--api URL] [--token TOKEN]";

    private final PrintStream out;
    private final PrintStream err;

    SourceCommands(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] args) {
        if (args.length == 0 || args[0].startsWith("-")) return status(args);
        if (args[0].equals("status")) return status(java.util.Arrays.copyOfRange(args, 1, args.length));
        if (!args[0].equals("confirm")) {
            err.println(Escapes.printable("bluegreen sources: unknown subcommand '" + args[0] + "'"));
            err.println(USAGE);
            return 2;
        }
        ServiceCommands.Options o;
        try {
            o = ServiceCommands.parse(java.util.Arrays.copyOfRange(args, 1, args.length), false);
        } catch (IllegalArgumentException e) {
            err.println(Escapes.printable("bluegreen sources confirm: " + e.getMessage()));
            err.println(USAGE);
            return 2;
        }
        String path = "/api/v1/sources/confirm"
                + (o.name() == null ? "" : "?source=" + URLEncoder.encode(o.name(), StandardCharsets.UTF_8));
        try {
            OperatorClient.Answer a = new OperatorClient(o.api(), o.token()).post(path);
            if (a.status() == 200) {
                for (Json id : a.body().path("confirmed")) {
                    out.println(Escapes.printable("confirmed: " + id.asText() + "; its held snapshot is in force, the services it"
                            + " no longer declares are orphaned and still watched"));
                }
                return 0;
            }
            String message = a.status() == 409 ? (o.name() == null ? "no source is held" : "source " + o.name() + " is not held")
                    : a.body().path("message").asText(a.body().toString());
            err.println(Escapes.printable("bluegreen sources confirm: " + message));
            return 1;
        } catch (OperatorClient.Unreachable e) {
            err.println(Escapes.printable("bluegreen sources confirm: " + e.getMessage()));
            return 1;
        }
    }

    /** The listing: one line per source, held sources first as in {@code bluegreen status}. */
    private int status(String[] args) {
        ServiceCommands.Options o;
        try {
            o = ServiceCommands.parse(args, false);
            if (o.name() != null) throw new IllegalArgumentException("unexpected argument '" + o.name() + "'");
        } catch (IllegalArgumentException e) {
            err.println(Escapes.printable("bluegreen sources: " + e.getMessage()));
            err.println(USAGE);
            return 2;
        }
        try {
            OperatorClient client = new OperatorClient(o.api(), o.token());
            OperatorClient.Answer a = client.get("/api/v1/sources");
            if (a.status() != 200) {
                err.println(Escapes.printable("bluegreen sources: the operator answered " + a.status() + ": " + a.body()));
                return 1;
            }
            Instant now = Instant.now();
            out.print(ServiceCommands.printableLines(heldLines(a.body(), now) + table(a.body(), now) + invalidLines(a.body())));
            return 0;
        } catch (OperatorClient.Unreachable e) {
            err.println(Escapes.printable("bluegreen sources: " + e.getMessage()));
            return 1;
        }
    }

    /** Every source: health, revision, files, services and its hold. */
    static String table(Json sources, Instant now) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SOURCE", "HEALTHY", "HELD", "REVISION", "FILES", "SERVICES", "SYNCED", "ERROR"});
        for (Json s : sources) {
            Json hold = s.path("hold");
            rows.add(new String[] {s.path("source").asText(), s.path("healthy").asBoolean() ? "yes" : "no",
                    hold.isObject() ? hold.path("reason").asText() + " (" + hold.path("removed").size() + " removals)" : "-",
                    s.path("revision").asText("-"), String.valueOf(s.path("files").asInt()), String.valueOf(s.path("services").asInt()),
                    s.hasNonNull("lastSuccess") ? ServiceCommands.age(s.path("lastSuccess").asText(), now) + " ago" : "never",
                    s.hasNonNull("error") ? s.path("error").asText() : "-"});
        }
        return ServiceCommands.columns(rows);
    }

    /**
     * Below the table, one line per error of each invalid file (its services keep their last good spec, or
     * are Invalid): where and why, {@code file:line:column: field: message}, as {@code bluegreen validate}
     * says it. A healthy source may hold invalid files: the table alone would not show them.
     */
    static String invalidLines(Json sources) {
        StringBuilder b = new StringBuilder();
        for (Json s : sources) {
            for (Json f : s.path("invalidFiles")) {
                for (Json e : f.path("errors")) {
                    b.append("INVALID ").append(e.path("file").asText(f.path("file").asText())).append(':')
                            .append(e.path("line").asInt()).append(':').append(e.path("column").asInt()).append(": ")
                            .append(e.path("path").asText()).append(": ").append(e.path("message").asText()).append('\n');
                }
            }
        }
        return b.toString();
    }

    /**
     * One line for each source the removal guard holds, for the top of {@code bluegreen status}: which
     * source, how many removals, since when, why, and the command that confirms. Empty when none is held
     * or the sources cannot be read (the status below says why the operator cannot be read).
     */
    static String heldLines(OperatorClient client, Instant now) throws OperatorClient.Unreachable {
        OperatorClient.Answer a = client.get("/api/v1/sources");
        return a.status() == 200 ? heldLines(a.body(), now) : "";
    }

    static String heldLines(Json sources, Instant now) {
        StringBuilder b = new StringBuilder();
        for (Json s : sources) {
            Json hold = s.path("hold");
            if (!hold.isObject()) continue;
            String id = s.path("source").asText();
            int removals = hold.path("removed").size();
            b.append("HELD source ").append(id).append(": ").append(hold.path("reason").asText()).append(", ")
                    .append(removals == 0 ? "declares no service" : removals + (removals == 1 ? " removal" : " removals")
                            + " of " + s.path("services").asInt() + " (" + names(hold.path("removed")) + ")")
                    .append(", for ").append(ServiceCommands.age(hold.path("since").asText(null), now))
                    .append("; the last good snapshot stays in force. Restore the files, or confirm: bluegreen sources confirm ")
                    .append(id).append('\n');
        }
        return b.toString();
    }

    private static String names(Json removed) {
        List<String> all = new ArrayList<>();
        for (Json n : removed) all.add(n.asText());
        String first = String.join(", ", all.subList(0, Math.min(5, all.size())));
        return all.size() > 5 ? first + " and " + (all.size() - 5) + " more" : first;
    }
}

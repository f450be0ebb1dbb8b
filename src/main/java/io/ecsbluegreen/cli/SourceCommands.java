package io.ecsbluegreen.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.ecsbluegreen.text.Escapes;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * {@code bluegreen sources confirm [SOURCE]}: confirms, on a running operator, the removal its removal
 * guard holds (one source, or every held one), so the held snapshot takes effect and the services it no
 * longer declares become orphaned, still watched. Needs the API token like every mutating call.
 */
final class SourceCommands {
    static final String USAGE = "usage: bluegreen sources confirm [SOURCE] [--api URL] [--token TOKEN]";

    private final PrintStream out;
    private final PrintStream err;

    SourceCommands(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] args) {
        if (args.length == 0 || !args[0].equals("confirm")) {
            err.println(args.length == 0 ? "bluegreen sources: which subcommand?"
                    : Escapes.printable("bluegreen sources: unknown subcommand '" + args[0] + "'"));
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
                for (JsonNode id : a.body().path("confirmed")) {
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
}

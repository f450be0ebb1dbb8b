package io.ecsbluegreen.cli;

import io.ecsbluegreen.spec.SchemaGenerator;
import io.ecsbluegreen.spec.SchemaWriter;
import java.io.PrintStream;

/** {@code bluegreen schema [--crd | --markdown]}: prints the published schema (as in {@code crds/}) or the field reference of docs/spec.md. */
final class SchemaCommand {
    private final PrintStream out;
    private final PrintStream err;

    SchemaCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] args) {
        if (args.length == 0) {
            out.print(SchemaWriter.json(SchemaGenerator.jsonSchema()));
            return 0;
        }
        if (args.length == 1 && args[0].equals("--markdown")) {
            out.print(io.ecsbluegreen.spec.SpecReference.markdown());
            return 0;
        }
        if (args.length == 1 && args[0].equals("--crd")) {
            out.print(SchemaWriter.yaml(SchemaGenerator.crd()));
            return 0;
        }
        err.println("usage: bluegreen schema [--crd | --markdown]");
        return 2;
    }
}

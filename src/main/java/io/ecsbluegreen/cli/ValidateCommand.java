package io.ecsbluegreen.cli;

import io.ecsbluegreen.source.DirectoryWalk;
import io.ecsbluegreen.spec.DeclaredService;
import io.ecsbluegreen.spec.DuplicateNames;
import io.ecsbluegreen.spec.ParsedFile;
import io.ecsbluegreen.spec.SpecError;
import io.ecsbluegreen.spec.SpecParser;
import io.ecsbluegreen.text.Escapes;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code bluegreen validate PATH...}: checks files and directories the way the operator would load
 * them, duplicate names across all of them included, and lists every error as {@code file:line:col:
 * field: reason}. Fit for a pre-commit hook and for the CI of a GitOps repository.
 */
final class ValidateCommand {
    private final PrintStream out;
    private final PrintStream err;

    ValidateCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] args) {
        if (args.length == 0) {
            err.println("usage: bluegreen validate PATH...   (files or directories of BlueGreenService YAML)");
            return 2;
        }
        Loaded loaded = load(args);
        List<SpecError> errors = loaded.errors();
        Set<Path> files = loaded.files();
        List<DeclaredService> declared = loaded.declared();
        int foreign = loaded.foreign();
        // Every line echoes file names and values from the files: escaped, so that a hostile file can
        // neither ring the bell, recolour the terminal nor forge a line of its own.
        loaded.skipped().forEach(line -> out.println(Escapes.printable(line)));
        errors.forEach(e -> out.println(Escapes.printable(e.toString())));
        long badFiles = errors.stream().map(SpecError::file).distinct().count();
        String summary = files.size() + " file" + (files.size() == 1 ? "" : "s") + ", "
                + declared.size() + " valid service" + (declared.size() == 1 ? "" : "s")
                + (foreign > 0 ? ", " + foreign + " other document" + (foreign == 1 ? "" : "s") + " skipped" : "");
        if (errors.isEmpty()) {
            out.println("ok: " + summary);
            return 0;
        }
        out.println(errors.size() + " error" + (errors.size() == 1 ? "" : "s") + " in " + badFiles + " file"
                + (badFiles == 1 ? "" : "s") + " (" + summary + ")");
        return 1;
    }

    /**
     * What a set of paths declares, read the way the operator reads a source.
     *
     * @param skipped {@code path: skipped: reason} for each entry not read on purpose (a link out of the
     *     directory, a FIFO or a device), not an error
     */
    record Loaded(Set<Path> files, List<DeclaredService> declared, List<SpecError> errors, int foreign, List<String> skipped) {}

    /**
     * Reads files and directories; a directory is listed exactly as the operator's directory source lists
     * it ({@link DirectoryWalk}). Every error sorted by place.
     */
    static Loaded load(String[] args) {
        Set<Path> files = new LinkedHashSet<>();
        List<SpecError> errors = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String arg : args) {
            Path path = Path.of(arg);
            try {
                List<DirectoryWalk.Entry> entries;
                if (Files.isDirectory(path)) {
                    entries = DirectoryWalk.walk(path);
                } else if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                    entries = List.of(DirectoryWalk.file(path));
                } else {
                    errors.add(new SpecError(arg, 0, 0, "", "no such file or directory"));
                    continue;
                }
                for (DirectoryWalk.Entry entry : entries) {
                    if (entry instanceof DirectoryWalk.Found f) files.add(f.file());
                    else if (entry instanceof DirectoryWalk.Unreadable u) errors.add(new SpecError(u.file().toString(), 0, 0, "", u.reason()));
                    else if (entry instanceof DirectoryWalk.Skipped s) skipped.add(s.file() + ": skipped: " + s.reason());
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                errors.add(new SpecError(arg, 0, 0, "", "cannot read: " + e.getMessage()));
            }
        }
        SpecParser parser = new SpecParser();
        List<DeclaredService> declared = new ArrayList<>();
        int foreign = 0;
        for (Path file : files) {
            try {
                ParsedFile parsed = parser.parse(file.toString(), Files.readAllBytes(file));
                errors.addAll(parsed.errors());
                declared.addAll(parsed.services());
                foreign += parsed.foreignDocuments();
            } catch (IOException e) {
                errors.add(new SpecError(file.toString(), 0, 0, "", "cannot read: " + e.getMessage()));
            }
        }
        errors.addAll(DuplicateNames.errors(DuplicateNames.find(declared)));
        errors.sort(Comparator.comparing(SpecError::file).thenComparingInt(SpecError::line).thenComparingInt(SpecError::column));
        return new Loaded(files, declared, errors, foreign, skipped);
    }
}

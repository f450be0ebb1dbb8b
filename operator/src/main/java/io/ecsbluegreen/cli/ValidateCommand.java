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
 *
 * <p>A file that declares nothing is a warning, not an error: an empty or comment-only file, and one whose
 * documents are all of other kinds (no {@code apiVersion}/{@code kind} of ours). It is how a source that
 * suddenly lists nothing often begins (a file emptied by a bad merge, a template that rendered nothing),
 * so {@code --strict} makes warnings fail the check.
 */
final class ValidateCommand {
    private final PrintStream out;
    private final PrintStream err;

    ValidateCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    static final String USAGE = "usage: bluegreen validate [--strict] PATH...   (files or directories of BlueGreenService YAML;"
            + " --strict: warnings fail too)";

    int run(String[] args) {
        boolean strict = java.util.Arrays.asList(args).contains("--strict");
        args = java.util.Arrays.stream(args).filter(a -> !a.equals("--strict")).toArray(String[]::new);
        if (args.length == 0) {
            err.println(USAGE);
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
        loaded.warnings().forEach(w -> out.println(Escapes.printable(w)));
        int warnings = loaded.warnings().size();
        String warned = warnings == 0 ? "" : ", " + warnings + " warning" + (warnings == 1 ? "" : "s") + (strict ? " (--strict)" : "");
        long badFiles = errors.stream().map(SpecError::file).distinct().count();
        String summary = files.size() + " file" + (files.size() == 1 ? "" : "s") + ", "
                + declared.size() + " valid service" + (declared.size() == 1 ? "" : "s")
                + (foreign > 0 ? ", " + foreign + " other document" + (foreign == 1 ? "" : "s") + " skipped" : "") + warned;
        if (errors.isEmpty() && (warnings == 0 || !strict)) {
            out.println("ok: " + summary);
            return 0;
        }
        if (errors.isEmpty()) {
            out.println("failed: " + summary);
            return 1;
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
     * @param warnings {@code path: warning: reason} for each valid file that declares nothing
     */
    record Loaded(Set<Path> files, List<DeclaredService> declared, List<SpecError> errors, int foreign, List<String> skipped,
                  List<String> warnings) {}

    /** A valid file's warning, when it declares nothing; null when it declares services. */
    static String warning(ParsedFile parsed) {
        if (!parsed.valid() || !parsed.services().isEmpty()) return null;
        return parsed.foreignDocuments() > 0
                ? parsed.file() + ": warning: every document is skipped (" + parsed.foreignDocuments() + " without an apiVersion"
                        + " in ecsbluegreen.io or kind BlueGreenService); the file declares no service"
                : parsed.file() + ": warning: the file is empty or holds only comments; it declares no service";
    }

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
        List<String> warnings = new ArrayList<>();
        int foreign = 0;
        for (Path file : files) {
            try {
                ParsedFile parsed = parser.parse(file.toString(), Files.readAllBytes(file));
                errors.addAll(parsed.errors());
                declared.addAll(parsed.services());
                foreign += parsed.foreignDocuments();
                String warning = warning(parsed);
                if (warning != null) warnings.add(warning);
            } catch (IOException e) {
                errors.add(new SpecError(file.toString(), 0, 0, "", "cannot read: " + e.getMessage()));
            }
        }
        errors.addAll(DuplicateNames.errors(DuplicateNames.find(declared)));
        errors.sort(Comparator.comparing(SpecError::file).thenComparingInt(SpecError::line).thenComparingInt(SpecError::column));
        return new Loaded(files, declared, errors, foreign, skipped, warnings);
    }
}

package io.ecsbluegreen.cli;

import io.ecsbluegreen.spec.DeclaredService;
import io.ecsbluegreen.spec.DuplicateNames;
import io.ecsbluegreen.spec.ParsedFile;
import io.ecsbluegreen.spec.SpecError;
import io.ecsbluegreen.spec.SpecParser;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

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
        errors.forEach(out::println);
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

    /** What a set of paths declares, read the way the operator reads a source. */
    record Loaded(Set<Path> files, List<DeclaredService> declared, List<SpecError> errors, int foreign) {}

    /** Reads files and directories (recursively, skipping hidden entries); every error sorted by place. */
    static Loaded load(String[] args) {
        Set<Path> files = new LinkedHashSet<>();
        List<SpecError> errors = new ArrayList<>();
        for (String arg : args) {
            Path path = Path.of(arg);
            if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path, FileVisitOption.FOLLOW_LINKS)) {
                    walk.filter(Files::isRegularFile).filter(ValidateCommand::isYaml)
                            .filter(p -> !hidden(path, p)).sorted(Comparator.naturalOrder()).forEach(files::add);
                } catch (IOException | java.io.UncheckedIOException e) {
                    errors.add(new SpecError(arg, 0, 0, "", "cannot read directory: " + e.getMessage()));
                }
            } else if (Files.isRegularFile(path)) {
                files.add(path);
            } else {
                errors.add(new SpecError(arg, 0, 0, "", "no such file or directory"));
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
        return new Loaded(files, declared, errors, foreign);
    }

    static boolean isYaml(Path p) {
        String name = p.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    private static boolean hidden(Path root, Path p) {
        for (Path part : root.relativize(p)) {
            if (part.toString().startsWith(".")) return true;
        }
        return false;
    }
}

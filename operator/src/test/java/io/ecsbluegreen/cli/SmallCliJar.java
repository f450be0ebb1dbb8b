package io.ecsbluegreen.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The small CLI jar as {@code mvn package} makes it (the {@code cli-jar} execution of maven-jar-plugin),
 * built from {@code target/classes} with the include list read from pom.xml, so tests run exactly what
 * ships without depending on the package phase; and runs of it as a separate process.
 */
final class SmallCliJar {
    private SmallCliJar() {}

    /** The include patterns of the pom's cli-jar execution. */
    static List<String> includes() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        int at = pom.indexOf("<id>cli-jar</id>");
        if (at < 0) throw new IllegalStateException("pom.xml has no cli-jar execution");
        String section = pom.substring(at, pom.indexOf("</includes>", at));
        List<String> patterns = new ArrayList<>();
        Matcher m = Pattern.compile("<include>([^<]+)</include>").matcher(section);
        while (m.find()) patterns.add(m.group(1).trim());
        return patterns;
    }

    /** Writes the jar to {@code jar} and returns the entries it holds. */
    static List<String> build(Path jar) throws IOException {
        Path classes = Path.of("target", "classes");
        // JsonReader is the core's; bin/bluegreen puts the core jar beside the CLI jar
        Path core = Path.of("..", "core", "target", "classes");
        List<PathMatcher> matchers = new ArrayList<>();
        for (String p : includes()) matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + p));
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, RemoteMain.class.getName());
        List<String> entries = new ArrayList<>();
        List<Path> roots = new ArrayList<>(List.of(classes));
        if (Files.isDirectory(core)) roots.add(core);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (Path root : roots) {
                List<Path> files;
                try (Stream<Path> all = Files.walk(root)) {
                    files = all.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path p : files) {
                Path relative = root.relativize(p);
                if (matchers.stream().noneMatch(m -> m.matches(relative))) continue;
                String name = relative.toString().replace('\\', '/');
                out.putNextEntry(new JarEntry(name));
                out.write(Files.readAllBytes(p));
                out.closeEntry();
                entries.add(name);
                }
            }
        }
        return entries;
    }

    /** What a process printed and returned. */
    record Run(int code, String out, String err) {}

    /** Runs {@code java [jvmOptions] -cp jar RemoteMain args} with the test's JVM, bounded to 60 s. */
    static Run run(Path jar, List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        return run(null, jar, jvmOptions, args);
    }

    /** As {@link #run(Path, List, String...)}, in the working directory {@code dir} (null: this one). */
    static Run run(Path dir, Path jar, List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", jar.toString(), RemoteMain.class.getName()));
        command.addAll(List.of(args));
        return exec(dir, command);
    }

    static Run exec(Path dir, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("cli-out", ".txt");
        Path err = Files.createTempFile("cli-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            if (dir != null) pb.directory(dir.toFile());
            pb.environment().remove("BLUEGREEN_API");
            pb.environment().remove("BLUEGREEN_API_TOKEN");
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("no exit within 60 s: " + command);
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}

package io.ecsbluegreen.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/**
 * The production jar and the container image hold no simulator class, and do hold the core and the
 * operator. Runs after {@code package} (the {@code image-contents} execution): it lists every class in
 * {@code target/quarkus-app} and in every layer of {@code target/image-layers.tar}, the operator's image
 * built by Jib from {@code scratch} on each verify, and of the real image when {@code -Pimage-tar} built it.
 */
class ImageContentsIT {
    static final Path APP = Path.of("target", "quarkus-app");
    static final Path LAYERS = Path.of("target", "image-layers.tar");
    static final Path IMAGE = Path.of("target", "ecs-bluegreen-operator-image.tar");
    static final String SIMULATOR = "io/ecsbluegreen/sim/";

    @Test
    void theApplicationDirectoryHoldsTheOperatorAndTheCoreButNoSimulatorClass() throws IOException {
        List<String> classes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(APP)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = APP.relativize(file).toString().replace('\\', '/');
                try (InputStream in = Files.newInputStream(file)) {
                    entries(name, in, classes::add);
                }
            }
        }
        assertContents(classes, APP.toString());
    }

    @Test
    void noLayerOfTheImageHoldsASimulatorClass() throws IOException {
        assertThat(LAYERS).as("built by the jib image-layers execution in package").isRegularFile();
        assertContents(imageClasses(LAYERS), LAYERS.toString());
        if (Files.isRegularFile(IMAGE)) assertContents(imageClasses(IMAGE), IMAGE.toString());
    }

    private static void assertContents(List<String> classes, String where) {
        assertThat(classes).as("classes in " + where).isNotEmpty();
        assertThat(classes).as("simulator classes in " + where).noneMatch(c -> c.contains(SIMULATOR));
        assertThat(classes).as("core classes in " + where).anyMatch(c -> c.contains("io/ecsbluegreen/plan/Planner.class"));
        assertThat(classes).as("operator classes in " + where).anyMatch(c -> c.contains("io/ecsbluegreen/loop/Engine.class"));
    }

    /** Every class file in every layer of a docker-save tarball, as layer!path or layer!jar!path. */
    static List<String> imageClasses(Path tarball) throws IOException {
        List<String> classes = new ArrayList<>();
        try (InputStream in = Files.newInputStream(tarball)) {
            Tar.read(in, (name, data) -> {
                if (!name.endsWith(".tar.gz") && !name.endsWith(".tar") && !name.endsWith("layer.tar")
                        && !looksGzip(data)) return;
                try (InputStream layer = looksGzip(data) ? new GZIPInputStream(new ByteArrayInputStream(data))
                        : new ByteArrayInputStream(data)) {
                    Tar.read(layer, (path, bytes) -> entries(name + "!" + path, new ByteArrayInputStream(bytes), classes::add));
                }
            });
        }
        return classes;
    }

    private static boolean looksGzip(byte[] data) {
        return data.length > 2 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b;
    }

    /** A class file itself, or the class files of a jar (nested jars too). */
    static void entries(String name, InputStream in, Consumer<String> classes) throws IOException {
        if (name.endsWith(".class")) {
            classes.accept(name);
        } else if (name.endsWith(".jar")) {
            ZipInputStream zip = new ZipInputStream(in);
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                if (e.getName().endsWith(".class")) classes.accept(name + "!" + e.getName());
                else if (e.getName().endsWith(".jar")) entries(name + "!" + e.getName(), new ByteArrayInputStream(zip.readAllBytes()), classes);
            }
        }
    }

    /** The ustar subset docker-save tarballs and Jib's layers use: 512-byte headers, regular files. */
    static final class Tar {
        interface Entry {
            void accept(String name, byte[] data) throws IOException;
        }

        static void read(InputStream in, Entry entry) throws IOException {
            String longName = null;
            for (int blocks = 0; blocks < 10_000_000; blocks++) {
                byte[] header = in.readNBytes(512);
                if (header.length < 512 || header[0] == 0) return;
                String name = text(header, 0, 100);
                String prefix = text(header, 345, 155);
                if (!prefix.isEmpty()) name = prefix + "/" + name;
                long size = Long.parseLong(text(header, 124, 12).trim().isEmpty() ? "0" : text(header, 124, 12).trim(), 8);
                byte type = header[156];
                byte[] data = in.readNBytes((int) size);
                in.readNBytes((int) ((512 - size % 512) % 512));
                if (type == 'L') {
                    longName = new String(data, StandardCharsets.UTF_8).trim();
                    continue;
                }
                if (longName != null) {
                    name = longName;
                    longName = null;
                }
                if (type == '0' || type == 0) entry.accept(name, data);
            }
        }

        private static String text(byte[] b, int off, int len) {
            int end = off;
            while (end < off + len && b[end] != 0) end++;
            return new String(b, off, end - off, StandardCharsets.US_ASCII);
        }
    }
}

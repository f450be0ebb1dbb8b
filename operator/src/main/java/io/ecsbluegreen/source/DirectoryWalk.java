package io.ecsbluegreen.source;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Lists the desired-state files below a directory, the one way both the operator's directory source and
 * {@code bluegreen validate} do it, so that what validate accepts is what the operator loads:
 * <ul>
 *   <li>hidden entries (a name starting with a dot) are not listed, though links may point into them;</li>
 *   <li>a symbolic link is followed only while its target stays inside the directory; a link out of it is
 *       {@link Skipped}, never read;</li>
 *   <li>a link that never ends on a file (a loop of links) is that file's {@link Unreadable} error, and the
 *       walk goes on with the others;</li>
 *   <li>a link to nothing, a link back to a directory that contains it, and FIFOs, devices and sockets are
 *       {@link Skipped} with a reason; reading a FIFO would block for ever, a device has no end.</li>
 * </ul>
 * Anything else that fails (a directory that cannot be read) is thrown: skipping it would look like a
 * deletion of every file below it.
 */
public final class DirectoryWalk {
    /** Deeper than any sane tree; bounds the walk whatever links exist. */
    static final int MAX_DEPTH = 64;

    private DirectoryWalk() {}

    /** One entry the walk met. */
    public sealed interface Entry permits Found, Skipped, Unreadable {
        /** The path relative to the root, with {@code /} separators. */
        String path();

        /** The entry as the walk reached it (below the root, links not resolved). */
        Path file();
    }

    /** A regular file to read, directly or through a link that stays inside the root. */
    public record Found(String path, Path file, FileTime modified, long size) implements Entry {}

    /** An entry not read on purpose; {@code reason} says why, for a person. */
    public record Skipped(String path, Path file, String reason) implements Entry {}

    /** A file that should be read and cannot be: its error, reported like any other file error. */
    public record Unreadable(String path, Path file, String reason) implements Entry {}

    /** Walks {@code root} for desired-state files: {@code .yaml} and {@code .yml}, in any case. */
    public static List<Entry> walk(Path root) throws IOException {
        return walk(root, Sources::isDesiredStateFile);
    }

    /**
     * Walks {@code root}, depth first in name order.
     *
     * @param wanted whether a relative path names a file to list (e.g. ends with {@code .yaml}); other
     *     files are ignored without a word, whatever they are
     */
    public static List<Entry> walk(Path root, Predicate<String> wanted) throws IOException {
        Path realRoot = root.toRealPath();
        List<Entry> out = new ArrayList<>();
        Set<Path> ancestors = new HashSet<>();
        ancestors.add(realRoot);
        walk(root, root, realRoot, wanted, ancestors, out, 0);
        return out;
    }

    /**
     * What one file named on a command line is: {@link Found}, {@link Skipped} (not a regular file) or
     * {@link Unreadable} (a link loop, a link to nothing). No root applies: the user named the file.
     */
    public static Entry file(Path file) throws IOException {
        String path = file.toString();
        Path target;
        try {
            target = file.toRealPath();
        } catch (FileSystemException e) {
            if (isLoop(e)) return new Unreadable(path, file, LOOP);
            if (e instanceof NoSuchFileException && Files.isSymbolicLink(file)) {
                return new Unreadable(path, file, "a link to " + Files.readSymbolicLink(file) + ", which does not exist");
            }
            throw e;
        }
        BasicFileAttributes attrs = Files.readAttributes(target, BasicFileAttributes.class);
        if (attrs.isRegularFile()) return new Found(path, file, attrs.lastModifiedTime(), attrs.size());
        return new Skipped(path, file, "not a regular file (" + kind(target, attrs) + ")");
    }

    private static final String LOOP = "a loop of symbolic links (too many levels); the file cannot be read";

    private static void walk(Path root, Path dir, Path realRoot, Predicate<String> wanted, Set<Path> ancestors,
                             List<Entry> out, int depth) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(children::add);
        }
        children.sort(null);
        for (Path child : children) {
            if (child.getFileName().toString().startsWith(".")) continue;
            String path = relative(root, child);
            BasicFileAttributes own;
            try {
                own = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                continue; // deleted while listed: simply gone
            }
            Path target = child;
            BasicFileAttributes attrs = own;
            if (own.isSymbolicLink()) {
                try {
                    target = child.toRealPath();
                } catch (FileSystemException e) {
                    if (isLoop(e)) {
                        if (wanted.test(path)) out.add(new Unreadable(path, child, LOOP));
                        continue;
                    }
                    if (e instanceof NoSuchFileException) {
                        if (wanted.test(path)) out.add(new Skipped(path, child, "a link to " + linkText(child) + ", which does not exist"));
                        continue;
                    }
                    throw e;
                }
                if (!target.startsWith(realRoot)) {
                    if (wanted.test(path) || Files.isDirectory(target)) {
                        out.add(new Skipped(path, child, "a link to " + target + ", outside the directory; links are followed only inside it"));
                    }
                    continue;
                }
                attrs = Files.readAttributes(target, BasicFileAttributes.class);
            }
            if (attrs.isDirectory()) {
                Path real = own.isSymbolicLink() ? target : child.toRealPath();
                if (ancestors.contains(real)) {
                    out.add(new Skipped(path, child, "a link back to " + (real.equals(realRoot) ? "the directory itself"
                            : relative(realRoot, real)) + ", which contains it (a cycle); not followed"));
                } else if (depth + 1 >= MAX_DEPTH) {
                    out.add(new Skipped(path, child, "nested deeper than " + MAX_DEPTH + " directories; not listed"));
                } else {
                    ancestors.add(real);
                    walk(root, child, realRoot, wanted, ancestors, out, depth + 1);
                    ancestors.remove(real);
                }
                continue;
            }
            if (!wanted.test(path)) continue;
            if (attrs.isRegularFile()) {
                out.add(new Found(path, child, attrs.lastModifiedTime(), attrs.size()));
            } else {
                out.add(new Skipped(path, child, "not a regular file (" + kind(target, attrs) + "); not read"));
            }
        }
    }

    private static boolean isLoop(FileSystemException e) {
        // Linux says ELOOP as "Too many levels of symbolic links"; the JDK has no dedicated type for it
        // outside directory walks.
        return e instanceof FileSystemLoopException
                || (e.getReason() != null && e.getReason().toLowerCase(java.util.Locale.ROOT).contains("too many levels"));
    }

    private static String linkText(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "?";
        }
    }

    /** FIFO, device or socket, as far as the platform tells; "a special file" otherwise. */
    static String kind(Path file, BasicFileAttributes attrs) {
        try {
            int type = ((Integer) Files.getAttribute(file, "unix:mode")) & 0170000;
            return switch (type) {
                case 0010000 -> "a FIFO";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0140000 -> "a socket";
                default -> "a special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "a special file";
        }
    }

    private static String relative(Path root, Path file) {
        Path relative = root.relativize(file);
        String separator = relative.getFileSystem().getSeparator();
        return separator.equals("/") ? relative.toString() : relative.toString().replace(separator, "/");
    }
}

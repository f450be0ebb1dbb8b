package io.ecsbluegreen.source;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * The YAML files below a local directory, e.g. a mounted volume or a checkout maintained by another tool.
 *
 * <p>Every {@link #fetch()} walks the tree. A file is read again only when its modification time or size
 * changed, except that a file modified less than {@link #RACY_WINDOW} before it was read is read again at
 * the next fetch too: a second write within the file system's timestamp granularity may keep both time
 * and size, and would otherwise go unnoticed (git calls such entries "racily clean").
 *
 * <p>Hidden files and directories (name starting with a dot) are skipped. Symbolic links are followed
 * only while their target stays inside the root, so a mounted configuration whose files are links into
 * a hidden data directory works, while a link to {@code /etc} is ignored.
 */
public final class DirectorySource implements DesiredStateSource {

    /** How recent a modification must be, at read time, for the read to be repeated at the next fetch. */
    static final Duration RACY_WINDOW = Duration.ofSeconds(2);

    private static final Logger LOG = Logger.getLogger(DirectorySource.class);

    private final String id;
    private final Path root;
    private final Clock clock;
    private Map<String, CachedFile> cache = Map.of();
    private long fileReads;

    /** A source on the configured directory, using the system clock. */
    public DirectorySource(SourceUri.Directory uri) {
        this(uri, Clock.systemUTC());
    }

    /**
     * @param uri the directory to read
     * @param clock tells when a file was read, to recognise modifications too recent to trust its mtime
     */
    public DirectorySource(SourceUri.Directory uri, Clock clock) {
        this.id = uri.id();
        this.root = uri.root().toAbsolutePath().normalize();
        this.clock = clock;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public SourceListing fetch() throws SourceException {
        if (!Files.exists(root)) {
            throw new SourceException(id + ": directory " + root + " does not exist");
        }
        if (!Files.isDirectory(root)) {
            throw new SourceException(id + ": " + root + " is not a directory");
        }
        Instant readTime = clock.instant();
        Map<String, CachedFile> next = new HashMap<>();
        List<SourceFile> files = new ArrayList<>();
        try {
            for (Candidate candidate : walk()) {
                CachedFile cached = cache.get(candidate.path());
                CachedFile current = cached != null && cached.matches(candidate) ? cached : read(candidate, readTime);
                if (current != null) {
                    next.put(candidate.path(), current);
                    files.add(current.file());
                }
            }
        } catch (IOException e) {
            throw new SourceException(id + ": cannot read " + root + ": " + e, e);
        }
        cache = next;
        TreeMap<String, String> versions = new TreeMap<>();
        files.forEach(f -> versions.put(f.path(), f.version()));
        return new SourceListing(Sources.digestRevision(versions), Sources.sorted(files));
    }

    /** Reads one file; {@code null} when it vanished since the walk saw it, which is a deletion. */
    private CachedFile read(Candidate candidate, Instant readTime) throws IOException {
        byte[] content;
        try {
            content = Files.readAllBytes(candidate.file());
        } catch (NoSuchFileException e) {
            return null;
        }
        fileReads++;
        boolean racy = candidate.modified().toInstant().isAfter(readTime.minus(RACY_WINDOW));
        SourceFile file = new SourceFile(candidate.path(), candidate.file().toString(), Sources.sha256Hex(content), content);
        return new CachedFile(candidate.modified(), candidate.size(), racy, file);
    }

    private List<Candidate> walk() throws IOException {
        Path realRoot = root.toRealPath();
        List<Candidate> found = new ArrayList<>();
        Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (dir.equals(root)) {
                    return FileVisitResult.CONTINUE;
                }
                if (dir.getFileName().toString().startsWith(".")) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                if (!dir.toRealPath().startsWith(realRoot)) {
                    LOG.debugf("%s: skipping %s, a link to a directory outside the root", id, dir);
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String path = relative(file);
                if (!attrs.isRegularFile() || !Sources.isDesiredStateFile(path)) {
                    return FileVisitResult.CONTINUE;
                }
                if (!file.toRealPath().startsWith(realRoot)) {
                    LOG.debugf("%s: skipping %s, a link to a file outside the root", id, file);
                    return FileVisitResult.CONTINUE;
                }
                found.add(new Candidate(path, file, attrs.lastModifiedTime(), attrs.size()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                // A link cycle is skipped like any link leaving the root; a file deleted during the walk
                // is simply gone. Anything else (permissions, I/O) fails the whole fetch, because
                // skipping an unreadable file would look like a deletion to the caller.
                if (e instanceof FileSystemLoopException || e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        return found;
    }

    private String relative(Path file) {
        Path relative = root.relativize(file);
        return relative.getFileSystem().getSeparator().equals("/")
                ? relative.toString()
                : relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
    }

    /** How many files were read from disk so far; lets tests prove that unchanged files are not. */
    long fileReads() {
        return fileReads;
    }

    private record Candidate(String path, Path file, FileTime modified, long size) {}

    /**
     * @param racy the file was modified so shortly before it was read that an equal mtime and size do not
     *     prove it unchanged
     */
    private record CachedFile(FileTime modified, long size, boolean racy, SourceFile file) {
        boolean matches(Candidate candidate) {
            return !racy && modified.equals(candidate.modified()) && size == candidate.size();
        }
    }
}

package io.ecsbluegreen.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import io.ecsbluegreen.text.Escapes;
import org.jboss.logging.Logger;

/**
 * The YAML files below a local directory, e.g. a mounted volume or a checkout maintained by another tool.
 *
 * <p>Every {@link #fetch()} walks the tree. A file is read again only when its modification time or size
 * changed, except that a file modified less than {@link #RACY_WINDOW} before it was read is read again at
 * the next fetch too: a second write within the file system's timestamp granularity may keep both time
 * and size, and would otherwise go unnoticed (git calls such entries "racily clean").
 *
 * <p>The tree is listed by {@link DirectoryWalk}, exactly as {@code bluegreen validate} lists it: hidden
 * entries skipped, symbolic links followed only while their target stays inside the root (so a mounted
 * configuration whose files are links into a hidden data directory works, while a link to {@code /etc}
 * is not read), FIFOs and devices skipped with a warning, and a loop of links listed as an unreadable
 * file, whose services then keep their last good spec as for any invalid file.
 */
public final class DirectorySource implements DesiredStateSource {

    /** How recent a modification must be, at read time, for the read to be repeated at the next fetch. */
    static final Duration RACY_WINDOW = Duration.ofSeconds(2);

    private static final Logger LOG = Logger.getLogger(DirectorySource.class);

    private final String id;
    private final Path root;
    private final Clock clock;
    private Map<String, CachedFile> cache = Map.of();
    /** The skip notices already logged, so that each is logged once while it lasts. */
    private Set<String> reportedSkips = Set.of();
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
        if (candidate.problem() != null) {
            return new CachedFile(null, 0, false, SourceFile.unreadable(candidate.path(), candidate.file().toString(), candidate.problem()));
        }
        byte[] content;
        try {
            content = Files.readAllBytes(candidate.file());
        } catch (NoSuchFileException e) {
            return null;
        }
        fileReads++;
        boolean racy = candidate.modified().toInstant().isAfter(readTime.minus(RACY_WINDOW));
        String hash = Sources.sha256Hex(content);
        SourceFile file = new SourceFile(candidate.path(), candidate.file().toString(), hash, content,
                Provenance.file(hash, candidate.modified().toInstant()));
        return new CachedFile(candidate.modified(), candidate.size(), racy, file);
    }

    private List<Candidate> walk() throws IOException {
        List<Candidate> found = new ArrayList<>();
        Set<String> skipped = new HashSet<>();
        for (DirectoryWalk.Entry entry : DirectoryWalk.walk(root)) {
            if (entry instanceof DirectoryWalk.Found f) {
                found.add(new Candidate(f.path(), f.file(), f.modified(), f.size(), null));
            } else if (entry instanceof DirectoryWalk.Unreadable u) {
                found.add(new Candidate(u.path(), u.file(), null, 0, u.reason()));
            } else if (entry instanceof DirectoryWalk.Skipped s) {
                String notice = s.path() + ": skipped: " + s.reason();
                skipped.add(notice);
                // said once, not at every poll; said again if it goes away and comes back
                if (!reportedSkips.contains(notice)) LOG.warnf("%s: %s", id, Escapes.printable(notice));
            }
        }
        reportedSkips = skipped;
        return found;
    }

    /** How many files were read from disk so far; lets tests prove that unchanged files are not. */
    long fileReads() {
        return fileReads;
    }

    /** @param problem why the file cannot be read (then it is listed as unreadable), or null */
    private record Candidate(String path, Path file, FileTime modified, long size, String problem) {}

    /**
     * @param racy the file was modified so shortly before it was read that an equal mtime and size do not
     *     prove it unchanged
     */
    private record CachedFile(FileTime modified, long size, boolean racy, SourceFile file) {
        boolean matches(Candidate candidate) {
            return candidate.problem() == null && file.problem() == null && !racy && modified.equals(candidate.modified()) && size == candidate.size();
        }
    }
}

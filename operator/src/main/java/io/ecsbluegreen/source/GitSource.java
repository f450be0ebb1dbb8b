package io.ecsbluegreen.source;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.LargeObjectException;
import org.eclipse.jgit.internal.JGitText;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.FileUtils;

/**
 * The YAML files below a sub-path of one branch of a git repository.
 *
 * <p>The source keeps a bare clone in a sub-directory of its work directory (named after the source id,
 * so it survives restarts and is not shared with another source). Every {@link #fetch()} fetches the one
 * branch with a forced refspec, so a force-push or a reset of the branch is followed like any other
 * move, then reads the files straight from the commit's tree without a checkout. Blobs already read at
 * the previous fetch are not read again.
 *
 * <p>Credentials: an HTTPS token is read from its file or environment variable at every fetch (so a
 * rotated token is picked up) and handed to git as the password of user {@code x-access-token}, or of the
 * user named in the URL; ssh uses the configured key file with strict host-key checking against the
 * configured known_hosts file (default {@code ~/.ssh/known_hosts}): an unknown or changed host key fails
 * the fetch, nothing is ever prompted for or added to known_hosts. No message carries a credential.
 */
public final class GitSource implements DesiredStateSource {

    /**
     * The user name sent with a token when the URL names none. GitHub, GitLab and Gitea accept any name
     * with a token; a server that needs a particular one gets it from the URL
     * ({@code https://x-token-auth@bitbucket.org/…}).
     */
    static final String TOKEN_USER = "x-access-token";

    private final SourceUri.Git uri;
    private final String id;
    private final Path repositoryDirectory;
    private final Function<String, String> environment;
    private final String remoteRef;
    private final String trackingRef;

    private Repository repository;
    private SshdSessionFactory sshSessionFactory;
    private ObjectId lastCommit;
    private SourceListing lastListing;
    private Map<ObjectId, byte[]> blobs = Map.of();
    private long blobReads;
    private final FileHistory history = new FileHistory();

    /** A source reading tokens from the process environment. */
    public GitSource(SourceUri.Git uri, Path workDirectory) {
        this(uri, workDirectory, System::getenv);
    }

    /**
     * @param uri the repository, branch, sub-path and credentials
     * @param workDirectory the parent directory of the bare clone; created when missing
     * @param environment looks up environment variables, for {@code tokenEnv}
     */
    public GitSource(SourceUri.Git uri, Path workDirectory, Function<String, String> environment) {
        this.uri = uri;
        this.id = uri.id();
        this.repositoryDirectory = workDirectory.toAbsolutePath().normalize().resolve(cloneName(uri));
        this.environment = environment;
        this.remoteRef = Constants.R_HEADS + uri.branch();
        this.trackingRef = Constants.R_REMOTES + "origin/" + uri.branch();
    }

    @Override
    public String id() {
        return id;
    }

    /** Where the bare clone lives. */
    public Path repositoryDirectory() {
        return repositoryDirectory;
    }

    @Override
    public SourceListing fetch() throws SourceException {
        Repository repo = repository();
        ObjectId commit = fetchBranch(repo);
        if (commit.equals(lastCommit)) {
            return lastListing;
        }
        SourceListing listing = readTree(repo, commit);
        lastCommit = commit.copy();
        lastListing = listing;
        return listing;
    }

    private ObjectId fetchBranch(Repository repo) throws SourceException {
        Optional<String> token = token();
        try (Git git = new Git(repo)) {
            git.fetch()
                    .setRemote(uri.remote())
                    // '+' forces the update, so a rewritten branch replaces the old tip instead of failing.
                    .setRefSpecs(new RefSpec("+" + remoteRef + ":" + trackingRef))
                    .setTagOpt(TagOpt.NO_TAGS)
                    .setTimeout(Math.toIntExact(Math.max(1, uri.timeout().toSeconds())))
                    .setCredentialsProvider(token.map(this::credentials).orElse(null))
                    .setTransportConfigCallback(transport -> {
                        if (transport instanceof SshTransport ssh) {
                            ssh.setSshSessionFactory(sshSessionFactory());
                        }
                    })
                    .call();
        } catch (GitAPIException | RuntimeException e) {
            throw fetchFailure(e, token);
        }
        try {
            ObjectId commit = repo.resolve(trackingRef + "^{commit}");
            if (commit == null) {
                throw new SourceException(id + ": branch '" + uri.branch() + "' was fetched but cannot be resolved");
            }
            return commit;
        } catch (IOException e) {
            throw new SourceException(id + ": cannot resolve branch '" + uri.branch() + "': " + e.getMessage(), e);
        }
    }

    private SourceException fetchFailure(Exception e, Optional<String> token) {
        // JGit's own message texts (possibly translated) identify the two failures worth naming.
        String missing = MessageFormat.format(JGitText.get().remoteDoesNotHaveSpec, remoteRef);
        String detail = detail(e);
        if (detail.contains(missing)) {
            return new SourceException(id + ": branch '" + uri.branch() + "' does not exist", e);
        }
        if (detail.contains(JGitText.get().notAuthorized) || detail.contains(JGitText.get().noCredentialsProvider)) {
            return new SourceException(id + ": authentication failed: " + scrub(detail, token), e);
        }
        return new SourceException(id + ": fetch failed: " + scrub(detail, token), e);
    }

    /** The messages of an exception and its causes, which is where JGit puts the useful part. */
    private static String detail(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null && text.length() < 2000; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !text.toString().contains(t.getMessage())) {
                text.append(text.isEmpty() ? "" : ": ").append(t.getMessage());
            }
        }
        return text.isEmpty() ? e.getClass().getSimpleName() : text.toString();
    }

    /** JGit never puts a password in a message; this is a second line of defence. */
    private static String scrub(String message, Optional<String> token) {
        return token.map(t -> message.replace(t, "***")).orElse(message);
    }

    /** Reads the HTTPS token anew at every fetch so that rotating it needs no restart. */
    private Optional<String> token() throws SourceException {
        if (uri.tokenFile().isPresent()) {
            Path file = uri.tokenFile().get();
            String token;
            try {
                token = Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new SourceException(id + ": cannot read token file " + file + " (" + e.getClass().getSimpleName() + ")");
            }
            if (token.isEmpty()) {
                throw new SourceException(id + ": token file " + file + " is empty");
            }
            return Optional.of(token);
        }
        if (uri.tokenEnv().isPresent()) {
            String name = uri.tokenEnv().get();
            String token = environment.apply(name);
            if (token == null || token.isBlank()) {
                throw new SourceException(id + ": environment variable " + name + " is not set");
            }
            return Optional.of(token.strip());
        }
        return Optional.empty();
    }

    private CredentialsProvider credentials(String token) {
        return new UsernamePasswordCredentialsProvider(urlUser().orElse(TOKEN_USER), token);
    }

    private Optional<String> urlUser() {
        try {
            return Optional.ofNullable(new URI(uri.remote()).getUserInfo()).filter(u -> !u.isEmpty());
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private SshdSessionFactory sshSessionFactory() {
        if (sshSessionFactory == null) {
            sshSessionFactory = SshSessions.create(uri);
        }
        return sshSessionFactory;
    }

    private SourceListing readTree(Repository repo, ObjectId commitId) throws SourceException {
        Map<ObjectId, byte[]> nextBlobs = new HashMap<>();
        List<SourceFile> files = new ArrayList<>();
        Map<String, ObjectId> fullPaths = new HashMap<>();
        try (RevWalk revWalk = new RevWalk(repo); TreeWalk walk = new TreeWalk(repo)) {
            RevCommit commit = revWalk.parseCommit(commitId);
            walk.addTree(subTree(repo, commit));
            walk.setRecursive(true);
            while (walk.next()) {
                FileMode mode = walk.getFileMode(0);
                String path = walk.getPathString();
                // Only plain files: a symlink's blob is its target's name and a gitlink has no blob here.
                if ((mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE) || !Sources.isDesiredStateFile(path)) {
                    continue;
                }
                ObjectId blobId = walk.getObjectId(0);
                byte[] content = blobs.get(blobId);
                if (content == null) {
                    content = nextBlobs.containsKey(blobId) ? nextBlobs.get(blobId) : readBlob(repo, blobId);
                }
                nextBlobs.put(blobId, content);
                String fullPath = uri.path().isEmpty() ? path : uri.path() + "/" + path;
                files.add(new SourceFile(path, uri.remote() + "@" + uri.branch() + ":" + fullPath, blobId.name(), content));
                fullPaths.put(fullPath, blobId.copy());
            }
            Map<String, Provenance> provenance = history.of(repo, commit, fullPaths);
            files.replaceAll(f -> f.withProvenance(provenance.get(uri.path().isEmpty() ? f.path() : uri.path() + "/" + f.path())));
        } catch (IOException | LargeObjectException e) {
            throw new SourceException(id + ": cannot read commit " + commitId.name() + ": " + e.getMessage(), e);
        }
        blobs = nextBlobs;
        return new SourceListing(commitId.name(), Sources.sorted(files));
    }

    private byte[] readBlob(Repository repo, ObjectId blobId) throws IOException {
        blobReads++;
        return repo.open(blobId, Constants.OBJ_BLOB).getBytes();
    }

    /** The tree at the configured sub-path; a missing sub-path fails rather than reading as "no files". */
    private ObjectId subTree(Repository repo, RevCommit commit) throws IOException, SourceException {
        if (uri.path().isEmpty()) {
            return commit.getTree();
        }
        try (TreeWalk walk = TreeWalk.forPath(repo, uri.path(), commit.getTree())) {
            if (walk == null) {
                throw new SourceException(id + ": path '" + uri.path() + "' does not exist in commit " + commit.name());
            }
            if (!walk.isSubtree()) {
                throw new SourceException(id + ": path '" + uri.path() + "' is not a directory in commit " + commit.name());
            }
            return walk.getObjectId(0);
        }
    }

    /** Opens the bare clone, creating it (or re-creating it when it is not a usable repository). */
    private Repository repository() throws SourceException {
        if (repository != null) {
            return repository;
        }
        File dir = repositoryDirectory.toFile();
        try {
            if (dir.exists() && !RepositoryCache.FileKey.isGitRepository(dir, FS.DETECTED)) {
                // Only ever our own clone directory: a half-created clone from an interrupted first run.
                FileUtils.delete(dir, FileUtils.RECURSIVE | FileUtils.RETRY);
            }
            Files.createDirectories(repositoryDirectory.getParent());
            Repository repo = new FileRepositoryBuilder().setGitDir(dir).setBare().build();
            if (!repo.getObjectDatabase().exists()) {
                repo.create(true);
            }
            repository = repo;
            return repo;
        } catch (IOException | IllegalStateException e) {
            throw new SourceException(id + ": cannot create the local clone in " + repositoryDirectory + ": " + e.getMessage(), e);
        }
    }

    /** A readable, stable and unique directory name: the repository's name and a hash of the source id. */
    static String cloneName(SourceUri.Git uri) {
        String remote = uri.remote().replaceAll("/+$", "");
        String last = remote.substring(Math.max(remote.lastIndexOf('/'), remote.lastIndexOf(':')) + 1)
                .replaceAll("\\.git$", "")
                .replaceAll("[^A-Za-z0-9._-]", "_");
        if (last.isEmpty() || last.startsWith(".")) {
            last = "repo";
        }
        String hash = Sources.sha256Hex(uri.id().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
        return (last.length() > 40 ? last.substring(0, 40) : last) + "-" + hash + ".git";
    }

    /** How many commits were looked at to find the commits that last changed the files (see {@link FileHistory}). */
    long commitsWalked() {
        return history.commitsWalked();
    }

    /** How many blobs were read from the object database so far; lets tests prove the cache works. */
    long blobReads() {
        return blobReads;
    }

    @Override
    public void close() {
        if (sshSessionFactory != null) {
            sshSessionFactory.close();
            sshSessionFactory = null;
        }
        if (repository != null) {
            repository.close();
            repository = null;
        }
    }
}

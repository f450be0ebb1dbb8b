package io.ecsbluegreen.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.revwalk.RevCommit;

/** A real, non-bare git repository in a temporary directory that tests commit to, like a team would. */
final class Upstream implements AutoCloseable {

    private static final PersonIdent AUTHOR = new PersonIdent("Platform Team", "platform@example.com");

    private final Path directory;
    private final Git git;

    private Upstream(Path directory, Git git) {
        this.directory = directory;
        this.git = git;
    }

    static Upstream create(Path directory) throws GitAPIException {
        return new Upstream(directory, Git.init().setDirectory(directory.toFile()).setInitialBranch("main").call());
    }

    /** The {@code file://} URL of this repository. */
    String url() {
        return "file://" + directory.toAbsolutePath();
    }

    /** Writes the files (path to content) and removes the paths given as deletions, then commits. */
    RevCommit commit(String message, Map<String, String> writes, String... deletions) throws IOException, GitAPIException {
        return commit(message, AUTHOR, writes, deletions);
    }

    /** {@link #commit(String, Map, String...)} by another author. */
    RevCommit commit(String message, PersonIdent author, Map<String, String> writes, String... deletions)
            throws IOException, GitAPIException {
        for (Map.Entry<String, String> write : writes.entrySet()) {
            Path file = directory.resolve(write.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, write.getValue());
            git.add().addFilepattern(write.getKey()).call();
        }
        for (String deletion : deletions) {
            git.rm().addFilepattern(deletion).call();
        }
        return git.commit().setMessage(message).setAuthor(author).setCommitter(author).setAllowEmpty(true).call();
    }

    /** Moves the current branch and the work tree to an older commit, like {@code git reset --hard}. */
    void resetHard(ObjectId commit) throws GitAPIException {
        git.reset().setMode(ResetCommand.ResetType.HARD).setRef(commit.name()).call();
    }

    /** Creates or moves a branch without touching the work tree. */
    void setBranch(String branch, ObjectId commit) throws IOException {
        RefUpdate update = git.getRepository().updateRef("refs/heads/" + branch);
        update.setNewObjectId(commit);
        update.forceUpdate();
    }

    /** The repository itself, for reading it as the source's clone would. */
    org.eclipse.jgit.lib.Repository repository() {
        return git.getRepository();
    }

    @Override
    public void close() {
        git.close();
    }
}

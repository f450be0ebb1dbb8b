package io.ecsbluegreen.source;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilterGroup;

/**
 * Finds, for each file of a commit, the commit that brought its current content: the newest commit in
 * which the file has that blob while none of the commit's parents has it (a revert names the revert, a
 * merge that only carries a side branch's change names the side branch's commit).
 *
 * <p>Computed once per commit the source moves to, never per reconcile pass: when the branch moves from
 * the previous commit, only the new commits are walked (a file whose blob did not change and that no new
 * commit touched keeps its answer); a file the new commits do not explain (a force-push) and the first
 * fetch after a start walk the history back until every file is found, at most {@value #MAX_COMMITS}
 * commits. Not thread-safe, like its source.
 */
final class FileHistory {

    /** How far back a file's last change is looked for; older ones are reported without provenance. */
    static final int MAX_COMMITS = 10_000;

    private ObjectId lastCommit;
    private Map<String, ObjectId> lastBlobs = Map.of();
    private Map<String, Provenance> last = Map.of();
    private long commitsWalked;

    /**
     * The provenance of each file of {@code head}.
     *
     * @param blobs path from the repository root to the file's blob in {@code head}
     * @return path to provenance; a file whose last change is beyond {@value #MAX_COMMITS} commits is missing
     */
    Map<String, Provenance> of(Repository repo, ObjectId head, Map<String, ObjectId> blobs) throws IOException {
        Map<String, Provenance> found = new HashMap<>();
        Map<String, ObjectId> open = new HashMap<>(blobs);
        if (lastCommit != null) {
            try {
                walk(repo, head, lastCommit, open, found);
            } catch (MissingObjectException e) {
                // the previous commit is gone from the clone: walk everything below
            }
            for (var it = open.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                Provenance before = last.get(e.getKey());
                if (before != null && e.getValue().equals(lastBlobs.get(e.getKey()))) {
                    found.put(e.getKey(), before);
                    it.remove();
                }
            }
        }
        if (!open.isEmpty()) walk(repo, head, null, open, found);
        lastCommit = head.copy();
        lastBlobs = Map.copyOf(blobs);
        last = Map.copyOf(found);
        return found;
    }

    /** Commits looked at so far; lets tests and the benchmark show what the cache saves. */
    long commitsWalked() {
        return commitsWalked;
    }

    private void walk(Repository repo, ObjectId head, ObjectId since, Map<String, ObjectId> open,
                      Map<String, Provenance> found) throws IOException {
        try (RevWalk rw = new RevWalk(repo)) {
            rw.markStart(rw.parseCommit(head));
            if (since != null) rw.markUninteresting(rw.parseCommit(since));
            int walked = 0;
            for (RevCommit c : rw) {
                if (open.isEmpty() || walked++ >= MAX_COMMITS) break;
                commitsWalked++;
                Set<String> done = new HashSet<>();
                try (TreeWalk tw = new TreeWalk(repo)) {
                    tw.setRecursive(true);
                    tw.setFilter(PathFilterGroup.createFromStrings(open.keySet()));
                    tw.addTree(c.getTree());
                    for (RevCommit p : c.getParents()) {
                        rw.parseHeaders(p);
                        tw.addTree(p.getTree());
                    }
                    while (tw.next()) {
                        ObjectId wanted = open.get(tw.getPathString());
                        if (wanted == null || !wanted.equals(tw.getObjectId(0))) continue;
                        boolean inherited = false;
                        for (int i = 1; i < tw.getTreeCount() && !inherited; i++) inherited = wanted.equals(tw.getObjectId(i));
                        if (!inherited) {
                            done.add(tw.getPathString());
                            found.put(tw.getPathString(), Provenance.commit(c.name(), c.getShortMessage(),
                                    c.getAuthorIdent().getName(), c.getAuthorIdent().getWhenAsInstant()));
                        }
                    }
                }
                open.keySet().removeAll(done);
            }
        }
    }
}

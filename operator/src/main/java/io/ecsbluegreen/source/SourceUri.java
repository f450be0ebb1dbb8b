package io.ecsbluegreen.source;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One configured desired-state source, parsed from its URI.
 *
 * <p>Accepted forms (see {@code docs/sources.md}):
 *
 * <ul>
 *   <li>{@code dir:/abs/path} or {@code dir:relative/path} — everything after {@code dir:} is the path;
 *   <li>{@code git:<repository-url>[?branch=…&path=…&tokenFile=…|tokenEnv=…&sshKeyFile=…&knownHostsFile=…&timeout=…]}
 *       where the repository URL is {@code https://…}, {@code ssh://…}, {@code file://…} or scp-like
 *       {@code user@host:org/repo.git};
 *   <li>{@code s3://bucket[/prefix][?region=…]}.
 * </ul>
 *
 * <p>{@link #id()} is the canonical, secret-free form used as the source's metric label and in messages.
 */
public sealed interface SourceUri permits SourceUri.Directory, SourceUri.Git, SourceUri.S3 {

    /** The canonical form of this URI: scheme, location, and for git the branch and sub-path. */
    String id();

    /**
     * Parses one configured source URI.
     *
     * @throws IllegalArgumentException with a message naming the URI (with any URL password masked)
     *     and what is wrong with it
     */
    static SourceUri parse(String uri) {
        return SourceUriParser.parse(uri);
    }

    /**
     * A local directory holding YAML files.
     *
     * @param root the directory as configured; relative paths resolve against the working directory
     */
    record Directory(Path root) implements SourceUri {
        public Directory {
            Objects.requireNonNull(root, "root");
        }

        @Override
        public String id() {
            return "dir:" + root;
        }
    }

    /**
     * A branch of a git repository.
     *
     * @param remote the repository URL handed to git ({@code https://}, {@code ssh://}, {@code file://} or
     *     scp-like {@code user@host:path}); never contains a password
     * @param branch the branch name without {@code refs/heads/}
     * @param path the sub-path inside the repository, without leading or trailing {@code /}; empty for
     *     the repository root
     * @param tokenFile a file whose content (trimmed) is the HTTPS token, read at every fetch
     * @param tokenEnv an environment variable holding the HTTPS token, read at every fetch
     * @param sshKeyFile the private key used for ssh; without it the usual {@code ~/.ssh/id_*} keys
     * @param knownHostsFile the known_hosts file used to check the ssh host key; without it
     *     {@code ~/.ssh/known_hosts}
     * @param timeout the network timeout of one fetch
     */
    record Git(
            String remote,
            String branch,
            String path,
            Optional<Path> tokenFile,
            Optional<String> tokenEnv,
            Optional<Path> sshKeyFile,
            Optional<Path> knownHostsFile,
            Duration timeout)
            implements SourceUri {

        /** The branch used when the URI names none. */
        public static final String DEFAULT_BRANCH = "main";

        /** The fetch timeout used when the URI names none. */
        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

        public Git {
            Objects.requireNonNull(remote, "remote");
            Objects.requireNonNull(branch, "branch");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(tokenFile, "tokenFile");
            Objects.requireNonNull(tokenEnv, "tokenEnv");
            Objects.requireNonNull(sshKeyFile, "sshKeyFile");
            Objects.requireNonNull(knownHostsFile, "knownHostsFile");
            Objects.requireNonNull(timeout, "timeout");
            if (tokenFile.isPresent() && tokenEnv.isPresent()) {
                throw new IllegalArgumentException("tokenFile and tokenEnv are mutually exclusive");
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + timeout);
            }
        }

        /** A source on {@code branch} at the repository root, without credentials, default timeout. */
        public static Git of(String remote, String branch) {
            return new Git(remote, branch, "", Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), DEFAULT_TIMEOUT);
        }

        @Override
        public String id() {
            return "git:" + remote + "?branch=" + branch + (path.isEmpty() ? "" : "&path=" + path);
        }
    }

    /**
     * An S3 prefix.
     *
     * @param bucket the bucket name
     * @param prefix the key prefix, empty or ending with {@code /} (a configured {@code s3://b/services}
     *     means the folder {@code services/}, not every key starting with {@code services})
     * @param region the region to call, or empty for the client's default region
     */
    record S3(String bucket, String prefix, Optional<String> region) implements SourceUri {
        public S3 {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(prefix, "prefix");
            Objects.requireNonNull(region, "region");
            if (!prefix.isEmpty() && !prefix.endsWith("/")) {
                throw new IllegalArgumentException("prefix must be empty or end with '/': " + prefix);
            }
        }

        @Override
        public String id() {
            return "s3://" + bucket + "/" + prefix;
        }
    }
}

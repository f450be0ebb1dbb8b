package io.ecsbluegreen.source;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Builds the {@link DesiredStateSource} for a configured {@link SourceUri}.
 *
 * <p>The caller keeps control of everything environment-specific: where git clones live, how an
 * {@link S3Client} is made (endpoint override, credentials provider, HTTP client) and which clock and
 * environment variables the sources see.
 */
public final class SourceFactory {

    private final Path gitWorkDirectory;
    private final Function<Optional<String>, S3Client> s3Clients;
    private final Function<String, String> environment;
    private final Clock clock;

    /**
     * A factory using the system clock and the process environment.
     *
     * @param gitWorkDirectory the parent directory of the bare clones of git sources
     * @param s3Clients makes a client for the URI's {@code region} parameter, or for the default region
     *     when it is empty; every S3 source gets its own client and closes it
     */
    public SourceFactory(Path gitWorkDirectory, Function<Optional<String>, S3Client> s3Clients) {
        this(gitWorkDirectory, s3Clients, System::getenv, Clock.systemUTC());
    }

    /**
     * @param gitWorkDirectory the parent directory of the bare clones of git sources
     * @param s3Clients makes a client for the URI's {@code region} parameter, or for the default region
     *     when it is empty; every S3 source gets its own client and closes it
     * @param environment looks up the environment variables named by {@code tokenEnv}
     * @param clock the clock of directory sources
     */
    public SourceFactory(
            Path gitWorkDirectory,
            Function<Optional<String>, S3Client> s3Clients,
            Function<String, String> environment,
            Clock clock) {
        this.gitWorkDirectory = Objects.requireNonNull(gitWorkDirectory, "gitWorkDirectory");
        this.s3Clients = Objects.requireNonNull(s3Clients, "s3Clients");
        this.environment = Objects.requireNonNull(environment, "environment");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Parses and builds a source.
     *
     * @throws IllegalArgumentException when the URI is malformed
     */
    public DesiredStateSource create(String uri) {
        return create(SourceUri.parse(uri));
    }

    /** Builds a source; nothing is contacted until its first {@link DesiredStateSource#fetch()}. */
    public DesiredStateSource create(SourceUri uri) {
        // SourceUri is sealed to these three kinds (no pattern switch on Java 17).
        if (uri instanceof SourceUri.Directory dir) {
            return new DirectorySource(dir, clock);
        }
        if (uri instanceof SourceUri.Git git) {
            return new GitSource(git, gitWorkDirectory, environment);
        }
        SourceUri.S3 s3 = (SourceUri.S3) uri;
        return new S3Source(s3, s3Clients.apply(s3.region()), true);
    }
}

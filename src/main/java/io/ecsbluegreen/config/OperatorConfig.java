package io.ecsbluegreen.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every setting of the operator, read from {@code bluegreen.*} properties or {@code BLUEGREEN_*}
 * environment variables. docs/configuration.md lists them; a test keeps the two in step.
 */
@ConfigMapping(prefix = "bluegreen")
public interface OperatorConfig {

    /**
     * Where the desired state lives, one URI each: {@code dir:/path}, {@code git:https://…?branch=…&path=…},
     * {@code git:ssh://…}, {@code git:file://…} or {@code s3://bucket/prefix}. See docs/sources.md.
     */
    @WithDefault("dir:examples")
    List<String> sources();

    /** How sources are polled and read. */
    Sync sync();

    /** How the operator reaches AWS. */
    Aws aws();

    /** How the reconcile loop runs. */
    Reconcile reconcile();

    /** Who may use the operator's HTTP API. */
    Api api();

    /**
     * Access to the HTTP API. Every mutating request ({@code POST}, {@code PUT}, {@code PATCH},
     * {@code DELETE} under {@code /api/}) needs {@code Authorization: Bearer TOKEN}; reads need it too
     * when {@code open-reads} is false. Health checks ({@code /q/health}) are always open.
     */
    interface Api {
        /**
         * The bearer token. When neither this nor {@code token-file} is set, a random token is made at
         * start-up and written to {@code .bluegreen/api-token} (owner-only), where the CLI finds it.
         */
        Optional<String> token();

        /** A file holding the bearer token (a mounted secret); read once at start-up, surrounding blanks ignored. */
        Optional<Path> tokenFile();

        /** Whether reads ({@code GET /api/...}, {@code /q/metrics}, the dashboard) need no token. */
        @WithDefault("true")
        boolean openReads();
    }

    /** Settings of the reconcile loop (see docs/architecture.md). */
    interface Reconcile {
        /** Whether the operator reconciles at all; when off it only reads and reports the desired state. */
        @WithDefault("true")
        boolean enabled();

        /** Threads reconciling at once; each handles one batch of services at a time. */
        @WithDefault("4")
        int workers();

        /** Services observed together at most (DescribeServices takes ten per call, DescribeListeners twenty). */
        @WithDefault("20")
        int batchSize();

        /** How often every service is checked even when nothing announced a change; drift is found then. */
        @WithDefault("5m")
        Duration resync();

        /** Services handed to workers per second at most, over all workers; keeps bursts off the AWS rate limits. */
        @WithDefault("20")
        double ratePerSecond();

        /** Services that may be handed out at once after a quiet period. */
        @WithDefault("100")
        int burst();

        /** First wait after a failed pass; doubled with each failure in a row. */
        @WithDefault("1s")
        Duration backoffBase();

        /** Longest wait between two failed passes of a service. */
        @WithDefault("5m")
        Duration backoffMax();
    }

    /** Settings of source polling. */
    interface Sync {
        /** Time between two polls of every source; a refresh can also be requested at any time through the API. */
        @WithDefault("30s")
        Duration interval();

        /** Directory for git clones and other local caches; created when missing. */
        @WithDefault(".bluegreen/sources")
        Path workDir();

        /** Largest desired-state file accepted, in bytes; larger files are reported invalid. */
        @WithDefault("1048576")
        int maxFileBytes();
    }

    /** Settings of the AWS clients. */
    interface Aws {
        /** Default region for services without {@code spec.region} and for S3 sources; the SDK's default chain when absent. */
        Optional<String> region();

        /** Endpoint of every AWS API, instead of AWS's own (for the local simulator or a VPC endpoint proxy). */
        Optional<URI> endpointOverride();

        /** Static access key id; when absent the SDK's default credentials chain is used (environment, profile, container role). */
        Optional<String> accessKeyId();

        /** Static secret access key, with {@code access-key-id}; never logged. */
        Optional<String> secretAccessKey();

        /** Address S3 buckets by path ({@code endpoint/bucket/key}), as local endpoints need. */
        @WithDefault("false")
        boolean s3PathStyle();
    }
}

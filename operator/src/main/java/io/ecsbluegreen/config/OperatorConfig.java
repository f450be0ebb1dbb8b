package io.ecsbluegreen.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

    /** AWS events (EventBridge to SQS) that wake services at once; off by default (docs/events.md). */
    Events events();

    /** Who may use the operator's HTTP API. */
    Api api();

    /** This operator instance among replicas: its identity and how it keeps off services another one writes to. */
    Instance instance();

    /**
     * The operator instance. Until leases exist, run one replica: a replica that finds another instance's
     * recent heartbeat on an ECS service does not write to it (docs/operating.md#replicas).
     */
    interface Instance {
        /**
         * This instance's identity, written to the {@code ecsbluegreen.io/operator-instance} tag of every ECS
         * service it writes to (made a valid tag value). Default: the host name and a random suffix chosen
         * at start, so two replicas never share one; set a stable value so a restarted single replica
         * resumes at once instead of waiting {@code takeover-after} for its own previous heartbeat.
         */
        Optional<String> id();

        /**
         * How long another instance's heartbeat on a service keeps this one from writing to it; after that
         * silence this instance takes the service over (and rolls it back, if it must).
         */
        @WithDefault("2m")
        Duration takeoverAfter();

        /**
         * How often at most the heartbeat of a service is refreshed, on passes that write or hold a rollout
         * in progress; shorter than {@code takeover-after}.
         */
        @WithDefault("30s")
        Duration heartbeat();
    }

    /** Several replicas sharing the services through leases in DynamoDB (docs/operating.md#replicas). */
    Leases leases();

    /**
     * Leases: each service is written to by the one replica holding its lease in a DynamoDB table. Off by
     * default: one replica writes to every service (guarded by {@link Instance}).
     */
    interface Leases {
        /** Whether replicas share the services through leases; off, this replica writes to every service. */
        @WithDefault("false")
        boolean enabled();

        /** The DynamoDB table of leases: partition key {@code pk} of type string (deploy/ creates it). */
        @WithDefault("bluegreen-leases")
        String table();

        /**
         * How long a lease lasts after each renewal: a replica that dies is replaced on its services after
         * this (plus one renew interval at most).
         */
        @WithDefault("30s")
        Duration duration();

        /** How often a replica renews its leases, writes its heartbeat and rebalances; shorter than duration minus skew-margin. */
        @WithDefault("10s")
        Duration renewInterval();

        /**
         * How long before its lease expires a replica stops writing: at least the largest clock difference
         * between two replicas plus the time an AWS write takes (docs/operating.md#replicas).
         */
        @WithDefault("5s")
        Duration skewMargin();

        /**
         * This replica's name in the lease table and in the user agent of its AWS calls. Default: the host
         * name (a pod's or task's name), which differs between replicas.
         */
        Optional<String> replicaId();
    }

    /** What the operator's own HTTPS calls (http hooks, HTTP probes, Prometheus) trust. */
    Tls tls();

    /** Trust for the operator's HTTPS calls: the JVM's default trust store, plus an optional CA bundle. */
    interface Tls {
        /**
         * A PEM file of CA certificates trusted besides the JVM's default trust store, e.g. the private CA
         * that signs the applications' certificates on the load balancers. Verification is never turned off.
         */
        Optional<Path> caBundle();
    }

    /**
     * Where events go besides the log and the API: webhooks and SNS topics (docs/notifications.md). The
     * method cannot be called {@code notify}, which {@link Object} owns; the properties are {@code bluegreen.notify.*}.
     */
    @WithName("notify")
    Notify notifications();

    /** Notification receivers; none by default. */
    interface Notify {
        /**
         * Webhook receivers: {@code bluegreen.notify.webhooks[0].url=https://...}, or in the environment
         * {@code BLUEGREEN_NOTIFY_WEBHOOKS_0__URL}.
         */
        List<Webhook> webhooks();

        /** SNS topic receivers: {@code bluegreen.notify.sns[0].topic-arn=arn:aws:sns:...}. */
        List<Sns> sns();

        /** How long shutdown waits for queued notifications to go out; what is still queued then is dropped and counted. */
        @WithDefault("5s")
        Duration drainTimeout();
    }

    /** What every notification receiver has: a name, filters, and its delivery settings. */
    interface Receiver {
        /** The receiver's name, unique among all receivers: the {@code receiver} label of its metrics and its name in logs. */
        String name();

        /**
         * Event types sent (names of {@code io.ecsbluegreen.events.Event.Type}, e.g. {@code RolloutFailed,HookFailed});
         * all types when absent.
         */
        Optional<List<String>> events();

        /** Services sent: names or glob patterns ({@code shop-*}, {@code ?pi}); all services when absent. */
        Optional<List<String>> services();

        /** Longest wait for one delivery attempt (connect and answer); a timeout is retried. */
        @WithDefault("10s")
        Duration timeout();

        /** Attempts per notification at most, the first included; after the last failed one it is dropped and counted as failed. */
        @WithDefault("5")
        int maxAttempts();

        /** Wait before the first retry; doubled for each further one, with random jitter. */
        @WithDefault("1s")
        Duration backoffBase();

        /** Longest wait between two attempts, also for a longer {@code Retry-After}. */
        @WithDefault("1m")
        Duration backoffMax();

        /** Notifications waiting at most; when full, the oldest waiting one is dropped and counted. */
        @WithDefault("1000")
        int queueCapacity();
    }

    /** A webhook: each event is POSTed to a URL as JSON. */
    interface Webhook extends Receiver {
        /**
         * Where events are POSTed ({@code http} or {@code https}). Only its scheme and host are ever logged,
         * as Slack-style webhook URLs carry their secret in the path.
         */
        URI url();

        /** The body: {@code json} (the event as a versioned JSON object) or {@code slack} (a Slack-compatible message). */
        @WithDefault("json")
        WebhookFormat format();

        /**
         * Extra request headers, {@code headers.NAME=value}; values may come from the environment with
         * {@code ${VAR}} and are never logged.
         */
        Map<String, String> headers();

        /** Request headers read from files (mounted secrets), {@code header-files.NAME=/path}; read once at start-up, surrounding blanks ignored, never logged. */
        Map<String, Path> headerFiles();
    }

    /** The bodies a webhook can send. */
    enum WebhookFormat {
        /** The event as a JSON object with a schema version. */
        JSON,
        /** A Slack-compatible message: {@code text} with a one-line summary, and {@code blocks}. */
        SLACK
    }

    /** An SNS topic: each event is published with the JSON body as message and a one-line subject. */
    interface Sns extends Receiver {
        /** The topic's ARN, {@code arn:aws:sns:REGION:ACCOUNT:NAME}; the operator needs {@code sns:Publish} on it. */
        String topicArn();

        /** The region of the SNS client; the topic ARN's region when absent. */
        Optional<String> region();
    }

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

        /**
         * Host names the operator answers to in the {@code Host} header, besides IP addresses (always
         * served); {@code *} serves any. A request naming another host is refused, so a web page that
         * points its own DNS name at the operator's address (DNS rebinding) cannot reach the API.
         */
        @WithDefault("localhost")
        List<String> allowedHosts();
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

        /**
         * How often the services whose green serves production are watched between passes (ECS
         * DescribeServices, ten services a call): a green that turns unhealthy is rolled back within about
         * this long instead of at the end of its step's pause. {@code 0s} turns the watch off.
         */
        @WithDefault("5s")
        Duration healthWatchInterval();

        /**
         * DescribeTargetHealth calls a second the health watch may make per region, round robin over the
         * watched greens; a share of ELBv2's Describe* budget (about 10 a second per account), which the
         * passes use too. {@code 0} leaves the watch to ECS's batched signals.
         */
        @WithDefault("2")
        double healthWatchTargetHealthReadsPerSecond();
    }

    /**
     * The SQS queue an EventBridge rule fills with ECS task and service events, CloudWatch alarm state
     * changes and S3 object events (docs/events.md). Each event wakes the services or sources it concerns;
     * polling stays as the fallback, at {@code fallback-resync} while events flow.
     */
    interface Events {
        /** Whether the operator long-polls the events queue; needs {@code queue-url}. */
        @WithDefault("false")
        boolean enabled();

        /** The queue's URL, {@code https://sqs.REGION.amazonaws.com/ACCOUNT/NAME}; its region is the SQS client's. */
        Optional<String> queueUrl();

        /** How long one receive waits for messages (SQS long polling, 1 to 20 s); one receive per wait while idle. */
        @WithDefault("20s")
        Duration waitTime();

        /**
         * How often every service is checked without a cause while events flow (receives succeed): polling
         * is then only the fallback for missed events and drift that sends none. When a receive fails,
         * {@code bluegreen.reconcile.resync} applies again at once.
         */
        @WithDefault("30m")
        Duration fallbackResync();

        /** First wait after a failed receive; doubled with each failure in a row. */
        @WithDefault("1s")
        Duration retryBase();

        /** Longest wait between two failed receives. */
        @WithDefault("1m")
        Duration retryMax();
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

        /** When a source that suddenly declares far fewer services is held instead of applied (docs/sources.md). */
        RemovalGuard removalGuard();
    }

    /**
     * The prune protection of sources: a new snapshot that removes all of a source's services, or more
     * than {@code max-share} of them in one change, or a first read after start-up that declares nothing,
     * is held; the last good snapshot stays in force and the source reports unhealthy until a person
     * confirms or the files return.
     */
    interface RemovalGuard {
        /** Whether sources are guarded at all; when off, every snapshot takes effect at once. */
        @WithDefault("true")
        boolean enabled();

        /**
         * The largest share of a source's services (0 to 1) that one change may remove without a hold; a
         * change removing every service is held whatever the share.
         */
        @WithDefault("0.5")
        double maxShare();

        /**
         * Source ids (as in {@code GET /api/v1/sources}, e.g. {@code dir:services}) whose removals are
         * confirmed in advance and never held: for an intended mass removal when the API cannot be used.
         * Remove the entry again afterwards, or the source stays unguarded.
         */
        Optional<List<String>> confirm();
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

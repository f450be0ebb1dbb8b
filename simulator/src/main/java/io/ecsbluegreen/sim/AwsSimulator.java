package io.ecsbluegreen.sim;

import io.ecsbluegreen.sim.autoscaling.AutoScalingService;
import io.ecsbluegreen.sim.autoscaling.AutoScalingStore;
import com.sun.net.httpserver.HttpServer;
import io.ecsbluegreen.sim.dynamodb.DynamoDbService;
import io.ecsbluegreen.sim.dynamodb.DynamoDbStore;
import io.ecsbluegreen.sim.ecs.EcsService;
import io.ecsbluegreen.sim.ecs.EcsStore;
import io.ecsbluegreen.sim.elb.ElbService;
import io.ecsbluegreen.sim.spi.ImageBehaviours;
import io.ecsbluegreen.sim.elb.ElbStore;
import io.ecsbluegreen.sim.cloudwatch.CloudWatchService;
import io.ecsbluegreen.sim.cloudwatch.CloudWatchStore;
import io.ecsbluegreen.sim.lambda.LambdaService;
import io.ecsbluegreen.sim.lambda.LambdaStore;
import io.ecsbluegreen.sim.model.ConstraintTable;
import io.ecsbluegreen.sim.model.ModelCheck;
import io.ecsbluegreen.sim.process.LocalProcesses;
import io.ecsbluegreen.sim.protocol.ServiceHandler;
import io.ecsbluegreen.sim.s3.S3Service;
import io.ecsbluegreen.sim.s3.S3Store;
import io.ecsbluegreen.sim.sns.SnsService;
import io.ecsbluegreen.sim.sns.SnsStore;
import io.ecsbluegreen.sim.sqs.EventRouting;
import io.ecsbluegreen.sim.sqs.SqsService;
import io.ecsbluegreen.sim.sqs.SqsStore;
import io.ecsbluegreen.sim.sts.StsService;
import io.ecsbluegreen.sim.sts.StsStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local AWS endpoint that SDK v2 clients and the AWS CLI talk to over HTTP on loopback, exactly as
 * they talk to AWS: point the client's endpoint override at {@link #endpoint()}, with any credentials
 * and any region. One port serves every simulated service; requests are routed by their SigV4
 * credential scope.
 *
 * <pre>{@code
 * try (AwsSimulator sim = AwsSimulator.start(SimulatorConfig.defaults())) {
 *     S3Client s3 = S3Client.builder().endpointOverride(sim.endpoint()).forcePathStyle(true)...build();
 *     sim.s3().putObject("bucket", "key", bytes);
 *     sim.clock().advance(Duration.ofMinutes(5));
 *     assertThat(sim.stats().calls("s3", "GetObject")).isEqualTo(1);
 * }
 * }</pre>
 *
 * <p>Each instance owns its state; several can run side by side. Besides the AWS APIs, the port
 * serves control endpoints under {@code /_sim/} (statistics, clock), described in {@code docs/simulator.md}.
 */
public final class AwsSimulator implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(AwsSimulator.class.getName());
    private static final int BACKLOG = 64;
    private static final long EVENT_PUMP_MILLIS = 100;

    static {
        // The JDK HttpServer leaves Nagle's algorithm on unless this property says otherwise; as it writes
        // response headers and body separately, every answer then waits for the client's delayed ACK:
        // measured 45-50 ms per request instead of 2-5 ms, on the API endpoint and the data plane alike.
        // The JDK reads the property once, when the first HttpServer of the JVM starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final SimulatorConfig config;
    private final SimClock clock;
    private final StatsRecorder stats = new StatsRecorder();
    private final Throttling throttling;
    private final Faults faults;
    private final S3Store s3;
    private final StsStore sts;
    private final ElbStore elb;
    private final ImageBehaviours images = new ImageBehaviours();
    private final LocalProcesses processes = new LocalProcesses();
    private final EcsStore ecs;
    private final LambdaStore lambda;
    private final CloudWatchStore cloudwatch;
    private final SnsStore sns;
    private final SqsStore sqs;
    private final EventRouting events;
    private final Thread eventPump;
    private final DynamoDbStore dynamodb;
    private final AutoScalingStore autoScaling;
    private final ModelCheck modelCheck = new ModelCheck(ConstraintTable.official());
    private final RequestLog requests;
    private final HttpServer server;
    private final ExecutorService executor;
    private final URI endpoint;
    private final Duration startupTime;
    private volatile boolean closed;

    private AwsSimulator(SimulatorConfig config, long startNanos) throws IOException {
        this.config = config;
        this.clock = config.clockMode() == ClockMode.WALL
                ? SimClock.wall()
                : SimClock.virtual(config.clockStart() != null
                        ? config.clockStart()
                        : Instant.now().truncatedTo(ChronoUnit.SECONDS));
        this.throttling = new Throttling(clock, config.throttleRules());
        this.faults = new Faults(config.faultRules(), config.randomSeed());
        this.sqs = new SqsStore(clock, config.accountId());
        this.events = new EventRouting(sqs, config.accountId());
        this.s3 = new S3Store(clock, events);
        this.sts = new StsStore(clock, config.accountId());
        this.elb = new ElbStore(clock, config.accountId(), config.listenerPortMode(), config.randomSeed());
        this.ecs = new EcsStore(clock, config.accountId(), elb, images, processes, events);
        this.lambda = new LambdaStore(clock, config.accountId());
        // AWS/ApplicationELB metrics read the ELBv2 data plane's traffic.
        this.cloudwatch = new CloudWatchStore(clock, config.accountId(), elb, events);
        this.sns = new SnsStore(clock, config.accountId());
        this.dynamodb = new DynamoDbStore(clock, config.accountId());
        this.autoScaling = new AutoScalingStore(clock, config.accountId(), ecs);
        this.requests = new RequestLog(clock);
        List<ServiceHandler> services = List.of(
                new S3Service(s3, config.accountId()),
                new StsService(sts),
                new ElbService(elb),
                new EcsService(ecs, elb),
                new LambdaService(lambda),
                new CloudWatchService(cloudwatch),
                new SnsService(sns),
                new SqsService(sqs),
                new DynamoDbService(dynamodb),
                new AutoScalingService(autoScaling));

        InetAddress loopback = InetAddress.getByName(SimulatorConfig.HOST);
        this.server = HttpServer.create(new InetSocketAddress(loopback, config.port()), BACKLOG);
        this.executor = Executors.newFixedThreadPool(config.threads(), daemonThreads());
        server.setExecutor(executor);
        server.createContext("/", new Dispatcher(new ServiceRouter(services), new ControlApi(this), stats,
                throttling, faults, modelCheck, sts, requests));
        server.start();
        this.eventPump = new Thread(this::pumpEvents, "aws-sim-events");
        eventPump.setDaemon(true);
        eventPump.start();
        this.endpoint = URI.create("http://" + SimulatorConfig.HOST + ":" + server.getAddress().getPort());
        this.startupTime = Duration.ofNanos(System.nanoTime() - startNanos);
        LOG.log(Level.INFO, "AWS simulator listening on {0} (started in {1} ms)", endpoint, startupTime.toMillis());
    }

    /**
     * Starts a simulator and returns it once it accepts connections.
     *
     * @throws UncheckedIOException when the port cannot be bound
     */
    public static AwsSimulator start(SimulatorConfig config) {
        long startNanos = System.nanoTime();
        try {
            return new AwsSimulator(config, startNanos);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the AWS simulator on port " + config.port(), e);
        }
    }

    /** Starts a simulator with {@link SimulatorConfig#defaults()}. */
    public static AwsSimulator start() {
        return start(SimulatorConfig.defaults());
    }

    /** {@code http://127.0.0.1:PORT}: the endpoint override for every SDK client and the CLI. */
    public URI endpoint() {
        return endpoint;
    }

    public int port() {
        return endpoint.getPort();
    }

    public SimulatorConfig config() {
        return config;
    }

    /** The simulated time every service reads; advance it from tests. */
    public SimClock clock() {
        return clock;
    }

    /** The account id the simulator reports. */
    public String accountId() {
        return config.accountId();
    }

    /** Calls per action since start or the last {@link #resetStats()}. */
    public SimStats stats() {
        return stats.snapshot();
    }

    /** Sets every counter back to zero. */
    public void resetStats() {
        stats.reset();
    }

    /** The throttling rules, changeable at run time. */
    public Throttling throttling() {
        return throttling;
    }

    /** The fault rules, changeable at run time. */
    public Faults faults() {
        return faults;
    }

    /** The S3 state, to seed and inspect from Java. */
    public S3Store s3() {
        return s3;
    }

    /** The STS state: the sessions AssumeRole issued. */
    public StsStore sts() {
        return sts;
    }

    /**
     * The ELBv2 state: load balancers, target groups, listeners (each listening on loopback), rules;
     * also the ECS side's {@link io.ecsbluegreen.sim.spi.TargetGroups} and CloudWatch's
     * {@link io.ecsbluegreen.sim.spi.LoadBalancerMetrics}.
     */
    public ElbStore elb() {
        return elb;
    }

    /** The ECS state: clusters, services, task sets and their simulated tasks; drift helpers for tests. */
    public EcsStore ecs() {
        return ecs;
    }

    /** How simulated images behave (healthy, never healthy, slow, crashing, erroring), by image. */
    public ImageBehaviours imageBehaviours() {
        return images;
    }

    /** The real processes of tasks whose image maps to a local command ({@code ImageBehaviour.runs}). */
    public LocalProcesses processes() {
        return processes;
    }

    /** The Application Auto Scaling state: ECS services' scalable targets and their scaling policies. */
    public AutoScalingStore autoScaling() {
        return autoScaling;
    }

    /** The Lambda state: functions (Java handlers or loopback URLs) and the invocations they received. */
    public LambdaStore lambda() {
        return lambda;
    }

    /**
     * The CloudWatch state: alarms, custom metrics, and the {@code LoadBalancerMetrics} that
     * {@code AWS/ApplicationELB} metrics come from ({@link CloudWatchStore#useLoadBalancerMetrics}).
     */
    public CloudWatchStore cloudwatch() {
        return cloudwatch;
    }

    /** The SNS state: topics and the messages published to them (what notifications sent). */
    public SnsStore sns() {
        return sns;
    }

    /** The DynamoDB state: tables, items, the history of writes, callers refused. */
    public DynamoDbStore dynamodb() {
        return dynamodb;
    }

    /** The SQS state: queues and their messages. */
    public SqsStore sqs() {
        return sqs;
    }

    /**
     * Where the services' EventBridge events go: {@code events().routeTo(region, queue)} sends every ECS task
     * state change and service action, CloudWatch alarm state change and S3 object event (of buckets with
     * EventBridge on) to an SQS queue, as an EventBridge rule would (docs/simulator.md#events).
     */
    public EventRouting events() {
        return events;
    }

    /**
     * While events are routed, brings ECS and CloudWatch up to the clock every {@value #EVENT_PUMP_MILLIS} ms
     * (real time), since both advance lazily on reads: a crash or an alarm that fires between two reads is
     * still reported within that delay.
     */
    private void pumpEvents() {
        while (!closed) {
            try {
                Thread.sleep(EVENT_PUMP_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            if (!events.routing()) continue;
            try {
                ecs.syncAll();
                cloudwatch.evaluateNow();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "event pump: {0}", e.toString());
            }
        }
    }

    /** Which access key signed which call, while recording (see {@link RequestLog}). */
    public RequestLog requests() {
        return requests;
    }

    /**
     * The check of every request against the AWS service models (see {@code docs/simulator.md}): what it
     * rejects never reaches a service; it can record what it checked.
     */
    public ModelCheck modelCheck() {
        return modelCheck;
    }

    /** How long {@link #start} took, from the call to a listening socket. */
    public Duration startupTime() {
        return startupTime;
    }

    /** Stops serving at once, frees the port and stops the tasks' real processes; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        eventPump.interrupt();
        server.stop(0);
        elb.close();
        processes.close();
        executor.shutdownNow();
        lambda.close();
        try {
            if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                LOG.log(Level.WARNING, "AWS simulator threads still busy after close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "aws-sim-" + count.incrementAndGet());
            // Daemon: workers never keep a JVM alive; the server's own dispatcher thread lives until close().
            thread.setDaemon(true);
            return thread;
        };
    }
}

package io.ecsbluegreen.loop;

import io.ecsbluegreen.aws.Actor;
import io.ecsbluegreen.aws.SdkAlarmPort;
import io.ecsbluegreen.aws.SdkEcsPort;
import io.ecsbluegreen.aws.SdkElbPort;
import io.ecsbluegreen.aws.SdkEndpoints;
import io.ecsbluegreen.aws.SdkLambdaPort;
import io.ecsbluegreen.aws.SdkScalingPort;
import io.ecsbluegreen.aws.SdkTaskPort;
import io.ecsbluegreen.analysis.AnalysisRunner;
import io.ecsbluegreen.analysis.HttpProbeMeasurer;
import io.ecsbluegreen.analysis.PrometheusMeasurer;
import io.ecsbluegreen.analysis.SdkMetricsPort;
import io.ecsbluegreen.analysis.TargetGroupMetricMeasurer;
import io.ecsbluegreen.aws.AwsClients;
import io.ecsbluegreen.aws.Identity;
import io.ecsbluegreen.hooks.HookRunner;
import io.ecsbluegreen.aws.HealthReadBudget;
import io.ecsbluegreen.aws.Observer;
import io.ecsbluegreen.plan.OperatorOwnership;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The reconcilers of the engine, one per region and {@link Identity}: each has its own observer and actor
 * (their caches hold what one identity may see), hook runner and analysis runner, all on the AWS clients
 * of that identity. A service with {@code spec.roleArn} therefore reads and writes ECS, ELBv2, CloudWatch
 * and Lambda (RunTask hooks included) only with its role's credentials; the others share the operator's.
 * A spec whose role changes is grouped under the new identity at its next pass.
 */
public final class ClientReconcilers implements Engine.Reconcilers, AutoCloseable {
    /** Hooks running at once per reconciler at most. */
    static final int HOOK_THREADS = 8;
    /** Analysis measurements running at once per reconciler at most. */
    static final int ANALYSIS_THREADS = 8;

    private record Key(String region, Identity identity) {}

    /**
     * What the runners report to, and how hooks poll.
     *
     * @param hooks hears of every finished hook run
     * @param analysis hears of every finished analysis measurement
     * @param wake queues a service at once (a hook or measurement ended)
     * @param polling how task hooks poll
     * @param healthReadsPerSecond DescribeTargetHealth calls a second the health watch may make per reconciler
     */
    public record Wiring(HookRunner.Listener hooks, AnalysisRunner.Listener analysis, Consumer<String> wake,
                  HookRunner.TaskPolling polling, double healthReadsPerSecond) {}

    private final AwsClients aws;
    private final HttpClient http;
    private final Clock clock;
    private final Wiring wiring;
    private final OperatorOwnership.Self self;
    private final Map<Key, Built> built = new ConcurrentHashMap<>();

    private record Built(Reconciler reconciler, HookRunner hooks, AnalysisRunner analysis) {}

    public ClientReconcilers(AwsClients aws, HttpClient http, Clock clock, Wiring wiring) {
        this(aws, http, clock, wiring, null);
    }

    /** @param self this operator instance, which keeps off services another live instance writes to; null for no guard */
    public ClientReconcilers(AwsClients aws, HttpClient http, Clock clock, Wiring wiring, OperatorOwnership.Self self) {
        this.self = self;
        this.aws = aws;
        this.http = http;
        this.clock = clock;
        this.wiring = wiring;
    }

    @Override
    public Reconciler of(String region, Identity identity) {
        return built.computeIfAbsent(new Key(aws.region(region).id(), identity), this::build).reconciler();
    }

    private Built build(Key key) {
        String id = key.region();
        Identity as = key.identity();
        SdkEcsPort ecs = new SdkEcsPort(aws.ecs(id, as), clock);
        SdkElbPort elb = new SdkElbPort(aws.elb(id, as));
        HookRunner hooks = new HookRunner(new SdkLambdaPort(aws.lambda(id, as)), new SdkTaskPort(aws.ecs(id, as)),
                new SdkEndpoints(aws.elb(id, as)), http, clock, wiring.hooks(), wiring.wake(), HOOK_THREADS, wiring.polling());
        AnalysisRunner analysis = new AnalysisRunner(
                new TargetGroupMetricMeasurer(new SdkMetricsPort(r -> aws.cloudWatch(r, as))),
                new PrometheusMeasurer(http), new HttpProbeMeasurer(http, new SdkEndpoints(aws.elb(id, as))), clock,
                wiring.analysis(), wiring.wake(), ANALYSIS_THREADS);
        double reads = wiring.healthReadsPerSecond();
        HealthReadBudget budget = new HealthReadBudget(clock, reads, (int) Math.ceil(reads));
        SdkScalingPort scaling = new SdkScalingPort(aws.autoScaling(id, as));
        Reconciler reconciler = new Reconciler(new Observer(ecs, elb, new SdkAlarmPort(aws.cloudWatch(id, as)), budget, scaling),
                new Actor(ecs, elb, hooks, analysis, scaling), clock, hooks, analysis, self);
        return new Built(reconciler, hooks, analysis);
    }

    /** Stops the hook and analysis runners; the clients are closed with {@link AwsClients}. */
    /**
     * Whether every hook run under way, in every region and identity, waits on the clock alone (a poll
     * interval or a backoff, no call out and no answer awaited); see {@link HookRunner#waitsOnClockOnly()}.
     */
    public boolean hooksWaitOnClockOnly() {
        return built.values().stream().allMatch(b -> b.hooks().waitsOnClockOnly());
    }

    @Override
    public void close() {
        for (Built b : built.values()) {
            b.hooks().close();
            b.analysis().close();
        }
        built.clear();
    }
}

package io.ecsbluegreen.loop;

import io.ecsbluegreen.aws.Identity;
import io.ecsbluegreen.aws.RoleAssumptionException;
import io.ecsbluegreen.desired.DesiredService;
import io.ecsbluegreen.desired.DesiredState;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.model.BlueGreenServiceSpec;
import io.ecsbluegreen.model.ContainerSpec;
import io.ecsbluegreen.plan.Action;
import io.ecsbluegreen.plan.Command;
import io.ecsbluegreen.plan.OperatorOwnership;
import io.ecsbluegreen.model.Phase;
import io.ecsbluegreen.plan.Plan;
import io.ecsbluegreen.plan.Reason;
import io.ecsbluegreen.plan.Revision;
import io.ecsbluegreen.plan.ServiceStatus;
import io.ecsbluegreen.spec.SpecError;
import io.ecsbluegreen.status.RevisionLabel;
import io.ecsbluegreen.status.ServiceReport;
import io.ecsbluegreen.status.StatusBook;
import io.ecsbluegreen.status.StatusBook.Check;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * The reconcile loop: a {@link WorkQueue} keyed by service name feeds a bounded set of workers; each
 * worker takes a ready key, gathers more ready keys into one batch (so the observer can describe them
 * together), reconciles them region by region, records each status and decides when to look again:
 * soon after acting, at the plan's requeue-after while waiting, after a backoff on failure, and never
 * for a terminal plan until the spec changes or someone retries. Spec changes and commands queue the
 * service at once; a periodic resync queues everything.
 *
 * <p>{@link #drain()} runs the same processing on the caller's thread without workers, for tests and
 * benchmarks on simulated time.
 */
public final class Engine implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Engine.class);
    private static final Duration ALIGNMENT = Duration.ofSeconds(5);

    /**
     * How the loop runs.
     *
     * @param workers threads reconciling at once
     * @param batchSize services observed together at most
     * @param resync how often every service is queued even when nothing announced a change
     * @param ratePerSecond services handed to workers per second at most, over all workers
     * @param burst services handed out at once after a quiet period
     * @param backoff how failures of one service are spaced
     * @param healthWatch how often the services whose green serves production are watched between passes
     *     (see {@link Reconciler#watch}); zero or null for never
     */
    public record Settings(int workers, int batchSize, Duration resync, double ratePerSecond, int burst,
                           WorkQueue.Backoff backoff, Duration healthWatch) {
        /** The health watch's default interval. */
        public static final Duration HEALTH_WATCH = Duration.ofSeconds(5);

        public static final Settings DEFAULT = new Settings(4, 20, Duration.ofMinutes(5), 20, 100,
                new WorkQueue.Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5)), HEALTH_WATCH);

        /** Settings with the default health watch. */
        public Settings(int workers, int batchSize, Duration resync, double ratePerSecond, int burst, WorkQueue.Backoff backoff) {
            this(workers, batchSize, resync, ratePerSecond, burst, backoff, HEALTH_WATCH);
        }

        boolean watching() {
            return healthWatch != null && !healthWatch.isZero() && !healthWatch.isNegative();
        }
    }

    /**
     * Says whether this replica may write to a service now: {@link #ALL} for a single replica, the leases
     * (io.ecsbluegreen.lease) for several. A service this replica does not own gets no pass here: its
     * owner reconciles it.
     */
    public interface Ownership {
        Ownership ALL = name -> true;

        boolean owns(String service);

        /** The replica that owns the service, as far as this one knows; null when unknown or without leases. */
        default String owner(String service) {
            return null;
        }
    }

    /** Hears of every pass, for metrics. */
    public interface PassListener {
        /** A pass ended: {@code result} is success, requeue, error, terminal or skipped. */
        void passed(String service, String result, Duration took, Plan plan);
    }

    /**
     * The reconciler of a region and the identity that acts there for a service: services are observed
     * together only when the same credentials may read them all.
     */
    @FunctionalInterface
    public interface Reconcilers {
        /** @param region a spec's {@code region}; null for the default one */
        Reconciler of(String region, Identity identity);
    }

    /** Where and as whom a service is reconciled: the key its batch is grouped by. */
    private record Target(String region, Identity identity) {
        static Target of(BlueGreenService service) {
            return new Target(service.spec().region(), Identity.of(service));
        }
    }

    /** The answer to a command: accepted, or why not. */
    public record CommandResult(boolean accepted, boolean found, String message) {}

    private final Supplier<DesiredState> desired;
    private final Reconcilers reconcilers;
    private final Clock clock;
    private final Settings settings;
    private final StatusBook statuses;
    private final Ownership ownership;
    private final PassListener listener;
    private final WorkQueue<String> queue;
    private final Map<String, Set<Command>> commands = new ConcurrentHashMap<>();
    /** The spec a terminal plan was made for: not planned again until the spec differs or RETRY. */
    private final Map<String, BlueGreenService> terminal = new ConcurrentHashMap<>();
    /** The desired entries last queued for, to queue only the services whose desired state changed. */
    private final Map<String, DesiredService> seen = new ConcurrentHashMap<>();
    /**
     * The services whose green serves production, as their last pass found: between passes (a canary's
     * pause may last an hour) the health watch looks at them every {@link Settings#healthWatch()}.
     */
    private final Map<String, BlueGreenService> watched = new ConcurrentHashMap<>();
    /** Services whose lease this replica just acquired: their next pass reads AWS afresh, caches included. */
    private final Set<String> acquired = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    /** How often everything is queued; {@link Settings#resync()} unless events made it longer. */
    private volatile Duration resync;
    /** When the global rate last changed, on the engine's clock; changes are at most one a second. */
    private Instant rateChangedAt = Instant.MIN;
    /** When {@link #drain} queues everything again, as the resync thread does for the workers. */
    private Instant nextResync;
    /** When {@link #drain} runs the health watch next, as the watch thread does for the workers. */
    private Instant nextWatch;
    /**
     * The health watch looks at a fifth of the watched services every fifth of its interval (by a hash of
     * the name, so each is looked at once an interval): its DescribeServices come ten a second for 500
     * services instead of fifty at once, which left the passes that roll back a throttled ECS.
     */
    static final int WATCH_SLICES = 5;
    private int watchRound;

    /**
     * @param reconcilers the reconciler of a region (a spec's {@code region}; null for the default one)
     */
    public Engine(Supplier<DesiredState> desired, Function<String, Reconciler> reconcilers, Clock clock, Settings settings,
                  StatusBook statuses, Ownership ownership, PassListener listener) {
        this(desired, (Reconcilers) (region, identity) -> reconcilers.apply(region), clock, settings, statuses, ownership, listener);
    }

    /**
     * @param reconcilers the reconciler of a region and an identity: the operator's own, or a service's
     *     assumed role ({@code spec.roleArn})
     */
    public Engine(Supplier<DesiredState> desired, Reconcilers reconcilers, Clock clock, Settings settings,
                  StatusBook statuses, Ownership ownership, PassListener listener) {
        this.desired = desired;
        this.reconcilers = reconcilers;
        this.clock = clock;
        this.settings = settings;
        this.statuses = statuses;
        this.ownership = ownership;
        this.listener = listener;
        this.queue = new WorkQueue<>(clock, settings.backoff(), settings.ratePerSecond(), settings.burst());
        this.resync = settings.resync();
    }

    /** Starts the workers and the resync timer. */
    public synchronized void start() {
        if (running) return;
        running = true;
        enqueueAll();
        for (int i = 0; i < settings.workers(); i++) {
            Thread t = new Thread(this::work, "reconcile-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        Thread resync = new Thread(this::resyncLoop, "reconcile-resync");
        resync.setDaemon(true);
        resync.start();
        threads.add(resync);
        if (settings.watching()) {
            Thread watch = new Thread(this::watchLoop, "reconcile-health-watch");
            watch.setDaemon(true);
            watch.start();
            threads.add(watch);
        }
    }

    /** Stops handing out work and waits (bounded) for the passes in flight to end. */
    @Override
    public synchronized void close() {
        running = false;
        queue.shutdown();
        for (Thread t : threads) {
            t.interrupt();
        }
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        threads.clear();
    }

    /** Queues one service now (a hook finished, a webhook arrived). */
    public void enqueue(String name) {
        queue.add(name);
    }

    /**
     * This replica acquired the service's lease (see {@link Ownership}): it plans from what AWS shows now,
     * not from what it cached or concluded while another replica owned the service.
     */
    public void acquired(String name) {
        acquired.add(name);
        terminal.remove(name);
        queue.add(name);
    }

    /** Queues every declared service now (resync). */
    public void enqueueAll() {
        for (DesiredService s : desired.get().services().values()) queue.add(s.name());
        // Services reported but no longer in the desired state at all are removed by their next pass.
        for (ServiceReport r : statuses.all()) queue.add(r.name());
    }

    /** Queues the services whose desired state changed in {@code state}; called by the desired-state store. */
    public void desiredChanged(DesiredState state) {
        for (DesiredService s : state.services().values()) {
            DesiredService before = seen.put(s.name(), s);
            if (before == null || before.state() != s.state() || !Objects.equals(before.spec(), s.spec())) {
                // Status shows the new revision now, not when the queue reaches the service; marked before
                // the key is queued, so a pass always follows the mark and replaces it.
                if (s.spec() != null && s.state() != DesiredService.State.ORPHANED && ownership.owns(s.name())) {
                    statuses.labelled(s.name(), label(s));
                    statuses.queued(s.name(), Revision.of(s.spec().spec()).id());
                }
                queue.add(s.name());
            }
        }
        for (String name : List.copyOf(seen.keySet())) {
            if (!state.services().containsKey(name)) {
                seen.remove(name);
                queue.add(name);
            }
        }
    }

    /**
     * Accepts a person's command for the service's next pass when its phase allows it: promote only while
     * awaiting promotion, abort only during a rollout, retry only after a rollback or a failure.
     */
    public CommandResult command(String name, Command command) {
        Optional<ServiceReport> report = statuses.get(name);
        if (report.isEmpty() && desired.get().service(name).isEmpty()) {
            return new CommandResult(false, false, "no service named '" + name + "'");
        }
        Phase phase = report.map(ServiceReport::phase).orElse(null);
        Set<Phase> allowed = switch (command) {
            case PROMOTE -> EnumSet.of(Phase.AwaitingPromotion);
            case ABORT -> EnumSet.of(Phase.Deploying, Phase.TestTraffic, Phase.AwaitingPromotion, Phase.Shifting, Phase.Baking);
            case RETRY -> EnumSet.of(Phase.RolledBack, Phase.Failed);
        };
        if (phase == null || !allowed.contains(phase)) {
            return new CommandResult(false, true, command.name().toLowerCase() + " applies in phase "
                    + String.join(" or ", allowed.stream().map(Enum::name).toList()) + "; " + name + " is "
                    + (phase == null ? "not reconciled yet" : phase.name()));
        }
        if (report.isPresent() && OperatorOwnership.OWNED_BY_ANOTHER_OPERATOR.equals(report.get().reason())) {
            // Kept for later, it could apply to a rollout after a takeover that nobody meant it for.
            return new CommandResult(false, true, command.name().toLowerCase() + " refused: " + report.get().message());
        }
        if (command == Command.RETRY) terminal.remove(name);
        commands.computeIfAbsent(name, k -> ConcurrentHashMap.newKeySet()).add(command);
        queue.add(name);
        return new CommandResult(true, true, command.name().toLowerCase() + " accepted for " + name + "; applied at its next pass");
    }

    /** The global rate in force (services per second); lower than configured while AWS throttles. */
    public double rate() {
        return queue.rate();
    }

    /** Keys waiting in the queue (ready or delayed). */
    public int queueLength() {
        return queue.length();
    }

    /** The keys ready now but not handed out yet, and how long the oldest of them has waited. */
    public WorkQueue.Backlog backlog() {
        return queue.backlog();
    }

    /**
     * Processes every key ready now on the caller's thread, in batches, and returns how many passes ran;
     * bounded by {@code maxPasses} so a test cannot spin. The resync happens here too, on the clock.
     */
    public int drain(int maxPasses) {
        Instant now = clock.instant();
        if (nextResync == null) nextResync = now.plus(resync);
        if (!now.isBefore(nextResync)) {
            enqueueAll();
            nextResync = now.plus(resync);
        }
        if (settings.watching()) {
            if (nextWatch == null) nextWatch = now;
            if (!now.isBefore(nextWatch)) {
                watchHealth();
                nextWatch = now.plus(settings.healthWatch().dividedBy(WATCH_SLICES));
            }
        }
        int passes = 0;
        while (passes < maxPasses) {
            List<String> batch = new ArrayList<>();
            while (batch.size() < settings.batchSize()) {
                Optional<String> key = queue.poll();
                if (key.isEmpty()) break;
                batch.add(key.get());
            }
            if (batch.isEmpty()) break;
            process(batch);
            passes += batch.size();
        }
        return passes;
    }

    private void work() {
        while (running) {
            try {
                Optional<String> first = queue.take(Duration.ofSeconds(1));
                if (first.isEmpty()) continue;
                List<String> batch = new ArrayList<>(List.of(first.get()));
                while (batch.size() < settings.batchSize()) {
                    Optional<String> more = queue.poll();
                    if (more.isEmpty()) break;
                    batch.add(more.get());
                }
                process(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.errorf(e, "reconcile worker: unexpected failure");
            }
        }
    }

    private void resyncLoop() {
        long last = System.nanoTime();
        while (running) {
            try {
                // Short sleeps, so that a shorter interval (events stopped flowing) takes effect at once.
                long due = last + resync.toNanos();
                long left = due - System.nanoTime();
                if (left > 0) {
                    Thread.sleep(Math.max(1, Math.min(1000, left / 1_000_000)));
                    continue;
                }
                enqueueAll();
                last = System.nanoTime();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Changes how often everything is queued without a cause: longer while AWS events announce changes
     * (polling is then only the fallback), back to {@link Settings#resync()} when they stop.
     */
    public void resyncEvery(Duration interval) {
        if (interval == null || interval.isZero() || interval.isNegative()) throw new IllegalArgumentException("resync interval must be positive");
        resync = interval;
    }

    /** The resync interval in force now. */
    public Duration resyncInterval() {
        return resync;
    }

    private void watchLoop() {
        while (running) {
            try {
                Thread.sleep(Math.max(1, settings.healthWatch().toMillis() / WATCH_SLICES));
                watchHealth();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Looks at the health of one slice of the watched greens (see {@link #WATCH_SLICES}; one batched read per ten services, see
     * {@link Reconciler#watch}) and queues at once the services whose green shows trouble: their pass
     * then rolls back within one watch interval instead of at the end of the step's pause. A failure
     * (AWS throttling included) skips this round; passes go on as planned.
     */
    void watchHealth() {
        int slice = watchRound++ % WATCH_SLICES;
        if (watched.isEmpty()) return;
        Map<Target, List<BlueGreenService>> byTarget = new LinkedHashMap<>();
        for (BlueGreenService s : watched.values()) {
            if (Math.floorMod(s.name().hashCode(), WATCH_SLICES) != slice) continue;
            if (ownership.owns(s.name())) byTarget.computeIfAbsent(Target.of(s), k -> new ArrayList<>()).add(s);
        }
        byTarget.forEach((target, services) -> {
            try {
                // Urgent: the pass that takes production off an unhealthy green waits behind no other.
                for (String name : reconcilers.of(target.region(), target.identity()).watch(services)) queue.addUrgent(name);
            } catch (RuntimeException e) {
                LOG.debugf(e, "health watch of %d service(s) skipped this round", services.size());
            }
        });
    }

    /** Whether green (the desired revision, not yet primary) takes production traffic: then its health is watched. */
    static boolean greenServesProduction(ServiceStatus status) {
        String green = status.desiredRevision();
        return green != null && !green.equals(status.activeRevision()) && status.productionWeights().getOrDefault(green, 0) > 0;
    }

    /**
     * One batch: decides per key whether AWS is needed, reconciles those by region and identity (one
     * group failing, e.g. a role STS will not let us assume, fails no other), marks all done.
     */
    void process(List<String> keys) {
        try {
            DesiredState state = desired.get();
            Map<Target, List<Reconciler.Item>> byTarget = new LinkedHashMap<>();
            Map<String, DesiredService> entries = new LinkedHashMap<>();
            for (String name : keys) {
                DesiredService entry = state.services().get(name);
                BlueGreenService spec = reconcilable(name, entry);
                if (spec == null) continue;
                if (!ownership.owns(name)) {
                    // Its owner reconciles it; the lease manager queues it again if this replica acquires it.
                    watched.remove(name);
                    statuses.ownedBy(name, ownership.owner(name));
                    listener.passed(name, "skipped", Duration.ZERO, null);
                    continue;
                }
                statuses.ownedBy(name, ownership.owner(name));
                entries.put(name, entry);
                statuses.labelled(name, label(entry));
                Set<Command> given = commands.getOrDefault(name, Set.of());
                Target target = Target.of(spec);
                statuses.actingAs(name, target.identity().display());
                byTarget.computeIfAbsent(target, k -> new ArrayList<>()).add(new Reconciler.Item(spec, Set.copyOf(given),
                        entry.state() == DesiredService.State.ORPHANED, acquired.remove(name)));
            }
            byTarget.forEach((target, items) -> reconcile(target, items, entries));
        } finally {
            keys.forEach(queue::done);
        }
    }

    /** The spec to reconcile, or null when the service needs no AWS call (its status is recorded here). */
    private BlueGreenService reconcilable(String name, DesiredService entry) {
        if (entry == null || entry.spec() == null) watched.remove(name);
        if (entry == null) {
            statuses.remove(name);
            terminal.remove(name);
            commands.remove(name);
            queue.forget(name);
            return null;
        }
        if (entry.spec() == null) {
            String message = entry.problems().isEmpty() ? "no valid spec" : entry.problems().get(0).toString();
            statuses.record(name, new ServiceStatus(Phase.Invalid, null, null, Map.of(), Map.of(), 0, 0,
                    entry.state() == DesiredService.State.CONFLICT ? Reason.DuplicateName.name() : Reason.SpecInvalid.name(), message),
                    new Check(false, Reason.SpecInvalid.name(), message), new Check(false, Reason.SpecInvalid.name(), "nothing is done until the spec is valid"));
            listener.passed(name, "terminal", Duration.ZERO, null);
            return null;
        }
        // An orphaned service is still reconciled, restricted (see plan.Orphans): watched and rolled back, no new step.
        BlueGreenService spec = entry.spec();
        BlueGreenService stuck = terminal.get(name);
        if (stuck != null) {
            // A spec changed and changed back before its pass: the Queued mark needs a pass to clear it.
            if (stuck.equals(spec) && statuses.get(name).map(r -> r.phase() != Phase.Queued).orElse(true)) {
                listener.passed(name, "skipped", Duration.ZERO, null);
                return null;
            }
            terminal.remove(name);
        }
        return spec;
    }

    /**
     * What the spec of an entry runs (the images of an inline task definition; those of a task definition
     * given by ARN come from AWS with the pass) and where its file came from. Public for the tests that
     * show a label without a pass.
     */
    public static RevisionLabel label(DesiredService entry) {
        BlueGreenServiceSpec spec = entry.spec().spec();
        List<String> images = !spec.taskDefinition().inline() || spec.taskDefinition().containers() == null ? List.of()
                : RevisionLabel.shortImages(spec.taskDefinition().containers().stream().map(ContainerSpec::image).toList());
        return new RevisionLabel(Revision.of(spec).id(), images, entry.origin() == null ? null : entry.origin().provenance());
    }

    private String previousActive(String name) {
        return statuses.get(name).map(ServiceReport::activeRevision).orElse(null);
    }

    private void reconcile(Target target, List<Reconciler.Item> items, Map<String, DesiredService> entries) {
        long started = System.nanoTime();
        Map<String, Reconciler.Outcome> outcomes;
        try {
            outcomes = reconcilers.of(target.region(), target.identity()).reconcileAll(items, ownership::owns);
        } catch (RuntimeException e) {
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            if (isThrottling(e)) slowDown();
            for (Reconciler.Item item : items) failed(item, e, took);
            return;
        }
        Duration took = Duration.ofNanos((System.nanoTime() - started) / Math.max(1, items.size()));
        // The observation (reads every pass shares) got through; a throttled write concerns one API group
        // and one service, which simply tries again soon, so only read throttling slows the whole loop.
        speedUp();
        for (Reconciler.Item item : items) {
            String name = item.service().name();
            Reconciler.Outcome outcome = outcomes.get(name);
            if (outcome.error() != null) {
                if (outcome.pass() != null && trafficBackOnBlue(outcome.pass())) {
                    rolledBackButFailed(item, entries.get(name), outcome.pass().plan(), outcome.error(), took);
                } else {
                    failed(item, outcome.error(), took);
                }
                continue;
            }
            consumed(name, item.commands());
            passed(item, entries.get(name), outcome.pass(), took);
        }
    }

    /**
     * Halves the global rate (not below one service a second) when AWS throttles, at most once a second:
     * the loop's demand then settles at what the account's API rates allow instead of failing over and
     * over. The SDK's adaptive retry does the same per client, call by call; this does it per pass.
     */
    private synchronized void slowDown() {
        Instant now = clock.instant();
        if (Duration.between(rateChangedAt, now).compareTo(Duration.ofSeconds(1)) < 0) return;
        rateChangedAt = now;
        double rate = Math.max(1, queue.rate() / 2);
        if (rate < queue.rate()) {
            queue.rate(rate);
            LOG.infof("AWS is throttling: reconciling at most %.1f services per second for now", rate);
        }
    }

    /** Raises the global rate back towards the configured one by a twentieth of it, at most once a second. */
    private synchronized void speedUp() {
        double rate = queue.rate();
        if (rate >= settings.ratePerSecond()) return;
        Instant now = clock.instant();
        if (Duration.between(rateChangedAt, now).compareTo(Duration.ofSeconds(1)) < 0) return;
        rateChangedAt = now;
        queue.rate(Math.min(settings.ratePerSecond(), rate + settings.ratePerSecond() / 20));
    }

    private static RoleAssumptionException roleAssumption(Throwable e) {
        return RoleAssumptionException.in(e);
    }

    private static boolean isThrottling(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AwsServiceException aws && aws.isThrottlingException()) return true;
        }
        return false;
    }

    /**
     * A wait of five seconds or more ends on the next five-second mark of the clock: services waiting at
     * the same time then become ready together and share one batched observation (ten services per
     * DescribeServices, twenty listeners per DescribeListeners) instead of one each. Waits end at most
     * five seconds late; immediate requeues stay immediate.
     */
    private Duration aligned(Duration after) {
        if (after.compareTo(ALIGNMENT) < 0) return after;
        long due = clock.millis() + after.toMillis();
        long grid = ALIGNMENT.toMillis();
        return Duration.ofMillis((due + grid - 1) / grid * grid - clock.millis());
    }

    private void consumed(String name, Set<Command> used) {
        if (used.isEmpty()) return;
        commands.computeIfPresent(name, (k, set) -> {
            set.removeAll(used);
            return set.isEmpty() ? null : set;
        });
    }

    /**
     * Whether a pass that failed is a rollback whose traffic writes all ran: production and test are on
     * blue (a rollback writes them before anything else), so its status says so even though a later
     * bookkeeping write failed.
     */
    static boolean trafficBackOnBlue(Reconciler.Pass pass) {
        Plan plan = pass.plan();
        if (plan == null || (plan.status().phase() != Phase.RollingBack && plan.status().phase() != Phase.RolledBack)) return false;
        List<Action> actions = plan.actions();
        for (int i = pass.actionsRun(); i < actions.size(); i++) {
            if (actions.get(i) instanceof Action.SetForwardWeights) return false;
        }
        return true;
    }

    /**
     * A rollback whose traffic is back on blue but whose bookkeeping failed: the status shows the rollback
     * (phase, reason, the traffic as it now is) with the failure in the {@code Reconciling} condition,
     * and the pass is retried as any failed one.
     */
    private void rolledBackButFailed(Reconciler.Item item, DesiredService entry, Plan plan, RuntimeException e, Duration took) {
        String name = item.service().name();
        watched.remove(name);
        queue.calm(name);
        statuses.record(name, plan.status(), specCurrent(entry), new Check(false, failureReason(e), failureMessage(e)));
        if (isThrottling(e)) {
            queue.addAfter(name, Duration.ofMillis(2000 - clock.millis() % 1000));
            listener.passed(name, "throttled", took, plan);
            return;
        }
        Duration delay = queue.addRateLimited(name);
        LOG.warnf("%s: %s (%s), but a later write failed (%s); next try in %s", name, plan.status().phase(),
                plan.status().message(), failureMessage(e), delay);
        listener.passed(name, "error", took, plan);
    }

    private static String failureReason(RuntimeException e) {
        if (isThrottling(e)) return Reason.Throttled.name();
        RoleAssumptionException denied = roleAssumption(e);
        return denied != null ? Reason.AssumeRoleFailed.name() : e.getClass().getSimpleName();
    }

    private static String failureMessage(RuntimeException e) {
        RoleAssumptionException denied = roleAssumption(e);
        return denied != null ? denied.getMessage() : e.getMessage();
    }

    private static Check specCurrent(DesiredService entry) {
        return switch (entry.state()) {
            case STALE -> new Check(false, Reason.SpecStale.name(), "the file is invalid; the last good spec holds: "
                    + entry.problems().stream().findFirst().map(SpecError::toString).orElse(""));
            case CONFLICT -> new Check(false, Reason.DuplicateName.name(), "declared more than once; the spec applied before holds: "
                    + entry.problems().stream().findFirst().map(SpecError::toString).orElse(""));
            case ORPHANED -> new Check(false, Reason.NotDeclared.name(), entry.problems().isEmpty() ? "no file declares it any more"
                    : entry.problems().get(0).message());
            default -> Check.ok(Reason.Valid.name());
        };
    }

    private void passed(Reconciler.Item item, DesiredService entry, Reconciler.Pass pass, Duration took) {
        String name = item.service().name();
        Check specCurrent = specCurrent(entry);
        if (pass.problem() != null) {
            // A missing target group or listener may yet be created: retried with backoff, not terminal.
            String revision = Revision.of(item.service().spec()).id();
            statuses.record(name, new ServiceStatus(Phase.Failed, previousActive(name), revision, Map.of(), Map.of(), 0, 0,
                    Reason.MissingResource.name(), pass.problem()), specCurrent, new Check(false, Reason.MissingResource.name(), pass.problem()));
            queue.addRateLimited(name);
            listener.passed(name, "error", took, null);
            return;
        }
        Plan plan = pass.plan();
        pass.images().forEach((revision, images) ->
                statuses.labelled(name, new RevisionLabel(revision, RevisionLabel.shortImages(images), null)));
        if (!plan.terminal() && greenServesProduction(plan.status())) watched.put(name, item.service());
        else watched.remove(name);
        boolean yielded = OperatorOwnership.OWNED_BY_ANOTHER_OPERATOR.equals(plan.status().reason());
        statuses.record(name, plan.status(), specCurrent, yielded ? new Check(false, plan.status().reason(), plan.status().message())
                : Check.ok(plan.actions().isEmpty() ? Reason.UpToDate.name() : Reason.Acted.name()));
        queue.forget(name);
        String result;
        if (plan.terminal()) {
            terminal.put(name, item.service());
            LOG.warnf("%s: %s: %s (not retried until the spec changes or `bluegreen retry %s`)", name,
                    plan.status().reason(), plan.status().message(), name);
            result = "terminal";
        } else if (!plan.actions().isEmpty() && pass.actionsRun() < plan.actions().size()) {
            // Ownership was lost mid-pass: the new owner carries on; this replica looks again at resync.
            result = "requeue";
        } else if (plan.requeueAfter() != null || !plan.actions().isEmpty()) {
            Duration after = plan.requeueAfter() == null ? Duration.ZERO : plan.requeueAfter();
            queue.addAfter(name, aligned(after.compareTo(settings.resync()) > 0 ? settings.resync() : after));
            result = plan.actions().isEmpty() && plan.status().converged() ? "success" : "requeue";
        } else {
            result = "success";
        }
        if (!plan.actions().isEmpty()) {
            LOG.infof("%s: %s (%s) after %d action(s)", name, plan.status().phase(), plan.status().message(), pass.actionsRun());
        }
        listener.passed(name, result, took, plan);
    }

    private void failed(Reconciler.Item item, RuntimeException e, Duration took) {
        String name = item.service().name();
        if (isThrottling(e)) {
            // Throttling is AWS asking for patience, not this service failing: the whole loop slows down
            // (see slowDown) and the service tries again soon, without growing its own backoff.
            // On a whole second, so the services that were throttled together are observed together again.
            queue.addAfter(name, Duration.ofMillis(2000 - clock.millis() % 1000));
            if (statuses.get(name).isPresent()) {
                statuses.failed(name, Revision.of(item.service().spec()).id(), Reason.Throttled.name(), e.getMessage());
            }
            listener.passed(name, "throttled", took, null);
            return;
        }
        // Nothing was observed, so nothing is planned: no rollback, only a clear status and a backoff.
        String reason = failureReason(e);
        String message = failureMessage(e);
        Duration delay = queue.addRateLimited(name);
        statuses.failed(name, Revision.of(item.service().spec()).id(), reason, message);
        LOG.warnf("%s: pass failed (%s: %s); next try in %s", name, reason, message, delay);
        listener.passed(name, "error", took, null);
    }
}

package io.ecsbluegreen.aws;

import io.ecsbluegreen.observed.Observed;
import io.ecsbluegreen.aws.EcsPort;
import io.ecsbluegreen.aws.ElbPort;
import io.ecsbluegreen.model.BlueGreenServiceSpec;
import io.ecsbluegreen.model.ListenerRef;
import io.ecsbluegreen.plan.Desired;
import io.ecsbluegreen.plan.Revision;
import io.ecsbluegreen.plan.ScalingDecisions;
import io.ecsbluegreen.plan.Tags;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Observes many services with as few AWS calls as the APIs allow: DescribeServices ten at a time per
 * cluster (task sets come with them), every listener and rule in batches of twenty, target group names
 * resolved once, ownership tags cached (they change only through this operator, which tells the cache),
 * target health read only for services where a rollout is under way: a steady primary task set needs
 * none, because ECS reports STEADY_STATE only when every task passes the load balancer's health checks.
 * Rollout state is on the service's tags (DescribeServices with TAGS); task set tags are read only for a
 * service not yet migrated from the earlier layout that kept state on task sets ({@link Tags#LAYOUT}).
 */
public final class Observer {

    /** A spec to observe: the service's name and spec with its revision. */
    public record Subject(String name, BlueGreenServiceSpec spec, Revision revision) {}

    /** The outcome for one service: the resolved desired state and what AWS shows, or why it cannot be observed. */
    public record Result(Desired desired, Observed observed, String problem) {}

    private final EcsPort ecs;
    private final ElbPort elb;
    private final AlarmPort alarms;
    private final HealthReadBudget healthReads;
    private final ScalingPort scaling;
    /** The last service whose target health the watch read: the next round starts after it (round robin). */
    private volatile String healthCursor = "";
    /** Alarms seen to exist; existence is checked at first sight, states only while a rollout is under way. */
    private final java.util.Set<String> confirmedAlarms = ConcurrentHashMap.newKeySet();
    private final Map<String, String> targetGroupArns = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> elbTags = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Map<String, String>>> taskSetTags = new ConcurrentHashMap<>();

    /** An observer that does not read rollback alarms (dry runs and tests that do not need them). */
    public Observer(EcsPort ecs, ElbPort elb) {
        this(ecs, elb, null);
    }

    /** @param alarms where rollback alarms are read; null to not read them (their checks are then skipped) */
    public Observer(EcsPort ecs, ElbPort elb, AlarmPort alarms) {
        this(ecs, elb, alarms, HealthReadBudget.NONE);
    }

    /**
     * @param alarms where rollback alarms are read; null to not read them (their checks are then skipped)
     * @param healthReads what the health watch may spend on DescribeTargetHealth between passes
     */
    public Observer(EcsPort ecs, ElbPort elb, AlarmPort alarms, HealthReadBudget healthReads) {
        this(ecs, elb, alarms, healthReads, ScalingPort.NONE);
    }

    /**
     * @param alarms where rollback alarms are read; null to not read them (their checks are then skipped)
     * @param healthReads what the health watch may spend on DescribeTargetHealth between passes
     * @param scaling where the Application Auto Scaling registration of services whose spec declares
     *     {@code scaling: {min, max, targetCpuUtilization}} is read
     */
    public Observer(EcsPort ecs, ElbPort elb, AlarmPort alarms, HealthReadBudget healthReads, ScalingPort scaling) {
        this.ecs = ecs;
        this.elb = elb;
        this.alarms = alarms;
        this.healthReads = healthReads;
        this.scaling = scaling;
    }

    /**
     * The health watch between passes, for services whose green serves production: which of them need a
     * pass now. First the batched signal (DescribeServices, ten services a call, on ECS's budget, not
     * ELBv2's): ECS reports a task set STEADY_STATE only while it runs its computed count, none pending,
     * and every task passes the load balancer's health checks, so a green that is not steady, runs fewer
     * tasks than it should, or is gone needs a pass. Then, as far as the {@link HealthReadBudget} allows,
     * DescribeTargetHealth for the greens that look steady, round robin over the services so each is read
     * in turn, to catch a target the load balancer failed before ECS reported it.
     *
     * @return the names of the subjects that need a pass now
     */
    public Set<String> watch(Collection<Subject> subjects) {
        Set<String> wake = new LinkedHashSet<>();
        Map<String, List<Subject>> byCluster = new LinkedHashMap<>();
        for (Subject s : subjects) byCluster.computeIfAbsent(s.spec().cluster(), k -> new ArrayList<>()).add(s);
        TreeMap<String, Observed.TaskSet> quiet = new TreeMap<>();
        byCluster.forEach((cluster, group) -> {
            Map<String, EcsPort.ServiceView> services = ecs.describeServices(cluster, group.stream().map(s -> s.spec().service()).toList());
            for (Subject s : group) {
                EcsPort.ServiceView view = services.get(s.spec().service());
                Optional<Observed.TaskSet> green = view == null ? Optional.empty() : view.taskSets().stream()
                        .filter(t -> t.status() != Observed.TaskSetStatus.PRIMARY && s.revision().id().equals(t.revision()))
                        .findFirst();
                if (green.isEmpty() || !green.get().steady() || green.get().runningCount() < green.get().computedDesiredCount()
                        || green.get().targetGroupArn() == null) {
                    wake.add(s.name());
                } else {
                    quiet.put(s.name(), green.get());
                }
            }
        });
        if (quiet.isEmpty()) return wake;
        List<String> order = new ArrayList<>(quiet.tailMap(healthCursor, false).keySet());
        order.addAll(quiet.headMap(healthCursor, true).keySet());
        for (String name : order) {
            if (!healthReads.tryTake()) break;
            Observed.TaskSet green = quiet.get(name);
            ElbPort.TargetGroupState state = elb.targetHealth(green.targetGroupArn(), green.targetGroupArn());
            healthCursor = name;
            if (state.healthy() < green.computedDesiredCount()) wake.add(name);
        }
        return wake;
    }

    /** Forgets cached tags of a resource; the reconciler calls it after tagging. */
    public void invalidateTags(String arn) {
        elbTags.remove(arn);
        taskSetTags.values().forEach(m -> m.remove(arn));
    }

    /**
     * The task sets with their tags. Task-set tags change only through this operator (which tells the
     * cache), so a steady service keeping a retained blue costs no DescribeTaskSets per pass; the cache
     * holds only the service's current task sets.
     */
    private List<Observed.TaskSet> withTags(BlueGreenServiceSpec spec, List<Observed.TaskSet> taskSets) {
        Map<String, Map<String, String>> cached = taskSetTags.computeIfAbsent(spec.cluster() + "/" + spec.service(),
                k -> new ConcurrentHashMap<>());
        List<String> arns = taskSets.stream().map(Observed.TaskSet::arn).toList();
        cached.keySet().retainAll(arns);
        List<String> missing = arns.stream().filter(a -> !cached.containsKey(a)).toList();
        if (!missing.isEmpty()) {
            Map<String, Map<String, String>> read = ecs.taskSetTags(spec.cluster(), spec.service(), missing);
            for (Observed.TaskSet t : taskSets) {
                if (missing.contains(t.arn())) cached.put(t.arn(), Map.copyOf(read.getOrDefault(t.arn(), t.tags())));
            }
        }
        return taskSets.stream().map(t -> new Observed.TaskSet(t.id(), t.arn(), t.revision(), t.status(), t.scalePercent(),
                t.computedDesiredCount(), t.runningCount(), t.pendingCount(), t.steady(), t.createdAt(), t.targetGroupArn(),
                cached.getOrDefault(t.arn(), t.tags()), t.taskDefinitionArn())).toList();
    }

    /** The container images of a task definition (described once: task definitions never change). */
    public List<String> containerImages(String taskDefinitionArn) {
        return ecs.containerImages(taskDefinitionArn);
    }

    /**
     * Forgets what is cached about a service's resources (their tags), for a replica taking the service
     * over from another one, which wrote to them meanwhile.
     */
    public void forget(BlueGreenServiceSpec spec) {
        elbTags.remove(spec.traffic().production().arn());
        if (spec.traffic().test() != null) elbTags.remove(spec.traffic().test().arn());
        for (String name : List.of(spec.traffic().blueTargetGroup(), spec.traffic().greenTargetGroup())) {
            String arn = targetGroupArns.get(name);
            if (arn != null) elbTags.remove(arn);
        }
        taskSetTags.remove(spec.cluster() + "/" + spec.service());
    }

    /** Forgets the cached tags of every ELB resource in an observation (listeners, rules, target groups). */
    public void forgetTags(Observed observed) {
        elbTags.remove(observed.production().arn());
        if (observed.test() != null) elbTags.remove(observed.test().arn());
        observed.targetGroups().keySet().forEach(elbTags::remove);
    }

    /** Observes every subject; the map is keyed by subject name. */
    public Map<String, Result> observe(Collection<Subject> subjects) {
        resolveTargetGroups(subjects);
        Map<String, ElbPort.ForwardState> forwards = forwards(subjects);
        Map<String, Result> out = new LinkedHashMap<>();
        Map<String, List<Subject>> byCluster = new LinkedHashMap<>();
        for (Subject s : subjects) byCluster.computeIfAbsent(s.spec().cluster(), k -> new ArrayList<>()).add(s);
        byCluster.forEach((cluster, group) -> {
            Map<String, EcsPort.ServiceView> services = ecs.describeServices(cluster, group.stream().map(s -> s.spec().service()).toList());
            for (Subject s : group) out.put(s.name(), observeOne(s, services.get(s.spec().service()), forwards));
        });
        addAlarms(subjects, out);
        addScaling(subjects, out);
        return out;
    }

    /**
     * Adds the Application Auto Scaling registration to the observations of the services whose spec
     * declares one ({@code scaling: {min, max, targetCpuUtilization}}) and that exist: only they cost calls.
     */
    private void addScaling(Collection<Subject> subjects, Map<String, Result> results) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (Subject s : subjects) {
            Result r = results.get(s.name());
            if (r.observed() == null || r.observed().service() == null || !"ACTIVE".equals(r.observed().service().status())) continue;
            if (s.spec().scaling() == null || !s.spec().scaling().registered()) continue;
            wanted.put(s.name(), ScalingPort.resourceId(s.spec().cluster(), s.spec().service()));
        }
        if (wanted.isEmpty()) return;
        Map<String, Observed.Scaling> read = scaling.read(wanted.values(), ScalingDecisions.POLICY_NAME);
        wanted.forEach((name, id) -> {
            Observed.Scaling state = read.get(id);
            if (state == null) return;
            Result r = results.get(name);
            results.put(name, new Result(r.desired(), r.observed().withScaling(state), r.problem()));
        });
    }

    private Result observeOne(Subject s, EcsPort.ServiceView view, Map<String, ElbPort.ForwardState> forwards) {
        BlueGreenServiceSpec spec = s.spec();
        String blue = targetGroupArns.get(spec.traffic().blueTargetGroup());
        String green = targetGroupArns.get(spec.traffic().greenTargetGroup());
        Desired desired = new Desired(s.name(), spec, s.revision(), blue, green);
        if (blue == null || green == null) {
            return new Result(desired, null, "target group " + (blue == null ? spec.traffic().blueTargetGroup()
                    : spec.traffic().greenTargetGroup()) + " not found");
        }
        ElbPort.ForwardState production = forwards.get(spec.traffic().production().arn());
        if (production == null) {
            return new Result(desired, null, "production " + kind(spec.traffic().production()) + " "
                    + spec.traffic().production().arn() + " not found");
        }
        ElbPort.ForwardState test = spec.traffic().test() == null ? null : forwards.get(spec.traffic().test().arn());
        if (spec.traffic().test() != null && test == null) {
            return new Result(desired, null, "test " + kind(spec.traffic().test()) + " " + spec.traffic().test().arn() + " not found");
        }
        List<String> ownedArns = new ArrayList<>(List.of(production.arn(), blue, green));
        if (test != null) ownedArns.add(test.arn());
        Map<String, Map<String, String>> tags = tags(ownedArns);

        List<Observed.TaskSet> taskSets = view == null ? List.of() : view.taskSets();
        boolean rolloutUnderway = rolloutUnderway(taskSets, s.revision().id());
        boolean migrated = view != null && Tags.LAYOUT_VERSION.equals(view.service().tags().get(Tags.LAYOUT));
        if (view != null && !migrated && (rolloutUnderway || taskSets.size() > 1)) {
            // Only the earlier layout kept state on task sets; the planner copies it to the service once.
            taskSets = withTags(spec, taskSets);
        }
        Map<String, Observed.TargetGroup> groups = new HashMap<>();
        for (String arn : List.of(blue, green)) {
            String name = arn.equals(blue) ? spec.traffic().blueTargetGroup() : spec.traffic().greenTargetGroup();
            Optional<Observed.TaskSet> owner = taskSets.stream().filter(t -> arn.equals(t.targetGroupArn()))
                    .filter(t -> t.status() != Observed.TaskSetStatus.DRAINING).findFirst();
            boolean carries = weightOn(production, arn) || (test != null && weightOn(test, arn));
            int healthy;
            int registered;
            if (owner.isPresent() && owner.get().steady() && (owner.get().status() == Observed.TaskSetStatus.PRIMARY
                    || (weightOn(production, arn) && owner.get().runningCount() >= owner.get().computedDesiredCount()))) {
                // ECS reports STEADY_STATE only when every task passes the load balancer's health checks, so a
                // steady blue needs no DescribeTargetHealth even mid-rollout, nor a steady green that already
                // serves production (the passes of a shift and the health watch then cost ELBv2 nothing). A
                // green's health is read before production first goes to it, and whenever it is not steady.
                healthy = owner.get().runningCount();
                registered = owner.get().runningCount();
            } else if (carries || (owner.isPresent() && rolloutUnderway
                    && (owner.get().steady() || owner.get().status() == Observed.TaskSetStatus.PRIMARY))) {
                // A green that is not yet steady cannot be ready whatever its targets say, so its health is
                // read once ECS calls it steady; a struggling blue's is read because a rollback needs it.
                ElbPort.TargetGroupState state = elb.targetHealth(arn, name);
                healthy = state.healthy();
                registered = state.registered();
            } else {
                // Idle, or a retained blue while nothing rolls out: no decision needs its health.
                healthy = 0;
                registered = 0;
            }
            groups.put(arn, new Observed.TargetGroup(arn, name, healthy, registered, tags.getOrDefault(arn, Map.of())));
        }
        // Looked up only when a new task set may be needed: no live task set runs the desired revision yet. A
        // DRAINING one of that revision (a rollback's, a retry's) does not count: the planner creates a new
        // green beside it, and without the lookup it would register a new task definition on every pass.
        boolean revisionRuns = taskSets.stream().anyMatch(t -> t.status() != Observed.TaskSetStatus.DRAINING
                && s.revision().id().equals(t.revision()));
        String taskDefinition = !spec.taskDefinition().inline() ? spec.taskDefinition().arn()
                : revisionRuns ? null
                : ecs.findTaskDefinition(spec.taskDefinition().family(), s.revision()).orElse(null);
        Observed observed = new Observed(view == null ? null : view.service(), taskSets,
                new Observed.Forward(production.arn(), production.rule(), production.weights(), tags.getOrDefault(production.arn(), Map.of())),
                test == null ? null : new Observed.Forward(test.arn(), test.rule(), test.weights(), tags.getOrDefault(test.arn(), Map.of())),
                groups, taskDefinition);
        return new Result(desired, observed, null);
    }

    /**
     * A rollout is under way unless production steadily runs the desired revision and no green for it
     * exists (a DRAINING task set is on its way out, never green).
     */
    static boolean rolloutUnderway(List<Observed.TaskSet> taskSets, String wanted) {
        Optional<Observed.TaskSet> primary = taskSets.stream().filter(t -> t.status() == Observed.TaskSetStatus.PRIMARY).findFirst();
        return primary.isEmpty() || !primary.get().steady() || !wanted.equals(primary.get().revision())
                || taskSets.stream().anyMatch(t -> t.status() == Observed.TaskSetStatus.ACTIVE && wanted.equals(t.revision()));
    }

    /**
     * Adds the rollback alarms' states to the observations that need them, in one batched read: at a
     * service's first sight (an alarm that does not exist is an error then, not a silent pass) and
     * while its rollout is under way. A steady service costs no CloudWatch call.
     */
    private void addAlarms(Collection<Subject> subjects, Map<String, Result> results) {
        if (alarms == null) return;
        Map<String, List<String>> wanted = new LinkedHashMap<>();
        for (Subject s : subjects) {
            Result r = results.get(s.name());
            List<String> names = s.spec().rollback() == null || s.spec().rollback().alarms() == null ? List.of()
                    : s.spec().rollback().alarms();
            if (r.observed() == null || names.isEmpty()) continue;
            if (!confirmedAlarms.containsAll(names) || rolloutUnderway(r.observed().taskSets(), s.revision().id())) {
                wanted.put(s.name(), names);
            }
        }
        if (wanted.isEmpty()) return;
        Map<String, String> states = alarms.states(wanted.values().stream().flatMap(List::stream).distinct().toList());
        confirmedAlarms.addAll(states.keySet());
        wanted.forEach((name, names) -> {
            Result r = results.get(name);
            Map<String, String> mine = new HashMap<>();
            for (String alarm : names) {
                if (states.containsKey(alarm)) mine.put(alarm, states.get(alarm));
            }
            Observed o = r.observed();
            results.put(name, new Result(r.desired(), o.withAlarms(mine), null));
        });
    }

    private static boolean weightOn(ElbPort.ForwardState forward, String arn) {
        return forward.weights().getOrDefault(arn, 0) > 0;
    }

    private static String kind(ListenerRef ref) {
        return ref.listenerArn() != null ? "listener" : "rule";
    }

    private void resolveTargetGroups(Collection<Subject> subjects) {
        List<String> names = new ArrayList<>();
        for (Subject s : subjects) {
            for (String ref : List.of(s.spec().traffic().blueTargetGroup(), s.spec().traffic().greenTargetGroup())) {
                if (ref.startsWith("arn:")) targetGroupArns.putIfAbsent(ref, ref);
                else if (!targetGroupArns.containsKey(ref)) names.add(ref);
            }
        }
        if (!names.isEmpty()) targetGroupArns.putAll(elb.targetGroupArns(names));
    }

    private Map<String, ElbPort.ForwardState> forwards(Collection<Subject> subjects) {
        List<String> listeners = new ArrayList<>();
        List<String> rules = new ArrayList<>();
        for (Subject s : subjects) {
            for (ListenerRef ref : new ListenerRef[] {s.spec().traffic().production(), s.spec().traffic().test()}) {
                if (ref == null) continue;
                if (ref.listenerArn() != null) listeners.add(ref.listenerArn());
                else rules.add(ref.ruleArn());
            }
        }
        return elb.forwards(listeners, rules);
    }

    private Map<String, Map<String, String>> tags(List<String> arns) {
        List<String> missing = arns.stream().filter(a -> !elbTags.containsKey(a)).toList();
        if (!missing.isEmpty()) elbTags.putAll(elb.tags(missing));
        Map<String, Map<String, String>> out = new HashMap<>();
        for (String arn : arns) out.put(arn, elbTags.getOrDefault(arn, Map.of()));
        return out;
    }
}

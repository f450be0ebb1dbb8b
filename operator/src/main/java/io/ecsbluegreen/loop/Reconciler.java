package io.ecsbluegreen.loop;

import io.ecsbluegreen.aws.Actor;
import io.ecsbluegreen.aws.ElbPort;
import io.ecsbluegreen.analysis.AnalysisPort;
import io.ecsbluegreen.hooks.HookPort;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.observed.Observed;
import io.ecsbluegreen.aws.Observer;
import io.ecsbluegreen.plan.Action;
import io.ecsbluegreen.plan.Command;
import io.ecsbluegreen.plan.OperatorOwnership;
import io.ecsbluegreen.plan.Plan;
import io.ecsbluegreen.plan.PlanInput;
import io.ecsbluegreen.plan.Planner;
import io.ecsbluegreen.plan.Revision;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * One reconcile pass for a service: observe AWS, plan (pure), act. Waiting is a requeue in the returned
 * plan, not an error; an AWS failure propagates so the work queue can back off.
 */
public final class Reconciler {
    private static final Logger LOG = Logger.getLogger(Reconciler.class);
    private final Observer observer;
    private final Actor actor;
    private final Clock clock;
    private final HookPort hooks;
    private final AnalysisPort analysis;
    /** Keeps this replica off services another live operator instance writes to; null without one (tests, the CLI). */
    private final InstanceGuard guard;

    public Reconciler(Observer observer, Actor actor, Clock clock) {
        this(observer, actor, clock, HookPort.NONE);
    }

    /** @param hooks where the results of lifecycle hooks are read (the same runner the actor starts them on) */
    public Reconciler(Observer observer, Actor actor, Clock clock, HookPort hooks) {
        this(observer, actor, clock, hooks, AnalysisPort.NONE);
    }

    /**
     * @param hooks where the results of lifecycle hooks are read (the same runner the actor starts them on)
     * @param analysis where the states of analysis checks are read (the same runner the actor measures on)
     */
    public Reconciler(Observer observer, Actor actor, Clock clock, HookPort hooks, AnalysisPort analysis) {
        this(observer, actor, clock, hooks, analysis, null);
    }

    /**
     * @param self this operator instance: a pass that would write to a service another live instance
     *     writes to does not (see {@link OperatorOwnership}); null for no such guard
     */
    public Reconciler(Observer observer, Actor actor, Clock clock, HookPort hooks, AnalysisPort analysis,
                      OperatorOwnership.Self self) {
        this.guard = self == null ? null : new InstanceGuard(self);
        this.observer = observer;
        this.actor = actor;
        this.clock = clock;
        this.hooks = hooks;
        this.analysis = analysis;
    }

    /**
     * The outcome of a pass: the plan and how many of its actions ran; or why it could not be planned.
     *
     * @param images the container images of the revisions AWS runs whose spec does not tell them (blue's
     *     after a restart, a task definition given by ARN), by revision id
     */
    public record Pass(Plan plan, int actionsRun, String problem, Map<String, List<String>> images) {
        public Pass {
            images = images == null ? Map.of() : Map.copyOf(images);
        }

        public Pass(Plan plan, int actionsRun, String problem) {
            this(plan, actionsRun, problem, Map.of());
        }
    }

    /**
     * A service to reconcile with the commands people gave it since its last pass.
     *
     * @param orphaned whether no file declares it any more: watched and rolled back, but no new step
     * @param fresh whether this replica just took the service over: nothing cached about it is trusted
     */
    public record Item(BlueGreenService service, Set<Command> commands, boolean orphaned, boolean fresh) {
        public Item(BlueGreenService service, Set<Command> commands, boolean orphaned) {
            this(service, commands, orphaned, false);
        }

        public Item(BlueGreenService service, Set<Command> commands) {
            this(service, commands, false);
        }
    }

    /**
     * The outcome for one item of a batch: its pass, or the failure that stopped it. Both when an action
     * failed after the plan was made: the pass then tells how many of its actions ran (a rollback's
     * traffic writes come first, and may have run before a bookkeeping write failed).
     */
    public record Outcome(Pass pass, RuntimeException error) {}

    public Pass reconcile(BlueGreenService service, Set<Command> commands) {
        Outcome outcome = reconcileAll(List.of(new Item(service, commands)), name -> true).get(service.name());
        if (outcome.error() != null) throw outcome.error();
        return outcome.pass();
    }

    /**
     * Reconciles several services with one batched observation; a failure while acting for one service
     * does not stop the others. {@code owns} is asked before each write, so a replica that lost a
     * service's lease stops writing to it. A failure to observe fails the whole batch (thrown). Every
     * plan is made before any acts, so the batch's weight writes share their reads (see
     * {@link Actor#forwardWrites}).
     */
    public Map<String, Outcome> reconcileAll(List<Item> items, Predicate<String> owns) {
        List<Observer.Subject> subjects = new ArrayList<>();
        for (Item item : items) {
            BlueGreenService s = item.service();
            // Another replica wrote to it meanwhile: tags cached from before are stale.
            if (item.fresh()) observer.forget(s.spec());
            subjects.add(new Observer.Subject(s.name(), s.spec(), Revision.of(s.spec())));
        }
        Map<String, Observer.Result> observed = observer.observe(subjects);
        Map<String, Outcome> out = new LinkedHashMap<>();
        Map<String, Plan> plans = new LinkedHashMap<>();
        Map<String, Map<String, List<String>>> images = new LinkedHashMap<>();
        for (Item item : items) {
            String name = item.service().name();
            Observer.Result result = observed.get(name);
            if (result.problem() != null) {
                out.put(name, new Outcome(new Pass(null, 0, result.problem()), null));
                continue;
            }
            // A retry runs the revision's hooks again; runs of superseded revisions are of no use any more.
            if (item.commands().contains(Command.RETRY)) {
                hooks.forget(name);
                analysis.retain(name, null);
            }
            hooks.retain(name, result.desired().revision().id());
            Plan plan = Planner.plan(new PlanInput(result.desired(), result.observed(), item.commands(), hooks.results(name),
                    analysis.states(name), clock.instant(), item.orphaned()));
            if (guard != null) plan = guard.apply(name, plan, result.observed().service(), clock.instant());
            if (plan.terminal()) {
                // A terminal plan waits for a person, who may fix the tags out of band: read them afresh next time.
                observer.forgetTags(result.observed());
            }
            plans.put(name, plan);
            images.put(name, images(item.service(), result.observed()));
        }
        ElbPort.ForwardWrites forwards = actor.forwardWrites(plans.values().stream().map(Plan::actions).toList());
        plans.forEach((name, plan) -> {
            try {
                Actor.Run run = actor.attempt(observed.get(name).desired(), plan.actions(), () -> owns.test(name), forwards);
                out.put(name, new Outcome(new Pass(plan, run.done(), null, images.get(name)), run.failure()));
            } finally {
                for (Action a : plan.actions()) {
                    if (a instanceof Action.TagResource t) observer.invalidateTags(t.arn());
                    if (a instanceof Action.UntagResource u) observer.invalidateTags(u.arn());
                }
            }
        });
        return out;
    }

    /**
     * The images of the revisions the service's live task sets run, where the spec does not tell them: one
     * DescribeTaskDefinition per task definition in the operator's life (they never change). Only labels
     * depend on it, so a failure to read them is ignored: the pass goes on.
     */
    private Map<String, List<String>> images(BlueGreenService service, Observed observed) {
        String desired = Revision.of(service.spec()).id();
        boolean specTells = service.spec().taskDefinition().inline();
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Observed.TaskSet t : observed.taskSets()) {
            if (t.revision() == null || t.taskDefinitionArn() == null || t.status() == Observed.TaskSetStatus.DRAINING
                    || out.containsKey(t.revision()) || (specTells && t.revision().equals(desired))) {
                continue;
            }
            try {
                out.put(t.revision(), observer.containerImages(t.taskDefinitionArn()));
            } catch (RuntimeException e) {
                LOG.debugf("%s: the images of %s stay unknown this pass: %s", service.name(), t.revision(), e.toString());
            }
        }
        return out;
    }

    /**
     * The health watch between passes (see {@link Observer#watch}): which of these services, whose green
     * serves production, need a pass now. Observes only; plans and acts nothing.
     */
    public Set<String> watch(List<BlueGreenService> services) {
        return observer.watch(services.stream()
                .map(s -> new Observer.Subject(s.name(), s.spec(), Revision.of(s.spec()))).toList());
    }

    /** Observes and plans without acting: what a pass would do now. */
    public Map<String, Pass> dryRun(List<BlueGreenService> services) {
        List<Observer.Subject> subjects = services.stream()
                .map(s -> new Observer.Subject(s.name(), s.spec(), Revision.of(s.spec()))).toList();
        Map<String, Observer.Result> observed = observer.observe(subjects);
        Map<String, Pass> out = new LinkedHashMap<>();
        for (BlueGreenService s : services) {
            Observer.Result result = observed.get(s.name());
            out.put(s.name(), result.problem() != null ? new Pass(null, 0, result.problem())
                    : new Pass(Planner.plan(new PlanInput(result.desired(), result.observed(), Set.of(),
                            hooks.results(s.name()), analysis.states(s.name()), clock.instant(), false)), 0, null));
        }
        return out;
    }
}

package io.ecsbluegreen.aws;

import io.ecsbluegreen.plan.ServerNames;
import io.ecsbluegreen.analysis.AnalysisPort;
import io.ecsbluegreen.plan.AnalysisTarget;
import io.ecsbluegreen.plan.HookCall;
import io.ecsbluegreen.hooks.HookPort;
import io.ecsbluegreen.plan.TaskPlacement;
import io.ecsbluegreen.model.BlueGreenServiceSpec;
import io.ecsbluegreen.plan.Action;
import io.ecsbluegreen.plan.Desired;
import io.ecsbluegreen.plan.ScalingDecisions;
import io.ecsbluegreen.plan.Tags;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Carries out a plan's actions in order through the ECS and ELBv2 ports. Every action is idempotent on
 * its own (client tokens, "set" rather than "add" semantics), so a pass interrupted anywhere can be
 * planned and run again. The first failure stops the pass and propagates; the work queue backs off.
 */
public final class Actor {
    private final EcsPort ecs;
    private final ElbPort elb;
    private final HookPort hooks;
    private final AnalysisPort analysis;
    private final ScalingPort scaling;

    /** An actor without lifecycle hooks: a spec that has some fails its hook with that reason. */
    public Actor(EcsPort ecs, ElbPort elb) {
        this(ecs, elb, HookPort.NONE);
    }

    public Actor(EcsPort ecs, ElbPort elb, HookPort hooks) {
        this(ecs, elb, hooks, AnalysisPort.NONE);
    }

    /**
     * @param hooks where lifecycle hooks are started
     * @param analysis where analysis measurements are started
     */
    public Actor(EcsPort ecs, ElbPort elb, HookPort hooks, AnalysisPort analysis) {
        this(ecs, elb, hooks, analysis, ScalingPort.NONE);
    }

    /**
     * @param hooks where lifecycle hooks are started
     * @param analysis where analysis measurements are started
     * @param scaling where services are registered with Application Auto Scaling
     */
    public Actor(EcsPort ecs, ElbPort elb, HookPort hooks, AnalysisPort analysis, ScalingPort scaling) {
        this.ecs = ecs;
        this.elb = elb;
        this.hooks = hooks;
        this.analysis = analysis;
        this.scaling = scaling;
    }

    /** Runs the actions; returns how many ran before the end (all, unless an exception escapes). */
    public int run(Desired desired, List<Action> actions) {
        return run(desired, actions, () -> true);
    }

    /**
     * Runs the actions while {@code mayWrite} holds, asking before each one: a replica that lost the
     * service's lease stops between two writes, and the new owner plans again from what AWS shows.
     * Returns how many ran.
     */
    public int run(Desired desired, List<Action> actions, BooleanSupplier mayWrite) {
        Run run = attempt(desired, actions, mayWrite, elb::setForward);
        if (run.failure() != null) throw run.failure();
        return run.done();
    }

    /**
     * How far a plan's actions got: how many ran, and the failure that stopped the next one (null when
     * none did), so a caller can tell what the plan's first writes (a rollback's traffic) achieved.
     */
    public record Run(int done, RuntimeException failure) {}

    /**
     * Runs the actions as {@link #run(Desired, List, BooleanSupplier)} does, with the weight writes going
     * through {@code forwards} (see {@link #forwardWrites}); a failure is returned, not thrown.
     */
    public Run attempt(Desired desired, List<Action> actions, BooleanSupplier mayWrite, ElbPort.ForwardWrites forwards) {
        int done = 0;
        for (Action action : actions) {
            if (!mayWrite.getAsBoolean()) break;
            try {
                apply(desired, action, forwards);
            } catch (RuntimeException e) {
                return new Run(done, e);
            }
            done++;
        }
        return new Run(done, null);
    }

    /**
     * The weight writes of a batch of plans: the listeners and rules they change have their action lists
     * read together (one Describe per twenty) instead of one read before each write.
     */
    public ElbPort.ForwardWrites forwardWrites(Collection<List<Action>> plans) {
        Set<String> listeners = new LinkedHashSet<>();
        Set<String> rules = new LinkedHashSet<>();
        for (List<Action> actions : plans) {
            for (Action a : actions) {
                if (a instanceof Action.SetForwardWeights w) (w.rule() ? rules : listeners).add(w.listenerOrRuleArn());
            }
        }
        return listeners.isEmpty() && rules.isEmpty() ? elb::setForward : elb.forwardWrites(listeners, rules);
    }

    private void apply(Desired desired, Action action, ElbPort.ForwardWrites forwards) {
        BlueGreenServiceSpec spec = desired.spec();
        String cluster = spec.cluster();
        String service = spec.service();
        // Java 17 has no pattern-matching switch; the sealed interface still makes this list exhaustive
        // by review, and the final throw catches an action added without a branch here.
        if (action instanceof Action.CreateService a) {
            ecs.createService(spec, a.tags(), a.clientToken());
        } else if (action instanceof Action.UpdateDesiredCount a) {
            ecs.updateDesiredCount(cluster, service, a.desiredCount());
        } else if (action instanceof Action.RegisterTaskDefinition a) {
            ecs.registerTaskDefinition(spec, a.revision(), Map.of(Tags.OWNER, desired.name()));
        } else if (action instanceof Action.CreateTaskSet a) {
            try {
                ecs.createTaskSet(spec, a.revision(), a.taskDefinitionArn(), a.targetGroupArn(),
                        Map.of(Tags.OWNER, Tags.value(desired.name())), a.clientToken());
            } catch (EcsPort.SpentClientTokenException e) {
                // The pass still fails (nothing was created); the next one plans with the raised generation.
                ecs.tag(a.serviceArn(), Map.of(Tags.GENERATION, String.valueOf(a.generation() + 1)));
                throw e;
            }
        } else if (action instanceof Action.UpdateTaskSetScale a) {
            ecs.updateTaskSetScale(cluster, service, a.taskSetArn(), a.percent());
        } else if (action instanceof Action.SetPrimaryTaskSet a) {
            ecs.updatePrimaryTaskSet(cluster, service, a.taskSetArn());
        } else if (action instanceof Action.DeleteTaskSet a) {
            ecs.deleteTaskSet(cluster, service, a.taskSetArn());
        } else if (action instanceof Action.SetForwardWeights a) {
            forwards.setForward(a.listenerOrRuleArn(), a.rule(), a.weights());
        } else if (action instanceof Action.TagResource a) {
            if (isEcs(a.arn())) ecs.tag(a.arn(), a.tags());
            else elb.addTags(a.arn(), Tags.values(a.tags()));
        } else if (action instanceof Action.UntagResource a) {
            if (isEcs(a.arn())) ecs.untag(a.arn(), a.keys());
            else elb.removeTags(a.arn(), a.keys());
        } else if (action instanceof Action.RunHook a) {
            hooks.start(new HookCall(desired.name(), desired.revision().id(), a.point(), a.index(), a.hook(), cluster, service,
                    a.taskSetArn(), spec.traffic().production().arn(),
                    spec.traffic().test() == null ? null : spec.traffic().test().arn(), TaskPlacement.of(spec),
                    ServerNames.of(spec.traffic())));
        } else if (action instanceof Action.Analyze a) {
            AnalysisTarget target = new AnalysisTarget(desired.name(), desired.revision().id(), spec.region(), a.taskSetArn(),
                    a.targetGroupArn(), spec.traffic().production().arn(),
                    spec.traffic().test() == null ? null : spec.traffic().test().arn(), a.stepStartedAt(),
                    ServerNames.of(spec.traffic()));
            // measurements of an earlier rollout of this service are of no use any more
            analysis.retain(desired.name(), target.key());
            analysis.measureDue(target, spec.analysis());
        } else if (action instanceof Action.RegisterScalableTarget a) {
            scaling.registerScalableTarget(a.cluster(), a.service(), a.min(), a.max(), a.scaleInSuspended(), a.scaleOutSuspended(),
                    a.scheduledSuspended());
        } else if (action instanceof Action.PutCpuTargetTrackingPolicy a) {
            scaling.putCpuTargetTrackingPolicy(a.cluster(), a.service(), ScalingDecisions.POLICY_NAME, a.targetCpuUtilization());
        } else {
            throw new IllegalStateException("no handler for " + action);
        }
    }

    private static boolean isEcs(String arn) {
        return arn.contains(":ecs:");
    }
}

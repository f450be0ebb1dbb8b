package io.ecsbluegreen.loop;

import io.ecsbluegreen.act.Actor;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.observe.Observer;
import io.ecsbluegreen.plan.Action;
import io.ecsbluegreen.plan.Command;
import io.ecsbluegreen.plan.Plan;
import io.ecsbluegreen.plan.Planner;
import io.ecsbluegreen.plan.Revision;
import java.time.Clock;
import java.util.List;

import java.util.Set;

/**
 * One reconcile pass for a service: observe AWS, plan (pure), act. Waiting is a requeue in the returned
 * plan, not an error; an AWS failure propagates so the work queue can back off.
 */
public final class Reconciler {
    private final Observer observer;
    private final Actor actor;
    private final Clock clock;

    public Reconciler(Observer observer, Actor actor, Clock clock) {
        this.observer = observer;
        this.actor = actor;
        this.clock = clock;
    }

    /** The outcome of a pass: the plan and how many of its actions ran; or why it could not be planned. */
    public record Pass(Plan plan, int actionsRun, String problem) {}

    public Pass reconcile(BlueGreenService service, Set<Command> commands) {
        Observer.Subject subject = new Observer.Subject(service.name(), service.spec(), Revision.of(service.spec()));
        Observer.Result observed = observer.observe(List.of(subject)).get(service.name());
        if (observed.problem() != null) {
            return new Pass(null, 0, observed.problem());
        }
        Plan plan = Planner.plan(observed.desired(), observed.observed(), commands, clock.instant());
        int run = actor.run(observed.desired(), plan.actions());
        for (Action a : plan.actions()) {
            if (a instanceof Action.TagResource t) observer.invalidateTags(t.arn());
            if (a instanceof Action.UntagResource u) observer.invalidateTags(u.arn());
        }
        return new Pass(plan, run, null);
    }

}

package io.ecsbluegreen.loop;

import io.ecsbluegreen.observed.Observed;
import io.ecsbluegreen.plan.OperatorOwnership;
import io.ecsbluegreen.plan.OperatorOwnership.Decision;
import io.ecsbluegreen.plan.Plan;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Applies {@link OperatorOwnership} to every plan of a reconciler before the actor runs it, and logs
 * what changes: the first pass that finds a service owned by another live operator instance (at start-up
 * or later), a takeover after that instance went silent, and the end of a yield. The decision itself is
 * pure; this class only remembers what it already said, so a yield is logged once, not every pass.
 */
final class InstanceGuard {
    private static final Logger LOG = Logger.getLogger(InstanceGuard.class);

    private final OperatorOwnership.Self self;
    /** Service name to the instance this one yields to, while it does. */
    private final Map<String, String> yielding = new ConcurrentHashMap<>();

    InstanceGuard(OperatorOwnership.Self self) {
        this.self = self;
    }

    /** The plan to run for {@code name}; {@code service} is the ECS service as observed, null when it does not exist yet. */
    Plan apply(String name, Plan plan, Observed.EcsService service, Instant now) {
        if (service == null) return plan;
        Decision decision = OperatorOwnership.decide(plan, service, self, now);
        if (decision instanceof Decision.Yield y) {
            if (!y.owner().equals(yielding.put(name, y.owner()))) {
                LOG.warnf("%s: operator instance %s wrote to ECS service %s %ds ago; this instance (%s) does not write to it"
                                + " while that instance is live (takeover after %ds of silence). Run one replica until leases exist.",
                        name, y.owner(), service.arn(), y.age().toSeconds(), self.id(), self.takeoverAfter().toSeconds());
            }
        } else if (decision instanceof Decision.Write w) {
            String before = yielding.remove(name);
            if (w.takenOverFrom() != null) {
                LOG.warnf("%s: taking ECS service %s over from operator instance %s, silent for %ds", name, service.arn(),
                        w.takenOverFrom(), w.silentFor() == null ? -1 : w.silentFor().toSeconds());
            } else if (before != null) {
                LOG.infof("%s: operator instance %s no longer writes to it; this instance (%s) goes on", name, before, self.id());
            }
        }
        return OperatorOwnership.apply(plan, service, self, decision);
    }
}

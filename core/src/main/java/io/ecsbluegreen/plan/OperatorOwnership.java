package io.ecsbluegreen.plan;

import io.ecsbluegreen.observed.Observed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which operator replica may write to a service, until leases exist: a pure function of the service's
 * instance tags ({@link Tags#OPERATOR_INSTANCE}, {@link Tags#OPERATOR_HEARTBEAT}), this instance's id,
 * the plan and the time.
 *
 * <p>A replica about to write to a service that another instance wrote to less than {@code takeoverAfter}
 * ago does not write ({@link Decision.Yield}), nor claims a rollout that instance drives; after that it
 * takes the service over. The writing instance
 * refreshes its heartbeat at most once per {@code heartbeat} interval, only on passes that write or that
 * hold a rollout in progress (a canary pause or a long hook writes nothing for a while, and another
 * replica must not take over mid-rollout). Rollbacks yield too: the live owner watches the same health
 * and alarms and rolls back itself; if it is gone, its heartbeat stops and this replica takes over and
 * rolls back within {@code takeoverAfter} (docs/operating.md).
 */
public final class OperatorOwnership {
    private OperatorOwnership() {}

    /** Status reason of a pass that did not write because another operator instance owns the service. */
    public static final String OWNED_BY_ANOTHER_OPERATOR = Reason.OwnedByAnotherOperator.name();

    /**
     * This operator instance.
     *
     * @param id its identity, as written to {@link Tags#OPERATOR_INSTANCE} (already a valid tag value)
     * @param takeoverAfter how long another instance's heartbeat keeps this one from writing
     * @param heartbeat how often at most the heartbeat of a service is refreshed; shorter than {@code takeoverAfter}
     */
    public record Self(String id, Duration takeoverAfter, Duration heartbeat) {
        public Self {
            id = Tags.value(id);
            if (id.isBlank()) throw new IllegalArgumentException("the operator instance id is empty");
            if (heartbeat.compareTo(takeoverAfter) >= 0) {
                throw new IllegalArgumentException("the heartbeat interval (" + heartbeat
                        + ") must be shorter than takeover-after (" + takeoverAfter + ")");
            }
        }
    }

    /** What this instance does with a pass's plan. */
    public sealed interface Decision {
        /**
         * Write the plan.
         *
         * @param heartbeat tags to write on the service first; empty when the heartbeat is fresh enough or nothing is written
         * @param takenOverFrom the instance whose heartbeat expired and whose service this instance takes; null when none
         * @param silentFor how long that instance had not written; null when none
         */
        record Write(Map<String, String> heartbeat, String takenOverFrom, Duration silentFor) implements Decision {
            public Write {
                heartbeat = Map.copyOf(heartbeat);
            }
        }

        /**
         * Do not write: another instance wrote to the service recently.
         *
         * @param owner the other instance
         * @param age how long ago it last wrote
         * @param retryAfter when its heartbeat expires, unless it writes again
         */
        record Yield(String owner, Duration age, Duration retryAfter) implements Decision {}
    }

    /**
     * The decision for one pass.
     *
     * @param serviceTags the ECS service's tags as observed in this pass
     * @param writes whether the plan has actions
     * @param rollingOut whether the plan holds a rollout in progress (see {@link #rollingOut})
     */
    public static Decision decide(Map<String, String> serviceTags, Self self, boolean writes, boolean rollingOut, Instant now) {
        if (!writes && !rollingOut) return new Decision.Write(Map.of(), null, null);
        String owner = serviceTags.get(Tags.OPERATOR_INSTANCE);
        // A heartbeat that does not parse (edited by hand) protects nothing; one in the future (a clock ahead) counts as now.
        Optional<Instant> beat = epoch(serviceTags.get(Tags.OPERATOR_HEARTBEAT));
        Duration age = beat.map(b -> b.isAfter(now) ? Duration.ZERO : Duration.between(b, now)).orElse(null);
        boolean mine = self.id().equals(owner);
        boolean live = age != null && age.compareTo(self.takeoverAfter()) < 0;
        // A rollout the other instance drives is its own even on a pass that writes nothing: the status says so.
        if (owner != null && !mine && live) return new Decision.Yield(owner, age, self.takeoverAfter().minus(age));
        boolean fresh = mine && age != null && age.compareTo(self.heartbeat()) < 0;
        Map<String, String> heartbeat = fresh ? Map.of()
                : Map.of(Tags.OPERATOR_INSTANCE, self.id(), Tags.OPERATOR_HEARTBEAT, String.valueOf(now.getEpochSecond()));
        boolean takeover = owner != null && !mine;
        return new Decision.Write(heartbeat, takeover ? owner : null, takeover ? age : null);
    }

    /** Whether a plan holds a rollout in progress: green exists beside blue, or is being created. */
    public static boolean rollingOut(Plan plan) {
        return switch (plan.status().phase()) {
            case Deploying, TestTraffic, AwaitingPromotion, Shifting, Baking, RollingBack -> !plan.terminal();
            default -> false;
        };
    }

    /** The decision for a pass's plan on the service as observed (which exists). */
    public static Decision decide(Plan plan, Observed.EcsService service, Self self, Instant now) {
        return decide(service.tags(), self, !plan.actions().isEmpty(), rollingOut(plan), now);
    }

    /**
     * The plan this instance carries out after {@code decision}: the planner's, with the heartbeat written
     * first; or, when it yields, no action, the same phase with reason {@link #OWNED_BY_ANOTHER_OPERATOR}
     * naming the other instance, and a look again when its heartbeat expires.
     */
    public static Plan apply(Plan plan, Observed.EcsService service, Self self, Decision decision) {
        if (decision instanceof Decision.Yield y) {
            ServiceStatus status = plan.status().withReason(Reason.OwnedByAnotherOperator, "operator instance " + y.owner()
                    + " wrote to this service " + y.age().toSeconds() + "s ago; this instance (" + self.id()
                    + ") does not write to it until that is " + self.takeoverAfter().toSeconds()
                    + "s old (run one replica until leases exist, see docs/operating.md)");
            Duration after = y.retryAfter().plusSeconds(1);
            if (plan.requeueAfter() != null && plan.requeueAfter().compareTo(after) < 0) after = plan.requeueAfter();
            return new Plan(List.of(), status, Plan.Next.after(after), List.of());
        }
        Decision.Write w = (Decision.Write) decision;
        if (w.heartbeat().isEmpty()) return plan;
        List<Action> actions = new ArrayList<>();
        actions.add(new Action.TagResource(service.arn(), w.heartbeat()));
        actions.addAll(plan.actions());
        // A heartbeat alone (a rollout waiting) is written now; the plan's own wait stays as it was.
        return new Plan(actions, plan.status(), plan.next(), plan.drift());
    }

    private static Optional<Instant> epoch(String value) {
        if (value == null) return Optional.empty();
        try {
            return Optional.of(Instant.ofEpochSecond(Long.parseLong(value)));
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return Optional.empty();
        }
    }
}

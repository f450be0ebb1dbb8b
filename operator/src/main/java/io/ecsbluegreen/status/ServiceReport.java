package io.ecsbluegreen.status;

import io.ecsbluegreen.observed.Measurement;
import io.ecsbluegreen.hooks.HookRun;
import io.ecsbluegreen.model.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything the operator reports about one service: computed once per pass, kept until the next pass
 * changes it, shown by the API and CLI and exported as metrics.
 *
 * @param name the BlueGreenService's name
 * @param phase where the service stands
 * @param activeRevision the revision serving production; null before the first
 * @param desiredRevision the revision the spec asks for; null when no valid spec was ever seen
 * @param productionWeights revision to percent of production traffic
 * @param testWeights revision to percent of test traffic
 * @param step the traffic step in force (1-based), 0 outside a shift
 * @param steps the traffic steps of the rollout, 0 outside one
 * @param reason short CamelCase code for the phase
 * @param message the same for people
 * @param conditions {@code Converged}, {@code SpecCurrent} and {@code Reconciling}
 * @param lastTransitionTime when the phase last changed
 * @param lastReconcileTime when the last pass ended (successful or not)
 * @param waitingSince when the desired revision started waiting to be served; null when it is served
 * @param consecutiveFailures passes that failed in a row (AWS errors); 0 after a good one
 * @param history the latest rollouts, newest first; the first may be in progress
 * @param hooks the latest lifecycle-hook runs, newest first
 * @param analysis the latest analysis measurements, newest first: value, threshold and verdict of each
 * @param identity who acts in AWS for the service: the role ARN it assumes ({@code spec.roleArn}), or
 *     {@code operator} for the operator's own credentials
 * @param revisions what each revision named in this report runs and where it came from (see
 *     {@link RevisionLabel}), by revision id: the active and desired ones, those taking traffic and those
 *     of the history, as far as known
 * @param owner the operator replica that holds the service's lease (docs/operating.md#replicas); null
 *     without leases or while no replica holds it
 */
public record ServiceReport(String name, Phase phase, String activeRevision, String desiredRevision,
                            Map<String, Integer> productionWeights, Map<String, Integer> testWeights,
                            int step, int steps, String reason, String message, List<Condition> conditions,
                            Instant lastTransitionTime, Instant lastReconcileTime, Instant waitingSince,
                            int consecutiveFailures, List<RolloutRecord> history, List<HookRun> hooks,
                            List<Measurement> analysis, String identity, Map<String, RevisionLabel> revisions,
                            String owner) {

    /** A report without a lease owner (a single replica). */
    public ServiceReport(String name, Phase phase, String activeRevision, String desiredRevision,
                         Map<String, Integer> productionWeights, Map<String, Integer> testWeights,
                         int step, int steps, String reason, String message, List<Condition> conditions,
                         Instant lastTransitionTime, Instant lastReconcileTime, Instant waitingSince,
                         int consecutiveFailures, List<RolloutRecord> history, List<HookRun> hooks,
                         List<Measurement> analysis, String identity, Map<String, RevisionLabel> revisions) {
        this(name, phase, activeRevision, desiredRevision, productionWeights, testWeights, step, steps, reason, message,
                conditions, lastTransitionTime, lastReconcileTime, waitingSince, consecutiveFailures, history, hooks, analysis,
                identity, revisions, null);
    }

    /** A report without revision labels. */
    public ServiceReport(String name, Phase phase, String activeRevision, String desiredRevision,
                         Map<String, Integer> productionWeights, Map<String, Integer> testWeights,
                         int step, int steps, String reason, String message, List<Condition> conditions,
                         Instant lastTransitionTime, Instant lastReconcileTime, Instant waitingSince,
                         int consecutiveFailures, List<RolloutRecord> history, List<HookRun> hooks,
                         List<Measurement> analysis, String identity) {
        this(name, phase, activeRevision, desiredRevision, productionWeights, testWeights, step, steps, reason, message,
                conditions, lastTransitionTime, lastReconcileTime, waitingSince, consecutiveFailures, history, hooks, analysis,
                identity, Map.of(), null);
    }

    /** A report of a service acting with the operator's own credentials. */
    public ServiceReport(String name, Phase phase, String activeRevision, String desiredRevision,
                         Map<String, Integer> productionWeights, Map<String, Integer> testWeights,
                         int step, int steps, String reason, String message, List<Condition> conditions,
                         Instant lastTransitionTime, Instant lastReconcileTime, Instant waitingSince,
                         int consecutiveFailures, List<RolloutRecord> history, List<HookRun> hooks,
                         List<Measurement> analysis) {
        this(name, phase, activeRevision, desiredRevision, productionWeights, testWeights, step, steps, reason, message,
                conditions, lastTransitionTime, lastReconcileTime, waitingSince, consecutiveFailures, history, hooks, analysis,
                OPERATOR);
    }

    /** The identity of a service that assumes no role. */
    public static final String OPERATOR = "operator";

    public ServiceReport {
        if (identity == null) identity = OPERATOR;
        productionWeights = Map.copyOf(productionWeights);
        testWeights = Map.copyOf(testWeights);
        conditions = List.copyOf(conditions);
        history = List.copyOf(history);
        hooks = List.copyOf(hooks);
        analysis = List.copyOf(analysis);
        revisions = revisions == null ? Map.of() : Map.copyOf(revisions);
    }

    /** The label of a revision named in this report; a bare one (id only) when nothing is known of it. */
    public RevisionLabel label(String revision) {
        if (revision == null) return null;
        RevisionLabel known = revisions.get(revision);
        return known != null ? known : new RevisionLabel(revision, List.of(), null);
    }

    /** This report with other hook runs. */
    ServiceReport withHooks(List<HookRun> newHooks) {
        return new ServiceReport(name, phase, activeRevision, desiredRevision, productionWeights, testWeights, step, steps,
                reason, message, conditions, lastTransitionTime, lastReconcileTime, waitingSince, consecutiveFailures, history,
                newHooks, analysis, identity, revisions, owner);
    }

    /** This report with other analysis measurements. */
    ServiceReport withAnalysis(List<Measurement> newAnalysis) {
        return new ServiceReport(name, phase, activeRevision, desiredRevision, productionWeights, testWeights, step, steps,
                reason, message, conditions, lastTransitionTime, lastReconcileTime, waitingSince, consecutiveFailures, history,
                hooks, newAnalysis, identity, revisions, owner);
    }

    /** This report as of another pass time, nothing else changed. */
    ServiceReport withLastReconcileTime(Instant at) {
        return new ServiceReport(name, phase, activeRevision, desiredRevision, productionWeights, testWeights, step, steps,
                reason, message, conditions, lastTransitionTime, at, waitingSince, consecutiveFailures, history, hooks, analysis,
                identity, revisions, owner);
    }

    /** This report with another lease owner. */
    ServiceReport withOwner(String newOwner) {
        return new ServiceReport(name, phase, activeRevision, desiredRevision, productionWeights, testWeights, step, steps,
                reason, message, conditions, lastTransitionTime, lastReconcileTime, waitingSince, consecutiveFailures, history,
                hooks, analysis, identity, revisions, newOwner);
    }

    /** Whether production serves the desired revision and nothing is left to do. */
    public boolean converged() {
        return phase == Phase.Steady && desiredRevision != null && desiredRevision.equals(activeRevision);
    }

    /** How long the desired revision has been waiting to be served at {@code now}; zero when served. */
    public Duration convergenceLag(Instant now) {
        return waitingSince == null || converged() ? Duration.ZERO : Duration.between(waitingSince, now);
    }

    /** The condition of a type, if reported. */
    public Condition condition(String type) {
        return conditions.stream().filter(c -> c.type().equals(type)).findFirst().orElse(null);
    }

    /** Whether the two reports differ in anything but the time of the pass. */
    boolean sameAs(ServiceReport other) {
        return other != null && phase == other.phase && java.util.Objects.equals(activeRevision, other.activeRevision)
                && java.util.Objects.equals(desiredRevision, other.desiredRevision)
                && productionWeights.equals(other.productionWeights) && testWeights.equals(other.testWeights)
                && step == other.step && steps == other.steps && java.util.Objects.equals(reason, other.reason)
                && java.util.Objects.equals(message, other.message) && conditions.equals(other.conditions)
                && java.util.Objects.equals(waitingSince, other.waitingSince)
                && consecutiveFailures == other.consecutiveFailures && history.equals(other.history) && hooks.equals(other.hooks)
                && analysis.equals(other.analysis) && identity.equals(other.identity) && revisions.equals(other.revisions)
                && java.util.Objects.equals(owner, other.owner);
    }
}

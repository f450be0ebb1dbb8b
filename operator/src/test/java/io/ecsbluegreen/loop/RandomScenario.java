package io.ecsbluegreen.loop;

import io.ecsbluegreen.model.Phase;
import io.ecsbluegreen.plan.Command;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * One randomized scenario of {@link RandomizedScenarioTest}, made from a seed alone: the account it starts
 * from (deregistration delays, how the listeners route and authenticate) and the steps that then happen to
 * the files, the account and the operator. The same seed always makes the same scenario, so a failing one
 * is replayed by its seed; {@link #describe()} prints it whole for reading.
 */
record RandomScenario(long seed, Setup setup, List<Step> steps) {

    /**
     * The account before the first step.
     *
     * @param blueDelay the deregistration delay of greeter-blue, in seconds (how long its deleted task sets stay DRAINING)
     * @param greenDelay the same for greeter-green
     * @param production how production traffic reaches the service
     * @param test how test traffic reaches it
     */
    record Setup(int blueDelay, int greenDelay, Route production, Route test, Scaling scaling) {}

    /**
     * Who owns the service's desired count: {@code fixed} (the file's {@code desiredCount: 2}, corrected as
     * drift), {@code absent} (no desiredCount), {@code external} ({@code scaling: external}) or {@code declared}
     * ({@link #DECLARED_SCALING}: the operator registers the scalable target and its policy and suspends
     * scale-in while production is split); in all but the first an autoscaler changes the count behind the
     * operator's back ({@link Autoscale} steps between the others, {@link AutoscaleIn} steps in each phase).
     */
    enum Scaling { fixed, absent, external, declared }

    /** The scaling block of a {@code declared} scenario; the autoscaler's counts (1 to 5) stay inside it. */
    static final String DECLARED_SCALING = "scaling: {min: 1, max: 5, targetCpuUtilization: 60}";
    static final int DECLARED_MIN = 1;
    static final int DECLARED_MAX = 5;

    /** The phases an {@link AutoscaleIn} step waits for: every phase a rollout or a rollback passes through. */
    static final List<Phase> COUNT_CHANGE_PHASES = List.of(Phase.Deploying, Phase.TestTraffic, Phase.AwaitingPromotion,
            Phase.Shifting, Phase.Baking, Phase.RollingBack, Phase.RolledBack, Phase.Steady);

    /**
     * A forward the operator manages and what surrounds it.
     *
     * @param rule a listener rule of its own rather than the listener's default action
     * @param authenticate {@code none}, {@code oidc} or {@code cognito}: an authenticate action before the
     *     forward (the listener becomes HTTPS, as ELBv2 requires)
     * @param stickySeconds target group stickiness of the forward action, 0 for none
     */
    record Route(boolean rule, String authenticate, int stickySeconds) {}

    /** One thing that happens to the account, the files or the operator. */
    sealed interface Step permits Deploy, Revert, Advance, Fault, Drift, Restart, Give, DeregistrationDelay, WhileDraining,
            RecreateService, Autoscale, AutoscaleIn {}

    /** An autoscaler sets the service's desired count (only in scenarios whose file leaves the count out). */
    record Autoscale(int desiredCount) implements Step {}

    /**
     * {@code deploy} is declared, then time runs in 1 s steps until the service is in {@code phase} and an
     * autoscaler sets its desired count there: a manual rollout is promoted when the phase lies beyond
     * AwaitingPromotion, and aborted once Shifting when the phase is RollingBack or RolledBack. Bounded to ten
     * simulated minutes, after which the count changes in whatever phase the service is in.
     */
    record AutoscaleIn(Phase phase, int desiredCount, Deploy deploy) implements Step {}

    /** The file now declares a new image of a behaviour, with a strategy. */
    record Deploy(String behaviour, String strategy, boolean manual) implements Step {}

    /** The file goes back to the spec before the last deploy (its task definition and client tokens were used before). */
    record Revert() implements Step {}

    /** Simulated time passes, the loop running all along. */
    record Advance(int seconds) implements Step {}

    /** For the next few passes, an API answers with throttling or a server error. */
    record Fault(String api, boolean throttling) implements Step {}

    /** Something outside the operator changes AWS: {@code weights}, {@code scale} or {@code delete-non-primary}. */
    record Drift(String kind) implements Step {}

    /** The operator is killed and started again: no memory carried over. */
    record Restart() implements Step {}

    /** A person gives a command (refused when the phase does not allow it). */
    record Give(Command command) implements Step {}

    /** Someone changes a target group's {@code deregistration_delay.timeout_seconds}. */
    record DeregistrationDelay(String targetGroup, int seconds) implements Step {}

    /**
     * Time runs until a task set of the service is DRAINING (bounded), then {@code then} happens inside
     * that window: a retry, an abort, a revert or a new deploy while ECS still lists the deleted task set.
     */
    record WhileDraining(Step then) implements Step {}

    /** Someone deletes the ECS service (force) and the operator creates it again with the same name. */
    record RecreateService() implements Step {}

    static final List<String> FAULTY_APIS = List.of("ecs:DescribeServices", "ecs:CreateService", "ecs:CreateTaskSet",
            "ecs:UpdateServicePrimaryTaskSet", "ecs:DeleteTaskSet", "ecs:TagResource", "ecs:RegisterTaskDefinition",
            "elasticloadbalancing:ModifyListener", "elasticloadbalancing:ModifyRule", "elasticloadbalancing:DescribeListeners",
            "elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTargetHealth");

    /** AWS's default is 300 s; 0 makes a deleted task set vanish at once. */
    static final int[] DELAYS = {0, 5, 30, 300, 300, 900};

    /** Makes the scenario of a seed: 3 to 14 steps after the first rollout. */
    static RandomScenario generate(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        // The scaling comes from a stream of its own, so a fixed-count scenario is the very scenario its
        // seed made before autoscaling existed.
        SplittableRandom scaler = new SplittableRandom(seed ^ 0x5CA1AB1EL);
        // A third of the seeds keep a fixed count: the same third, with the same scenarios, as before the
        // declared scaling (a draw of its own splits the rest).
        Scaling scaling = switch (scaler.nextInt(3)) {
            case 0 -> scaler.nextBoolean() ? Scaling.absent : Scaling.declared;
            case 1 -> scaler.nextBoolean() ? Scaling.external : Scaling.declared;
            default -> Scaling.fixed;
        };
        Setup setup = new Setup(pick(random, DELAYS), pick(random, DELAYS), route(random, true), route(random, false), scaling);
        int length = 3 + random.nextInt(12);
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < length; i++) steps.add(step(random));
        if (scaling != Scaling.fixed) {
            // 1 to 4 count changes between the steps, from 1 to 5 tasks.
            int changes = 1 + scaler.nextInt(4);
            for (int i = 0; i < changes; i++) steps.add(scaler.nextInt(steps.size() + 1), new Autoscale(1 + scaler.nextInt(5)));
            // and one to three rollouts with a count change timed to one of their phases
            int timed = 1 + scaler.nextInt(3);
            for (int i = 0; i < timed; i++) {
                Phase phase = pick(scaler, COUNT_CHANGE_PHASES);
                Deploy deploy = new Deploy("healthy", pick(scaler, List.of("Canary", "Linear")), phase == Phase.AwaitingPromotion);
                steps.add(scaler.nextInt(steps.size() + 1), new AutoscaleIn(phase, 1 + scaler.nextInt(5), deploy));
            }
        }
        return new RandomScenario(seed, setup, List.copyOf(steps));
    }

    private static Route route(SplittableRandom random, boolean mayBeRule) {
        String authenticate = pick(random, List.of("none", "none", "oidc", "cognito"));
        int sticky = random.nextInt(3) == 0 ? 1 + random.nextInt(3600) : 0;
        return new Route(mayBeRule && random.nextInt(3) == 0, authenticate, sticky);
    }

    private static Step step(SplittableRandom random) {
        List<Weighted> choices = List.of(
                new Weighted(4, RandomScenario::deploy),
                new Weighted(1, r -> new Revert()),
                new Weighted(6, r -> new Advance(5 + r.nextInt(896))),
                new Weighted(2, r -> new Fault(pick(r, FAULTY_APIS), r.nextBoolean())),
                new Weighted(2, r -> new Drift(pick(r, List.of("weights", "scale", "delete-non-primary")))),
                new Weighted(1, r -> new Restart()),
                new Weighted(2, r -> new Give(pick(r, List.of(Command.values())))),
                new Weighted(1, r -> new DeregistrationDelay(pick(r, List.of("greeter-blue", "greeter-green")), pick(r, DELAYS))),
                new Weighted(2, r -> new WhileDraining(inWindow(r))),
                new Weighted(1, r -> new RecreateService()));
        int total = choices.stream().mapToInt(Weighted::weight).sum();
        int roll = random.nextInt(total);
        for (Weighted w : choices) {
            if (roll < w.weight()) return w.make().apply(random);
            roll -= w.weight();
        }
        throw new IllegalStateException("weights do not add up");
    }

    /** What lands inside a DRAINING window: the actions that reuse a revision, a token or a target group. */
    private static Step inWindow(SplittableRandom random) {
        return switch (random.nextInt(4)) {
            case 0 -> new Give(Command.RETRY);
            case 1 -> new Give(Command.ABORT);
            case 2 -> new Revert();
            default -> deploy(random);
        };
    }

    private static Deploy deploy(SplittableRandom random) {
        return new Deploy(pick(random, List.of("healthy", "healthy", "healthy", "never-healthy", "slow", "crashing")),
                pick(random, List.of("AllAtOnce", "Canary", "Linear")), random.nextInt(4) == 0);
    }

    private record Weighted(int weight, Function<SplittableRandom, Step> make) {}

    private static <T> T pick(SplittableRandom random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static int pick(SplittableRandom random, int[] values) {
        return values[random.nextInt(values.length)];
    }

    /** The scenario as a numbered listing, with the property that replays it. */
    String describe() {
        StringBuilder out = new StringBuilder("scenario seed=" + seed + " (replay: ./mvnw -o test -Dtest=RandomizedScenarioTest"
                + " -Dscenario.seed=" + seed + ")\n  setup: " + setup + "\n   0. first rollout of greeter:1.0.0 (Canary)\n");
        for (int i = 0; i < steps.size(); i++) out.append(String.format("  %2d. %s%n", i + 1, steps.get(i)));
        return out.toString();
    }
}

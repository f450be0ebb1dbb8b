package io.ecsbluegreen.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.desired.DesiredService;
import io.ecsbluegreen.desired.DesiredStateStore;
import io.ecsbluegreen.desired.RemovalGuard;
import io.ecsbluegreen.model.Phase;
import io.ecsbluegreen.plan.Revision;
import io.ecsbluegreen.plan.Tags;
import io.ecsbluegreen.sim.ApiAction;
import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.elb.TargetStatus;
import io.ecsbluegreen.source.SourceFile;
import io.ecsbluegreen.source.SourceListing;
import io.ecsbluegreen.spec.SpecParser;
import io.ecsbluegreen.status.ServiceReport;
import io.ecsbluegreen.status.StatusBook;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;

/**
 * A source that suddenly lists nothing while a canary stands at 50%, end to end: the desired-state store
 * with its removal guard feeding the engine, on the simulator and simulated time. The canary
 * (examples/greeter: 10% then 50%, one-minute pauses, 30 s bake) is held, then orphaned and watched, and
 * its pause restarts when the file returns.
 */
class OrphanedRolloutOnSimulatorTest {
    static final String SOURCE = "dir:services";
    static final String PRODUCTION = HealthWatchOnSimulatorTest.PRODUCTION;
    /** Simulated time between drained rounds. */
    static final Duration ROUND = Duration.ofSeconds(1);

    SimAccount account;
    AwsSimulator sim;
    StatusBook book;
    Engine engine;
    DesiredStateStore store;
    int revision;

    @BeforeEach
    void start() throws Exception {
        account = new SimAccount();
        sim = account.sim;
        book = new StatusBook(sim.clock());
        store = new DesiredStateStore(new SpecParser(), sim.clock(), List.of(SOURCE), name -> false, RemovalGuard.DEFAULT, Set.of());
        Reconciler reconciler = account.reconciler();
        engine = new Engine(store::current, region -> reconciler, sim.clock(), Engine.Settings.DEFAULT, book,
                Engine.Ownership.ALL, (service, result, took, plan) -> { });
        store.addListener(engine::desiredChanged);
    }

    @AfterEach
    void stop() {
        engine.close();
        account.close();
    }

    /** The source lists greeter.yaml with this image, or nothing when null. */
    void source(String image) throws Exception {
        revision++;
        if (image == null) {
            store.accept(SOURCE, new SourceListing("c" + revision, List.of()));
            return;
        }
        String yaml = Files.readString(Path.of("../examples/greeter/greeter.yaml")).replace("greeter:1.0.0", image);
        store.accept(SOURCE, new SourceListing("c" + revision, List.of(new SourceFile("greeter.yaml", "/services/greeter.yaml",
                image, yaml.getBytes(StandardCharsets.UTF_8)))));
    }

    /** Drains and advances simulated time a second at a time until the condition holds; bounded to an hour. */
    ServiceReport until(Predicate<ServiceReport> done) {
        for (int i = 0; i < 3600; i++) {
            engine.drain(1000);
            ServiceReport r = book.get("greeter").orElse(null);
            if (r != null && done.test(r)) return r;
            sim.clock().advance(ROUND);
        }
        throw new AssertionError("never reached the condition; last report " + book.get("greeter").orElse(null));
    }

    /** Drains for {@code time} of simulated time. */
    void run(Duration time) {
        for (long i = 0; i < time.dividedBy(ROUND); i++) {
            engine.drain(1000);
            sim.clock().advance(ROUND);
        }
        engine.drain(1000);
    }

    long writes() {
        return sim.stats().calls().entrySet().stream().filter(e -> !isRead(e.getKey())).mapToLong(Map.Entry::getValue).sum();
    }

    static boolean isRead(ApiAction a) {
        return a.action().startsWith("Describe") || a.action().startsWith("List") || a.action().startsWith("Get");
    }

    String greenTargetGroup() {
        return account.elb.describeTargetGroups(r -> r.names("greeter-green")).targetGroups().get(0).targetGroupArn();
    }

    int productionWeightOn(String targetGroupArn) {
        Action forward = account.elb.describeListeners(r -> r.listenerArns(PRODUCTION)).listeners().get(0).defaultActions().stream()
                .filter(a -> a.forwardConfig() != null).findFirst().orElseThrow();
        return forward.forwardConfig().targetGroups().stream().filter(t -> t.targetGroupArn().equals(targetGroupArn))
                .mapToInt(t -> t.weight() == null ? 0 : t.weight()).sum();
    }

    Map<String, String> serviceTags() {
        String arn = account.ecs.describeServices(r -> r.cluster("demo").services("greeter")).services().get(0).serviceArn();
        return account.ecs.listTagsForResource(r -> r.resourceArn(arn)).tags().stream()
                .collect(java.util.stream.Collectors.toMap(t -> t.key(), t -> t.value()));
    }

    /** greeter 1.0.0 live, then 2.0.0 rolled out to its second step, 50% of production on green. */
    String atFiftyPercent() throws Exception {
        source("greeter:1.0.0");
        until(ServiceReport::converged);
        source("greeter:2.0.0");
        ServiceReport half = until(r -> r.phase() == Phase.Shifting && r.step() == 2);
        assertThat(productionWeightOn(greenTargetGroup())).isEqualTo(50);
        return half.desiredRevision();
    }

    @Test
    void aSourceEmptiedAtFiftyPercentIsHeldThenConfirmedAndTheOrphanedGreenStillRollsBackWhenUnhealthy() throws Exception {
        String r2 = atFiftyPercent();
        String green = greenTargetGroup();

        source(null);
        long before = writes();
        run(Duration.ofSeconds(20));
        assertThat(store.current().sources().get(0).hold().reason()).isEqualTo(RemovalGuard.ALL_REMOVED);
        assertThat(store.current().services().get("greeter").state()).isEqualTo(DesiredService.State.READY);
        assertThat(writes()).as("AWS writes while the removal is held, within the step's pause").isEqualTo(before);
        assertThat(book.get("greeter").orElseThrow().phase()).isEqualTo(Phase.Shifting);

        assertThat(store.confirm(SOURCE)).isPresent();
        assertThat(store.current().services().get("greeter").state()).isEqualTo(DesiredService.State.ORPHANED);
        ServiceReport orphaned = until(r -> r.phase() == Phase.Orphaned);
        assertThat(orphaned.step()).isEqualTo(2);
        // Three minutes: the one-minute pause long over, yet no new step is taken.
        run(Duration.ofMinutes(3));
        assertThat(productionWeightOn(green)).isEqualTo(50);
        assertThat(book.get("greeter").orElseThrow().phase()).isEqualTo(Phase.Orphaned);
        assertThat(serviceTags()).containsKey(Tags.key(Tags.ORPHANED_AT, r2));

        for (TargetStatus t : sim.elb().targetHealth(green)) sim.elb().markTarget(green, t.id(), t.port(), false);
        ServiceReport rolledBack = until(r -> r.phase() == Phase.RollingBack || r.phase() == Phase.RolledBack);
        assertThat(rolledBack.message()).contains("green lost healthy targets");
        assertThat(productionWeightOn(green)).isZero();
    }

    @Test
    void whenTheFileReturnsTheOrphanedStepsPauseRestartsInsteadOfJumpingToTheNextStep() throws Exception {
        String r2 = atFiftyPercent();
        String green = greenTargetGroup();
        source(null);
        store.confirm(SOURCE);
        until(r -> r.phase() == Phase.Orphaned);
        run(Duration.ofMinutes(5));
        assertThat(productionWeightOn(green)).isEqualTo(50);

        Instant back = sim.clock().instant();
        source("greeter:2.0.0");
        assertThat(store.current().services().get("greeter").state()).isEqualTo(DesiredService.State.READY);
        ServiceReport restarted = until(r -> r.phase() == Phase.Shifting);
        assertThat(restarted.reason()).isEqualTo("PauseRestarted");
        assertThat(restarted.step()).isEqualTo(2);
        assertThat(productionWeightOn(green)).isEqualTo(50);
        assertThat(serviceTags()).doesNotContainKey(Tags.key(Tags.ORPHANED_AT, r2));

        ServiceReport baking = until(r -> r.phase() == Phase.Baking);
        Instant bakingAt = sim.clock().instant();
        assertThat(baking.step()).isEqualTo(3);
        assertThat(productionWeightOn(green)).isEqualTo(100);
        // The step's one-minute pause counts from the file's return, not from when the step began.
        assertThat(Duration.between(back, bakingAt)).isGreaterThanOrEqualTo(Duration.ofMinutes(1));
        assertThat(Revision.of(store.current().services().get("greeter").spec().spec()).id()).isEqualTo(r2);
    }
}

package io.ecsbluegreen.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.aws.Actor;
import io.ecsbluegreen.aws.EcsPort;
import io.ecsbluegreen.aws.ElbPort;
import io.ecsbluegreen.aws.ForwardActions;
import io.ecsbluegreen.aws.SdkEcsPort;
import io.ecsbluegreen.aws.SdkElbPort;
import io.ecsbluegreen.desired.DesiredService;
import io.ecsbluegreen.desired.DesiredState;
import io.ecsbluegreen.desired.Origin;
import io.ecsbluegreen.lease.LeaseManager;
import io.ecsbluegreen.lease.SdkLeaseTable;
import io.ecsbluegreen.loop.RandomScenario.Advance;
import io.ecsbluegreen.loop.RandomScenario.Autoscale;
import io.ecsbluegreen.sim.autoscaling.AutoScalingStore;
import io.ecsbluegreen.plan.ScalingDecisions;
import io.ecsbluegreen.hooks.HookPort;
import io.ecsbluegreen.analysis.AnalysisPort;
import io.ecsbluegreen.aws.SdkScalingPort;
import io.ecsbluegreen.aws.HealthReadBudget;
import io.ecsbluegreen.loop.RandomScenario.AutoscaleIn;
import io.ecsbluegreen.loop.RandomScenario.Scaling;
import io.ecsbluegreen.loop.RandomScenario.Deploy;
import io.ecsbluegreen.loop.RandomScenario.DeregistrationDelay;
import io.ecsbluegreen.loop.RandomScenario.Drift;
import io.ecsbluegreen.loop.RandomScenario.Fault;
import io.ecsbluegreen.loop.RandomScenario.Give;
import io.ecsbluegreen.loop.RandomScenario.RecreateService;
import io.ecsbluegreen.loop.RandomScenario.Restart;
import io.ecsbluegreen.loop.RandomScenario.Revert;
import io.ecsbluegreen.loop.RandomScenario.Route;
import io.ecsbluegreen.loop.RandomScenario.Step;
import io.ecsbluegreen.loop.RandomScenario.WhileDraining;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.model.BlueGreenServiceSpec;
import io.ecsbluegreen.aws.Observer;
import io.ecsbluegreen.plan.Action;
import io.ecsbluegreen.plan.Command;
import io.ecsbluegreen.model.Phase;
import io.ecsbluegreen.plan.Plan;
import io.ecsbluegreen.plan.Revision;
import io.ecsbluegreen.sim.FaultRule;
import io.ecsbluegreen.sim.model.ModelCheckRecord;
import io.ecsbluegreen.sim.spi.ImageBehaviour;
import io.ecsbluegreen.spec.SpecParser;
import io.ecsbluegreen.status.ServiceReport;
import io.ecsbluegreen.status.StatusBook;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import software.amazon.awssdk.services.ecs.model.TaskSet;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

/**
 * Randomized scenarios against the simulator on simulated time, in plain JUnit 5: each is made from one
 * seed ({@link RandomScenario}), named by it, and replayed with {@code -Dscenario.seed=SEED} (several:
 * comma-separated). {@code -Dscenario.count=N} runs N scenarios (default {@value #DEFAULT_COUNT}) from the
 * seeds {@code -Dscenario.baseSeed} (default {@value #BASE_SEED}) leads to, so the suite is the same on
 * every run; another base seed explores others. A failure prints the whole scenario, step by step, and
 * the step it failed at. There is no shrinking.
 *
 * <p>What happens: spec changes (healthy, never healthy, slow and crashing images; all-at-once, canary
 * and linear; manual promotion; reverts to a revision that ran before on the same target group), API
 * faults and throttling, drift (listener weights, task-set scale, a task set deleted out of band), engine
 * restarts, people's commands, deregistration delays from 0 to 900 s with retries, aborts, reverts and
 * deploys landing while a deleted task set is still DRAINING, the service deleted and created again with
 * the same name (the simulator remembers client tokens forever), an autoscaler changing the service's
 * desired count behind the operator's back, between steps and timed to each phase of a rollout, when the
 * file leaves the count out, says {@code scaling: external} or declares {@code scaling: {min, max,
 * targetCpuUtilization}} (the operator then registers the scalable target and its policy), and production
 * and test forwards behind
 * {@code authenticate-oidc} or {@code authenticate-cognito} actions, with target group stickiness, on
 * the listener's default action or a rule of its own.
 *
 * <p>Checked at every operator write: production weight never moves onto a target group without a healthy
 * target; neither the primary task set nor one production reaches is deleted; no deleted (DRAINING) task
 * set is ever scaled, made primary, deleted again or taken as green for hooks or analysis; the desired count
 * of a service whose file leaves it out is never written; for declared scaling, production is never split
 * before scale-in is suspended. After every pass that leaves nothing to do, for declared scaling: the
 * scalable target is registered with the declared range and scale-in is suspended exactly while production
 * is split or the rollout bakes, and resumed at rest. After every
 * pass: the authenticate actions, the forward's order and its stickiness are as they were set up. After
 * every step: no request broke the AWS service models. And every scenario converges once faults stop:
 * production serves the desired revision (or, for a revision that failed, blue serves everything and no
 * task set of the failed revision is left), no two task sets run one revision, and a last pass plans nothing.
 */
class RandomizedScenarioTest {
    static final String PRODUCTION = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/demo/5f2b3c4d5e6f7a8b/1a2b3c4d5e6f7081";
    static final String TEST = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/demo/5f2b3c4d5e6f7a8b/9a8b7c6d5e4f3021";
    static final String CERTIFICATE = "arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-0000-0000-0000000000a1";
    static final String IMAGE = "ghcr.io/ecsbluegreen/greeter:";
    /** About the time the 200 jqwik tries took (see the report of the commit that replaced jqwik). */
    static final int DEFAULT_COUNT = 200;
    static final long BASE_SEED = 20261205L;
    static final int DEFAULT_TWO_REPLICA_COUNT = 5;

    /** Figures over all scenarios of the run, printed at the end. */
    static final Map<String, AtomicLong> FIGURES = new LinkedHashMap<>();

    @TestFactory
    Stream<DynamicTest> productionNeverLosesHealthyTargetsAndEveryScenarioConverges() {
        return ahead(seeds().mapToObj(RandomScenario::generate).toList(), 1);
    }

    /**
     * The same scenarios with two replicas sharing the service through DynamoDB leases ({@link LeasedCluster}'s
     * lease settings): a restart kills the replica holding the lease, with no goodbye, and starts another; the
     * other takes the service over once the lease lapsed. On top of the checks above, no write falls outside its
     * writer's lease (the simulator's request log, each replica naming itself in its user agent, against the
     * lease table's history). The first {@code scenario.twoReplicaCount} seeds of the run (default
     * {@value #DEFAULT_TWO_REPLICA_COUNT}).
     */
    @TestFactory
    Stream<DynamicTest> withTwoReplicasNoWriteLeavesItsLeaseAndEveryScenarioConverges() {
        return ahead(seeds().limit(Integer.getInteger("scenario.twoReplicaCount", DEFAULT_TWO_REPLICA_COUNT))
                .mapToObj(RandomScenario::generate).toList(), 2);
    }

    /** Threads the scenarios run on: {@code -Dscenario.threads}, by default one per core, at most two. */
    static final int THREADS = Integer.getInteger("scenario.threads", Math.min(2, Runtime.getRuntime().availableProcessors()));
    /** How long a dynamic test waits for its scenario: a bound, never reached by a scenario that ends. */
    static final Duration SCENARIO_LIMIT = Duration.ofMinutes(10);

    /**
     * One dynamic test per scenario, the scenarios played ahead of JUnit on {@link #THREADS} threads. Each
     * scenario has its own simulator, clock, engines and SDK clients and shares nothing with another but
     * the synchronized figures, so playing two at once changes no outcome, only the wall time (the
     * scenarios are CPU-bound request ping-pong, one core each). Each test waits for its own scenario and
     * fails with its scenario's failure, the whole scenario printed, as if played in place.
     */
    Stream<DynamicTest> ahead(List<RandomScenario> scenarios, int replicas) {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "scenario");
            t.setDaemon(true);
            return t;
        });
        List<Future<?>> played = scenarios.stream().<Future<?>>map(s -> pool.submit(() -> {
            play(s, replicas);
            return null;
        })).toList();
        pool.shutdown();
        return IntStream.range(0, scenarios.size()).mapToObj(i -> DynamicTest.dynamicTest(
                "seed=" + scenarios.get(i).seed() + " (" + scenarios.get(i).steps().size() + " steps)", () -> {
                    try {
                        played.get(i).get(SCENARIO_LIMIT.toSeconds(), TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        throw e.getCause();
                    }
                })).onClose(pool::shutdownNow);
    }

    /** The seeds of this run: {@code scenario.seed} if given, else {@code scenario.count} from {@code scenario.baseSeed}. */
    static LongStream seeds() {
        String fixed = System.getProperty("scenario.seed", "").trim();
        if (!fixed.isEmpty()) return Arrays.stream(fixed.split(",")).mapToLong(s -> Long.parseLong(s.trim()));
        SplittableRandom random = new SplittableRandom(Long.getLong("scenario.baseSeed", BASE_SEED));
        return LongStream.generate(() -> random.nextLong() & Long.MAX_VALUE).limit(Integer.getInteger("scenario.count", DEFAULT_COUNT));
    }

    @AfterAll
    static void printFigures() {
        System.out.println("randomized scenarios: " + FIGURES);
    }

    static void count(String figure, long n) {
        synchronized (FIGURES) {
            FIGURES.computeIfAbsent(figure, k -> new AtomicLong()).addAndGet(n);
        }
    }

    void play(RandomScenario scenario, int replicas) throws Exception {
        long started = System.nanoTime();
        try (World world = new World(scenario, replicas)) {
            world.play();
        } finally {
            count(replicas == 1 ? "scenarios" : "scenarios with two replicas", 1);
            count("steps", scenario.steps().size());
            count("millis", (System.nanoTime() - started) / 1_000_000);
        }
    }

    // ---- the world of one scenario ---------------------------------------------------------------------

    static final class World implements AutoCloseable {
        final RandomScenario scenario;
        final SimAccount account;
        final String template;
        final List<String> violations = new ArrayList<>();
        final AtomicReference<DesiredState> desired = new AtomicReference<>(DesiredState.EMPTY);
        final Map<String, Plan> lastPlans = new HashMap<>();
        /** Every task set ARN deleted so far, by anyone: DRAINING or gone, never to be used again. */
        final Set<String> deleted = new HashSet<>();
        /** The managed forwards (listener or rule ARN) and their actions as set up, to compare after every pass. */
        final Map<String, List<software.amazon.awssdk.services.elasticloadbalancingv2.model.Action>> decorated = new LinkedHashMap<>();
        final List<BlueGreenService> history = new ArrayList<>();
        String productionArn = PRODUCTION;
        String ruleArn;
        /** The operator processes started, live or killed; one without leases, or two sharing the service. */
        final List<Operator> operators = new ArrayList<>();
        final int replicas;
        /** A count change waiting for the first pass in its phase; null when none waits. */
        AutoscaleIn countIn;
        int version;
        int step;
        int modelChecked;
        int passes;

        World(RandomScenario scenario, int replicas) throws Exception {
            this.scenario = scenario;
            this.replicas = replicas;
            this.template = Files.readString(Path.of("../examples/greeter/greeter.yaml"));
            this.account = new SimAccount();
            account.sim.modelCheck().startRecording();
            setUp(scenario.setup());
            if (replicas > 1) account.sim.requests().startRecording();
            for (int i = 0; i < replicas; i++) startEngine();
        }

        @Override
        public void close() {
            operators.forEach(Operator::close);
            account.close();
        }

        List<Operator> live() {
            return operators.stream().filter(o -> o.alive).toList();
        }

        /** The live operator that may write to the service now; null while none holds its lease. */
        Operator owner() {
            for (Operator o : live()) if (o.leases == null || o.leases.owns("greeter")) return o;
            return null;
        }

        void play() {
            try {
                BlueGreenService first = spec(IMAGE + "1.0.0", "Canary", false);
                history.add(first);
                declare(first);
                run(120);
                checkAfter("the first rollout");
                for (Step s : scenario.steps()) {
                    step++;
                    apply(s);
                    checkAfter(s.toString());
                }
                step++;
                settle();
                checkAfter("settling");
                checkLeases();
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("failed at step " + step + " of\n" + scenario.describe() + e.getMessage(), e);
            }
        }

        void checkAfter(String what) {
            List<ModelCheckRecord> recorded = account.sim.modelCheck().recorded();
            List<String> broken = recorded.subList(modelChecked, recorded.size()).stream().filter(r -> !r.violations().isEmpty())
                    .map(r -> r.service() + ":" + r.operation() + " " + r.violations()).toList();
            modelChecked = recorded.size();
            assertThat(broken).as("requests the AWS service models reject, after %s", what).isEmpty();
            assertThat(account.sim.modelCheck().droppedRecords()).isZero();
            assertThat(violations).as("after %s", what).isEmpty();
        }

        /** With two replicas: no ECS or ELBv2 write outside its writer's lease, over the whole scenario (once: the log only grows). */
        void checkLeases() {
            if (replicas > 1) {
                assertThat(account.sim.requests().dropped()).isZero();
                List<LeasedCluster.Write> writes = new ArrayList<>();
                for (var e : account.sim.requests().recorded()) {
                    String replica = LeasedCluster.replicaOf(e);
                    // the world's own writes (drift, an autoscaler) name no replica
                    if (replica != null && LeasedCluster.isWrite(e)) writes.add(new LeasedCluster.Write(replica, "greeter", e.api().action(), e.at()));
                }
                assertThat(LeasedCluster.violations(writes, account.sim.dynamodb().writes())).as("writes outside their lease")
                        .isEmpty();
            }
        }

        // ---- set-up -----------------------------------------------------------------------------------

        void setUp(RandomScenario.Setup setup) {
            setDelay("greeter-blue", setup.blueDelay());
            setDelay("greeter-green", setup.greenDelay());
            productionArn = decorate(PRODUCTION, setup.production());
            decorate(TEST, setup.test());
            count("authenticated forwards", Stream.of(setup.production(), setup.test()).filter(r -> !r.authenticate().equals("none")).count());
            count("sticky forwards", Stream.of(setup.production(), setup.test()).filter(r -> r.stickySeconds() > 0).count());
            count("production on a rule", setup.production().rule() ? 1 : 0);
            count("autoscaled", setup.scaling() != Scaling.fixed ? 1 : 0);
            count("with scaling declared (registered)", setup.scaling() == Scaling.declared ? 1 : 0);
        }

        void setDelay(String targetGroup, int seconds) {
            account.elb.modifyTargetGroupAttributes(r -> r.targetGroupArn(targetGroupArn(targetGroup))
                    .attributes(a -> a.key("deregistration_delay.timeout_seconds").value(String.valueOf(seconds))));
        }

        String targetGroupArn(String name) {
            return account.elb.describeTargetGroups(r -> r.names(name)).targetGroups().get(0).targetGroupArn();
        }

        /**
         * Puts an authenticate action and stickiness around the forward of a listener (or of a new rule of
         * it), as the route says; returns the ARN whose forward the operator manages.
         */
        String decorate(String listenerArn, Route route) {
            boolean authenticates = !route.authenticate().equals("none");
            if (authenticates) {
                // ELBv2 takes authenticate actions only on HTTPS listeners.
                account.elb.modifyListener(r -> r.listenerArn(listenerArn).protocol(ProtocolEnum.HTTPS)
                        .certificates(c -> c.certificateArn(CERTIFICATE)));
            }
            if (!authenticates && route.stickySeconds() == 0 && !route.rule()) return listenerArn;
            var forward = software.amazon.awssdk.services.elasticloadbalancingv2.model.Action.builder().type(ActionTypeEnum.FORWARD)
                    .order(authenticates ? 2 : null)
                    .forwardConfig(f -> {
                        f.targetGroups(TargetGroupTuple.builder().targetGroupArn(targetGroupArn("greeter-blue")).weight(1).build());
                        if (route.stickySeconds() > 0) f.targetGroupStickinessConfig(s -> s.enabled(true).durationSeconds(route.stickySeconds()));
                    }).build();
            List<software.amazon.awssdk.services.elasticloadbalancingv2.model.Action> actions = new ArrayList<>();
            if (route.authenticate().equals("oidc")) {
                actions.add(software.amazon.awssdk.services.elasticloadbalancingv2.model.Action.builder().type(ActionTypeEnum.AUTHENTICATE_OIDC).order(1)
                        .authenticateOidcConfig(c -> c.issuer("https://idp.example.com").clientId("greeter").clientSecret("s3cret")
                                .authorizationEndpoint("https://idp.example.com/authorize").tokenEndpoint("https://idp.example.com/token")
                                .userInfoEndpoint("https://idp.example.com/userinfo").scope("openid email")).build());
            } else if (route.authenticate().equals("cognito")) {
                actions.add(software.amazon.awssdk.services.elasticloadbalancingv2.model.Action.builder().type(ActionTypeEnum.AUTHENTICATE_COGNITO).order(1)
                        .authenticateCognitoConfig(c -> c.userPoolArn("arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_greeter")
                                .userPoolClientId("greeterclient").userPoolDomain("greeter").onUnauthenticatedRequest("deny")).build());
            }
            actions.add(forward);
            String managed;
            if (route.rule()) {
                managed = account.elb.createRule(r -> r.listenerArn(listenerArn).priority(5)
                        .conditions(c -> c.field("host-header").hostHeaderConfig(h -> h.values("greeter.example.com")))
                        .actions(actions)).rules().get(0).ruleArn();
                ruleArn = managed;
            } else {
                account.elb.modifyListener(r -> r.listenerArn(listenerArn).defaultActions(actions));
                managed = listenerArn;
            }
            decorated.put(managed, actions(managed));
            return managed;
        }

        List<software.amazon.awssdk.services.elasticloadbalancingv2.model.Action> actions(String arn) {
            return unfaulted(() -> arn.contains(":listener-rule/") ? account.elb.describeRules(r -> r.ruleArns(arn)).rules().get(0).actions()
                    : account.elb.describeListeners(r -> r.listenerArns(arn)).listeners().get(0).defaultActions());
        }

        /**
         * The world's own look at AWS, past the faults injected for the operator: the checks run inside
         * the operator's writes, and an injected error there would fail the scenario, not the operator.
         * The loop runs on this thread, so no operator call slips through while the rules are lifted.
         */
        <T> T unfaulted(java.util.function.Supplier<T> look) {
            List<FaultRule> rules = account.sim.faults().rules();
            account.sim.faults().clear();
            try {
                return look.get();
            } finally {
                rules.forEach(account.sim.faults()::add);
            }
        }

        /** Every action but the forward as set up; the forward in its place, with its stickiness. */
        void checkDecorations() {
            decorated.forEach((arn, before) -> {
                var after = actions(arn);
                List<Object> shapeBefore = shape(before);
                List<Object> shapeAfter = shape(after);
                if (!shapeBefore.equals(shapeAfter)) {
                    violations.add("after pass " + passes + " the actions of " + arn + " changed from " + shapeBefore + " to " + shapeAfter);
                }
            });
        }

        static List<Object> shape(List<software.amazon.awssdk.services.elasticloadbalancingv2.model.Action> actions) {
            return actions.stream().<Object>map(a -> a.type() != ActionTypeEnum.FORWARD ? a
                    : List.of("forward", String.valueOf(a.order()), String.valueOf(a.forwardConfig().targetGroupStickinessConfig()))).toList();
        }

        // ---- the operator -----------------------------------------------------------------------------

        /**
         * One operator process: an engine and its status book; with two replicas, also its own SDK clients naming
         * it in their user agent and its lease manager, on the simulator's clock.
         */
        final class Operator implements AutoCloseable {
            final String id;
            final Engine engine;
            final StatusBook book;
            final LeaseManager leases;
            final List<software.amazon.awssdk.core.SdkClient> clients = new ArrayList<>();
            boolean alive = true;
            java.time.Instant nextRound;

            Operator(String id, boolean leased) {
                this.id = id;
                EcsPort ecs;
                ElbPort elb;
                if (leased) {
                    var credentials = software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("a", "b"));
                    var named = SimAccount.NO_RETRIES.toBuilder()
                            .putAdvancedOption(software.amazon.awssdk.core.client.config.SdkAdvancedClientOption.USER_AGENT_SUFFIX,
                                    "bluegreen-replica/" + id).build();
                    var ecsClient = software.amazon.awssdk.services.ecs.EcsClient.builder().endpointOverride(account.sim.endpoint())
                            .region(software.amazon.awssdk.regions.Region.US_EAST_1).credentialsProvider(credentials)
                            .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).overrideConfiguration(named).build();
                    var elbClient = software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client.builder()
                            .endpointOverride(account.sim.endpoint()).region(software.amazon.awssdk.regions.Region.US_EAST_1)
                            .credentialsProvider(credentials).httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                            .overrideConfiguration(named).build();
                    var dynamo = software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder().endpointOverride(account.sim.endpoint())
                            .region(software.amazon.awssdk.regions.Region.US_EAST_1).credentialsProvider(credentials)
                            .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).overrideConfiguration(named).build();
                    clients.addAll(List.of(ecsClient, elbClient, dynamo));
                    if (!account.sim.dynamodb().tableNames().contains(LeasedCluster.TABLE)) {
                        dynamo.createTable(b -> b.tableName(LeasedCluster.TABLE).billingMode("PAY_PER_REQUEST")
                                .keySchema(k -> k.attributeName("pk").keyType("HASH"))
                                .attributeDefinitions(d -> d.attributeName("pk").attributeType("S")));
                    }
                    leases = new LeaseManager(new SdkLeaseTable(dynamo, LeasedCluster.TABLE), () -> Set.copyOf(desired.get().services().keySet()),
                            account.sim.clock(), new LeaseManager.Settings(id, LeasedCluster.LEASE, LeasedCluster.RENEW, LeasedCluster.MARGIN));
                    ecs = new SdkEcsPort(ecsClient);
                    elb = new SdkElbPort(elbClient);
                } else {
                    leases = null;
                    ecs = new SdkEcsPort(account.ecs);
                    elb = new SdkElbPort(account.elb);
                }
                // Application Auto Scaling is read only for a spec that declares scaling: the other scenarios make no call to it
                SdkScalingPort scaling = new SdkScalingPort(account.autoScaling);
                Reconciler reconciler = new Reconciler(new Observer(ecs, elb, null, HealthReadBudget.NONE, scaling),
                        new Actor(new CheckedEcs(ecs, World.this), new CheckedElb(elb, World.this), HookPort.NONE, AnalysisPort.NONE, scaling),
                        account.sim.clock());
                book = new StatusBook(account.sim.clock());
                engine = new Engine(desired::get, region -> reconciler, account.sim.clock(), Engine.Settings.DEFAULT, book,
                        leases == null ? Engine.Ownership.ALL : leases, (service, result, took, plan) -> {
                            passes++;
                            if (plan != null) {
                                lastPlans.put(service, plan);
                                checkPlan(plan);
                                checkRegistration(plan);
                                AutoscaleIn timed = countIn;
                                if (timed != null && plan.status().phase() == timed.phase()) {
                                    countIn = null;
                                    count("count changes timed to " + timed.phase(), 1);
                                    autoscale(timed.desiredCount());
                                }
                            }
                            checkDecorations();
                        });
                if (leases != null) {
                    leases.addListener(new LeaseManager.Listener() {
                        @Override
                        public void acquired(String service, String takenFrom) {
                            engine.acquired(service);
                            if (takenFrom != null) count("leases taken over from a killed replica", 1);
                        }
                    });
                }
                engine.desiredChanged(desired.get());
                engine.enqueueAll();
                nextRound = account.sim.clock().instant();
            }

            /** A lease round when one is due, then the passes that are ready. */
            void step() {
                if (!alive) return;
                if (leases != null && !account.sim.clock().instant().isBefore(nextRound)) {
                    leases.round();
                    nextRound = account.sim.clock().instant().plus(LeasedCluster.RENEW);
                }
                engine.drain(50);
            }

            /** Stops at once, as a killed process: no release of its lease, nothing more sent. */
            void kill() {
                alive = false;
                close();
            }

            @Override
            public void close() {
                engine.close();
                clients.forEach(software.amazon.awssdk.core.SdkClient::close);
            }
        }

        /**
         * One replica: a new engine in place of the old one (nothing carried over but AWS). Two replicas: the
         * one holding the lease (else the oldest) is killed, and a new one started, as a Deployment would.
         */
        void startEngine() {
            if (replicas == 1) {
                operators.forEach(Operator::close);
                operators.clear();
                operators.add(new Operator("operator", false));
                return;
            }
            if (live().size() >= replicas) {
                Operator victim = owner() != null ? owner() : live().get(0);
                victim.kill();
                count("replicas killed", 1);
            }
            operators.add(new Operator("replica-" + (operators.size() + 1), true));
        }

        BlueGreenService spec(String image, String strategy, boolean manual) {
            String block = switch (strategy) {
                case "AllAtOnce" -> "    type: AllAtOnce\n";
                case "Canary" -> "    type: Canary\n    canary:\n      steps:\n        - weight: 10\n          pause: 1m\n"
                        + "        - weight: 50\n          pause: 1m\n";
                default -> "    type: Linear\n    linear:\n      stepPercent: 25\n      interval: 1m\n";
            };
            block += "    bakeTime: 30s\n    blueRetention: 10m\n    progressDeadline: 5m\n" + (manual ? "    promotion: manual\n" : "");
            String yaml = template.replace("ghcr.io/ecsbluegreen/greeter:1.0.0", image);
            yaml = switch (scenario.setup().scaling()) {
                case absent -> yaml.replace("  desiredCount: 2\n", "");
                case external -> yaml.replace("  desiredCount: 2\n", "  scaling: external\n");
                case declared -> yaml.replace("  desiredCount: 2\n", "  " + RandomScenario.DECLARED_SCALING + "\n");
                case fixed -> yaml;
            };
            if (ruleArn != null) yaml = yaml.replace("      listenerArn: " + PRODUCTION, "      ruleArn: " + ruleArn);
            int start = yaml.indexOf("  strategy:\n") + "  strategy:\n".length();
            int end = yaml.indexOf("  tags:\n", start);
            yaml = yaml.substring(0, start) + block + yaml.substring(end);
            var parsed = new SpecParser().parse("greeter.yaml", yaml.getBytes(StandardCharsets.UTF_8));
            assertThat(parsed.errors()).as(yaml).isEmpty();
            return parsed.services().get(0).service();
        }

        void declare(BlueGreenService s) {
            DesiredState state = new DesiredState(Map.of(s.name(), new DesiredService(s.name(), DesiredService.State.READY, s,
                    new Origin("dir:examples", "greeter.yaml", 1, "v" + version, null), List.of())), List.of());
            desired.set(state);
            live().forEach(o -> o.engine.desiredChanged(state));
        }

        /** Runs the loop over {@code seconds} of simulated time in 5 s steps. */
        void run(int seconds) {
            for (int t = 0; t <= seconds; t += 5) {
                live().forEach(Operator::step);
                account.sim.clock().advance(Duration.ofSeconds(Math.min(5, Math.max(1, seconds - t))));
            }
            live().forEach(Operator::step);
        }

        // ---- the steps --------------------------------------------------------------------------------

        /** An autoscaler sets the service's desired count, when the service exists. */
        void autoscale(int desiredCount) {
            var services = unfaulted(() -> account.ecs.describeServices(r -> r.cluster("demo").services("greeter")).services());
            if (!services.isEmpty() && "ACTIVE".equals(services.get(0).status())) {
                unfaulted(() -> account.ecs.updateService(r -> r.cluster("demo").service("greeter").desiredCount(desiredCount)));
                count("desired counts changed by an autoscaler", 1);
            }
        }

        /** The file declares a new image of the deploy's behaviour, with its strategy. */
        void deploy(Deploy d) {
            version++;
            String image = IMAGE + version + ".0.0-" + d.behaviour();
            account.sim.imageBehaviours().set(image, switch (d.behaviour()) {
                case "never-healthy" -> ImageBehaviour.neverHealthy();
                case "slow" -> ImageBehaviour.slowStart(Duration.ofMinutes(2));
                case "crashing" -> ImageBehaviour.crashesAfter(Duration.ofMinutes(3));
                default -> ImageBehaviour.healthy();
            });
            BlueGreenService spec = spec(image, d.strategy(), d.manual());
            history.add(spec);
            declare(spec);
        }

        void apply(Step s) {
            if (s instanceof Deploy d) {
                deploy(d);
                run(30);
            } else if (s instanceof Revert) {
                if (history.size() >= 2) {
                    history.add(history.get(history.size() - 2));
                    declare(history.get(history.size() - 1));
                }
                run(30);
            } else if (s instanceof Advance a) {
                run(a.seconds());
            } else if (s instanceof Fault f) {
                account.sim.faults().add(FaultRule.errors(f.api(), 1.0).withStatus(f.throttling() ? 400 : 500)
                        .withErrorCode(f.throttling() ? "ThrottlingException" : "ServiceUnavailable"));
                run(20);
                account.sim.faults().clear();
            } else if (s instanceof Drift d) {
                drift(d.kind());
                run(10);
            } else if (s instanceof Restart) {
                startEngine();
                run(10);
            } else if (s instanceof Give g) {
                // a person's command reaches the replica that owns the service (none while its lease lapses)
                Operator owner = owner();
                if (owner != null) owner.engine.command("greeter", g.command());
                else count("commands while no replica held the lease", 1);
                run(10);
            } else if (s instanceof DeregistrationDelay d) {
                setDelay(d.targetGroup(), d.seconds());
                run(5);
            } else if (s instanceof WhileDraining w) {
                // Bounded: 20 minutes of simulated time at most; most windows open within a rollout or a retention.
                boolean open = false;
                for (int i = 0; i < 240 && !open; i++) {
                    open = taskSets().stream().anyMatch(t -> "DRAINING".equals(t.status()));
                    if (!open) run(5);
                }
                count("draining windows waited for", 1);
                count("draining windows hit", open ? 1 : 0);
                apply(w.then());
            } else if (s instanceof Autoscale a) {
                autoscale(a.desiredCount());
                run(30);
            } else if (s instanceof AutoscaleIn a) {
                // The count changes right after the first pass that reports the phase (see the Operator's pass listener), so
                // that phases a pass leaves at once (TestTraffic, RollingBack) are hit too.
                countIn = a;
                deploy(a.deploy());
                boolean rollback = a.phase() == Phase.RollingBack || a.phase() == Phase.RolledBack;
                boolean aborted = false;
                // 1 s at a time; ten simulated minutes at most
                for (int i = 0; i < 600 && countIn != null; i++) {
                    // a person's command reaches the replica that owns the service (none while its lease lapses)
                    Operator owner = owner();
                    Phase now = owner == null ? null : owner.book.get("greeter").map(ServiceReport::phase).orElse(null);
                    if (now == Phase.AwaitingPromotion && a.phase() != Phase.AwaitingPromotion) owner.engine.command("greeter", Command.PROMOTE);
                    if (rollback && now == Phase.Shifting && !aborted) {
                        owner.engine.command("greeter", Command.ABORT);
                        aborted = true;
                    }
                    run(1);
                }
                if (countIn != null) {
                    countIn = null;
                    count("count changes timed to " + a.phase() + ", not reached", 1);
                    autoscale(a.desiredCount());
                }
                run(30);
            } else if (s instanceof RecreateService) {
                var services = account.ecs.describeServices(r -> r.cluster("demo").services("greeter")).services();
                if (!services.isEmpty() && "ACTIVE".equals(services.get(0).status())) {
                    services.get(0).taskSets().forEach(t -> deleted.add(t.taskSetArn()));
                    account.ecs.deleteService(r -> r.cluster("demo").service("greeter").force(true));
                    count("services deleted and created again", 1);
                }
                run(30);
            }
        }

        List<TaskSet> taskSets() {
            var services = unfaulted(() -> account.ecs.describeServices(r -> r.cluster("demo").services("greeter")).services());
            return services.isEmpty() || !"ACTIVE".equals(services.get(0).status()) ? List.of() : services.get(0).taskSets();
        }

        Map<String, Integer> productionWeights() {
            Map<String, Integer> out = new LinkedHashMap<>();
            for (var a : actions(productionArn)) {
                if (a.type() != ActionTypeEnum.FORWARD) continue;
                if (a.forwardConfig() != null) a.forwardConfig().targetGroups().forEach(t -> out.put(t.targetGroupArn(), t.weight()));
                else out.put(a.targetGroupArn(), 1);
            }
            return out;
        }

        void drift(String kind) {
            List<TaskSet> live = taskSets().stream().filter(t -> !"DRAINING".equals(t.status())).toList();
            if (live.isEmpty()) return;
            switch (kind) {
                case "weights" -> {
                    Map<String, Integer> w = productionWeights();
                    if (w.size() < 2) return;
                    Map<String, Integer> even = new LinkedHashMap<>();
                    w.keySet().forEach(tg -> even.put(tg, 50));
                    // Someone moving weights by hand keeps the rest of the action list, as the console does.
                    var actions = ForwardActions.withWeights(actions(productionArn), even);
                    if (productionArn.equals(ruleArn)) account.elb.modifyRule(r -> r.ruleArn(ruleArn).actions(actions));
                    else account.elb.modifyListener(r -> r.listenerArn(productionArn).defaultActions(actions));
                }
                case "scale" -> account.ecs.updateTaskSet(r -> r.cluster("demo").service("greeter").taskSet(live.get(0).id())
                        .scale(s -> s.value(50.0).unit("PERCENT")));
                default -> live.stream().filter(t -> !"PRIMARY".equals(t.status())).findFirst().ifPresent(t -> {
                    deleted.add(t.taskSetArn());
                    account.ecs.deleteTaskSet(r -> r.cluster("demo").service("greeter").taskSet(t.id()).force(true));
                });
            }
        }

        /** Faults off, time runs; a manual rollout is promoted; the service must come to rest, bounded. */
        void settle() {
            account.sim.faults().clear();
            ServiceReport r = null;
            for (int i = 0; i < 120; i++) {
                live().forEach(o -> o.engine.enqueueAll());
                run(30);
                Operator owner = owner();
                r = owner == null ? null : owner.book.get("greeter").orElse(null);
                if (r == null) continue;
                if (r.phase() == Phase.AwaitingPromotion) owner.engine.command("greeter", Command.PROMOTE);
                if (r.phase() == Phase.Failed && r.consecutiveFailures() == 0) owner.engine.command("greeter", Command.RETRY);
                // With no earlier revision to go back to (the service was deleted and created again under a
                // failing spec), the failed task set is all there is and keeps serving: held back for good.
                boolean resting = r.converged() || r.phase() == Phase.RolledBack && (!r.message().contains("held back") || r.activeRevision() == null);
                Plan last = lastPlans.get("greeter");
                if (resting && last != null && last.actions().isEmpty()) break;
            }
            assertThat(r).as("no report").isNotNull();
            String wanted = Revision.of(desired.get().services().get("greeter").spec().spec()).id();
            assertThat(r.converged() || r.phase() == Phase.RolledBack).as("did not come to rest: %s", r).isTrue();
            assertThat(lastPlans.get("greeter").actions()).as("a pass at rest plans nothing").isEmpty();
            List<TaskSet> sets = taskSets().stream().filter(t -> !"DRAINING".equals(t.status())).toList();
            Set<String> revisions = new HashSet<>();
            for (TaskSet t : sets) {
                assertThat(revisions.add(t.externalId())).as("two task sets of %s: %s", t.externalId(), sets).isTrue();
            }
            ServiceReport rested = r;
            if (scenario.setup().scaling() == Scaling.declared) {
                AutoScalingStore.TargetView target = account.sim.autoScaling().target("demo", "greeter");
                assertThat(target).as("the scalable target at rest").isNotNull();
                assertThat(List.of(target.min(), target.max())).as("the declared range").containsExactly(RandomScenario.DECLARED_MIN,
                        RandomScenario.DECLARED_MAX);
                assertThat(target.scaleInSuspended()).as("scale-in resumed at rest: %s", r).isFalse();
                assertThat(target.policyNames()).contains(ScalingDecisions.POLICY_NAME);
            }
            if (r.phase() == Phase.RolledBack && r.activeRevision() == null) {
                // The failed revision stays only while production reaches it (it is all there is); a task set
                // production does not reach is deleted like any failed green.
                assertThat(sets).as("nothing to go back to: at most the failed revision, while it serves: %s", r).hasSizeLessThanOrEqualTo(1)
                        .allSatisfy(t -> assertThat(t.externalId()).isEqualTo(wanted));
                if (!sets.isEmpty()) {
                    String tg = sets.get(0).loadBalancers().get(0).targetGroupArn();
                    Map<String, Integer> weights = productionWeights();
                    assertThat(weights.getOrDefault(tg, 0)).as("production on the only task set: %s", weights)
                            .isEqualTo(weights.values().stream().mapToInt(Integer::intValue).sum());
                }
                count("failed revisions with nothing to go back to", 1);
                return;
            }
            TaskSet primary = sets.stream().filter(t -> "PRIMARY".equals(t.status())).findFirst()
                    .orElseThrow(() -> new AssertionError("no primary task set: " + sets + " " + rested));
            String primaryTg = primary.loadBalancers().get(0).targetGroupArn();
            Map<String, Integer> weights = productionWeights();
            int total = weights.values().stream().mapToInt(Integer::intValue).sum();
            assertThat(weights.getOrDefault(primaryTg, 0)).as("production all on the primary: %s %s %s", weights, sets, r).isEqualTo(total);
            if (r.phase() == Phase.RolledBack) {
                assertThat(primary.externalId()).isNotEqualTo(wanted);
                assertThat(revisions).as("the failed revision is gone").doesNotContain(wanted);
            } else {
                assertThat(primary.externalId()).isEqualTo(wanted);
            }
        }

        // ---- the write checks -------------------------------------------------------------------------

        /** Checks a forward change before it is made: no production share moves onto a group without healthy targets. */
        void checkForward(String arn, Map<String, Integer> weights) {
            if (!arn.equals(productionArn)) return;
            Map<String, Integer> before = productionWeights();
            int totalBefore = Math.max(1, before.values().stream().mapToInt(Integer::intValue).sum());
            int totalAfter = Math.max(1, weights.values().stream().mapToInt(Integer::intValue).sum());
            if (scenario.setup().scaling() == Scaling.declared && weights.values().stream().filter(w -> w > 0).count() > 1) {
                // the suspension is written before the listener change that splits production
                AutoScalingStore.TargetView target = account.sim.autoScaling().target("demo", "greeter");
                if (target == null || !target.scaleInSuspended()) violations.add("production split " + weights + " before scale-in was suspended");
            }
            weights.forEach((tg, w) -> {
                double share = w / (double) totalAfter;
                double had = before.getOrDefault(tg, 0) / (double) totalBefore;
                if (share > had + 1e-9) {
                    long healthy = unfaulted(() -> account.elb.describeTargetHealth(r -> r.targetGroupArn(tg))).targetHealthDescriptions().stream()
                            .filter(d -> d.targetHealth().stateAsString().equals("healthy")).count();
                    if (healthy == 0) violations.add("production share of " + tg + " raised to " + w + " with no healthy target");
                }
            });
        }

        /**
         * For a spec that declares scaling, after every pass that left nothing to do: the scalable target is
         * registered with the declared range, and dynamic scale-in is suspended exactly while production is
         * split between two target groups or the rollout bakes (blue idles beside green), resumed otherwise.
         */
        void checkRegistration(Plan plan) {
            if (scenario.setup().scaling() != Scaling.declared || !plan.actions().isEmpty()) return;
            AutoScalingStore.TargetView target = account.sim.autoScaling().target("demo", "greeter");
            if (target == null) {
                violations.add("after pass " + passes + " (" + plan.status().phase() + ") nothing registered with Application Auto Scaling");
                return;
            }
            if (target.min() != RandomScenario.DECLARED_MIN || target.max() != RandomScenario.DECLARED_MAX) {
                violations.add("after pass " + passes + " the scalable target's range is " + target.min() + ".." + target.max());
            }
            boolean split = productionWeights().values().stream().filter(w -> w > 0).count() > 1;
            boolean wanted = split || plan.status().phase() == Phase.Baking;
            if (target.scaleInSuspended() != wanted) {
                violations.add("after pass " + passes + " (" + plan.status().phase() + ", production " + (split ? "split" : "on one target group")
                        + ") scale-in " + (target.scaleInSuspended() ? "still suspended" : "not suspended"));
            }
            count("passes at rest checked for the scale-in suspension", 1);
            if (wanted) count("of them with scale-in suspended", 1);
        }

        /** Checks a deletion before it is made: never the primary, never a task set production reaches, never twice. */
        void checkDelete(String taskSetArn) {
            checkNotDeleted("deleting", taskSetArn);
            for (TaskSet t : taskSets()) {
                if (!t.taskSetArn().equals(taskSetArn)) continue;
                if ("PRIMARY".equals(t.status())) violations.add("deleting the primary task set " + t.id());
                String tg = t.loadBalancers().get(0).targetGroupArn();
                if (productionWeights().getOrDefault(tg, 0) > 0) violations.add("deleting " + t.id() + " while production reaches " + tg);
            }
        }

        void checkNotDeleted(String what, String taskSetArn) {
            if (deleted.contains(taskSetArn)) violations.add(what + " the deleted (DRAINING) task set " + taskSetArn);
        }

        /** A plan never takes a deleted task set as green: no hooks, no analysis on one. */
        void checkPlan(Plan plan) {
            for (Action a : plan.actions()) {
                if (a instanceof Action.RunHook h) checkNotDeleted("running a hook on", h.taskSetArn());
                if (a instanceof Action.Analyze an) checkNotDeleted("analysing", an.taskSetArn());
            }
        }
    }

    record CheckedEcs(EcsPort delegate, World world) implements EcsPort {
        public Map<String, ServiceView> describeServices(String cluster, Collection<String> names) { return delegate.describeServices(cluster, names); }
        public Map<String, Map<String, String>> taskSetTags(String c, String s, Collection<String> arns) { return delegate.taskSetTags(c, s, arns); }
        public String createService(BlueGreenServiceSpec spec, Map<String, String> tags, String token) { return delegate.createService(spec, tags, token); }
        public void updateDesiredCount(String c, String s, int n) {
            if (world.scenario.setup().scaling() != Scaling.fixed) world.violations.add("wrote the desired count " + n + " that the file leaves to an autoscaler");
            delegate.updateDesiredCount(c, s, n);
        }
        public Optional<String> findTaskDefinition(String family, Revision revision) { return delegate.findTaskDefinition(family, revision); }
        public String registerTaskDefinition(BlueGreenServiceSpec spec, Revision revision, Map<String, String> tags) { return delegate.registerTaskDefinition(spec, revision, tags); }
        public String createTaskSet(BlueGreenServiceSpec spec, Revision revision, String td, String tg, Map<String, String> tags, String token) {
            String arn = delegate.createTaskSet(spec, revision, td, tg, tags, token);
            // A token AWS has seen answers the task set it created then, which may be gone by now.
            world.checkNotDeleted("creating (by a reused client token)", arn);
            return arn;
        }
        public void updateTaskSetScale(String c, String s, String ts, double p) { world.checkNotDeleted("scaling", ts); delegate.updateTaskSetScale(c, s, ts, p); }
        public void updatePrimaryTaskSet(String c, String s, String ts) { world.checkNotDeleted("making primary", ts); delegate.updatePrimaryTaskSet(c, s, ts); }
        public void deleteTaskSet(String c, String s, String ts) {
            world.checkDelete(ts);
            delegate.deleteTaskSet(c, s, ts);
            world.deleted.add(ts);
        }
        public void tag(String arn, Map<String, String> tags) { delegate.tag(arn, tags); }
        public void untag(String arn, List<String> keys) { delegate.untag(arn, keys); }
    }

    record CheckedElb(ElbPort delegate, World world) implements ElbPort {
        public Map<String, ForwardState> forwards(Collection<String> l, Collection<String> r) { return delegate.forwards(l, r); }
        public void setForward(String arn, boolean rule, Map<String, Integer> w) { world.checkForward(arn, w); delegate.setForward(arn, rule, w); }
        public Map<String, String> targetGroupArns(Collection<String> names) { return delegate.targetGroupArns(names); }
        public TargetGroupState targetHealth(String arn, String name) { return delegate.targetHealth(arn, name); }
        public Map<String, Map<String, String>> tags(Collection<String> arns) { return delegate.tags(arns); }
        public void addTags(String arn, Map<String, String> tags) { delegate.addTags(arn, tags); }
        public void removeTags(String arn, List<String> keys) { delegate.removeTags(arn, keys); }
    }
}

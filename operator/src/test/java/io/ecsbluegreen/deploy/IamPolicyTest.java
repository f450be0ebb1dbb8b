package io.ecsbluegreen.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.cli.Main;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/iam-policy.json grants exactly what the operator calls: every AWS operation its compiled code
 * (package io.ecsbluegreen, the simulator excepted) can send is found in the bytecode, mapped to its IAM
 * action and compared with the policy both ways.
 */
class IamPolicyTest {

    /**
     * Actions no SDK call names but AWS checks on the operator's behalf. {@code iam:PassRole}:
     * RegisterTaskDefinition passes the task and execution roles of an inline task definition to ECS
     * (and RunTask and CreateTaskSet list it as a dependent action in the Service Authorization Reference).
     * {@code iam:CreateServiceLinkedRole}: the first RegisterScalableTarget of an ECS service in an account
     * creates Application Auto Scaling's service-linked role for ECS (Application Auto Scaling User Guide,
     * "Service-linked roles": the caller needs the permission).
     */
    static final Set<String> IMPLICITLY_NEEDED = Set.of("iam:PassRole", "iam:CreateServiceLinkedRole");

    /**
     * Actions granted ahead of the code that calls them while that code is on another branch. Empty: the
     * task hooks (ecs:RunTask, DescribeTasks, StopTask) and CloudWatch analysis (GetMetricData) that were
     * listed here are merged and called. The test fails as soon as the code calls an action still listed,
     * so the list cannot go stale.
     */
    static final Set<String> PENDING_ON_OTHER_BRANCHES = Set.of();

    /**
     * Actions IAM authorizes only on {@code "*"} (no resource type in the Service Authorization Reference),
     * so they are the only ones a statement may grant on every resource.
     */
    static final Set<String> NO_RESOURCE_LEVEL_PERMISSIONS = Set.of(
            "ecs:DescribeTaskDefinition", "ecs:ListTaskDefinitions",
            "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeLoadBalancers",
            "elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTags",
            "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth",
            "cloudwatch:GetMetricData",
            "application-autoscaling:DescribeScalableTargets", "application-autoscaling:DescribeScalingPolicies");

    /**
     * Services whose actions authorize on another service's resources: sts:AssumeRole on the IAM role
     * assumed ({@code arn:aws:iam::ACCOUNT:role/NAME}).
     */
    static final Map<String, String> RESOURCE_SERVICE = Map.of("sts", "iam");

    static SdkCalls.Found called;
    static PolicyDocument policy;

    @BeforeAll
    static void scan() throws URISyntaxException {
        called = SdkCalls.scan(mainClasses(), "io/ecsbluegreen", List.of("io/ecsbluegreen/sim"));
        policy = PolicyDocument.read(PolicyDocument.IAM_POLICY);
    }

    /** The operator's compiled classes (target/classes), where the Main class was loaded from. */
    static Path mainClasses() throws URISyntaxException {
        return Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void theScanFindsTheCallsOfEveryAwsPortAndNoneOfTheSimulator() {
        Map<String, Set<String>> callers = called.callersByAction();
        assertThat(callers.get("ecs:CreateTaskSet")).contains("io.ecsbluegreen.aws.SdkEcsPort#createTaskSet");
        assertThat(callers.get("ecs:DescribeServices")).contains("io.ecsbluegreen.aws.SdkEcsPort#describeServices");
        assertThat(callers.get("elasticloadbalancing:ModifyListener")).contains("io.ecsbluegreen.aws.SdkElbPort#write");
        assertThat(callers.get("elasticloadbalancing:DescribeLoadBalancers")).contains("io.ecsbluegreen.aws.SdkEndpoints#read");
        assertThat(callers.get("cloudwatch:DescribeAlarms")).contains("io.ecsbluegreen.aws.SdkAlarmPort#states");
        assertThat(callers.get("lambda:InvokeFunction")).contains("io.ecsbluegreen.aws.SdkLambdaPort#invoke");
        assertThat(callers.get("application-autoscaling:RegisterScalableTarget"))
                .contains("io.ecsbluegreen.aws.SdkScalingPort#registerScalableTarget");
        // a paginator sends its operation; S3 authorizes ListObjectsV2 as s3:ListBucket
        assertThat(callers.get("s3:ListBucket")).contains("io.ecsbluegreen.source.S3Source#fetch");
        assertThat(callers.get("s3:GetObject")).contains("io.ecsbluegreen.source.S3Source#get");
        assertThat(callers.values().stream().flatMap(Set::stream)).noneMatch(c -> c.startsWith("io.ecsbluegreen.sim."));
        // closing a client, building one or reading its configuration is not an AWS operation
        assertThat(called.actions()).noneMatch(a -> a.endsWith(":Close") || a.endsWith(":Create") || a.endsWith(":Builder"));
    }

    @Test
    void theOperatorMayAssumeTheRolesServicesNameInAnyAccount() {
        assertThat(called.callersByAction().get("sts:AssumeRole")).contains("io.ecsbluegreen.aws.AssumedRoles#assume");
        PolicyDocument.Statement assume = policy.statements().stream()
                .filter(s -> s.actions().contains("sts:AssumeRole")).findFirst().orElseThrow();
        assertThat(assume.resources()).containsExactly("arn:${Partition}:iam::*:role/${AssumeRoleName}");
    }

    @Test
    void theEventConsumerMayReadAndDeleteOnlyTheEventsQueue() {
        Map<String, Set<String>> callers = called.callersByAction();
        assertThat(callers.get("sqs:ReceiveMessage")).contains("io.ecsbluegreen.awsevents.EventConsumer#pollOnce");
        assertThat(callers.get("sqs:DeleteMessage")).contains("io.ecsbluegreen.awsevents.EventConsumer#delete");
        assertThat(callers.get("sqs:GetQueueAttributes")).contains("io.ecsbluegreen.awsevents.EventConsumer#describeQueue");
        PolicyDocument.Statement sqs = policy.statements().stream()
                .filter(s -> s.actions().contains("sqs:ReceiveMessage")).findFirst().orElseThrow();
        assertThat(sqs.actions()).containsExactlyInAnyOrder("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes");
        assertThat(sqs.resources()).containsExactly("arn:${Partition}:sqs:*:${AccountId}:${EventsQueueName}");
    }

    @Test
    void thePolicyGrantsEveryActionTheOperatorCalls() {
        Set<String> missing = new TreeSet<>(called.actions());
        missing.removeAll(policy.allowedActions());
        assertThat(describe(missing))
                .as("AWS actions the operator calls that deploy/iam-policy.json does not grant (add them, scoped by resource where IAM allows)")
                .isEmpty();
    }

    @Test
    void thePolicyGrantsNoActionTheOperatorNeverCalls() {
        Set<String> unused = new TreeSet<>(policy.allowedActions());
        unused.removeAll(called.actions());
        unused.removeAll(IMPLICITLY_NEEDED);
        unused.removeAll(PENDING_ON_OTHER_BRANCHES);
        assertThat(unused)
                .as("actions deploy/iam-policy.json grants that no code of the operator calls (remove them)")
                .isEmpty();
    }

    @Test
    void actionsPendingOnOtherBranchesAreGrantedAndLeaveTheListOnceCalled() {
        assertThat(policy.allowedActions()).containsAll(PENDING_ON_OTHER_BRANCHES);
        Set<String> nowCalled = new TreeSet<>(PENDING_ON_OTHER_BRANCHES);
        nowCalled.retainAll(called.actions());
        assertThat(describe(nowCalled))
                .as("the operator calls these now: remove them from IamPolicyTest.PENDING_ON_OTHER_BRANCHES")
                .isEmpty();
        assertThat(IMPLICITLY_NEEDED).allMatch(policy.allowedActions()::contains);
    }

    @Test
    void everyStatementAllowsTheActionsOfOneServiceUnderItsOwnSid() {
        assertThat(policy.version()).isEqualTo("2012-10-17");
        Set<String> sids = new HashSet<>();
        for (PolicyDocument.Statement s : policy.statements()) {
            assertThat(s.sid()).as("every statement has a Sid").isNotNull().matches("[A-Za-z0-9]+");
            assertThat(sids.add(s.sid())).as("Sid " + s.sid() + " is unique").isTrue();
            assertThat(s.effect()).as(s.sid()).isEqualTo("Allow");
            assertThat(s.actions()).as(s.sid()).isNotEmpty().allMatch(a -> !a.contains("*"), "names actions without wildcards");
            assertThat(s.actions().stream().map(IamPolicyTest::service).collect(Collectors.toSet()))
                    .as(s.sid() + " grants the actions of one service").hasSize(1);
            assertThat(s.resources()).as(s.sid()).isNotEmpty();
        }
    }

    @Test
    void onlyActionsIamCannotScopeAreGrantedOnEveryResource() {
        for (PolicyDocument.Statement s : policy.statements()) {
            if (s.resources().contains("*")) {
                assertThat(s.resources()).as(s.sid()).containsExactly("*");
                assertThat(s.actions()).as(s.sid() + " grants on \"*\" only actions IAM cannot scope by resource")
                        .allMatch(NO_RESOURCE_LEVEL_PERMISSIONS::contains);
            } else {
                assertThat(s.actions()).as(s.sid() + " names actions IAM only authorizes on \"*\": they would never be allowed")
                        .noneMatch(NO_RESOURCE_LEVEL_PERMISSIONS::contains);
                String action = service(s.actions().iterator().next());
                String service = RESOURCE_SERVICE.getOrDefault(action, action);
                for (String arn : s.resources()) {
                    assertThat(arn).as(s.sid() + ": an ARN of the actions' own service, in the template's partition")
                            .startsWith("arn:${Partition}:" + service + ":");
                }
            }
        }
    }

    private static String service(String action) {
        return action.substring(0, action.indexOf(':'));
    }

    private static Set<String> describe(Set<String> actions) {
        return actions.stream().map(a -> a + " (called by " + called.callersByAction().getOrDefault(a, Set.of()) + ")")
                .collect(Collectors.toCollection(TreeSet::new));
    }
}

package io.ecsbluegreen.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/conformance/iam-policy.json grants exactly what the conformance suite calls, as
 * {@link IamPolicyTest} holds deploy/iam-policy.json to the operator's calls: the suite's own SDK calls
 * (package io.ecsbluegreen.conformance, found in the compiled test classes), the calls of the operator's
 * AWS ports its rollout runs the engine on, and the AWS CLI calls of run.sh are compared with the policy
 * both ways.
 */
class ConformanceIamPolicyTest {
    static final Path POLICY = Path.of("../deploy/conformance/iam-policy.json");
    static final Path RUN_SH = Path.of("../deploy/conformance/run.sh");

    /**
     * The operator's classes whose AWS calls the suite's rollout makes ({@code conformance.Operator} wires
     * the engine on them): the ports and the observer of {@code aws} and the analysis measurers.
     */
    static final List<String> OPERATOR_PORT_PACKAGES = List.of("io.ecsbluegreen.aws.", "io.ecsbluegreen.analysis.");
    /** In the aws package but not a port the suite drives: the suite acts with its own credentials. */
    static final List<String> NOT_PORTS = List.of("io.ecsbluegreen.aws.AssumedRoles#");

    /**
     * Operator calls the rollout never makes, each with why: the rollout's spec (RolloutTest) has no hooks,
     * and the policy must not grant what the run cannot use.
     */
    static final Map<String, String> NOT_MADE_BY_THE_ROLLOUT = Map.of(
            "lambda:InvokeFunction", "RolloutTest's spec has no Lambda hook",
            "ecs:RunTask", "RolloutTest's spec has no task hook",
            "ecs:StopTask", "RolloutTest's spec has no task hook",
            "application-autoscaling:DescribeScalableTargets", "RolloutTest's spec declares no scaling block",
            "application-autoscaling:DescribeScalingPolicies", "RolloutTest's spec declares no scaling block",
            "application-autoscaling:RegisterScalableTarget", "RolloutTest's spec declares no scaling block",
            "application-autoscaling:PutScalingPolicy", "RolloutTest's spec declares no scaling block");

    /** Actions no SDK or CLI call names but AWS checks on the suite's behalf, each with why. */
    static final Map<String, String> IMPLICITLY_NEEDED = Map.of(
            "iam:CreateServiceLinkedRole", "the first ECS cluster or load balancer of an account creates the service-linked role",
            "acm:DescribeCertificate", "CreateListener with an ACM certificate (ListenerActionsTest's HTTPS listener, CONFORMANCE_CERTIFICATE_ARN)",
            "ec2:DescribeAccountAttributes", "CreateLoadBalancer reads the account's EC2 attributes",
            "ec2:DescribeInternetGateways", "CreateLoadBalancer checks the subnets' internet gateway",
            "ec2:DescribeAvailabilityZones", "CreateLoadBalancer resolves the subnets' zones");

    /** CLI calls AWS authorizes without any permission: sts:GetCallerIdentity (run.sh's credentials check). */
    static final Set<String> NEED_NO_PERMISSION = Set.of("sts:GetCallerIdentity");

    /** Actions the suite may only call on its own throw-away resources: every mutation. */
    static final Pattern READ_ONLY = Pattern.compile("[a-z0-9]+:(Describe|List|Get)[A-Za-z]*");

    static SdkCalls.Found suite;
    static SdkCalls.Found operator;
    static Set<String> cli;
    static PolicyDocument policy;

    @BeforeAll
    static void scan() throws URISyntaxException, IOException {
        Path testClasses = Path.of(ConformanceIamPolicyTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        suite = SdkCalls.scan(testClasses, "io/ecsbluegreen/conformance", List.of());
        SdkCalls.Found all = SdkCalls.scan(IamPolicyTest.mainClasses(), "io/ecsbluegreen", List.of("io/ecsbluegreen/sim"));
        Map<String, Set<String>> ports = new TreeMap<>();
        all.callersByAction().forEach((action, callers) -> {
            Set<String> byPorts = callers.stream().filter(c -> OPERATOR_PORT_PACKAGES.stream().anyMatch(c::startsWith))
                    .filter(c -> NOT_PORTS.stream().noneMatch(c::startsWith))
                    .collect(Collectors.toCollection(TreeSet::new));
            if (!byPorts.isEmpty()) ports.put(action, byPorts);
        });
        operator = new SdkCalls.Found(ports);
        cli = cliCalls(Files.readString(RUN_SH));
        policy = PolicyDocument.read(POLICY);
    }

    /** {@code aws ec2 describe-vpcs ...} in a script: {@code ec2:DescribeVpcs}; {@code aws configure} is no call. */
    static Set<String> cliCalls(String script) {
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("\\baws ([a-z0-9]+) ([a-z][a-z0-9-]*)").matcher(script);
        while (m.find()) {
            if (m.group(1).equals("configure")) continue;
            String operation = Pattern.compile("(?:^|-)([a-z0-9])").matcher(m.group(2)).replaceAll(r -> r.group(1).toUpperCase());
            out.add(m.group(1) + ":" + operation);
        }
        return out;
    }

    /** Everything the suite can call: its own calls, the rollout's operator calls, run.sh's CLI calls. */
    static Set<String> called() {
        Set<String> out = new TreeSet<>(suite.actions());
        out.addAll(operator.actions());
        out.removeAll(NOT_MADE_BY_THE_ROLLOUT.keySet());
        out.addAll(cli);
        out.removeAll(NEED_NO_PERMISSION);
        return out;
    }

    @Test
    void theScanFindsTheSuitesOwnCallsTheRolloutsCallsAndRunShsCliCalls() {
        assertThat(suite.callersByAction().get("elasticloadbalancing:CreateLoadBalancer")).isNotEmpty()
                .allMatch(c -> c.startsWith("io.ecsbluegreen.conformance."));
        assertThat(suite.actions()).contains("ecs:CreateCluster", "ecs:DeleteCluster", "ecs:TagResource", "elasticloadbalancing:ModifyListener");
        assertThat(operator.callersByAction().get("ecs:CreateTaskSet")).contains("io.ecsbluegreen.aws.SdkEcsPort#createTaskSet");
        assertThat(operator.actions()).doesNotContain("sts:AssumeRole", "s3:GetObject", "sns:Publish");
        assertThat(cli).contains("sts:GetCallerIdentity", "ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups")
                .noneMatch(a -> a.startsWith("configure:"));
        assertThat(NOT_MADE_BY_THE_ROLLOUT.keySet()).as("the exceptions are operator calls, not stale names")
                .allMatch(operator.actions()::contains);
    }

    @Test
    void thePolicyGrantsEveryActionTheSuiteCalls() {
        Set<String> missing = new TreeSet<>(called());
        missing.removeAll(policy.allowedActions());
        assertThat(describe(missing))
                .as("AWS actions the conformance suite calls that deploy/conformance/iam-policy.json does not grant")
                .isEmpty();
    }

    @Test
    void thePolicyGrantsNoActionTheSuiteNeverCalls() {
        Set<String> unused = new TreeSet<>(policy.allowedActions());
        unused.removeAll(called());
        unused.removeAll(IMPLICITLY_NEEDED.keySet());
        assertThat(unused).as("actions deploy/conformance/iam-policy.json grants that the suite never calls (remove them)").isEmpty();
        assertThat(policy.allowedActions()).as("what AWS checks on the suite's behalf is granted").containsAll(IMPLICITLY_NEEDED.keySet());
        assertThat(policy.allowedActions()).as("no permission is granted for what needs none").doesNotContainAnyElementsOf(NEED_NO_PERMISSION);
    }

    @Test
    void mutationsAreGrantedOnlyOnTheSuitesOwnBgconfResources() {
        for (PolicyDocument.Statement s : policy.statements()) {
            Set<String> mutations = s.actions().stream().filter(a -> !READ_ONLY.matcher(a).matches())
                    .filter(a -> !IMPLICITLY_NEEDED.containsKey(a)).collect(Collectors.toCollection(TreeSet::new));
            mutations.removeAll(Set.of("ecs:RegisterTaskDefinition", "ecs:DeregisterTaskDefinition"));
            if (mutations.isEmpty()) continue;
            assertThat(s.resources()).as(s.sid() + " grants " + mutations).isNotEmpty()
                    .allMatch(arn -> arn.matches("arn:aws:[a-z]+:\\*:\\*:[a-z-]+/(app/)?bgconf-\\*.*"), "an ARN of a bgconf-* resource");
        }
    }

    @Test
    void taskDefinitionsAreTheOnlyMutationOnEveryResourceBecauseEcsCannotScopeRegistration() {
        List<PolicyDocument.Statement> everywhere = policy.statements().stream().filter(s -> s.resources().contains("*")).toList();
        Set<String> mutations = everywhere.stream().flatMap(s -> s.actions().stream())
                .filter(a -> !READ_ONLY.matcher(a).matches()).filter(a -> !IMPLICITLY_NEEDED.containsKey(a))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(mutations).containsExactly("ecs:DeregisterTaskDefinition", "ecs:RegisterTaskDefinition");
    }

    private static Set<String> describe(Set<String> actions) {
        return actions.stream().map(a -> a + " (called by " + suite.callersByAction().getOrDefault(a,
                        operator.callersByAction().getOrDefault(a, cli.contains(a) ? Set.of(RUN_SH.toString()) : Set.of())) + ")")
                .collect(Collectors.toCollection(TreeSet::new));
    }
}

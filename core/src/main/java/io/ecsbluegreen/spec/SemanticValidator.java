package io.ecsbluegreen.spec;

import io.ecsbluegreen.model.AnalysisCheck;
import io.ecsbluegreen.model.AnalysisSpec;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.model.BlueGreenServiceSpec;
import io.ecsbluegreen.model.CanaryStep;
import io.ecsbluegreen.model.ContainerSpec;
import io.ecsbluegreen.model.HookSpec;
import io.ecsbluegreen.model.LaunchType;
import io.ecsbluegreen.model.ListenerRef;
import io.ecsbluegreen.model.NetworkMode;
import io.ecsbluegreen.model.PortMapping;
import io.ecsbluegreen.model.ScalingSpec;
import io.ecsbluegreen.model.StrategyType;
import io.ecsbluegreen.model.TargetGroupMetric;
import io.ecsbluegreen.model.TaskDefinitionSpec;
import io.ecsbluegreen.model.TrafficSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.error.Mark;

/**
 * The rules that span several fields, which neither single-field annotations nor the JSON Schema can
 * express. Runs only on documents that bound cleanly, so every field it reads has its default.
 */
final class SemanticValidator {

    /** Fargate's valid (cpu → memory) combinations, in MiB, as the ECS documentation lists them. */
    private static final Map<Integer, int[]> FARGATE_MEMORY = Map.of(
            256, new int[] {512, 1024, 2048},
            512, range(1024, 4096, 1024),
            1024, range(2048, 8192, 1024),
            2048, range(4096, 16384, 1024),
            4096, range(8192, 30720, 1024),
            8192, range(16384, 61440, 4096),
            16384, range(32768, 122880, 8192));

    private static final java.util.regex.Pattern PLACEHOLDER = java.util.regex.Pattern.compile("\\{([A-Za-z]+)}");

    private final String file;
    private final Map<String, Mark> positions;
    private final List<SpecError> errors = new ArrayList<>();

    private SemanticValidator(String file, Map<String, Mark> positions) {
        this.file = file;
        this.positions = positions;
    }

    static List<SpecError> check(String file, BlueGreenService service, Map<String, Mark> positions) {
        SemanticValidator v = new SemanticValidator(file, positions);
        v.checkSpec(service.spec());
        return v.errors;
    }

    private static int[] range(int from, int to, int step) {
        int[] out = new int[(to - from) / step + 1];
        for (int i = 0; i < out.length; i++) out[i] = from + i * step;
        return out;
    }

    /** Reports at the nearest written ancestor of {@code path}, so even a defaulted field has a line. */
    private void error(String path, String message) {
        String p = path;
        while (!positions.containsKey(p) && !p.isEmpty()) {
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
        errors.add(YamlDocuments.at(file, positions.get(p), path, message));
    }

    private void checkSpec(BlueGreenServiceSpec spec) {
        checkTraffic(spec.traffic());
        checkTaskDefinition(spec);
        checkStrategy(spec);
        checkHooks(spec);
        checkAnalysis(spec.analysis(), spec.traffic());
        checkRegions(spec);
        checkScaling(spec);
        if (spec.externalId() != null && spec.roleArn() == null) {
            error("spec.externalId", "is passed to STS when assuming spec.roleArn; set roleArn too");
        }
    }

    /** A fixed count and a scaler would fight over the service's desired count: one of them sets it. */
    private void checkScaling(BlueGreenServiceSpec spec) {
        ScalingSpec scaling = spec.scaling();
        if (scaling == null) return;
        if (spec.desiredCount() != null) {
            error("spec.scaling", "cannot be set together with desiredCount: a fixed count is corrected as drift, so the"
                    + " operator would fight the autoscaler; leave desiredCount out to follow the autoscaler's count");
        }
        if (scaling.min() != null && scaling.max() != null && scaling.min() > scaling.max()) {
            error("spec.scaling.max", "must be at least min (" + scaling.min() + ")");
        }
    }

    private void checkTraffic(TrafficSpec traffic) {
        if (targetGroupName(traffic.blueTargetGroup()).equals(targetGroupName(traffic.greenTargetGroup()))) {
            error("spec.traffic.greenTargetGroup", "must differ from blueTargetGroup: blue/green needs two target groups");
        }
        if (traffic.test() != null && traffic.test().arn().equals(traffic.production().arn())) {
            error("spec.traffic.test", "must differ from production: test traffic needs its own listener or rule");
        }
    }

    /** A target group's name, from an ARN ({@code …:targetgroup/NAME/id}) or as given. */
    static String targetGroupName(String ref) {
        int at = ref.indexOf(":targetgroup/");
        if (at < 0) return ref;
        String rest = ref.substring(at + ":targetgroup/".length());
        return rest.substring(0, rest.indexOf('/'));
    }

    private void checkTaskDefinition(BlueGreenServiceSpec spec) {
        TaskDefinitionSpec td = spec.taskDefinition();
        boolean fargate = spec.launchType() == LaunchType.FARGATE
                || spec.capacityProviderStrategy().stream().anyMatch(c -> c.capacityProvider().startsWith("FARGATE"));
        if (spec.platformVersion() != null && !fargate) {
            error("spec.platformVersion", "is only for Fargate (launchType FARGATE or a FARGATE capacity provider)");
        }
        if (!td.inline()) {
            return;
        }
        String base = "spec.taskDefinition";
        List<ContainerSpec> containers = td.containers();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < containers.size(); i++) {
            if (!names.add(containers.get(i).name())) {
                error(base + ".containers[" + i + "].name", "container name '" + containers.get(i).name() + "' is used twice");
            }
            ContainerSpec c = containers.get(i);
            if (c.memory() != null && c.memoryReservation() != null && c.memoryReservation() > c.memory()) {
                error(base + ".containers[" + i + "].memoryReservation", "must not exceed memory (" + c.memory() + ")");
            }
            for (int j = 0; j < c.portMappings().size(); j++) {
                PortMapping pm = c.portMappings().get(j);
                if (td.networkMode() == NetworkMode.AWSVPC && pm.hostPort() != null && !pm.hostPort().equals(pm.containerPort())) {
                    error(base + ".containers[" + i + "].portMappings[" + j + "].hostPort",
                            "must equal containerPort (" + pm.containerPort() + ") in awsvpc mode, or be left out");
                }
            }
        }
        if (containers.stream().noneMatch(ContainerSpec::essential)) {
            error(base + ".containers", "at least one container must be essential");
        }
        TrafficSpec traffic = spec.traffic();
        containers.stream().filter(c -> c.name().equals(traffic.containerName())).findFirst().ifPresentOrElse(
                c -> {
                    if (c.portMappings().stream().noneMatch(p -> p.containerPort().equals(traffic.containerPort()))) {
                        error("spec.traffic.containerPort", "container '" + c.name() + "' has no port mapping for "
                                + traffic.containerPort() + "; add it to its portMappings");
                    }
                },
                () -> error("spec.traffic.containerName", "no container named '" + traffic.containerName()
                        + "' in the task definition; containers are: "
                        + String.join(", ", containers.stream().map(ContainerSpec::name).toList())));
        if (fargate) {
            if (td.networkMode() != NetworkMode.AWSVPC) {
                error(base + ".networkMode", "Fargate requires awsvpc");
            }
            if (td.cpu() == null || td.memory() == null) {
                error(base + (td.cpu() == null ? ".cpu" : ".memory"), "cpu and memory are required for Fargate");
            } else {
                int[] allowed = FARGATE_MEMORY.get(td.cpu());
                if (allowed == null) {
                    error(base + ".cpu", "Fargate supports cpu " + new TreeSet<>(FARGATE_MEMORY.keySet()) + ", not " + td.cpu());
                } else if (java.util.Arrays.stream(allowed).noneMatch(m -> m == td.memory())) {
                    String choices = allowed.length <= 4
                            ? java.util.Arrays.stream(allowed).mapToObj(String::valueOf).collect(java.util.stream.Collectors.joining(", "))
                            : allowed[0] + " to " + allowed[allowed.length - 1] + " in steps of " + (allowed[1] - allowed[0]);
                    error(base + ".memory", "Fargate with cpu " + td.cpu() + " supports memory " + choices + ", not " + td.memory());
                }
            }
        }
        if (td.networkMode() == NetworkMode.AWSVPC && spec.networkConfiguration() == null) {
            error("spec.networkConfiguration", "is required: the task definition uses the awsvpc network mode");
        }
    }

    private void checkStrategy(BlueGreenServiceSpec spec) {
        var strategy = spec.strategy();
        if (strategy.type() == StrategyType.CANARY && strategy.canary() != null) {
            List<CanaryStep> steps = strategy.canary().steps();
            int previous = 0;
            for (int i = 0; i < steps.size(); i++) {
                int weight = steps.get(i).weight();
                if (weight <= previous) {
                    error("spec.strategy.canary.steps[" + i + "].weight",
                            "must be greater than the previous step's weight (" + previous + "): weights rise step by step");
                }
                if (weight == 100 && i < steps.size() - 1) {
                    error("spec.strategy.canary.steps[" + i + "].weight", "100 can only be the last step");
                }
                previous = Math.max(previous, weight);
            }
        }
        if (strategy.type() == StrategyType.LINEAR && strategy.linear() != null) {
            int step = strategy.linear().stepPercent();
            if (100 % step != 0) {
                int lower = step, upper = step;
                while (100 % lower != 0) lower--;
                while (100 % upper != 0) upper++;
                error("spec.strategy.linear.stepPercent", step + " does not divide 100, so the last step would be uneven; use "
                        + lower + (upper <= 50 ? " or " + upper : ""));
            }
        }
    }

    private void checkHooks(BlueGreenServiceSpec spec) {
        for (Map.Entry<String, List<HookSpec>> point : spec.hooks().byPoint().entrySet()) {
            Set<String> names = new HashSet<>();
            List<HookSpec> hooks = point.getValue();
            for (int i = 0; i < hooks.size(); i++) {
                HookSpec hook = hooks.get(i);
                String path = "spec.hooks." + point.getKey() + "[" + i + "]";
                if (!names.add(hook.name())) {
                    error(path + ".name", "hook name '" + hook.name() + "' is used twice in " + point.getKey());
                }
                if (hook.http() != null) {
                    checkPlaceholders(hook.http().url(), path + ".http.url", spec.traffic());
                    if (hook.http().bodyPattern() != null) {
                        checkRegex(hook.http().bodyPattern(), path + ".http.bodyPattern");
                    }
                    if (!hook.http().retries().equals(0)
                            && hook.http().retryBackoff().compareTo(hook.timeout()) >= 0) {
                        error(path + ".http.retryBackoff", "must be shorter than the hook's timeout ("
                                + Durations.format(hook.timeout()) + ") for a retry to happen");
                    }
                }
                if (hook.lambda() != null && hook.lambda().pollInterval().compareTo(hook.timeout()) >= 0) {
                    error(path + ".lambda.pollInterval", "must be shorter than the hook's timeout ("
                            + Durations.format(hook.timeout()) + ")");
                }
                if (hook.task() != null && hook.task().containerName() == null
                        && (!hook.task().command().isEmpty() || !hook.task().environment().isEmpty())) {
                    error(path + ".task.containerName", "is required to override command or environment");
                }
            }
        }
    }

    private void checkPlaceholders(String url, String path, TrafficSpec traffic) {
        var m = PLACEHOLDER.matcher(url);
        while (m.find()) {
            String name = m.group(1);
            if (!name.equals("testEndpoint") && !name.equals("productionEndpoint")) {
                error(path, "unknown placeholder {" + name + "}; use {testEndpoint} or {productionEndpoint}");
            } else if (name.equals("testEndpoint") && traffic.test() == null) {
                error(path, "{testEndpoint} needs a test listener: set spec.traffic.test");
            }
        }
    }

    private void checkRegex(String regex, String path) {
        try {
            java.util.regex.Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            error(path, "is not a valid regular expression: " + e.getDescription());
        }
    }

    private void checkAnalysis(AnalysisSpec analysis, TrafficSpec traffic) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < analysis.checks().size(); i++) {
            AnalysisCheck check = analysis.checks().get(i);
            String path = "spec.analysis.checks[" + i + "]";
            if (!names.add(check.name())) {
                error(path + ".name", "check name '" + check.name() + "' is used twice");
            }
            if (check.targetGroupMetric() != null) {
                var m = check.targetGroupMetric();
                checkMinMax(m.min(), m.max(), path + ".targetGroupMetric");
                if (m.metric() == TargetGroupMetric.ERROR_RATE && m.max() != null && m.max() > 1) {
                    error(path + ".targetGroupMetric.max", "errorRate is a ratio from 0 to 1; " + m.max() + " can never fail");
                }
            }
            if (check.prometheus() != null) {
                var p = check.prometheus();
                checkMinMax(p.min(), p.max(), path + ".prometheus");
                if (p.address() == null && analysis.prometheusAddress() == null) {
                    error(path + ".prometheus.address", "is required when spec.analysis.prometheusAddress is not set");
                }
            }
            if (check.httpProbe() != null) {
                checkPlaceholders(check.httpProbe().url(), path + ".httpProbe.url", traffic);
            }
        }
    }

    private void checkMinMax(Double min, Double max, String path) {
        if (min != null && max != null && min > max) {
            error(path + ".min", "must not exceed max (" + max + ")");
        }
    }

    /** Every ARN of one service must live in one region (and in spec.region when that is set). */
    private void checkRegions(BlueGreenServiceSpec spec) {
        Map<String, String> arns = new HashMap<>();
        arns.put("spec.cluster", spec.cluster());
        arns.put("spec.traffic.blueTargetGroup", spec.traffic().blueTargetGroup());
        arns.put("spec.traffic.greenTargetGroup", spec.traffic().greenTargetGroup());
        ListenerRef prod = spec.traffic().production();
        arns.put("spec.traffic.production." + (prod.listenerArn() != null ? "listenerArn" : "ruleArn"), prod.arn());
        ListenerRef test = spec.traffic().test();
        if (test != null) arns.put("spec.traffic.test." + (test.listenerArn() != null ? "listenerArn" : "ruleArn"), test.arn());
        String expected = spec.region();
        String expectedFrom = "spec.region";
        for (String path : new TreeSet<>(arns.keySet())) {
            String value = arns.get(path);
            if (!value.startsWith("arn:")) continue;
            String region = value.split(":", 6)[3];
            if (expected == null) {
                expected = region;
                expectedFrom = path;
            } else if (!expected.equals(region)) {
                error(path, "is in region " + region + " but " + expectedFrom + " is in " + expected
                        + "; a service's cluster, target groups and listeners share one region");
            }
        }
    }
}

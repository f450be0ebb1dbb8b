package io.ecsbluegreen.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecsbluegreen.cli.Main;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.model.BlueGreenServiceSpec;
import io.ecsbluegreen.model.HookSpec;
import io.ecsbluegreen.model.ListenerRef;
import io.ecsbluegreen.source.SourceUri;
import io.ecsbluegreen.spec.DeclaredService;
import io.ecsbluegreen.spec.ParsedFile;
import io.ecsbluegreen.spec.SpecParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/examples/gitops-layout is a repository a team could start from: its services are valid the way
 * `bluegreen validate` and the operator read them, one per file under its team, and the operator
 * configurations beside them grant IAM access to exactly the resources those services name.
 */
class GitOpsLayoutTest {
    static final Path LAYOUT = Path.of("../deploy/examples/gitops-layout");
    static final Path SERVICES = LAYOUT.resolve("services");
    static final Path OPERATOR_TF = LAYOUT.resolve("operator/main.tf");
    static final Path OPERATOR_CFN = LAYOUT.resolve("operator/cloudformation-parameters.json");
    private static final Pattern ARGUMENT = Pattern.compile("(?m)^  ([a-z_]+)\\s+=\\s+(\"[^\"]*\"|\\[[^]]*]|\\{)");

    static List<DeclaredService> services() throws IOException {
        List<DeclaredService> out = new ArrayList<>();
        SpecParser parser = new SpecParser();
        try (Stream<Path> files = Files.walk(SERVICES)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                ParsedFile parsed = parser.parse(file.toString(), Files.readAllBytes(file));
                assertThat(parsed.errors()).as(file.toString()).isEmpty();
                out.addAll(parsed.services());
            }
        }
        return out;
    }

    /** The arguments of the module block of operator/main.tf, as strings (lists and maps left out). */
    static Map<String, String> terraformArguments() throws IOException {
        String module = Files.readString(OPERATOR_TF);
        module = module.substring(module.indexOf("module \"bluegreen_operator\""));
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = ARGUMENT.matcher(module);
        while (m.find()) out.put(m.group(1), m.group(2).startsWith("\"") ? m.group(2).substring(1, m.group(2).length() - 1) : m.group(2));
        return out;
    }

    static Map<String, String> cloudFormationParameters() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode p : new ObjectMapper().readTree(OPERATOR_CFN.toFile())) {
            out.put(p.get("ParameterKey").asText(), p.get("ParameterValue").asText());
        }
        return out;
    }

    @Test
    void bluegreenValidateAcceptsEveryServiceOfTheLayout() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        int code = Main.dispatch(new String[] {"validate", SERVICES.toString()}, print, print);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("ok: 4 files, 4 valid services\n");
        assertThat(code).isZero();
    }

    @Test
    void eachServiceIsAloneInAFileNamedAfterItUnderItsTeam() throws IOException {
        List<DeclaredService> services = services();
        assertThat(services).hasSize(4);
        for (DeclaredService declared : services) {
            Path file = Path.of(declared.file());
            String team = file.getParent().getFileName().toString();
            assertThat(file.getFileName().toString()).as(declared.file()).isEqualTo(declared.name() + ".yaml");
            assertThat(declared.service().metadata().labels()).as(declared.file()).containsEntry("team", team);
            assertThat(file.getParent().getParent()).isEqualTo(SERVICES);
        }
        assertThat(services.stream().map(DeclaredService::file).distinct()).hasSize(services.size());
    }

    @Test
    void theOperatorIsPointedAtTheServicesFolderOfTheRepository() throws IOException {
        for (String uri : List.of(terraformArguments().get("source_uri"), cloudFormationParameters().get("SourceUri"))) {
            SourceUri source = SourceUri.parse(uri);
            assertThat(source).isInstanceOf(SourceUri.Git.class);
            assertThat(source.id()).contains("path=services");
        }
        assertThat(terraformArguments().get("source_uri")).isEqualTo(cloudFormationParameters().get("SourceUri"));
    }

    @Test
    void theOperatorConfigurationsGiveOnlyInputsTheModuleAndTheTemplateTakeAndAllTheyRequire() throws IOException {
        String variables = Files.readString(DeployTemplatesTest.TERRAFORM.resolve("variables.tf"));
        Set<String> declared = new TreeSet<>();
        Set<String> required = new TreeSet<>();
        Matcher v = Pattern.compile("(?ms)^variable \"([a-z0-9_]+)\" \\{(.*?)^}").matcher(variables);
        while (v.find()) {
            declared.add(v.group(1));
            if (!v.group(2).contains("default")) required.add(v.group(1));
        }
        Set<String> given = new TreeSet<>(terraformArguments().keySet());
        given.remove("source");
        assertThat(declared).containsAll(given);
        assertThat(given).containsAll(required);

        Map<String, Object> template = DeployTemplatesTest.cloudFormation();
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> parameters = (Map<String, Map<String, Object>>) template.get("Parameters");
        Set<String> requiredParameters = new TreeSet<>();
        parameters.forEach((name, p) -> {
            if (!p.containsKey("Default")) requiredParameters.add(name);
        });
        assertThat(parameters.keySet()).containsAll(cloudFormationParameters().keySet());
        assertThat(cloudFormationParameters().keySet()).containsAll(requiredParameters);
    }

    @Test
    void theIamPatternsOfBothOperatorConfigurationsCoverEveryResourceTheServicesName() throws IOException {
        Map<String, String> tf = terraformArguments();
        Map<String, String> cfn = cloudFormationParameters();
        Map<String, String> patterns = Map.of(
                "cluster", tf.get("managed_cluster_name"), "loadBalancer", tf.get("load_balancer_name"),
                "targetGroup", tf.get("target_group_name"), "alarm", tf.get("alarm_name"),
                "function", tf.get("hook_function_name"), "role", tf.get("pass_role_name"));
        assertThat(cfn).containsEntry("ManagedClusterName", patterns.get("cluster")).containsEntry("LoadBalancerName", patterns.get("loadBalancer"))
                .containsEntry("TargetGroupName", patterns.get("targetGroup")).containsEntry("AlarmName", patterns.get("alarm"))
                .containsEntry("HookFunctionName", patterns.get("function")).containsEntry("PassRoleName", patterns.get("role"));
        assertThat(patterns.values()).as("narrower than everything").doesNotContain("*");

        List<String> uncovered = new ArrayList<>();
        for (DeclaredService declared : services()) {
            BlueGreenService service = declared.service();
            BlueGreenServiceSpec spec = service.spec();
            Map<String, List<String>> named = new LinkedHashMap<>();
            named.put("cluster", List.of(spec.cluster()));
            List<String> balancers = new ArrayList<>();
            for (ListenerRef ref : new ListenerRef[] {spec.traffic().production(), spec.traffic().test()}) {
                if (ref != null) balancers.add(loadBalancerName(ref.listenerArn() != null ? ref.listenerArn() : ref.ruleArn()));
            }
            named.put("loadBalancer", balancers);
            named.put("targetGroup", List.of(spec.traffic().blueTargetGroup(), spec.traffic().greenTargetGroup()));
            named.put("alarm", spec.rollback() == null ? List.of() : spec.rollback().alarms());
            List<String> functions = new ArrayList<>();
            if (spec.hooks() != null) {
                for (List<HookSpec> hooks : spec.hooks().byPoint().values()) {
                    hooks.stream().filter(h -> h.lambda() != null).forEach(h -> functions.add(h.lambda().function()));
                }
            }
            named.put("function", functions);
            List<String> roles = new ArrayList<>();
            for (String arn : new String[] {spec.taskDefinition().executionRoleArn(), spec.taskDefinition().taskRoleArn()}) {
                if (arn != null) roles.add(arn.substring(arn.lastIndexOf('/') + 1));
            }
            named.put("role", roles);
            named.forEach((kind, names) -> names.stream().filter(name -> !globMatches(patterns.get(kind), name))
                    .forEach(name -> uncovered.add(declared.file() + ": " + kind + " " + name + " is outside " + patterns.get(kind))));
        }
        assertThat(uncovered).isEmpty();
    }

    /** {@code listener/app/NAME/ID/...} or {@code listener-rule/app/NAME/ID/...}: the load balancer's name. */
    static String loadBalancerName(String arn) {
        return arn.substring(arn.indexOf(":listener")).split("/")[2];
    }

    /** IAM's wildcards: {@code *} any run of characters, {@code ?} one character. */
    static boolean globMatches(String glob, String value) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*') regex.append(".*");
            else if (c == '?') regex.append('.');
            else regex.append(Pattern.quote(String.valueOf(c)));
        }
        return value.matches(regex.toString());
    }

    @Test
    void theDemoWhichLoadsDirExamplesDoesNotSeeTheLayout() throws IOException {
        // DemoCommand and the default configuration read dir:examples
        Path demo = Path.of("../examples").toAbsolutePath().normalize();
        assertThat(LAYOUT.toAbsolutePath().normalize().startsWith(demo)).isFalse();
        Set<String> layoutNames = new TreeSet<>();
        services().forEach(s -> layoutNames.add(s.name()));
        SpecParser parser = new SpecParser();
        try (Stream<Path> files = Files.walk(demo)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                parser.parse(file.toString(), Files.readAllBytes(file)).services()
                        .forEach(s -> assertThat(layoutNames).as("a demo service named like a layout one").doesNotContain(s.name()));
            }
        }
    }
}

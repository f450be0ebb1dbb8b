package io.ecsbluegreen.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecsbluegreen.awsevents.EventRouter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The CloudFormation template and the Terraform module run the operator with the permissions of
 * deploy/iam-policy.json, no more and no less, and are well-formed; cfn-lint and terraform check them
 * further where they are installed.
 */
class DeployTemplatesTest {
    static final Path CLOUDFORMATION = Path.of("../deploy/cloudformation/operator.yaml");
    static final Path TERRAFORM = Path.of("../deploy/terraform");
    /** The placeholders CloudFormation fills with its pseudo parameters; every other one is a template parameter. */
    static final Map<String, String> PSEUDO_PARAMETERS = Map.of("AWS::Partition", "Partition", "AWS::AccountId", "AccountId");
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_:.]+)}");

    @SuppressWarnings("unchecked")
    static Map<String, Object> cloudFormation() throws IOException {
        return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(CLOUDFORMATION));
    }

    @SuppressWarnings("unchecked")
    private static <T> T at(Object node, String... path) {
        Object current = node;
        for (String key : path) {
            current = key.matches("\\d+") ? ((List<Object>) current).get(Integer.parseInt(key)) : ((Map<String, Object>) current).get(key);
            assertThat(current).as(String.join(".", path)).isNotNull();
        }
        return (T) current;
    }

    // ---- CloudFormation ---------------------------------------------------------------------------

    @Test
    void theCloudFormationTaskRoleGrantsExactlyTheStatementsOfTheIamPolicy() throws IOException {
        List<Object> raw = at(cloudFormation(), "Resources", "TaskRole", "Properties", "Policies", "0", "PolicyDocument", "Statement");
        List<Object> statements = new ArrayList<>();
        Set<String> conditional = new TreeSet<>();
        for (Object s : raw) {
            Object unwrapped = unwrapIf(s, conditional);
            if (unwrapped != null) statements.add(plain(unwrapped));
        }
        PolicyDocument template = PolicyDocument.of(Map.of("Version", "2012-10-17", "Statement", statements));
        PolicyDocument policy = PolicyDocument.read(PolicyDocument.IAM_POLICY);
        assertThat(template.statements()).as("TaskRole in %s and %s, statement by statement", CLOUDFORMATION, PolicyDocument.IAM_POLICY)
                .containsExactlyElementsOf(policy.statements());
        // the S3 statements are the conditional ones, as the Terraform module leaves them out without a bucket
        assertThat(conditional).containsExactly("S3ListDesiredState", "S3ReadDesiredState");
    }

    /** The statement inside {@code Fn::If: [HasS3Source, statement, Ref: AWS::NoValue]}, or the statement itself. */
    @SuppressWarnings("unchecked")
    private static Object unwrapIf(Object statement, Set<String> conditional) {
        if (!(statement instanceof Map<?, ?> map) || !map.containsKey("Fn::If")) return statement;
        List<Object> branches = (List<Object>) map.get("Fn::If");
        assertThat(branches.get(0)).isEqualTo("HasS3Source");
        assertThat(branches.get(2)).isEqualTo(Map.of("Ref", "AWS::NoValue"));
        conditional.add((String) ((Map<String, Object>) branches.get(1)).get("Sid"));
        return branches.get(1);
    }

    /** {@code Fn::Sub} strings as iam-policy.json writes them ({@code ${AWS::Partition}} is {@code ${Partition}}). */
    private static Object plain(Object node) {
        if (node instanceof Map<?, ?> map) {
            if (map.size() == 1 && map.containsKey("Fn::Sub")) {
                String text = (String) map.get("Fn::Sub");
                for (Map.Entry<String, String> e : PSEUDO_PARAMETERS.entrySet()) {
                    text = text.replace("${" + e.getKey() + "}", "${" + e.getValue() + "}");
                }
                return text;
            }
            assertThat(map.keySet()).as("only Fn::Sub in the policy statements").noneMatch(k -> String.valueOf(k).startsWith("Fn::") || "Ref".equals(k));
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put((String) k, plain(v)));
            return out;
        }
        if (node instanceof List<?> list) return list.stream().map(DeployTemplatesTest::plain).toList();
        return node;
    }

    @Test
    void theCloudFormationTemplateHasAParameterForEveryPlaceholderAndUsesEveryParameter() throws IOException {
        Map<String, Object> template = cloudFormation();
        Map<String, Object> parameters = at(template, "Parameters");
        Set<String> placeholders = new TreeSet<>(PolicyDocument.read(PolicyDocument.IAM_POLICY).placeholders());
        placeholders.removeAll(PSEUDO_PARAMETERS.values());
        assertThat(parameters.keySet()).containsAll(placeholders)
                .contains("Image", "Cluster", "Subnets", "SecurityGroups", "SourceUri", "ApiTokenSecretArn");
        Set<String> used = new TreeSet<>();
        collectReferences(template.get("Resources"), used);
        collectReferences(template.get("Conditions"), used);
        collectReferences(template.get("Outputs"), used);
        assertThat(used).as("parameters referenced by the resources").containsAll(parameters.keySet());
        Set<String> known = new TreeSet<>(parameters.keySet());
        Map<String, Object> resources = at(template, "Resources");
        known.addAll(resources.keySet());
        for (String name : used) {
            assertThat(name.startsWith("AWS::") || known.contains(name)).as("%s is a parameter, a resource or a pseudo parameter", name).isTrue();
        }
    }

    private static void collectReferences(Object node, Set<String> out) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if ("Ref".equals(k) && v instanceof String s) out.add(s);
                if ("Fn::GetAtt".equals(k) && v instanceof List<?> l) out.add(String.valueOf(l.get(0)));
                if ("Fn::Sub".equals(k) && v instanceof String s) {
                    Matcher m = SUB_VARIABLE.matcher(s);
                    while (m.find()) out.add(m.group(1));
                }
                collectReferences(v, out);
            });
        } else if (node instanceof List<?> list) {
            list.forEach(v -> collectReferences(v, out));
        }
    }

    @Test
    void theCloudFormationTaskRunsNonRootReplicasSharingLeasesWithALivenessCheck() throws IOException {
        Map<String, Object> template = cloudFormation();
        Map<String, Object> container = at(template, "Resources", "TaskDefinition", "Properties", "ContainerDefinitions", "0");
        assertThat(container.get("Command")).isEqualTo(List.of("run"));
        assertThat(container.get("User")).isEqualTo("185");
        assertThat(container.get("Environment").toString()).contains("QUARKUS_HTTP_HOST", "0.0.0.0", "BLUEGREEN_SOURCES");
        assertThat(((Object) at(container, "HealthCheck", "Command")).toString()).contains("/q/health/live");
        assertThat((Object) at(container, "PortMappings", "0", "ContainerPort")).isEqualTo(8080);
        Map<String, Object> service = at(template, "Resources", "Service", "Properties");
        assertThat(service.get("DesiredCount")).isEqualTo(Map.of("Ref", "Replicas"));
        assertThat(container.get("Environment").toString()).contains("BLUEGREEN_LEASES_ENABLED");
        assertThat((Object) at(template, "Resources", "LeaseTable", "Type")).isEqualTo("AWS::DynamoDB::Table");
        assertThat((Object) at(service, "DeploymentConfiguration", "MaximumPercent")).isEqualTo(100);
    }

    @Test
    void cfnLintFindsNoErrorOrWarningInTheTemplateWhereItIsInstalled() throws Exception {
        Optional<ExternalTool> cfnLint = ExternalTool.find("cfn-lint");
        assumeTrue(cfnLint.isPresent(), "cfn-lint is not on the PATH");
        ExternalTool.Run run = cfnLint.get().run(Path.of("."), Duration.ofMinutes(3), "-t", CLOUDFORMATION.toString());
        // cfn-lint's exit code is a bit set: 2 errors, 4 warnings, 8 informational findings
        assertThat(run.exitCode() & 6).as(run.output()).isZero();
    }

    // ---- the container image -----------------------------------------------------------------------

    /** The Quarkus settings of the pom's {@code container-image} profile. */
    static Map<String, String> imageSettings() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Path.of("pom.xml").toFile());
        NodeList profiles = pom.getElementsByTagName("profile");
        for (int i = 0; i < profiles.getLength(); i++) {
            Element profile = (Element) profiles.item(i);
            if (!"container-image".equals(profile.getElementsByTagName("id").item(0).getTextContent())) continue;
            assertThat(profile.getElementsByTagName("artifactId").item(0).getTextContent()).isEqualTo("quarkus-container-image-jib");
            Map<String, String> out = new LinkedHashMap<>();
            NodeList properties = ((Element) profile.getElementsByTagName("properties").item(0)).getChildNodes();
            for (int j = 0; j < properties.getLength(); j++) {
                if (properties.item(j) instanceof Element e) out.put(e.getTagName(), e.getTextContent());
            }
            return out;
        }
        throw new AssertionError("pom.xml has no profile container-image");
    }

    @Test
    void theImageRunsTheBluegreenCommandAsNonRootAndTheTaskDefinitionsPassItRun() throws Exception {
        Map<String, String> image = imageSettings();
        assertThat(image).containsEntry("quarkus.container-image.build", "true")
                .containsEntry("quarkus.jib.environment-variables.QUARKUS_HTTP_HOST", "0.0.0.0")
                .containsEntry("quarkus.jib.ports", "8080");
        assertThat(image.get("quarkus.jib.base-jvm-image")).as("a pinned base image").matches(".+:[0-9][0-9.]*(@sha256:[0-9a-f]{64})?");
        String user = image.get("quarkus.jib.user");
        assertThat(Integer.parseInt(user)).as("non-root").isPositive();
        List<String> entrypoint = List.of(image.get("quarkus.jib.jvm-entrypoint").split(","));
        assertThat(entrypoint).startsWith("java").contains("-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError")
                .endsWith("-jar", "/home/jboss/quarkus-run.jar");

        Map<String, Object> container = at(cloudFormation(), "Resources", "TaskDefinition", "Properties", "ContainerDefinitions", "0");
        assertThat(container.get("User")).isEqualTo(user);
        assertThat(container.get("Command")).isEqualTo(List.of("run"));
        String main = Files.readString(TERRAFORM.resolve("main.tf"));
        assertThat(main).contains("user         = \"" + user + "\"", "command = [\"run\"]", "containerPort = 8080");

        // without the extension (the default build) Quarkus would warn about every one of these keys
        assertThat(Files.readString(Path.of("src/main/resources/application.properties")))
                .doesNotContainPattern("(?m)^[^#]*quarkus\\.(jib|container-image)\\.");
    }

    /** The Jib Maven plugin's {@code container} settings in the pom's {@code image-tar} profile. */
    static Element imageTarContainer() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        NodeList profiles = pom.getElementsByTagName("profile");
        for (int i = 0; i < profiles.getLength(); i++) {
            Element profile = (Element) profiles.item(i);
            if (!"image-tar".equals(profile.getElementsByTagName("id").item(0).getTextContent())) continue;
            return (Element) profile.getElementsByTagName("container").item(0);
        }
        throw new AssertionError("pom.xml has no profile image-tar");
    }

    @Test
    void theTarballImageIsTheSameImageAsTheRegistryOneUserEntrypointEnvironmentAndPort() throws Exception {
        Map<String, String> image = imageSettings();
        Element tar = imageTarContainer();
        assertThat(tar.getElementsByTagName("user").item(0).getTextContent()).isEqualTo(image.get("quarkus.jib.user"));
        List<String> registryEntrypoint = List.of(image.get("quarkus.jib.jvm-entrypoint").split(","));
        List<String> tarEntrypoint = List.of(tar.getElementsByTagName("entrypoint").item(0).getTextContent().split(","));
        // the same JVM flags and jar; only where the base image keeps the application differs
        assertThat(tarEntrypoint.subList(0, tarEntrypoint.size() - 1)).isEqualTo(registryEntrypoint.subList(0, registryEntrypoint.size() - 1));
        assertThat(tarEntrypoint.get(tarEntrypoint.size() - 1)).isEqualTo("/deployments/quarkus-run.jar");
        assertThat(tar.getElementsByTagName("QUARKUS_HTTP_HOST").item(0).getTextContent()).isEqualTo("0.0.0.0");
        assertThat(tar.getElementsByTagName("port").item(0).getTextContent()).isEqualTo(image.get("quarkus.jib.ports"));
        assertThat(Files.readString(Path.of("../deploy/image/check-offline.sh"))).contains("-Pimage-tar", "--userspec=185:185");
    }

    // ---- Terraform --------------------------------------------------------------------------------

    /** Runs terraform without checkpoint calls and with an empty CLI configuration, so its output is only its own. */
    static ExternalTool.Run terraform(ExternalTool tool, Path dir, String stdin, String... args) throws Exception {
        Path config = Files.createTempFile("terraformrc", "");
        try {
            return tool.run(dir, Duration.ofMinutes(3), stdin,
                    Map.of("TF_CLI_CONFIG_FILE", config.toString(), "CHECKPOINT_DISABLE", "1", "TF_IN_AUTOMATION", "1"), List.of(args));
        } finally {
            Files.deleteIfExists(config);
        }
    }

    static String terraformSources() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(TERRAFORM)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".tf")).sorted().toList()) all.append(Files.readString(f)).append('\n');
        }
        return all.toString();
    }

    @Test
    void theTerraformModuleHasItsFourFilesAndUsesEveryVariableItDeclares() throws IOException {
        for (String file : List.of("main.tf", "variables.tf", "outputs.tf", "versions.tf")) {
            assertThat(TERRAFORM.resolve(file)).exists();
        }
        String sources = terraformSources();
        Set<String> declared = matches(Pattern.compile("(?m)^variable \"([a-z0-9_]+)\""), Files.readString(TERRAFORM.resolve("variables.tf")));
        Set<String> used = matches(Pattern.compile("\\bvar\\.([a-z0-9_]+)"), sources.replaceAll("(?s)variable \"[a-z0-9_]+\" \\{.*?\\n}\\n", ""));
        assertThat(declared).contains("image", "cluster", "subnet_ids", "security_group_ids", "source_uri", "api_token_secret_arn");
        assertThat(used).as("variables the module uses").containsExactlyInAnyOrderElementsOf(declared);
        assertThat(matches(Pattern.compile("\\bvar\\.([a-z0-9_]+)"), sources)).as("variables referenced anywhere are declared")
                .isSubsetOf(declared);
    }

    @Test
    void theTerraformModuleReadsTheIamPolicyFileAndFillsEveryPlaceholder() throws IOException {
        String main = Files.readString(TERRAFORM.resolve("main.tf"));
        Matcher call = Pattern.compile("templatefile\\(\"\\$\\{path\\.module}/\\.\\./iam-policy\\.json\", \\{(.*?)}\\)", Pattern.DOTALL).matcher(main);
        assertThat(call.find()).as("main.tf renders ../iam-policy.json with templatefile").isTrue();
        Set<String> filled = matches(Pattern.compile("(?m)^\\s*([A-Za-z0-9]+)\\s*="), call.group(1));
        assertThat(filled).containsExactlyInAnyOrderElementsOf(PolicyDocument.read(PolicyDocument.IAM_POLICY).placeholders());
        assertThat(main).contains("policy = local.task_role_policy", "startswith(s.Sid, \"S3\")");
        assertThat(main).contains("command = [\"run\"]", "user         = \"185\"", "/q/health/live", "desired_count                      = var.replicas",
                "resource \"aws_dynamodb_table\" \"leases\"", "BLUEGREEN_LEASES_ENABLED");
    }

    @Test
    void terraformFormatsTheModuleAsWrittenAndRendersThePolicyFileAsJsonWhereItIsInstalled(@TempDir Path dir) throws Exception {
        Optional<ExternalTool> terraform = ExternalTool.find("terraform");
        assumeTrue(terraform.isPresent(), "terraform is not on the PATH");
        ExternalTool.Run fmt = terraform(terraform.get(), TERRAFORM, null, "fmt", "-check", "-diff", "-no-color");
        assertThat(fmt.exitCode()).as("terraform fmt -check: %s", fmt.output()).isZero();

        // templatefile() reads iam-policy.json as Terraform will: no stray ${ or %{, valid JSON once filled
        Map<String, String> values = new LinkedHashMap<>();
        for (String placeholder : PolicyDocument.read(PolicyDocument.IAM_POLICY).placeholders()) values.put(placeholder, "v-" + placeholder);
        Files.createDirectories(dir.resolve("render"));
        Files.copy(PolicyDocument.IAM_POLICY, dir.resolve("iam-policy.json"));
        StringBuilder vars = new StringBuilder();
        values.forEach((k, v) -> vars.append(k).append(" = \"").append(v).append("\", "));
        Files.writeString(dir.resolve("render/main.tf"),
                "locals {\n  policy = jsondecode(templatefile(\"${path.module}/../iam-policy.json\", { " + vars + "}))\n}\n");
        ExternalTool.Run console = terraform(terraform.get(), dir.resolve("render"), "jsonencode(local.policy)\n", "console");
        assertThat(console.exitCode()).as(console.output()).isZero();
        String json = new ObjectMapper().readValue(console.stdout().trim(), String.class);
        String expected = Files.readString(PolicyDocument.IAM_POLICY);
        for (Map.Entry<String, String> e : values.entrySet()) expected = expected.replace("${" + e.getKey() + "}", e.getValue());
        ObjectMapper mapper = new ObjectMapper();
        assertThat(PolicyDocument.of(mapper.readValue(json, Object.class)))
                .isEqualTo(PolicyDocument.of(mapper.readValue(expected, Object.class)));
    }

    @Test
    void terraformValidatesTheModuleWhereItsAwsProviderCanBeInstalled(@TempDir Path dir) throws Exception {
        Optional<ExternalTool> terraform = ExternalTool.find("terraform");
        assumeTrue(terraform.isPresent(), "terraform is not on the PATH");
        // the module next to the policy file it reads, away from the working tree (init writes .terraform/)
        Path module = dir.resolve("deploy/terraform");
        Files.createDirectories(module);
        Files.copy(PolicyDocument.IAM_POLICY, dir.resolve("deploy/iam-policy.json"));
        try (Stream<Path> files = Files.list(TERRAFORM)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".tf")).toList()) Files.copy(f, module.resolve(f.getFileName()));
        }
        List<String> init = new ArrayList<>(List.of("init", "-backend=false", "-input=false", "-no-color"));
        // -Dterraform.plugin-dir=DIR: an offline provider mirror (the registry is not reachable everywhere)
        String pluginDir = System.getProperty("terraform.plugin-dir");
        if (pluginDir != null && !pluginDir.isBlank()) init.add("-plugin-dir=" + pluginDir);
        ExternalTool.Run installed = terraform(terraform.get(), module, null, init.toArray(String[]::new));
        assumeTrue(installed.exitCode() == 0, "the AWS provider cannot be installed here (set -Dterraform.plugin-dir): " + installed.output());
        ExternalTool.Run validate = terraform(terraform.get(), module, null, "validate", "-no-color");
        assertThat(validate.exitCode()).as(validate.output()).isZero();
        assertThat(validate.output()).doesNotContain("Warning");
    }

    @Test
    void theEventRuleOfBothTemplatesMatchesExactlyTheSourcesAndDetailTypesTheOperatorRoutes() throws IOException {
        Map<String, Object> pattern = at(cloudFormation(), "Resources", "EventsRule", "Properties", "EventPattern");
        List<String> sources = at(pattern, "source");
        List<String> detailTypes = at(pattern, "detail-type");
        assertThat(sources).containsExactlyElementsOf(EventRouter.SOURCES);
        assertThat(detailTypes).containsExactlyElementsOf(EventRouter.DETAIL_TYPES);

        Matcher rule = Pattern.compile("resource \"aws_cloudwatch_event_rule\" \"events\" \\{.*?source\\s*=\\s*\\[([^]]*)].*?detail-type\\s*=\\s*\\[([^]]*)]",
                Pattern.DOTALL).matcher(terraformSources());
        assertThat(rule.find()).as("the Terraform event rule's pattern").isTrue();
        assertThat(quoted(rule.group(1))).containsExactlyElementsOf(EventRouter.SOURCES);
        assertThat(quoted(rule.group(2))).containsExactlyElementsOf(EventRouter.DETAIL_TYPES);
    }

    private static List<String> quoted(String hcl) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"").matcher(hcl);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    private static Set<String> matches(Pattern pattern, String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) out.add(m.group(1));
        return out;
    }
}

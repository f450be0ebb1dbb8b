package io.ecsbluegreen.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ecsbluegreen.spec.ParsedFile;
import io.ecsbluegreen.spec.SpecParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/terraform/modules/bluegreen-service: what one BlueGreenService needs, with the operator's weights
 * left alone. Where terraform is installed (on the PATH, or /usr/local/bin) the module passes
 * {@code terraform validate} and {@code fmt -check} (with the AWS provider from {@code -Dterraform.plugin-dir=DIR},
 * default /opt/tf-plugins, offline), and the YAML it prints is rendered
 * by terraform itself and read by the operator's spec parser. Without terraform those cases are skipped.
 */
class TerraformModuleTest {
    static final Path MODULE = Path.of("../deploy", "terraform", "modules", "bluegreen-service");

    @Test
    void theModuleMakesTwoTargetGroupsAndRulesWhoseActionsTerraformLeavesToTheOperator() throws IOException {
        for (String f : List.of("main.tf", "variables.tf", "outputs.tf", "versions.tf", "templates/bluegreenservice.yaml.tftpl")) {
            assertThat(MODULE.resolve(f)).as(f).isRegularFile();
        }
        String main = Files.readString(MODULE.resolve("main.tf"));
        assertThat(main).contains("resource \"aws_lb_target_group\" \"blue\"", "resource \"aws_lb_target_group\" \"green\"",
                "resource \"aws_lb_listener_rule\" \"production\"", "resource \"aws_lb_listener_rule\" \"test\"");
        assertThat(main.split("ignore_changes = \\[action]", -1)).as("both rules ignore their action").hasSize(3);
        assertThat(Files.readString(MODULE.resolve("outputs.tf"))).contains("output \"bluegreenservice_yaml\"", "templatefile(");
        assertThat(Files.readString(Path.of("../docs", "iac.md"))).contains("ignore_changes", "modules/bluegreen-service");
    }

    @Test
    void theModulePassesTerraformValidateOffline(@TempDir Path dir) throws Exception {
        ExternalTool terraform = terraform();
        Path plugins = Path.of(System.getProperty("terraform.plugin-dir", "/opt/tf-plugins"));
        assumeTrue(Files.isDirectory(plugins.resolve("registry.terraform.io/hashicorp/aws")),
                "no AWS provider under " + plugins + " (set -Dterraform.plugin-dir=DIR, an offline provider mirror)");
        Path copy = copy(MODULE, dir.resolve("module"));
        ExternalTool.Run init = DeployTemplatesTest.terraform(terraform, copy, null, "init", "-backend=false", "-input=false", "-no-color",
                "-plugin-dir=" + plugins);
        assertThat(init.exitCode()).as(init.output()).isZero();
        ExternalTool.Run validate = DeployTemplatesTest.terraform(terraform, copy, null, "validate", "-no-color");
        assertThat(validate.exitCode()).as(validate.output()).isZero();
        assertThat(validate.output()).contains("The configuration is valid").doesNotContain("Warning");
        ExternalTool.Run fmt = DeployTemplatesTest.terraform(terraform, copy, null, "fmt", "-check", "-recursive", "-diff", "-no-color");
        assertThat(fmt.exitCode()).as("terraform fmt -check: %s", fmt.output()).isZero();
    }

    @Test
    void theYamlTheModulePrintsIsAValidBlueGreenServiceWithAndWithoutATestListener(@TempDir Path dir) throws Exception {
        ExternalTool terraform = terraform();
        String withTest = render(terraform, dir.resolve("with-test"), "\"arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/0123456789abcdef/1111111111111111/2222222222222222\"",
                "{ team = \"web\", \"cost-center\" = \"42\" }");
        ParsedFile parsed = new SpecParser().parse("shop.yaml", withTest.getBytes(StandardCharsets.UTF_8));
        assertThat(parsed.errors()).as(withTest).isEmpty();
        assertThat(parsed.services()).hasSize(1);
        assertThat(withTest).contains("ruleArn: arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/0123456789abcdef/aaaaaaaaaaaaaaaa/bbbbbbbbbbbbbbbb")
                .contains("test:\n      ruleArn: arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/0123456789abcdef/1111111111111111")
                .contains("\"cost-center\": \"42\"");

        String withoutTest = render(terraform, dir.resolve("without-test"), "null", "{}");
        ParsedFile plain = new SpecParser().parse("shop.yaml", withoutTest.getBytes(StandardCharsets.UTF_8));
        assertThat(plain.errors()).as(withoutTest).isEmpty();
        assertThat(withoutTest).doesNotContain("test:").doesNotContain("tags:");
    }

    /** The module's template rendered by terraform (a root module of outputs only: no provider, no network). */
    static String render(ExternalTool terraform, Path dir, String testRuleArn, String tags) throws Exception {
        Files.createDirectories(dir);
        Path template = MODULE.resolve("templates/bluegreenservice.yaml.tftpl").toAbsolutePath();
        Files.writeString(dir.resolve("main.tf"), """
                output "yaml" {
                  value = templatefile("%s", {
                    name = "shop", region = "us-east-1", cluster = "prod", desired_count = 2
                    subnets = ["subnet-0a1b2c3d4e5f60718"], security_groups = ["sg-0123456789abcdef0"]
                    cpu = 256, memory = 512, execution_role_arn = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole"
                    container_name = "web", container_port = 8080, image = "ghcr.io/acme/shop:1.0.0"
                    blue_target_group_arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/shop-blue/0123456789abcdef"
                    green_target_group_arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/shop-green/fedcba9876543210"
                    production_rule_arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/0123456789abcdef/aaaaaaaaaaaaaaaa/bbbbbbbbbbbbbbbb"
                    test_rule_arn = %s
                    tags = %s
                  })
                }
                """.formatted(template.toString().replace("\\", "/"), testRuleArn, tags));
        ExternalTool.Run apply = DeployTemplatesTest.terraform(terraform, dir, null, "apply", "-auto-approve", "-input=false", "-no-color");
        assertThat(apply.exitCode()).as(apply.output()).isZero();
        ExternalTool.Run output = DeployTemplatesTest.terraform(terraform, dir, null, "output", "-raw", "-no-color", "yaml");
        assertThat(output.exitCode()).as(output.output()).isZero();
        return output.stdout();
    }

    /** terraform from the PATH, else /usr/local/bin; the test is skipped without it. */
    static ExternalTool terraform() {
        Optional<ExternalTool> found = ExternalTool.find("terraform")
                .or(() -> Optional.of(new ExternalTool(Path.of("/usr/local/bin/terraform"))).filter(t -> Files.isExecutable(t.executable())));
        assumeTrue(found.isPresent(), "terraform is not installed");
        return found.get();
    }

    static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.resolve("templates"));
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.filter(Files::isRegularFile).filter(p -> !p.toString().contains(".terraform")).toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
        return to;
    }
}

package io.ecsbluegreen.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWS CLI, where it is installed, works against the simulator for each service. Skipped (and says
 * so) on machines without the {@code aws} command. CloudWatch is left out: recent CLIs speak the Smithy
 * RPC v2 CBOR protocol to it, which the simulator does not serve yet (docs/simulator.md).
 */
class AwsCliTest {

    record Result(int code, String out) {}

    static Result aws(AwsSimulator sim, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("aws", "--endpoint-url", sim.endpoint().toString(), "--region", "us-east-1",
                "--output", "json"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("AWS_ACCESS_KEY_ID", "test");
        pb.environment().put("AWS_SECRET_ACCESS_KEY", "test");
        pb.environment().put("AWS_PAGER", "");
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("aws " + String.join(" ", args) + " did not finish in 60 s");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    static boolean cliInstalled() {
        try {
            Process p = new ProcessBuilder("aws", "--version").redirectErrorStream(true).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void theAwsCliDrivesStsS3EcsElbv2AndLambda(@TempDir Path dir) throws Exception {
        assumeTrue(cliInstalled(), "the aws command is not installed here");
        try (AwsSimulator sim = AwsSimulator.start()) {
            assertThat(aws(sim, "sts", "get-caller-identity").out()).contains("\"Account\": \"000000000000\"");

            Path file = dir.resolve("shop.yaml");
            Files.writeString(file, "kind: BlueGreenService\n");
            assertThat(aws(sim, "s3", "mb", "s3://deploy").code()).isZero();
            assertThat(aws(sim, "s3", "cp", file.toString(), "s3://deploy/prod/shop.yaml").code()).isZero();
            assertThat(aws(sim, "s3", "ls", "s3://deploy/prod/").out()).contains("shop.yaml");
            assertThat(sim.s3().getObject("deploy", "prod/shop.yaml").orElseThrow().content()).isEqualTo(Files.readAllBytes(file));

            assertThat(aws(sim, "ecs", "create-cluster", "--cluster-name", "demo").code()).isZero();
            assertThat(aws(sim, "ecs", "list-clusters").out()).contains("cluster/demo");
            Result service = aws(sim, "ecs", "create-service", "--cluster", "demo", "--service-name", "web",
                    "--desired-count", "1", "--deployment-controller", "type=EXTERNAL");
            assertThat(service.out()).contains("\"type\": \"EXTERNAL\"");

            Result tg = aws(sim, "elbv2", "create-target-group", "--name", "web-blue", "--protocol", "HTTP", "--port", "8080",
                    "--target-type", "ip", "--vpc-id", "vpc-0123456789abcdef0");
            assertThat(tg.code()).isZero();
            assertThat(aws(sim, "elbv2", "describe-target-groups", "--names", "web-blue").out()).contains("targetgroup/web-blue/");
            sim.lambda().register("smoke", (payload, context) -> "{\"status\":\"Succeeded\"}".getBytes(StandardCharsets.UTF_8));
            Path answer = dir.resolve("answer.json");
            assertThat(aws(sim, "lambda", "invoke", "--function-name", "smoke", answer.toString()).code()).isZero();
            assertThat(Files.readString(answer)).isEqualTo("{\"status\":\"Succeeded\"}");
            Result missing = aws(sim, "elbv2", "describe-target-groups", "--names", "nope");
            assertThat(missing.code()).isNotZero();
            assertThat(missing.out()).contains("TargetGroupNotFound");
        }
    }
}

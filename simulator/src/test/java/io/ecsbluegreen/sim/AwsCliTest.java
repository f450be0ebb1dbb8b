package io.ecsbluegreen.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ecsbluegreen.sim.cloudwatch.AlarmState;
import io.ecsbluegreen.sim.cloudwatch.Dimension;
import io.ecsbluegreen.sim.cloudwatch.MetricAlarm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWS CLI, where it is installed, works against the simulator for each service. Skipped (and says
 * so) on machines without the {@code aws} command. CloudWatch is driven twice: in the protocol the CLI
 * prefers (JSON 1.0 for the CLI v1 with botocore 1.43), and in Smithy RPC v2 CBOR, which the CLI is made
 * to speak (see {@link #cborOnlyCloudWatchModel}).
 */
class AwsCliTest {

    record Result(int code, String out) {}

    static Result aws(AwsSimulator sim, String... args) throws IOException, InterruptedException {
        return aws(sim, Map.of(), args);
    }

    /**
     * Runs the CLI with extra environment variables; output goes through a file, as it may be large. The
     * commands run in one Python process ({@link CliBatch}) where the CLI's package can be imported, else
     * each in its own {@code aws} process.
     */
    static Result aws(AwsSimulator sim, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("--endpoint-url", sim.endpoint().toString(), "--region", "us-east-1",
                "--output", "json"));
        command.addAll(List.of(args));
        Path output = Files.createTempFile("aws-cli", ".out");
        try {
            int code = batch != null ? batch.run(command, env, output) : runProcess(command, env, output);
            return new Result(code, Files.readString(output));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static int runProcess(List<String> args, Map<String, String> env, Path output) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("aws"));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().putAll(CREDENTIALS);
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("aws " + String.join(" ", args) + " did not finish in 60 s");
        }
        return p.exitValue();
    }

    static final Map<String, String> CREDENTIALS = Map.of("AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test", "AWS_PAGER", "");

    private static CliBatch batch;

    @BeforeAll
    static void startCli() {
        if (cliInstalled()) batch = CliBatch.start(CREDENTIALS);
    }

    @AfterAll
    static void stopCli() {
        if (batch != null) batch.close();
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
            assertThat(aws(sim, "ecs", "register-task-definition", "--family", "tool", "--container-definitions",
                    "[{\"name\":\"tool\",\"image\":\"tool:1\",\"command\":[\"exit\",\"3\"]}]").code()).isZero();
            Result run = aws(sim, "ecs", "run-task", "--cluster", "demo", "--task-definition", "tool", "--launch-type", "EC2",
                    "--started-by", "cli");
            assertThat(run.out()).contains("\"lastStatus\": \"PROVISIONING\"");
            Matcher taskArn = Pattern.compile("\"taskArn\": \"(arn:[^\"]+)\"").matcher(run.out());
            assertThat(taskArn.find()).as(run.out()).isTrue();
            sim.clock().advance(java.time.Duration.ofMinutes(1));
            Result exited = aws(sim, "ecs", "describe-tasks", "--cluster", "demo", "--tasks", taskArn.group(1));
            assertThat(exited.out()).contains("\"exitCode\": 3").contains("\"stopCode\": \"EssentialContainerExited\"");
            assertThat(aws(sim, "ecs", "stop-task", "--cluster", "demo", "--task", taskArn.group(1)).code()).isZero();

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

    @Test
    void theAwsCliDrivesSnsTopicsAndPublish() throws Exception {
        assumeTrue(cliInstalled(), "the aws command is not installed here");
        try (AwsSimulator sim = AwsSimulator.start()) {
            Result created = aws(sim, "sns", "create-topic", "--name", "deploys");
            assertThat(created.out()).contains("\"TopicArn\": \"arn:aws:sns:us-east-1:000000000000:deploys\"");
            String arn = "arn:aws:sns:us-east-1:000000000000:deploys";
            assertThat(aws(sim, "sns", "list-topics").out()).contains(arn);
            assertThat(aws(sim, "sns", "get-topic-attributes", "--topic-arn", arn).out()).contains("\"Owner\": \"000000000000\"");
            Result published = aws(sim, "sns", "publish", "--topic-arn", arn, "--message", "{\"type\":\"RolloutFailed\"}",
                    "--subject", "shop rolled back r-2", "--message-attributes",
                    "{\"eventType\":{\"DataType\":\"String\",\"StringValue\":\"RolloutFailed\"}}");
            assertThat(published.code()).as(published.out()).isZero();
            assertThat(published.out()).contains("MessageId");
            assertThat(sim.sns().published(arn)).singleElement().satisfies(m -> {
                assertThat(m.subject()).isEqualTo("shop rolled back r-2");
                assertThat(m.attribute("eventType")).isEqualTo("RolloutFailed");
            });
            Result missing = aws(sim, "sns", "publish", "--topic-arn", arn + "-gone", "--message", "x");
            assertThat(missing.code()).isNotZero();
            assertThat(missing.out()).contains("NotFound", "Topic does not exist");
            assertThat(aws(sim, "sns", "delete-topic", "--topic-arn", arn).code()).isZero();
            assertThat(sim.sns().topics()).isEmpty();
        }
    }

    @Test
    void theAwsCliDrivesCloudWatchInTheProtocolItPrefers() throws Exception {
        assumeTrue(cliInstalled(), "the aws command is not installed here");
        try (AwsSimulator sim = AwsSimulator.start()) {
            driveCloudWatch(sim, Map.of());
        }
    }

    @Test
    void theAwsCliDrivesCloudWatchInRpcV2Cbor(@TempDir Path dir) throws Exception {
        assumeTrue(cliInstalled(), "the aws command is not installed here");
        Map<String, String> cbor = Map.of("AWS_DATA_PATH", cborOnlyCloudWatchModel(dir).toString());
        try (AwsSimulator sim = AwsSimulator.start()) {
            Result debug = aws(sim, cbor, "--debug", "cloudwatch", "describe-alarms");
            assertThat(debug.code()).as(debug.out()).isZero();
            assertThat(debug.out()).contains("/service/GraniteServiceVersion20100801/operation/DescribeAlarms",
                    "'smithy-protocol': 'rpc-v2-cbor'");
            driveCloudWatch(sim, cbor);
        }
    }

    /**
     * Alarms from creation to deletion, metrics in and out, and an error, through the CLI; {@code env}
     * chooses the protocol.
     */
    private static void driveCloudWatch(AwsSimulator sim, Map<String, String> env) throws Exception {
        Result put = aws(sim, env, "cloudwatch", "put-metric-alarm", "--alarm-name", "web-5xx", "--namespace", "Shop",
                "--metric-name", "Errors", "--dimensions", "Name=Service,Value=web", "--statistic", "Sum",
                "--period", "60", "--evaluation-periods", "2", "--threshold", "5",
                "--comparison-operator", "GreaterThanThreshold", "--treat-missing-data", "notBreaching");
        assertThat(put.code()).as(put.out()).isZero();
        MetricAlarm stored = sim.cloudwatch().alarm("web-5xx").orElseThrow();
        assertThat(stored.dimensions()).containsExactly(new Dimension("Service", "web"));
        assertThat(stored.threshold()).isEqualTo(5.0);
        assertThat(stored.evaluationPeriods()).isEqualTo(2);

        Result described = aws(sim, env, "cloudwatch", "describe-alarms", "--alarm-names", "web-5xx");
        assertThat(described.code()).as(described.out()).isZero();
        assertThat(described.out()).contains("\"AlarmArn\": \"arn:aws:cloudwatch:us-east-1:000000000000:alarm:web-5xx\"",
                "\"StateValue\": \"INSUFFICIENT_DATA\"", "\"Threshold\": 5.0", "\"Period\": 60",
                "\"ActionsEnabled\": true", "\"Value\": \"web\"",
                // The CLI prints timestamps as they came: epoch seconds in JSON and CBOR.
                "\"StateUpdatedTimestamp\": " + sim.clock().instant().getEpochSecond());

        Result set = aws(sim, env, "cloudwatch", "set-alarm-state", "--alarm-name", "web-5xx", "--state-value", "ALARM",
                "--state-reason", "game day");
        assertThat(set.code()).as(set.out()).isZero();
        assertThat(set.out()).isBlank();
        Result alarming = aws(sim, env, "cloudwatch", "describe-alarms", "--state-value", "ALARM");
        assertThat(alarming.out()).contains("\"AlarmName\": \"web-5xx\"", "\"StateReason\": \"game day\"");
        assertThat(sim.cloudwatch().alarm("web-5xx").orElseThrow().stateValue()).isEqualTo(AlarmState.ALARM);

        for (String value : List.of("2", "3.5")) {
            Result data = aws(sim, env, "cloudwatch", "put-metric-data", "--namespace", "Shop", "--metric-name", "Errors",
                    "--dimensions", "Service=web", "--value", value);
            assertThat(data.code()).as(data.out()).isZero();
        }
        Instant now = sim.clock().instant();
        Result metrics = aws(sim, env, "cloudwatch", "get-metric-data", "--start-time", now.minusSeconds(600).toString(),
                "--end-time", now.plusSeconds(600).toString(), "--metric-data-queries",
                "[{\"Id\":\"errors\",\"MetricStat\":{\"Metric\":{\"Namespace\":\"Shop\",\"MetricName\":\"Errors\","
                        + "\"Dimensions\":[{\"Name\":\"Service\",\"Value\":\"web\"}]},\"Period\":60,\"Stat\":\"Sum\"}}]");
        assertThat(metrics.code()).as(metrics.out()).isZero();
        assertThat(metrics.out()).contains("\"Id\": \"errors\"", "\"Label\": \"Errors\"", "\"StatusCode\": \"Complete\"")
                .containsPattern("\"Timestamps\": \\[\\s*" + now.truncatedTo(ChronoUnit.MINUTES).getEpochSecond() + "\\s*]")
                .containsPattern("\"Values\": \\[\\s*5\\.5\\s*]");

        Result unknown = aws(sim, env, "cloudwatch", "set-alarm-state", "--alarm-name", "no-such-alarm",
                "--state-value", "OK", "--state-reason", "drill");
        assertThat(unknown.code()).isNotZero();
        assertThat(unknown.out()).contains("ResourceNotFound", "no-such-alarm");

        Result deleted = aws(sim, env, "cloudwatch", "delete-alarms", "--alarm-names", "web-5xx");
        assertThat(deleted.code()).as(deleted.out()).isZero();
        assertThat(sim.cloudwatch().alarms()).isEmpty();
        assertThat(aws(sim, env, "cloudwatch", "describe-alarms").out()).contains("\"MetricAlarms\": []");
    }

    /**
     * A copy of the CLI's own CloudWatch model that offers only RPC v2 CBOR, for {@code AWS_DATA_PATH}:
     * botocore prefers JSON 1.0 when a model offers both. Skips the test when the model is not found.
     */
    private static Path cborOnlyCloudWatchModel(Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("python3", "-c", "import botocore,os;print(os.path.dirname(botocore.__file__))")
                .redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        String botocore = p.isAlive() ? "" : new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assumeTrue(!p.isAlive() && p.exitValue() == 0, "botocore is not importable from python3: " + botocore);
        // Releases store the models gzipped; source installs may not.
        Path models = Path.of(botocore, "data", "cloudwatch", "2010-08-01");
        String json;
        if (Files.isRegularFile(models.resolve("service-2.json"))) {
            json = Files.readString(models.resolve("service-2.json"));
        } else {
            assumeTrue(Files.isRegularFile(models.resolve("service-2.json.gz")), "no CloudWatch model in " + models);
            try (InputStream in = new GZIPInputStream(Files.newInputStream(models.resolve("service-2.json.gz")))) {
                json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        Matcher protocols = Pattern.compile("\"protocols\"\\s*:\\s*\\[[^\\]]*\"smithy-rpc-v2-cbor\"[^\\]]*\\]").matcher(json);
        assumeTrue(protocols.find(), "this botocore's CloudWatch model does not offer RPC v2 CBOR");
        Path copy = dir.resolve("models").resolve("cloudwatch").resolve("2010-08-01").resolve("service-2.json");
        Files.createDirectories(copy.getParent());
        Files.writeString(copy, protocols.replaceFirst("\"protocols\":[\"smithy-rpc-v2-cbor\"]"));
        return dir.resolve("models");
    }
}

package io.ecsbluegreen.sim.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ecsbluegreen.sim.autoscaling.AutoScalingService;
import io.ecsbluegreen.sim.cloudwatch.CloudWatchService;
import io.ecsbluegreen.sim.ecs.EcsService;
import io.ecsbluegreen.sim.elb.ElbService;
import io.ecsbluegreen.sim.sns.SnsService;
import io.ecsbluegreen.sim.sqs.SqsService;
import io.ecsbluegreen.sim.sts.StsService;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The committed constraint table: derived, never edited; complete for what the simulator serves. */
class ConstraintTableTest {

    private static final Path SCRIPT = Path.of("tools/aws-models/derive-constraints.py");
    private static final Path TABLE = Path.of("simulator/src/main/resources/io/ecsbluegreen/sim/model/constraints.json");

    private final ConstraintTable table = ConstraintTable.official();

    @Test
    void reDerivingTheTableFromTheSameBotocoreReproducesTheCommittedFileExactly() throws Exception {
        Optional<String> python = pythonWithBotocore(table.botocoreVersion());
        assumeTrue(python.isPresent(), "no python3 with botocore " + table.botocoreVersion() + " installed");

        Process process = new ProcessBuilder(python.get(), SCRIPT.toString(), "--out", "-").redirectErrorStream(false).start();
        byte[] derived;
        try (InputStream out = process.getInputStream()) {
            derived = out.readAllBytes();
        }
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();

        assertThat(new String(derived, StandardCharsets.UTF_8)).isEqualTo(Files.readString(TABLE));
    }

    @Test
    void everyPatternOfTheTableCompilesInJava() {
        assertThat(table.uncompiledPatterns()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "'[\\u0020-\\u007E\\u10000-\\u10FFFF]+', '\uD83D\uDE00 ok', true",
            "'[\\u0020-\\u007E\\u10000-\\u10FFFF]+', '\u1234', false",
            "'[\\u0009\\u000A]+', '\t\n', true"})
    void fiveAndSixDigitEscapesOfTheModelsMeanCodePointsAboveTheBasicPlane(String modelPattern, String value, boolean matches) {
        assertThat(Pattern.compile(ConstraintTable.javaRegex(modelPattern)).matcher(value).matches()).isEqualTo(matches);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ecs, EcsService", "elasticloadbalancing, ElbService", "monitoring, CloudWatchService",
            "sns, SnsService", "sts, StsService", "sqs, SqsService", "application-autoscaling, AutoScalingService"})
    void theTableHasAnEntryForEveryOperationTheServiceImplements(String signingName, String serviceClass) throws Exception {
        Class<?> type = switch (serviceClass) {
            case "EcsService" -> EcsService.class;
            case "ElbService" -> ElbService.class;
            case "CloudWatchService" -> CloudWatchService.class;
            case "SnsService" -> SnsService.class;
            case "SqsService" -> SqsService.class;
            case "AutoScalingService" -> AutoScalingService.class;
            default -> StsService.class;
        };
        Field actions = type.getDeclaredField("ACTIONS");
        actions.setAccessible(true);

        @SuppressWarnings("unchecked")
        Set<String> implemented = (Set<String>) actions.get(null);

        assertThat(table.service(signingName).orElseThrow().operations().keySet())
                .containsExactlyInAnyOrderElementsOf(implemented);
    }

    @Test
    void lambdaOperationsAreTheOnesTheSimulatorRoutes() {
        assertThat(table.service("lambda").orElseThrow().operations().keySet()).containsExactlyInAnyOrder(
                "Invoke", "GetFunction", "GetFunctionConfiguration", "ListFunctions", "CreateFunction", "DeleteFunction");
    }

    /** A python3 whose botocore is {@code version}: the one on the PATH, or Debian's. */
    private static Optional<String> pythonWithBotocore(String version) throws IOException, InterruptedException {
        for (String python : List.of("python3", "/usr/bin/python3")) {
            Process process;
            try {
                process = new ProcessBuilder(python, "-c", "import botocore; print(botocore.__version__)").start();
            } catch (IOException e) {
                continue;
            }
            String out;
            try (InputStream in = process.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            if (process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0 && out.equals(version)) {
                return Optional.of(python);
            }
        }
        return Optional.empty();
    }
}

package io.ecsbluegreen.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ecsbluegreen.sim.AwsSimulator;
import io.ecsbluegreen.sim.SimulatorConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {

    @Test
    void optionsAreParsedAndBadOnesRejected() {
        assertThat(SimulateCommand.parse(new String[] {"--port", "4599", "--seed", "s.yaml", "--aws-rate-limits"}))
                .isEqualTo(new SimulateCommand.Options(4599, Path.of("s.yaml"), true));
        assertThat(SimulateCommand.parse(new String[0])).isEqualTo(new SimulateCommand.Options(4566, null, false));
        assertThatThrownBy(() -> SimulateCommand.parse(new String[] {"--seed"})).hasMessage("--seed needs a value");
        assertThatThrownBy(() -> SimulateCommand.parse(new String[] {"--colour"})).hasMessage("unknown option '--colour'");
    }

    @Test
    void aSeededSimulatorPrintsItsEndpointsAndItsListenersServe() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SimulateCommand command = new SimulateCommand(new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        try (AwsSimulator sim = command.start(SimulatorConfig.defaults(), Path.of("examples/simulator/seed.yaml"))) {
            String printed = out.toString(StandardCharsets.UTF_8);
            assertThat(printed).startsWith("AWS simulator on " + sim.endpoint()).contains("listener demo/production: http://127.0.0.1:")
                    .contains("  events queue: https://sqs.us-east-1.amazonaws.com/000000000000/bluegreen-events\n");
            String production = printed.lines().filter(l -> l.contains("demo/production")).findFirst().orElseThrow();
            URI url = URI.create(production.substring(production.indexOf("http://")));
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("no targets registered yet").isEqualTo(503);
        }
    }

    @Test
    void aBrokenSeedStopsWithItsErrors(@TempDir Path dir) throws Exception {
        Path seed = dir.resolve("seed.yaml");
        Files.writeString(seed, "apiVersion: sim.ecsbluegreen.io/v1alpha1\nkind: SimulatorSeed\nclusterz: [demo]\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        SimulateCommand command = new SimulateCommand(System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(command.start(SimulatorConfig.defaults(), seed)).isNull();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(seed + ":3:1: clusterz: unknown field 'clusterz'");
    }
}

package io.ecsbluegreen.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.model.StrategyType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ExamplesTest {

    /** The BlueGreenService files under examples/ (the simulator's seed lives there too, and has its own test). */
    static List<Path> exampleFiles() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("examples"))) {
            return files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .filter(p -> read(p).contains("\nkind: BlueGreenService\n"))
                    .sorted().toList();
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void everyExampleIsValid() throws IOException {
        SpecParser parser = new SpecParser();
        List<Path> files = exampleFiles();
        assertThat(files).hasSizeGreaterThanOrEqualTo(4);
        for (Path file : files) {
            ParsedFile parsed = parser.parse(file.toString(), Files.readAllBytes(file));
            assertThat(parsed.errors()).as(file.toString()).isEmpty();
            assertThat(parsed.services()).as(file.toString()).isNotEmpty();
        }
    }

    @Test
    void theGreeterIsACanaryWithDefaultsApplied() throws IOException {
        Path file = Path.of("examples/greeter/greeter.yaml");
        ParsedFile parsed = new SpecParser().parse(file.toString(), Files.readAllBytes(file));
        BlueGreenService greeter = parsed.services().get(0).service();
        assertThat(greeter.name()).isEqualTo("greeter");
        assertThat(greeter.spec().strategy().type()).isEqualTo(StrategyType.CANARY);
        assertThat(greeter.spec().strategy().canary().steps()).extracting(s -> s.weight()).containsExactly(10, 50);
        assertThat(greeter.spec().strategy().blueRetention()).isEqualTo(Duration.ofMinutes(15));
        assertThat(greeter.spec().taskDefinition().containers().get(0).essential()).isTrue();
        assertThat(greeter.spec().taskDefinition().containers().get(0).healthCheck().timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(greeter.spec().hooks().afterInstall()).isEmpty();
        assertThat(greeter.spec().analysis().interval()).isEqualTo(Duration.ofMinutes(1));
    }
}

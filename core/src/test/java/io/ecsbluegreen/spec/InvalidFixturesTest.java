package io.ecsbluegreen.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file in core/src/test/resources/invalid is a document with known mistakes. Its trailing
 * {@code # expect: line:col path: message} comments list, in order, exactly the errors the validator
 * must report; nothing more, nothing less.
 */
class InvalidFixturesTest {

    static final Path DIR = Path.of("core/src/test/resources/invalid");

    /** A fixture and what its comments say about it. */
    record Fixture(Path path, String text, String schemaVerdict, List<String> expected) {
        @Override
        public String toString() {
            return path.getFileName().toString();
        }
    }

    static Stream<Fixture> fixtures() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().map(InvalidFixturesTest::load).toList().stream();
        }
    }

    static Fixture load(Path p) {
        try {
            String text = Files.readString(p, StandardCharsets.UTF_8);
            List<String> lines = text.lines().toList();
            String verdict = lines.stream().filter(l -> l.startsWith("# schema: ")).map(l -> l.substring(10).strip())
                    .findFirst().orElseThrow(() -> new IllegalStateException(p + " has no '# schema:' line"));
            List<String> expected = lines.stream().filter(l -> l.startsWith("# expect: ")).map(l -> l.substring(10)).toList();
            return new Fixture(p, text, verdict, expected);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void eachInvalidFixtureReportsExactlyItsExpectedErrors(Fixture fixture) {
        ParsedFile parsed = new SpecParser().parse("f.yaml", fixture.text().getBytes(StandardCharsets.UTF_8));
        List<String> actual = parsed.errors().stream()
                .map(e -> e.toString().substring("f.yaml:".length()))
                .toList();
        assertThat(fixture.expected()).as("fixture %s must list its expected errors", fixture).isNotEmpty();
        assertThat(actual).as(fixture.toString()).containsExactlyElementsOf(fixture.expected());
        assertThat(parsed.services()).as("an invalid file applies nothing").isEmpty();
    }
}

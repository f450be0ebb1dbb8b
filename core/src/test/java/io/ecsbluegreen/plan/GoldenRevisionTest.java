package io.ecsbluegreen.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.spec.DeclaredService;
import io.ecsbluegreen.spec.ParsedFile;
import io.ecsbluegreen.spec.SpecParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The revision ids of a fixed set of specs, pinned: every example, every strategy, inline and ARN task
 * definitions, capacity providers, network configurations, platform versions
 * ({@code core/src/test/resources/revisions/golden.tsv}). A revision id is each task set's external id in
 * AWS, so an operator release that computed another id for the same spec would roll out every running
 * service with that spec right after the upgrade.
 *
 * <p>The table is never regenerated to make this test pass. A new spec file gets its row by running the
 * test with {@code -Drevisions.print=true}, which prints the rows of every golden spec.
 */
class GoldenRevisionTest {

    static final Path TABLE = Path.of("core/src/test/resources/revisions/golden.tsv");
    /** Where golden specs live besides the examples. */
    static final List<Path> SPEC_ROOTS = List.of(Path.of("examples"), Path.of("core/src/test/resources/revisions/specs"));

    /** One row: a service declared in a spec file, and the revision id its spec must keep. */
    record Row(String file, String service, String id) {}

    static List<Row> table() {
        try {
            List<Row> rows = new ArrayList<>();
            for (String line : Files.readAllLines(TABLE, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] cells = line.split("\t");
                if (cells.length != 3) throw new IllegalStateException(TABLE + ": not three tab-separated cells: " + line);
                rows.add(new Row(cells[0], cells[1], cells[2]));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every service in every YAML file under the spec roots that parses without errors, by file and name. */
    static Map<String, DeclaredService> goldenSpecs() throws IOException {
        Map<String, DeclaredService> specs = new LinkedHashMap<>();
        SpecParser parser = new SpecParser();
        for (Path root : SPEC_ROOTS) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(root)) {
                files = walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
            }
            for (Path file : files) {
                ParsedFile parsed = parser.parse(file.toString(), Files.readAllBytes(file));
                if (!parsed.errors().isEmpty()) continue; // not a spec (a simulator seed), or not one that parses
                for (DeclaredService s : parsed.services()) {
                    specs.put(file + "\t" + s.service().metadata().name(), s);
                }
            }
        }
        return specs;
    }

    static Stream<Arguments> rows() {
        return table().stream().map(r -> Arguments.of(r.file(), r.service(), r.id()));
    }

    @ParameterizedTest(name = "{0} {1} keeps revision {2}")
    @MethodSource("rows")
    void everyGoldenSpecKeepsItsRevisionId(String file, String service, String expected) throws IOException {
        DeclaredService declared = goldenSpecs().get(file + "\t" + service);
        assertThat(declared).as("%s declares a valid service %s", file, service).isNotNull();
        String actual = Revision.of(declared.service().spec()).id();
        assertThat(actual)
                .as("the revision id of service %s in %s changed from %s to %s: changing this revision id starts a rollout"
                        + " of every running service with this spec after an operator upgrade (the id is each task set's"
                        + " external id in AWS). Keep the canonical encoding of the revision (plan/RevisionEncoding) as it"
                        + " is; see docs/architecture.md, \"Revisions\"", service, file, expected, actual)
                .isEqualTo(expected);
    }

    @Test
    void everyExampleAndGoldenSpecHasARowAndEveryRowASpec() throws IOException {
        Map<String, DeclaredService> specs = goldenSpecs();
        if (Boolean.getBoolean("revisions.print")) {
            specs.forEach((key, s) -> System.out.println(key + "\t" + Revision.of(s.service().spec()).id()));
        }
        List<String> pinned = table().stream().map(r -> r.file() + "\t" + r.service()).toList();
        assertThat(pinned).as("rows of %s; a new spec file gets its row from a run with -Drevisions.print=true", TABLE)
                .containsExactlyInAnyOrderElementsOf(specs.keySet());
    }

    @Test
    void theGoldenSetCoversEveryStrategyAndEveryWayToDescribeTasks() throws IOException {
        var specs = goldenSpecs().values().stream().map(s -> s.service().spec()).toList();
        assertThat(specs).extracting(s -> s.strategy().type().wire()).contains("AllAtOnce", "Canary", "Linear");
        assertThat(specs).anyMatch(s -> s.strategy().promotion().wire().equals("manual"));
        assertThat(specs).anyMatch(s -> s.taskDefinition().inline()).anyMatch(s -> !s.taskDefinition().inline());
        assertThat(specs).anyMatch(s -> s.capacityProviderStrategy() != null && !s.capacityProviderStrategy().isEmpty());
        assertThat(specs).anyMatch(s -> s.launchType() == null && (s.capacityProviderStrategy() == null
                || s.capacityProviderStrategy().isEmpty()));
        assertThat(specs).anyMatch(s -> s.platformVersion() != null);
        assertThat(specs).anyMatch(s -> s.networkConfiguration() != null).anyMatch(s -> s.networkConfiguration() == null);
    }
}

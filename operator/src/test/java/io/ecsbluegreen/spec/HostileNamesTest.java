package io.ecsbluegreen.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.desired.DesiredState;
import io.ecsbluegreen.desired.DesiredStateStore;
import io.ecsbluegreen.desired.SourceStatus;
import io.ecsbluegreen.loop.Engine;
import io.ecsbluegreen.metrics.EngineMetrics;
import io.ecsbluegreen.source.SourceFile;
import io.ecsbluegreen.source.SourceListing;
import io.ecsbluegreen.status.ServiceReport;
import io.ecsbluegreen.status.StatusBook;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Names that fail validation come from files anyone can write: they must never key the API or label a metric. */
class HostileNamesTest {

    static String invalidService(String quotedName) {
        // desiredCount -1 makes the document invalid whatever its name
        return """
                apiVersion: ecsbluegreen.io/v1alpha1
                kind: BlueGreenService
                metadata:
                  name: %s
                spec:
                  cluster: prod
                  desiredCount: -1
                """.formatted(quotedName);
    }

    final Clock clock = Clock.fixed(Instant.parse("2026-12-05T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void aBatchOfFilesWithInvalidNamesCreatesNoServiceEntryAndNoMetricSeries() {
        List<String> hostile = List.of("\"Bad Name\"", "\"bell\\a\"", "\"esc\\e[31mred\"", "UPPER", "-dash", "\"" + "x".repeat(64) + "\"",
                "\"../../api\"", "\"a/b\"", "\"ünïcode\"");
        List<SourceFile> files = new ArrayList<>();
        for (int i = 0; i < hostile.size(); i++) {
            files.add(new SourceFile("bad" + i + ".yaml", "/repo/bad" + i + ".yaml", "v1", invalidService(hostile.get(i)).getBytes(StandardCharsets.UTF_8)));
        }
        files.add(new SourceFile("fine.yaml", "/repo/fine.yaml", "v1", invalidService("fine").getBytes(StandardCharsets.UTF_8)));
        DesiredStateStore store = new DesiredStateStore(new SpecParser(), clock, List.of("dir:a"));
        AtomicReference<DesiredState> desired = new AtomicReference<>(DesiredState.EMPTY);
        StatusBook book = new StatusBook(clock);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        EngineMetrics metrics = new EngineMetrics(registry, clock);
        book.addListener(metrics);
        Engine engine = new Engine(desired::get, region -> {
            throw new AssertionError("an invalid spec never reaches AWS");
        }, clock, Engine.Settings.DEFAULT, book, Engine.Ownership.ALL, metrics);
        store.addListener(desired::set);
        store.addListener(engine::desiredChanged);

        DesiredState state = store.accept("dir:a", new SourceListing("r1", files));
        engine.drain(100);

        assertThat(state.services().keySet()).containsExactly("fine");
        assertThat(book.all()).extracting(ServiceReport::name).containsExactly("fine");
        assertThat(registry.find("bluegreen.service.phase").gauges())
                .allSatisfy(g -> assertThat(g.getId().getTag("service")).isEqualTo("fine"))
                .isNotEmpty();
        // every file is still reported, with its errors, under the source
        SourceStatus source = state.sources().get(0);
        assertThat(source.invalidFiles()).hasSize(hostile.size() + 1);
        assertThat(source.invalidFiles()).allSatisfy(f -> assertThat(f.errors()).isNotEmpty());
    }

    @Test
    void onlyValidObjectNamesAreAcceptable() {
        assertThat(SpecParser.acceptableName("greeter-2")).isTrue();
        assertThat(SpecParser.acceptableName("x".repeat(63))).isTrue();
        assertThat(SpecParser.acceptableName("x".repeat(64))).isFalse();
        assertThat(SpecParser.acceptableName("bell\u0007")).isFalse();
        assertThat(SpecParser.acceptableName("")).isFalse();
        assertThat(SpecParser.acceptableName(null)).isFalse();
    }
}

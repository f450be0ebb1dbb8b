package io.ecsbluegreen.sim.seed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SeedLoaderTest {

    @Test
    void theDemoSeedDescribesTheAccountTheExamplesReferTo() throws IOException {
        SeedLoader.Result result = SeedLoader.load("seed.yaml", Files.readAllBytes(Path.of("examples/simulator/seed.yaml")));
        assertThat(result.errors()).isEmpty();
        SimSeed seed = result.seed();
        assertThat(seed.region()).isEqualTo("us-east-1");
        assertThat(seed.clusters()).containsExactly("demo");
        assertThat(seed.targetGroups()).hasSize(8);
        assertThat(seed.targetGroups().get(0).healthCheckInterval()).as("the greeter's, quick for the demo").isEqualTo(Duration.ofSeconds(5));
        assertThat(seed.targetGroups().get(2).healthCheckInterval()).as("the default").isEqualTo(Duration.ofSeconds(10));
        assertThat(seed.taskStartTime()).isEqualTo(Duration.ofSeconds(5));
        SeedLoadBalancer alb = seed.loadBalancers().get(0);
        assertThat(alb.id()).isEqualTo("5f2b3c4d5e6f7a8b");
        assertThat(alb.listeners()).extracting(SeedListener::id).containsExactly("1a2b3c4d5e6f7081", "9a8b7c6d5e4f3021");
        assertThat(alb.listeners().get(0).rules()).extracting(SeedRule::targetGroup)
                .containsExactly("billing-blue", "orders-blue", "catalog-blue");
        assertThat(seed.images()).containsEntry("ghcr.io/ecsbluegreen/greeter:9.9.9-broken", "never-healthy");
        assertThat(seed.events().queue()).as("the demo runs with events on").isEqualTo("bluegreen-events");
        assertThat(seed.events().buckets()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            events without a queue      | "events: {buckets: [specs]}"             | seed.yaml:3:1: events.queue: required field 'queue' is missing
            a queue name SQS refuses    | "events: {queue: bluegreen.events}"      | seed.yaml:3:17: events.queue: 'bluegreen.events' is not 1 to 80 letters, digits, hyphens or underscores (a standard SQS queue)
            a FIFO queue                | "events: {queue: bluegreen-events.fifo}" | seed.yaml:3:17: events.queue: 'bluegreen-events.fifo' is not 1 to 80 letters, digits, hyphens or underscores (a standard SQS queue)
            a queue name too long       | "events: {queue: QUEUE81}"               | seed.yaml:3:17: events.queue: 'qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq...' is not 1 to 80 letters, digits, hyphens or underscores (a standard SQS queue)
            a misspelt field            | "events: {queue: q, bucket: [specs]}"    | seed.yaml:3:20: events.bucket: unknown field 'bucket' in events; did you mean 'buckets'?
            buckets that are not a list | "events: {queue: q, buckets: specs}"     | seed.yaml:3:29: events.buckets: expected a list, got the string 'specs'
            """)
    void aBrokenEventsQueueIsReportedWithFileLineAndField(String what, String line, String expected) {
        String yaml = "apiVersion: sim.ecsbluegreen.io/v1alpha1\nkind: SimulatorSeed\n" + line.replace("QUEUE81", "q".repeat(81)) + "\n";
        SeedLoader.Result result = SeedLoader.load("seed.yaml", yaml.getBytes(StandardCharsets.UTF_8));
        assertThat(result.seed()).isNull();
        assertThat(result.errors()).extracting(Object::toString).containsExactly(expected);
    }

    @Test
    void aBrokenSeedIsReportedWithLineAndField() {
        String yaml = """
                apiVersion: sim.ecsbluegreen.io/v1alpha1
                kind: SimulatorSeed
                targetGroups:
                  - name: web-blue
                    healthCheckIntervall: 10s
                """;
        SeedLoader.Result result = SeedLoader.load("seed.yaml", yaml.getBytes(StandardCharsets.UTF_8));
        assertThat(result.seed()).isNull();
        assertThat(result.errors()).extracting(Object::toString).containsExactly(
                "seed.yaml:5:5: targetGroups[0].healthCheckIntervall: unknown field 'healthCheckIntervall' in targetGroups[0]; did you mean 'healthCheckInterval'?");
    }
}

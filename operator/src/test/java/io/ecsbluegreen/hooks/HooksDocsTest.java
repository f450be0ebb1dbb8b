package io.ecsbluegreen.hooks;

import io.ecsbluegreen.plan.HookCall;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.model.FailurePolicy;
import io.ecsbluegreen.model.HookSpec;
import io.ecsbluegreen.model.HttpHook;
import io.ecsbluegreen.model.LambdaHook;
import io.ecsbluegreen.model.TaskHook;
import io.ecsbluegreen.spec.ParsedFile;
import io.ecsbluegreen.spec.SpecParser;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/hooks.md and examples/hooks/ say what the code does: the payload's fields, the hook fields, a valid snippet. */
class HooksDocsTest {
    final ObjectMapper json = new ObjectMapper();

    static String read(String file) throws IOException {
        return Files.readString(Path.of(file));
    }

    /** The fenced blocks of a language in a markdown text, in order. */
    static List<String> blocks(String markdown, String language) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?ms)^```" + language + "\\n(.*?)^```").matcher(markdown);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    static String section(String markdown, String heading) {
        int start = markdown.indexOf("\n" + heading + "\n");
        assertThat(start).as("docs/hooks.md has a section " + heading).isNotNegative();
        int end = markdown.indexOf("\n## ", start + heading.length() + 2);
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }

    @Test
    void theLambdaPayloadExampleHasExactlyTheFieldsTheRunnerSendsInTheirOrderAndEachIsExplained() throws IOException {
        String payloadSection = section(read("../docs/hooks.md"), "## The Lambda payload");
        String example = blocks(payloadSection, "json").get(0);
        HookSpec hook = new HookSpec("smoke", Duration.ofMinutes(5), FailurePolicy.ROLLBACK,
                new LambdaHook("orders-smoke-test", null, Duration.ofSeconds(30)), null, null);
        try (HookRunner runner = new HookRunner((f, q, p) -> null, null /* no task hooks here */, arn -> new EndpointResolver.Endpoint("http://lb:80", null),
                HttpClient.newHttpClient(), Clock.systemUTC(), (s, r) -> { }, s -> { }, 1)) {
            String sent = runner.payload(new HookCall("orders", "r-5d41402abc4b", "afterAllowTestTraffic", 0, hook, "demo", "orders",
                    "arn:aws:ecs:us-east-1:123456789012:task-set/demo/orders/ecs-svc/1", "production-arn", "test-arn", null), 1);
            List<String> documented = new ArrayList<>();
            json.readTree(example).fieldNames().forEachRemaining(documented::add);
            List<String> actual = new ArrayList<>();
            json.readTree(sent).fieldNames().forEachRemaining(actual::add);
            assertThat(documented).isEqualTo(actual);
            for (String field : actual) {
                assertThat(payloadSection).as("the payload table explains " + field).contains("\n| `" + field + "` |");
            }
        }
    }

    @Test
    void everyFieldOfTheHookModelIsDescribedInItsTable() throws IOException {
        String doc = read("../docs/hooks.md");
        for (Class<?> record : List.of(HookSpec.class, LambdaHook.class, HttpHook.class, TaskHook.class)) {
            for (RecordComponent c : record.getRecordComponents()) {
                assertThat(doc).as("docs/hooks.md describes " + record.getSimpleName() + "." + c.getName())
                        .contains("\n| `" + c.getName() + "` |");
            }
        }
    }

    @Test
    void theHooksSnippetOfTheExampleReadmeIsValidInTheOrdersService() throws IOException {
        String snippet = blocks(read("../examples/hooks/README.md"), "yaml").stream().filter(b -> b.startsWith("hooks:")).findFirst()
                .orElseThrow(() -> new AssertionError("examples/hooks/README.md has no `hooks:` snippet"));
        String orders = read("../examples/strategies/linear.yaml");
        assertThat(orders).contains("\n  strategy:\n");
        String yaml = orders.replace("\n  strategy:\n", "\n" + snippet.indent(2) + "  strategy:\n");

        ParsedFile parsed = new SpecParser().parse("orders-with-hooks.yaml", yaml.getBytes(StandardCharsets.UTF_8));

        assertThat(parsed.errors()).as(yaml).isEmpty();
        BlueGreenService orders2 = parsed.services().get(0).service();
        assertThat(orders2.spec().hooks().afterAllowTestTraffic()).extracting(HookSpec::name).containsExactly("smoke");
        assertThat(orders2.spec().hooks().afterAllowTraffic()).extracting(HookSpec::name).containsExactly("smoke-production");
        assertThat(orders2.spec().traffic().test().ruleArn()).as("the example relies on the test rule's Host").isNotNull();
    }

    @Test
    void theReadmeListsHooksMd() throws IOException {
        assertThat(read("../README.md")).contains("docs/hooks.md");
    }
}

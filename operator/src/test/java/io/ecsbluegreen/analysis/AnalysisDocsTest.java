package io.ecsbluegreen.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.model.AnalysisCheck;
import io.ecsbluegreen.model.AnalysisSpec;
import io.ecsbluegreen.model.NoDataPolicy;
import io.ecsbluegreen.spec.ParsedFile;
import io.ecsbluegreen.spec.SpecParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/analysis.md's YAML is valid, and the parser gives checks the defaults the runner relies on. */
class AnalysisDocsTest {

    private static final Pattern YAML = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL);

    private static List<String> yamlBlocks() throws IOException {
        Matcher m = YAML.matcher(Files.readString(Path.of("../docs/analysis.md")));
        List<String> blocks = new ArrayList<>();
        while (m.find()) blocks.add(m.group(1));
        return blocks;
    }

    private static ParsedFile parse(String yaml) {
        return new SpecParser().parse("analysis.md", yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theFullExampleIsAValidServiceAndItsChecksGetTheirDefaults() throws IOException {
        String service = yamlBlocks().get(0);
        ParsedFile parsed = parse(service);

        assertThat(parsed.errors()).isEmpty();
        AnalysisSpec analysis = parsed.services().get(0).service().spec().analysis();
        assertThat(analysis.checks()).extracting(AnalysisCheck::name)
                .containsExactly("error-rate", "latency", "enough-traffic", "app-errors", "smoke");
        AnalysisCheck latency = analysis.checks().get(1);
        assertThat(latency.failureLimit()).isEqualTo(1);
        assertThat(latency.noData()).isEqualTo(NoDataPolicy.FAIL);
        assertThat(latency.interval()).isNull();
        assertThat(Checks.interval(latency, analysis)).isEqualTo(Duration.ofMinutes(1));
        AnalysisCheck smoke = analysis.checks().get(4);
        assertThat(smoke.httpProbe().timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(Checks.kind(smoke)).isEqualTo(Checks.HTTP_PROBE);
        assertThat(Checks.threshold(smoke).text()).isEqualTo(">= 1");
    }

    @Test
    void everyAnalysisFragmentIsValidInThatService() throws IOException {
        List<String> blocks = yamlBlocks();
        String service = blocks.get(0);
        String base = service.substring(0, service.indexOf("\n  analysis:\n") + 1);
        List<String> fragments = blocks.subList(1, blocks.size());

        assertThat(fragments).hasSizeGreaterThanOrEqualTo(2).allSatisfy(f -> assertThat(f).startsWith("analysis:\n"));
        for (String fragment : fragments) {
            ParsedFile parsed = parse(base + fragment.indent(2));
            assertThat(parsed.errors()).as(fragment).isEmpty();
            for (AnalysisCheck check : parsed.services().get(0).service().spec().analysis().checks()) {
                assertThat(check.failureLimit()).isNotNull();
                assertThat(check.noData()).isNotNull();
            }
        }
    }
}

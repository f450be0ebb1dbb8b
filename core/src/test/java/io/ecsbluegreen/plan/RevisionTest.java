package io.ecsbluegreen.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.model.BlueGreenServiceSpec;
import io.ecsbluegreen.spec.ParsedFile;
import io.ecsbluegreen.spec.SpecParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RevisionTest {

    static String greeter() throws IOException {
        return Files.readString(Path.of("examples/greeter/greeter.yaml"));
    }

    static BlueGreenServiceSpec spec(String yaml) {
        ParsedFile parsed = new SpecParser().parse("greeter.yaml", yaml.getBytes(StandardCharsets.UTF_8));
        assertThat(parsed.errors()).isEmpty();
        return parsed.services().get(0).service().spec();
    }

    @Test
    void theSameContentWrittenDifferentlyIsTheSameRevision() throws IOException {
        String yaml = greeter();
        String reordered = yaml
                .replace("          GREETING: Hello World\n          PAGE_COLOR: green\n", "          PAGE_COLOR: green\n          GREETING: \"Hello World\"\n")
                .replace("        healthCheck:\n          command: [CMD-SHELL, \"wget -qO- http://localhost:8080/health || exit 1\"]\n          interval: 10s\n",
                        "        healthCheck:\n          interval: 10000ms\n          command:\n            - CMD-SHELL\n            - wget -qO- http://localhost:8080/health || exit 1\n");
        assertThat(reordered).isNotEqualTo(yaml);
        assertThat(Revision.of(spec(reordered))).isEqualTo(Revision.of(spec(yaml)));
        assertThat(Revision.of(spec(yaml)).id()).matches("r-[0-9a-f]{12}");
    }

    @Test
    void writingADefaultOutIsTheSameRevisionAsLeavingItOut() throws IOException {
        String yaml = greeter();
        String explicit = yaml.replace("      - name: web\n", "      - name: web\n        essential: true\n");
        assertThat(Revision.of(spec(explicit))).isEqualTo(Revision.of(spec(yaml)));
    }

    @Test
    void aChangedImageOrEnvironmentOrNetworkIsANewRevision() throws IOException {
        String yaml = greeter();
        Revision v1 = Revision.of(spec(yaml));
        assertThat(Revision.of(spec(yaml.replace("greeter:1.0.0", "greeter:2.0.0")))).isNotEqualTo(v1);
        assertThat(Revision.of(spec(yaml.replace("GREETING: Hello World", "GREETING: Bonjour")))).isNotEqualTo(v1);
        assertThat(Revision.of(spec(yaml.replace("securityGroups: [sg-0123456789abcdef0]", "securityGroups: [sg-0123456789abcdef1]")))).isNotEqualTo(v1);
    }

    @Test
    void scalingOrChangingTheStrategyIsNotARollout() throws IOException {
        String yaml = greeter();
        Revision v1 = Revision.of(spec(yaml));
        assertThat(Revision.of(spec(yaml.replace("desiredCount: 2", "desiredCount: 6")))).isEqualTo(v1);
        assertThat(Revision.of(spec(yaml.replace("bakeTime: 30s", "bakeTime: 5m")))).isEqualTo(v1);
        assertThat(Revision.of(spec(yaml.replace("    team: web\n", "    team: platform\n")))).isEqualTo(v1);
    }
}

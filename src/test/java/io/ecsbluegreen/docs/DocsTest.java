package io.ecsbluegreen.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.config.OperatorConfig;
import io.ecsbluegreen.spec.SpecReference;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The docs that describe generated or enumerable things must list all of them. */
class DocsTest {

    static List<String> properties(Class<?> group, String prefix) {
        List<String> out = new ArrayList<>();
        for (Method m : group.getDeclaredMethods()) {
            if (m.isSynthetic() || m.isDefault()) continue;
            String name = prefix + "." + m.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
            if (m.getReturnType().isInterface() && m.getReturnType().getEnclosingClass() == OperatorConfig.class) {
                out.addAll(properties(m.getReturnType(), name));
            } else {
                out.add(name);
            }
        }
        return out;
    }

    @Test
    void configurationMdDocumentsEveryBluegreenProperty() throws IOException {
        String doc = Files.readString(Path.of("docs/configuration.md"));
        List<String> properties = properties(OperatorConfig.class, "bluegreen");
        assertThat(properties).contains("bluegreen.sources", "bluegreen.sync.interval", "bluegreen.aws.endpoint-override");
        for (String property : properties) {
            assertThat(doc).as("docs/configuration.md documents " + property).contains("`" + property + "`");
        }
    }

    @Test
    void specMdCarriesTheCurrentGeneratedFieldReference() throws IOException {
        String doc = Files.readString(Path.of("docs/spec.md"));
        assertThat(doc).as("docs/spec.md reference is stale: regenerate it with `bin/bluegreen schema --markdown`")
                .contains(SpecReference.BEGIN + "\n\n" + SpecReference.markdown() + SpecReference.END);
    }
}

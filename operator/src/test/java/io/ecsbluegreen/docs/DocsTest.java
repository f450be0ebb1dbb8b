package io.ecsbluegreen.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecsbluegreen.config.OperatorConfig;
import io.ecsbluegreen.spec.SpecReference;
import java.io.IOException;
import io.smallrye.config.WithName;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The docs that describe generated or enumerable things must list all of them. */
class DocsTest {

    /**
     * The property names of a config group: {@code @WithName} or the method's name in kebab case; nested
     * groups recursively, lists of groups as {@code name[n].member}; inherited members included.
     */
    static List<String> properties(Class<?> group, String prefix) {
        List<String> out = new ArrayList<>();
        for (Method m : group.getMethods()) {
            if (m.isSynthetic() || m.isDefault() || Modifier.isStatic(m.getModifiers())) continue;
            WithName named = m.getAnnotation(WithName.class);
            String name = prefix + "." + (named != null ? named.value()
                    : m.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase());
            Class<?> element = listElement(m);
            if (isGroup(m.getReturnType())) {
                out.addAll(properties(m.getReturnType(), name));
            } else if (element != null && isGroup(element)) {
                out.addAll(properties(element, name + "[n]"));
            } else {
                out.add(name);
            }
        }
        return out;
    }

    private static boolean isGroup(Class<?> type) {
        return type.isInterface() && type.getEnclosingClass() == OperatorConfig.class;
    }

    private static Class<?> listElement(Method m) {
        if (m.getReturnType() != List.class || !(m.getGenericReturnType() instanceof ParameterizedType)) return null;
        Type arg = ((ParameterizedType) m.getGenericReturnType()).getActualTypeArguments()[0];
        return arg instanceof Class ? (Class<?>) arg : null;
    }

    @Test
    void configurationMdDocumentsEveryBluegreenProperty() throws IOException {
        String doc = Files.readString(Path.of("../docs/configuration.md"));
        List<String> properties = properties(OperatorConfig.class, "bluegreen");
        assertThat(properties).contains("bluegreen.sources", "bluegreen.sync.interval", "bluegreen.aws.endpoint-override",
                "bluegreen.notify.webhooks[n].url", "bluegreen.notify.webhooks[n].max-attempts", "bluegreen.notify.sns[n].topic-arn");
        for (String property : properties) {
            assertThat(doc).as("docs/configuration.md documents " + property).contains("`" + property + "`");
        }
    }

    @Test
    void specMdCarriesTheCurrentGeneratedFieldReference() throws IOException {
        String doc = Files.readString(Path.of("../docs/spec.md"));
        assertThat(doc).as("docs/spec.md reference is stale: regenerate it with `bin/bluegreen schema --markdown`")
                .contains(SpecReference.BEGIN + "\n\n" + SpecReference.markdown() + SpecReference.END);
    }
}

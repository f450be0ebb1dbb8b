package io.ecsbluegreen.spec;

import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Resolves plain scalars by the YAML 1.2 core schema (YAML 1.2.2, section 10.3.2) instead of SnakeYAML's
 * YAML 1.1 rules, which surprise in a deployment spec: {@code yes}, {@code no}, {@code on}, {@code off}
 * and {@code y} are strings, not booleans; {@code 010} is ten, not eight; {@code 1_000}, {@code 0b101},
 * {@code 1:30} and dates are strings. Integers in {@code 0x} and {@code 0o} notation are integers as the
 * core schema says; the binder then asks for decimal in numeric fields (see {@link YamlValues#decimal}).
 * The merge key {@code <<} is kept, a YAML 1.1 type that files in the wild use.
 */
final class CoreSchemaResolver extends Resolver {
    static final Pattern CORE_BOOL = Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$");
    static final Pattern CORE_INT = Pattern.compile("^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$");
    static final Pattern CORE_FLOAT = Pattern.compile(
            "^(?:[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$");
    static final Pattern CORE_NULL = Pattern.compile("^(?:~|null|Null|NULL)$");

    @Override
    protected void addImplicitResolvers() {
        // order matters for a first character shared by several: an integer is tried before a float
        addImplicitResolver(Tag.BOOL, CORE_BOOL, "tfTF", 10);
        addImplicitResolver(Tag.INT, CORE_INT, "-+0123456789");
        addImplicitResolver(Tag.FLOAT, CORE_FLOAT, "-+0123456789.");
        addImplicitResolver(Tag.MERGE, MERGE, "<", 10);
        addImplicitResolver(Tag.NULL, CORE_NULL, "~nN\0", 10);
        addImplicitResolver(Tag.NULL, EMPTY, null, 10);
    }
}

package io.ecsbluegreen.spec;

import io.ecsbluegreen.model.BlueGreenService;
import io.ecsbluegreen.model.Patterns;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Turns the bytes of one desired-state file into validated {@link BlueGreenService}s, or into the
 * complete list of what is wrong with it. Pure and thread-safe.
 *
 * <p>Documents of other kinds are skipped, so a GitOps repository can keep other manifests beside ours:
 * a document is ours when its {@code apiVersion} is in the {@code ecsbluegreen.io} group or its
 * {@code kind} is {@code BlueGreenService}.
 */
public final class SpecParser {
    private final YamlDocuments yaml;

    public SpecParser(YamlDocuments.Limits limits) {
        this.yaml = new YamlDocuments(limits);
    }

    public SpecParser() {
        this(YamlDocuments.Limits.DEFAULT);
    }

    public ParsedFile parse(String file, byte[] content) {
        YamlDocuments.Result read = yaml.read(file, content);
        if (!read.errors().isEmpty()) {
            return new ParsedFile(file, List.of(), read.errors(), List.of(), 0);
        }
        List<DeclaredService> services = new ArrayList<>();
        List<SpecError> errors = new ArrayList<>();
        List<String> invalidNames = new ArrayList<>();
        int foreign = 0;
        for (Node document : read.documents()) {
            if (!isOurs(document)) {
                foreign++;
                continue;
            }
            List<SpecError> documentErrors = new ArrayList<>();
            SpecBinder.Bound<BlueGreenService> bound = SpecBinder.bind(file, document, BlueGreenService.class);
            documentErrors.addAll(bound.errors());
            if (documentErrors.isEmpty()) {
                documentErrors.addAll(SemanticValidator.check(file, bound.value(), bound.positions()));
            }
            if (documentErrors.isEmpty()) {
                Mark at = bound.positions().getOrDefault("metadata.name", document.getStartMark());
                services.add(new DeclaredService(bound.value(), file, at.getLine() + 1));
            } else {
                errors.addAll(documentErrors);
                // A name that fails validation is never reported by name: it would become an API path, a
                // dashboard row and a metric label (one bad batch once made hundreds of series). The
                // file's errors still say what is wrong with it.
                readableName(document).filter(SpecParser::acceptableName).ifPresent(invalidNames::add);
            }
        }
        return new ParsedFile(file, errors.isEmpty() ? services : List.of(), errors, invalidNames, foreign);
    }

    /** Whether {@code name} is a valid {@code metadata.name}, and so may key an API path or label a metric. */
    public static boolean acceptableName(String name) {
        return name != null && name.length() <= 63 && Regexes.matches(Patterns.OBJECT_NAME, name);
    }

    private static boolean isOurs(Node document) {
        String apiVersion = topLevelText(document, "apiVersion").orElse("");
        String kind = topLevelText(document, "kind").orElse("");
        return apiVersion.startsWith(BlueGreenService.API_GROUP + "/") || kind.equals(BlueGreenService.KIND);
    }

    private static java.util.Optional<String> readableName(Node document) {
        if (document instanceof MappingNode root) {
            for (NodeTuple t : YamlValues.entries(root)) {
                if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("metadata")) {
                    return topLevelText(t.getValueNode(), "name");
                }
            }
        }
        return java.util.Optional.empty();
    }

    private static java.util.Optional<String> topLevelText(Node node, String key) {
        if (node instanceof MappingNode m) {
            for (NodeTuple t : YamlValues.entries(m)) {
                if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)
                        && t.getValueNode() instanceof ScalarNode v && YamlValues.scalar(v) instanceof String s) {
                    return java.util.Optional.of(s);
                }
            }
        }
        return java.util.Optional.empty();
    }
}

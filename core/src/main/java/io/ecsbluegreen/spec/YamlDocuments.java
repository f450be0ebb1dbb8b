package io.ecsbluegreen.spec;

import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Reads a multi-document YAML file into node trees, safely: no object construction at all (only the
 * node graph, so no custom type is ever instantiated), standard tags only, a cap on size, documents,
 * nesting and alias expansion (against "billion laughs"), positions kept for every error, and plain
 * scalars resolved by the YAML 1.2 core schema ({@link CoreSchemaResolver}).
 */
public final class YamlDocuments {

    /** Limits against hostile or accidental monster files. */
    public record Limits(int maxBytes, int maxDocuments, int maxAliases, int maxDepth) {
        public static final Limits DEFAULT = new Limits(1024 * 1024, 100, 50, 40);
    }

    /** The outcome: the documents read (empty ones dropped) and the errors that stopped the reading. */
    public record Result(List<Node> documents, List<SpecError> errors) {}

    private static final Set<Tag> ALLOWED_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.MAP,
            Tag.SEQ, Tag.TIMESTAMP, Tag.MERGE);

    private final Limits limits;

    public YamlDocuments(Limits limits) {
        this.limits = limits;
    }

    /** Reads every document of {@code content}; {@code file} is only used in messages. */
    public Result read(String file, byte[] content) {
        List<SpecError> errors = new ArrayList<>();
        if (content.length > limits.maxBytes()) {
            errors.add(new SpecError(file, 0, 0, "", "file is " + content.length + " bytes, over the limit of "
                    + limits.maxBytes() + " bytes"));
            return new Result(List.of(), errors);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content))
                    .toString();
        } catch (CharacterCodingException e) {
            errors.add(new SpecError(file, 0, 0, "", "file is not valid UTF-8"));
            return new Result(List.of(), errors);
        }
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(limits.maxAliases());
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(limits.maxDepth());
        options.setCodePointLimit(limits.maxBytes());
        options.setProcessComments(false);
        DumperOptions dumper = new DumperOptions();
        Yaml yaml = new Yaml(new SafeConstructor(options), new Representer(dumper), dumper, options, new CoreSchemaResolver());
        List<Node> documents = new ArrayList<>();
        try {
            for (Node node : yaml.composeAll(new StringReader(text))) {
                if (node == null || isEmptyDocument(node)) {
                    continue;
                }
                if (documents.size() == limits.maxDocuments()) {
                    errors.add(at(file, node.getStartMark(), "more than " + limits.maxDocuments() + " documents in one file"));
                    return new Result(List.of(), errors);
                }
                checkTags(file, node, errors, new IdentityHashMap<>());
                documents.add(node);
            }
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            String context = e.getContext() != null ? e.getContext() + ": " : "";
            errors.add(at(file, mark, "invalid YAML: " + context + problem.strip()));
        } catch (YAMLException e) {
            String message = e.getMessage().strip();
            if (message.startsWith("Number of aliases")) {
                message = "more than " + limits.maxAliases() + " aliases to lists or mappings; refusing what looks like a YAML bomb";
            } else if (message.startsWith("Nesting Depth exceeded")) {
                message = "nested deeper than " + limits.maxDepth() + " levels";
            } else if (message.startsWith("The incoming YAML document exceeds the limit")) {
                message = "file is over the limit of " + limits.maxBytes() + " characters";
            }
            errors.add(new SpecError(file, 0, 0, "", "invalid YAML: " + message));
        }
        return errors.isEmpty() ? new Result(documents, errors) : new Result(List.of(), errors);
    }

    /** One trusted snippet (a model default) read by the same scalar rules as the files. */
    static Node composeTrusted(String text) {
        LoaderOptions options = new LoaderOptions();
        DumperOptions dumper = new DumperOptions();
        return new Yaml(new SafeConstructor(options), new Representer(dumper), dumper, options, new CoreSchemaResolver())
                .compose(new StringReader(text));
    }

    private static boolean isEmptyDocument(Node node) {
        return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL) && s.getValue().isEmpty();
    }

    // Composition alone never constructs objects, but a tagged node would still be an instruction we
    // cannot honour; rejecting it beats silently reading "!!python/object" as a plain mapping.
    private static void checkTags(String file, Node node, List<SpecError> errors, IdentityHashMap<Node, Boolean> seen) {
        if (seen.put(node, Boolean.TRUE) != null) {
            return;
        }
        if (!ALLOWED_TAGS.contains(node.getTag())) {
            errors.add(at(file, node.getStartMark(), "YAML tag '" + node.getTag().getValue()
                    + "' is not allowed; only plain strings, numbers, booleans, lists and mappings are"));
        }
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                checkTags(file, t.getKeyNode(), errors, seen);
                checkTags(file, t.getValueNode(), errors, seen);
            }
        } else if (node instanceof SequenceNode s) {
            for (Node item : s.getValue()) {
                checkTags(file, item, errors, seen);
            }
        }
    }

    static SpecError at(String file, Mark mark, String message) {
        return at(file, mark, "", message);
    }

    static SpecError at(String file, Mark mark, String path, String message) {
        return mark == null
                ? new SpecError(file, 0, 0, path, message)
                : new SpecError(file, mark.getLine() + 1, mark.getColumn() + 1, path, message);
    }
}

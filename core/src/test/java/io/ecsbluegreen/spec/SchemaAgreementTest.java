package io.ecsbluegreen.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The published schemas and the Java validation must agree: every example passes both; every invalid
 * fixture fails the Java validation and also the schema, except the fixtures marked {@code # schema:
 * accepts}, whose mistakes only cross-field rules can see (and which the schema must then accept, or
 * the mark is stale), and {@code # schema: n/a}, which are not YAML a schema can look at.
 */
class SchemaAgreementTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonSchema schema(Map<String, Object> tree) {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(JSON.valueToTree(tree));
    }

    private static JsonNode toJson(Node node) {
        return JSON.valueToTree(YamlValues.plain(node));
    }

    private static List<Node> documents(String file, byte[] bytes) {
        YamlDocuments.Result read = new YamlDocuments(YamlDocuments.Limits.DEFAULT).read(file, bytes);
        assertThat(read.errors()).as(file).isEmpty();
        return read.documents();
    }

    @Test
    void theCommittedJsonSchemaIsTheOneTheModelGenerates() throws IOException {
        assertThat(Files.readString(Path.of("crds/bluegreenservice.schema.json")))
                .as("crds/bluegreenservice.schema.json is stale: run `bin/bluegreen schema > crds/bluegreenservice.schema.json`")
                .isEqualTo(SchemaWriter.json(SchemaGenerator.jsonSchema()));
    }

    @Test
    void theCommittedCrdIsTheOneTheModelGenerates() throws IOException {
        assertThat(Files.readString(Path.of("crds/bluegreenservice.crd.yaml")))
                .as("crds/bluegreenservice.crd.yaml is stale: run `bin/bluegreen schema --crd > crds/bluegreenservice.crd.yaml`")
                .isEqualTo(SchemaWriter.yaml(SchemaGenerator.crd()));
    }

    @Test
    void everyExamplePassesTheJsonSchemaAndTheCrdSchema() throws IOException {
        JsonSchema jsonSchema = schema(SchemaGenerator.jsonSchema());
        @SuppressWarnings("unchecked")
        Map<String, Object> openApi = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                ((List<Map<String, Object>>) ((Map<String, Object>) SchemaGenerator.crd().get("spec")).get("versions"))
                        .get(0).get("schema")).get("openAPIV3Schema"));
        JsonSchema crdSchema = schema(openApi);
        for (Path file : ExamplesTest.exampleFiles()) {
            for (Node document : documents(file.toString(), Files.readAllBytes(file))) {
                assertThat(jsonSchema.validate(toJson(document))).as(file + " against the JSON Schema").isEmpty();
                assertThat(crdSchema.validate(toJson(document))).as(file + " against the CRD schema").isEmpty();
            }
        }
    }

    static List<InvalidFixturesTest.Fixture> fixtures() throws IOException {
        return InvalidFixturesTest.fixtures().toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void theSchemaAndTheValidatorAgreeOnEachInvalidFixture(InvalidFixturesTest.Fixture fixture) {
        byte[] bytes = fixture.text().getBytes(StandardCharsets.UTF_8);
        assertThat(new SpecParser().parse("f.yaml", bytes).valid()).as("the validator rejects it").isFalse();
        switch (fixture.schemaVerdict()) {
            case "n/a" -> assertThat(new YamlDocuments(YamlDocuments.Limits.DEFAULT).read("f.yaml", bytes).errors())
                    .as("n/a is only for files that are not readable YAML").isNotEmpty();
            case "rejects", "accepts" -> {
                JsonSchema jsonSchema = schema(SchemaGenerator.jsonSchema());
                List<ValidationMessage> messages = new ArrayList<>();
                for (Node document : documents("f.yaml", bytes)) {
                    Set<ValidationMessage> found = jsonSchema.validate(toJson(document));
                    messages.addAll(found);
                }
                if (fixture.schemaVerdict().equals("rejects")) {
                    assertThat(messages).as("the JSON Schema rejects it too").isNotEmpty();
                } else {
                    assertThat(messages).as("only a cross-field rule can see this mistake").isEmpty();
                }
            }
            default -> throw new IllegalStateException("unknown schema verdict " + fixture.schemaVerdict());
        }
    }
}

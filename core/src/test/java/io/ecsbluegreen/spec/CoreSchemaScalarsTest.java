package io.ecsbluegreen.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Plain scalars read by the YAML 1.2 core schema; numbers in numeric fields in decimal and in range. */
class CoreSchemaScalarsTest {

    static ParsedFile parse(String from, String to) throws IOException {
        String yaml = Files.readString(Path.of("operator/src/test/resources/operator-sources/shop.yaml"));
        assertThat(yaml).contains(from);
        return new SpecParser().parse("shop.yaml", yaml.replace(from, to).getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "desiredCount: {0}")
    @CsvSource(delimiter = '|', textBlock = """
            0x10                 | shop.yaml:7:17: spec.desiredCount: 0x10 is written in hexadecimal; write numbers in decimal (16)
            0o20                 | shop.yaml:7:17: spec.desiredCount: 0o20 is written in octal; write numbers in decimal (16)
            99999999999999999999 | shop.yaml:7:17: spec.desiredCount: 99999999999999999999 is out of range; must be between 1 and 5000
            3000000000           | shop.yaml:7:17: spec.desiredCount: 3000000000 is out of range; must be between 1 and 5000
            -99999999999999999999| shop.yaml:7:17: spec.desiredCount: -99999999999999999999 is out of range; must be between 1 and 5000
            1_000                | shop.yaml:7:17: spec.desiredCount: expected a whole number, got the string '1_000'
            1:30                 | shop.yaml:7:17: spec.desiredCount: expected a whole number, got the string '1:30'
            yes                  | shop.yaml:7:17: spec.desiredCount: expected a whole number, got the string 'yes'
            """)
    void aCountWrittenOtherThanAsADecimalInRangeIsRefusedWithItsPlace(String value, String error) throws IOException {
        ParsedFile parsed = parse("  cluster: prod\n", "  cluster: prod\n  desiredCount: " + value + "\n");
        assertThat(parsed.errors()).extracting(SpecError::toString).containsExactly(error);
    }

    @ParameterizedTest(name = "desiredCount: {0} is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            16   | 16
            010  | 10
            +7   | 7
            """)
    void decimalCountsReadAsTheCoreSchemaSays(String value, int count) throws IOException {
        ParsedFile parsed = parse("  cluster: prod\n", "  cluster: prod\n  desiredCount: " + value + "\n");
        assertThat(parsed.errors()).isEmpty();
        assertThat(parsed.services().get(0).service().spec().desiredCount()).isEqualTo(count);
    }

    @ParameterizedTest(name = "essential: {0}")
    @CsvSource(delimiter = '|', textBlock = """
            yes   | expected true or false, got the string 'yes'
            on    | expected true or false, got the string 'on'
            y     | expected true or false, got the string 'y'
            """)
    void yamlOnePointOneBooleansAreStrings(String value, String message) throws IOException {
        ParsedFile parsed = parse("        image: nginx:1.27\n", "        image: nginx:1.27\n        essential: " + value + "\n");
        assertThat(parsed.errors()).extracting(SpecError::message).containsExactly(message);
    }

    @ParameterizedTest(name = "essential: {0}")
    @CsvSource({"true,true", "True,true", "TRUE,true"})
    void coreSchemaBooleansAreBooleans(String value, boolean expected) throws IOException {
        ParsedFile parsed = parse("        image: nginx:1.27\n", "        image: nginx:1.27\n        essential: " + value + "\n");
        assertThat(parsed.errors()).isEmpty();
        assertThat(parsed.services().get(0).service().spec().taskDefinition().containers().get(0).essential()).isEqualTo(expected);
    }
}

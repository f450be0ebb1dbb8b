package io.ecsbluegreen.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The one tag-value encoder, against the pattern ECS and ELBv2 document. */
class TagsTest {
    /** The documented pattern (ECS Tag.value, ELBv2 Tag.Value) and length limit. */
    static final Pattern DOCUMENTED = Pattern.compile("^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$");

    static void assertValid(String value) {
        assertThat(value.length()).isLessThanOrEqualTo(256);
        assertThat(DOCUMENTED.matcher(value).matches()).as("matches the documented pattern: %s", value).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"GreenUnhealthy: green lost healthy targets while serving traffic (1 of 2 healthy)",
            "a, b; c", "<script>", "100%", "ends with …", "tab\there", "line\nbreak", "quote \" and '", "emoji 😀 here",
            "\u0000\u0007", "é ü 漢字 ٣", ""})
    void everyHostileTextBecomesAValidValue(String text) {
        assertValid(Tags.value(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"GreenUnhealthy: green lost healthy targets while serving traffic (1 of 2 healthy)",
            "analysis check error-rate failed 1 of 1 allowed time(s); last: 0.4 outside <= 0.05 (=50%)", "é 漢字 😀 \n", ""})
    void freeTextIsEncodedValidlyAndReadsBackAsWritten(String text) {
        String encoded = Tags.encodeText(text);
        assertValid(encoded);
        assertThat(Tags.value(encoded)).isEqualTo(encoded);
        assertThat(Tags.text(encoded)).isEqualTo(text);
    }

    @Test
    void longFreeTextIsCutBetweenTwoCharactersNeverInsideAnEscape() {
        String encoded = Tags.encodeText("(".repeat(100));
        assertValid(encoded);
        assertThat(Tags.text(encoded)).isEqualTo("(".repeat(85));
    }

    @Test
    void valuesTheOperatorBuildsPassUnchanged() {
        for (String v : new String[] {"r-0123456789ab", "ecs-svc/1234567890123:2@1700000000", "2.0", "shop", "17"}) {
            assertThat(Tags.value(v)).isEqualTo(v);
        }
    }

    @Test
    void seededRandomTextAlwaysBecomesAValidValueAndEncodingTwiceChangesNothing() {
        Random random = new Random(20261205);
        for (int i = 0; i < 2000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(400);
            for (int j = 0; j < length; j++) {
                int cp = random.nextInt(4) == 0 ? random.nextInt(0x1F700) : 32 + random.nextInt(95);
                if (cp >= 0xD800 && cp <= 0xDFFF) cp = '?';
                text.appendCodePoint(cp);
            }
            String value = Tags.value(text.toString());
            assertValid(value);
            assertThat(Tags.value(value)).isEqualTo(value);
        }
    }

    @Test
    void aLongTextIsCutToTwoHundredFiftySixCharactersWithoutAnEllipsisOrAHalfSurrogatePair() {
        assertThat(Tags.value("x".repeat(300))).isEqualTo("x".repeat(256));
        String cut = Tags.value("x".repeat(255) + "𝔘𝔘");
        assertValid(cut);
        assertThat(cut).isEqualTo("x".repeat(255));
    }

    @Test
    void aTagResourceActionHoldsOnlyValidValues() {
        Action.TagResource tag = new Action.TagResource("arn:x", java.util.Map.of(Tags.FAILED_REASON, "bad (1 of 2), 50% <x>"));
        assertValid(tag.tags().get(Tags.FAILED_REASON));
    }
}

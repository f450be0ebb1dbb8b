package io.ecsbluegreen.conformance;

import static io.ecsbluegreen.conformance.Refusal.refused;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.ecs.model.Tag;

/**
 * The tag rules the operator's tag values (revisions, rollout state) must keep. ECS TagResource
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TagResource.html): at most 50 tags per
 * resource, keys up to 128 and values up to 256 characters; allowed characters are letters, numbers, spaces
 * and {@code + - = . _ : / @} (model pattern {@code ^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$}). ELBv2 AddTags
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Tag.html) has the same pattern.
 * Checked on the probe service (ECS) and the unattached target group (ELBv2).
 */
@ExtendWith(OnAccount.class)
class TagRulesTest {
    static final String ALLOWED = "Rev 09 Ünï + - = . _ : / @";

    Fixture fixture;
    String service;

    @BeforeEach
    void setUp(Fixture fixture) {
        this.fixture = fixture;
        this.service = fixture.account.ecs().describeServices(r -> r.cluster(fixture.name).services(fixture.probeService))
                .services().get(0).serviceArn();
    }

    Map<String, String> ecsTags() {
        return fixture.account.ecs().listTagsForResource(r -> r.resourceArn(service)).tags().stream()
                .collect(Collectors.toMap(Tag::key, Tag::value));
    }

    void tagService(String key, String value) {
        fixture.account.ecs().tagResource(r -> r.resourceArn(service).tags(t -> t.key(key).value(value)));
    }

    void untagService(String... keys) {
        fixture.account.ecs().untagResource(r -> r.resourceArn(service).tagKeys(keys));
    }

    void tagGroup(String key, String value) {
        fixture.account.elb().addTags(r -> r.resourceArns(fixture.looseGroup).tags(t -> t.key(key).value(value)));
    }

    Map<String, String> groupTags() {
        return fixture.account.elb().describeTags(r -> r.resourceArns(fixture.looseGroup)).tagDescriptions().get(0).tags().stream()
                .collect(Collectors.toMap(t -> t.key(), t -> t.value()));
    }

    @Test
    void anEcsTagValueTakesLettersNumbersSpacesAndPlusMinusEqualsDotUnderscoreColonSlashAt() {
        tagService("bgconf-allowed", ALLOWED);
        assertThat(ecsTags()).containsEntry("bgconf-allowed", ALLOWED);
        untagService("bgconf-allowed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"(", ",", "<", "%", "…", "#", "!"})
    void anEcsTagValueWithAnyOtherCharacterIsRefused(String character) {
        refused(() -> tagService("bgconf-refused", "v1" + character + "2"));
        assertThat(ecsTags()).doesNotContainKey("bgconf-refused");
    }

    @Test
    void anEcsTagKeyTakes128CharactersAndNot129() {
        String longest = "k".repeat(128);
        tagService(longest, "v");
        assertThat(ecsTags()).containsKey(longest);
        untagService(longest);
        refused(() -> tagService("k".repeat(129), "v"));
    }

    @Test
    void anEcsTagValueTakes256CharactersAndNot257() {
        tagService("bgconf-long", "v".repeat(256));
        assertThat(ecsTags()).containsEntry("bgconf-long", "v".repeat(256));
        refused(() -> tagService("bgconf-long", "v".repeat(257)));
        assertThat(ecsTags()).as("the refused value changed nothing").containsEntry("bgconf-long", "v".repeat(256));
        untagService("bgconf-long");
    }

    @Test
    void anEcsResourceTakesFiftyTagsAndNotFiftyOne() {
        int present = ecsTags().size();
        List<String> added = new ArrayList<>();
        for (int i = present; i < 50; i++) added.add("bgconf-n" + i);
        fixture.account.ecs().tagResource(r -> r.resourceArn(service)
                .tags(added.stream().map(k -> Tag.builder().key(k).value("x").build()).toList()));
        assertThat(ecsTags()).hasSize(50);
        refused(() -> tagService("bgconf-n50", "x"));
        assertThat(ecsTags()).hasSize(50).doesNotContainKey("bgconf-n50");
        untagService(added.toArray(String[]::new));
    }

    @Test
    void anElbTagValueTakesTheSameCharactersAsEcs() {
        tagGroup("bgconf-allowed", ALLOWED);
        assertThat(groupTags()).containsEntry("bgconf-allowed", ALLOWED);
        fixture.account.elb().removeTags(r -> r.resourceArns(fixture.looseGroup).tagKeys("bgconf-allowed"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"(", ",", "<", "%", "…", "#", "!"})
    void anElbTagValueWithAnyOtherCharacterIsRefused(String character) {
        refused(() -> tagGroup("bgconf-refused", "v1" + character + "2"));
        assertThat(groupTags()).doesNotContainKey("bgconf-refused");
    }

    @Test
    void anElbTagValueTakes256CharactersAndNot257() {
        tagGroup("bgconf-long", "v".repeat(256));
        refused(() -> tagGroup("bgconf-long2", "v".repeat(257)));
        assertThat(groupTags()).containsEntry("bgconf-long", "v".repeat(256)).doesNotContainKey("bgconf-long2");
        fixture.account.elb().removeTags(r -> r.resourceArns(fixture.looseGroup).tagKeys("bgconf-long"));
    }
}

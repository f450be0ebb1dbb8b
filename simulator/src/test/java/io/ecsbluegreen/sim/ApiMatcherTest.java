package io.ecsbluegreen.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiMatcherTest {

    @Test
    void globsMatchServiceAndActionSeparately() {
        ApiMatcher describe = ApiMatcher.parse("elasticloadbalancing:Describe*");

        assertThat(describe.matches(new ApiAction("elasticloadbalancing", "DescribeTargetHealth"))).isTrue();
        assertThat(describe.matches(new ApiAction("elasticloadbalancing", "ModifyListener"))).isFalse();
        assertThat(describe.matches(new ApiAction("ecs", "DescribeServices"))).isFalse();
    }

    @Test
    void wildcardsMayStandAnywhereAndExactNamesMatchOnlyThemselves() {
        assertThat(ApiMatcher.parse("*:*Object").matches(new ApiAction("s3", "GetObject"))).isTrue();
        assertThat(ApiMatcher.parse("s3:Get*Obj*").matches(new ApiAction("s3", "GetObject"))).isTrue();
        assertThat(ApiMatcher.parse("s3:GetObject").matches(new ApiAction("s3", "GetObjectAcl"))).isFalse();
        assertThat(ApiMatcher.parse("s3:Get.bject").matches(new ApiAction("s3", "GetObject"))).isFalse();
        assertThat(ApiMatcher.any().matches(new ApiAction("sts", "AssumeRole"))).isTrue();
    }

    @Test
    void malformedMatchersAreRejected() {
        assertThatThrownBy(() -> ApiMatcher.parse("s3")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ApiMatcher.parse("s3:")).isInstanceOf(IllegalArgumentException.class);
    }
}

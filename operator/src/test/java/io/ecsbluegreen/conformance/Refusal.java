package io.ecsbluegreen.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** An AWS API call that must be refused as the client's fault (HTTP 400) by the API itself, not by IAM or for any other reason. */
final class Refusal {
    private Refusal() {}

    /** @return the refusal, for its error code */
    static AwsServiceException refused(ThrowingCallable call) {
        AwsServiceException e = catchThrowableOfType(AwsServiceException.class, call);
        assertThat(e).as("the call was refused").isNotNull();
        // A missing permission would be a refusal for the wrong reason: iam-policy.json lacks something.
        assertThat(code(e)).as("refused by the API, not by IAM: " + e.getMessage()).doesNotStartWith("AccessDenied")
                .isNotEqualTo("UnauthorizedOperation");
        assertThat(e.statusCode()).as(code(e) + ": " + e.getMessage()).isEqualTo(400);
        return e;
    }

    static String code(AwsServiceException e) {
        return e.awsErrorDetails().errorCode();
    }
}

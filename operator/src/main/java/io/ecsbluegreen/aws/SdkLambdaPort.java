package io.ecsbluegreen.aws;

import io.ecsbluegreen.hooks.LambdaPort;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;

/** {@link LambdaPort} over the SDK's Lambda client: a RequestResponse invoke. */
public final class SdkLambdaPort implements LambdaPort {
    private final LambdaClient lambda;

    public SdkLambdaPort(LambdaClient lambda) {
        this.lambda = lambda;
    }

    @Override
    public Answer invoke(String function, String qualifier, String payload) {
        var response = lambda.invoke(r -> {
            r.functionName(function).invocationType(InvocationType.REQUEST_RESPONSE).payload(SdkBytes.fromUtf8String(payload));
            if (qualifier != null) r.qualifier(qualifier);
        });
        return new Answer(response.functionError(), response.payload() == null ? null : response.payload().asUtf8String());
    }
}

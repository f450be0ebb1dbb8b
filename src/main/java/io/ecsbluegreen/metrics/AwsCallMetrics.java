package io.ecsbluegreen.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts every AWS API call the operator makes, as {@code bluegreen_aws_api_calls_total{api, operation,
 * outcome}} with outcome {@code success}, {@code throttled} or {@code error}. Installed on every SDK
 * client; one call is one operation as the operator sees it (the SDK's own retries included in it).
 */
public final class AwsCallMetrics implements ExecutionInterceptor {
    private final MeterRegistry registry;

    public AwsCallMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        count(attributes, "success");
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        Throwable e = context.exception();
        boolean throttled = e instanceof AwsServiceException aws && aws.isThrottlingException();
        count(attributes, throttled ? "throttled" : "error");
    }

    private void count(ExecutionAttributes attributes, String outcome) {
        String api = String.valueOf(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME));
        String operation = String.valueOf(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        Counter.builder("bluegreen.aws.api.calls")
                .description("AWS API calls made by the operator, by API, operation and outcome")
                .tag("api", api).tag("operation", operation).tag("outcome", outcome)
                .register(registry)
                .increment();
    }
}

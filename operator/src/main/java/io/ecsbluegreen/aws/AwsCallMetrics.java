package io.ecsbluegreen.aws;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.metrics.MetricCategory;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricCollector;
import software.amazon.awssdk.metrics.MetricLevel;
import software.amazon.awssdk.metrics.MetricPublisher;
import software.amazon.awssdk.metrics.SdkMetric;

/**
 * Counts the operator's AWS API calls and, apart from them, every attempt the SDK made for them.
 * Installed on every SDK client, both as an execution interceptor and as a metric publisher.
 *
 * <ul>
 *   <li>{@code bluegreen_aws_api_calls_total{api, operation, outcome}}: one per call as the operator sees
 *       it, its outcome the final one after the SDK's retries ({@code success}, {@code throttled},
 *       {@code error}).</li>
 *   <li>{@code bluegreen_aws_api_attempts_total{api, operation, outcome}}: one per HTTP attempt, retries
 *       included, with the same outcomes. A call throttled twice and then answered counts one successful
 *       call and three attempts, two of them throttled: only attempts show how hard AWS throttles.</li>
 * </ul>
 *
 * <p>The interceptor sees every attempt go out but never the error of an attempt that is retried: the SDK
 * classifies each attempt's error into its per-attempt metrics ({@link CoreMetric#ERROR_TYPE}, whose
 * {@code Throttling} is the SDK's own throttling test of the error code and status), which reach a metric
 * publisher when the call ends, on the calling thread. The interceptor adds the SDK's service name to the
 * call's metrics so that both counters carry the same {@code api} values.
 */
public final class AwsCallMetrics implements ExecutionInterceptor, MetricPublisher {
    /**
     * The SDK's service name of the call (e.g. {@code Ecs}), as the call counter labels it; the SDK's own
     * {@link CoreMetric#SERVICE_ID} spells it differently ({@code ECS}). SDK metrics are registered once
     * per JVM by name, hence a constant.
     */
    static final SdkMetric<String> API = apiMetric();

    /**
     * The SDK keeps metric names in a JVM-wide registry, but this class may be loaded again by another class
     * loader in the same JVM (an application restarted in-process, as test profiles do): that copy takes a
     * name of its own, which never leaves the process.
     */
    private static SdkMetric<String> apiMetric() {
        try {
            return SdkMetric.create("BlueGreenApi", String.class, MetricLevel.INFO, MetricCategory.CUSTOM);
        } catch (IllegalArgumentException alreadyCreated) {
            String loader = Integer.toHexString(System.identityHashCode(AwsCallMetrics.class.getClassLoader()));
            return SdkMetric.create("BlueGreenApi@" + loader, String.class, MetricLevel.INFO, MetricCategory.CUSTOM);
        }
    }

    /** The name the SDK gives the per-attempt children of a call's metrics. */
    static final String ATTEMPT = "ApiCallAttempt";

    /** {@link CoreMetric#ERROR_TYPE}'s value for an attempt the SDK classified as throttled. */
    static final String THROTTLING = "Throttling";

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
        MetricCollector call = attributes.getAttribute(SdkExecutionAttribute.API_CALL_METRIC_COLLECTOR);
        if (call != null) call.reportMetric(API, api);
        Counter.builder("bluegreen.aws.api.calls")
                .description("AWS API calls made by the operator (SDK retries inside one call), by API, operation and final outcome")
                .tag("api", api).tag("operation", operation).tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    /** Counts the attempts of one finished call. */
    @Override
    public void publish(MetricCollection call) {
        String api = first(call.metricValues(API), first(call.metricValues(CoreMetric.SERVICE_ID), "unknown"));
        String operation = first(call.metricValues(CoreMetric.OPERATION_NAME), "unknown");
        call.childrenWithName(ATTEMPT).forEach(attempt -> {
            List<String> errors = attempt.metricValues(CoreMetric.ERROR_TYPE);
            String outcome = errors.isEmpty() ? "success" : errors.contains(THROTTLING) ? "throttled" : "error";
            Counter.builder("bluegreen.aws.api.attempts")
                    .description("HTTP attempts of AWS API calls, SDK retries included, by API, operation and outcome")
                    .tag("api", api).tag("operation", operation).tag("outcome", outcome)
                    .register(registry)
                    .increment();
        });
    }

    private static String first(List<String> values, String otherwise) {
        return values.isEmpty() || values.get(0) == null ? otherwise : values.get(0);
    }

    /** Nothing to release: the counters belong to the registry. */
    @Override
    public void close() {
    }
}

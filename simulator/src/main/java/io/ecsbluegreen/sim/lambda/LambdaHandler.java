package io.ecsbluegreen.sim.lambda;

import java.nio.charset.StandardCharsets;

/**
 * The code of a simulated Lambda function: receives the invocation payload (the JSON the caller sent,
 * {@code {}} when it sent none) and returns the function's response payload.
 *
 * <p>Throwing signals a function error, which the caller sees as Lambda reports it: status 200,
 * {@code X-Amz-Function-Error: Unhandled} and {@code {"errorMessage":…,"errorType":…}} as payload. Throw a
 * {@link FunctionError} to choose the error type or to report a {@code Handled} error; any other exception
 * reports its class name as error type, as Lambda's Java runtime does.
 *
 * <p>Handlers run on their own thread and may be called concurrently. A handler that runs longer than
 * the function's timeout (real time, plus what it declares with
 * {@link InvocationContext#simulateWork}) is reported as timed out.
 */
@FunctionalInterface
public interface LambdaHandler {

    /**
     * @return the response payload; null stands for a function that returns nothing ({@code null})
     */
    byte[] handle(byte[] payload, InvocationContext context) throws Exception;

    /** A handler working on UTF-8 text rather than bytes. */
    static LambdaHandler ofText(TextHandler handler) {
        return (payload, context) -> {
            String response = handler.handle(new String(payload, StandardCharsets.UTF_8), context);
            return response == null ? null : response.getBytes(StandardCharsets.UTF_8);
        };
    }

    /** A handler that always answers {@code json}. */
    static LambdaHandler returning(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return (payload, context) -> bytes.clone();
    }

    /** {@link LambdaHandler} over text. */
    @FunctionalInterface
    interface TextHandler {
        String handle(String payload, InvocationContext context) throws Exception;
    }
}

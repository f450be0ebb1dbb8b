package io.ecsbluegreen.sim.lambda;

/**
 * Thrown by a {@link LambdaHandler} to report a function error with a chosen {@code errorType}. The
 * caller receives {@code {"errorMessage":MESSAGE,"errorType":TYPE}} with
 * {@code X-Amz-Function-Error: Unhandled}, or {@code Handled} for {@link #handled}.
 */
public final class FunctionError extends RuntimeException {

    private final String errorType;
    private final boolean handled;

    private FunctionError(String errorType, String message, boolean handled) {
        super(message, null, false, false);
        this.errorType = errorType;
        this.handled = handled;
    }

    /** An error the function did not handle: what a runtime reports for an uncaught exception. */
    public static FunctionError unhandled(String errorType, String message) {
        return new FunctionError(errorType, message, false);
    }

    /**
     * An error the function reported itself ({@code X-Amz-Function-Error: Handled}), as older Node.js
     * functions did with {@code callback(error)}.
     */
    public static FunctionError handled(String errorType, String message) {
        return new FunctionError(errorType, message, true);
    }

    public String errorType() {
        return errorType;
    }

    public boolean isHandled() {
        return handled;
    }
}

package io.ecsbluegreen.hooks;

/** Synchronous Lambda invocation for hooks. */
public interface LambdaPort {

    /**
     * The answer of one invocation.
     *
     * @param functionError the function's error type ({@code Unhandled}, ...) when it failed; null on success
     * @param payload the function's response
     */
    record Answer(String functionError, String payload) {}

    Answer invoke(String function, String qualifier, String payload);
}

package io.ecsbluegreen.sim.lambda;

/** Lambda's {@code X-Amz-Invocation-Type}. */
public enum InvocationType {
    /** Synchronous (the default): the caller waits for the function's payload; status 200. */
    RequestResponse,
    /** Asynchronous: Lambda queues the event and answers 202 at once. */
    Event,
    /** Only checks that the function exists and may be invoked; status 204, nothing runs. */
    DryRun
}

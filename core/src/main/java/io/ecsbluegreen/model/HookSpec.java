package io.ecsbluegreen.model;

import io.ecsbluegreen.model.meta.Default;
import io.ecsbluegreen.model.meta.Doc;
import io.ecsbluegreen.model.meta.DurationRange;
import io.ecsbluegreen.model.meta.ExactlyOneOf;
import io.ecsbluegreen.model.meta.Pattern;
import io.ecsbluegreen.model.meta.Required;
import java.time.Duration;

/** One lifecycle hook: a Lambda function, an HTTP call or an ECS task. */
@ExactlyOneOf({"lambda", "http", "task"})
@Doc("One hook: exactly one of `lambda`, `http` or `task`.")
public record HookSpec(
        @Required @Pattern(value = Patterns.OBJECT_NAME, hint = Patterns.OBJECT_NAME_HINT)
        @Doc("Name, unique within its lifecycle point; shown in status and metrics.")
        String name,

        @Default("5m") @DurationRange(min = "1s", max = "1h")
        @Doc("Time the hook has to succeed, polling and retries included.")
        Duration timeout,

        @Default("rollback")
        @Doc("`rollback` (the default) or `ignore` a failure.")
        FailurePolicy onFailure,

        @Doc("Invoke a Lambda function.")
        LambdaHook lambda,

        @Doc("Call an HTTP endpoint.")
        HttpHook http,

        @Doc("Run an ECS task to completion.")
        TaskHook task) {}

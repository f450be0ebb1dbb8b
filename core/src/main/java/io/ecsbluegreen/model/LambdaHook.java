package io.ecsbluegreen.model;

import io.ecsbluegreen.model.meta.Default;
import io.ecsbluegreen.model.meta.Doc;
import io.ecsbluegreen.model.meta.DurationRange;
import io.ecsbluegreen.model.meta.Pattern;
import io.ecsbluegreen.model.meta.Required;
import java.time.Duration;

/** A synchronous Lambda invocation; see docs/hooks.md for the payload contract. */
@Doc("Invoke a Lambda function synchronously with the documented payload (docs/hooks.md).")
public record LambdaHook(
        @Required @Pattern(value = Patterns.LAMBDA_FUNCTION, hint = Patterns.LAMBDA_FUNCTION_HINT)
        @Doc("Function name or ARN.")
        String function,

        @Pattern(value = Patterns.LAMBDA_QUALIFIER, hint = Patterns.LAMBDA_QUALIFIER_HINT)
        @Doc("Version or alias.")
        String qualifier,

        @Default("30s") @DurationRange(min = "1s", max = "15m")
        @Doc("Wait before calling again when the function answers `\"status\": \"InProgress\"`.")
        Duration pollInterval) {}

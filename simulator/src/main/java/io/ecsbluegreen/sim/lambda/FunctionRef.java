package io.ecsbluegreen.sim.lambda;

import io.ecsbluegreen.sim.protocol.AwsErrorException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code FunctionName} as Lambda accepts it: a name ({@code my-function}), a name with qualifier
 * ({@code my-function:live}), a partial ARN ({@code 123456789012:function:my-function}) or a full ARN
 * ({@code arn:aws:lambda:us-east-1:123456789012:function:my-function[:qualifier]}).
 *
 * @param name the function's name
 * @param qualifier the qualifier the name carried, or null
 * @param account the account the ARN named, or null
 */
record FunctionRef(String name, String qualifier, String account) {

    /** Lambda's own pattern for {@code FunctionName} in Invoke, GetFunction and DeleteFunction. */
    static final String PATTERN = "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?"
            + "(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?";
    private static final Pattern COMPILED = Pattern.compile(PATTERN);

    static FunctionRef parse(String functionName) {
        Matcher m = functionName == null ? null : COMPILED.matcher(functionName);
        if (m == null || functionName.length() > 170 || !m.matches()) {
            throw new AwsErrorException(400, "ValidationException", "1 validation error detected: Value '"
                    + functionName + "' at 'functionName' failed to satisfy constraint: Member must satisfy regular "
                    + "expression pattern: " + PATTERN);
        }
        String account = m.group(5) == null ? null : m.group(5).substring(0, 12);
        return new FunctionRef(m.group(7), m.group(9), account);
    }
}

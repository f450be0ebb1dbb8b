package io.ecsbluegreen.aws;

import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * STS refused (or could not be asked) to let the operator assume a service's role: the service's pass
 * fails with this as its status, is retried with backoff, and no other service is concerned.
 */
public final class RoleAssumptionException extends RuntimeException {
    private final transient Identity identity;

    RoleAssumptionException(Identity identity, RuntimeException cause) {
        super("cannot assume " + identity.roleArn() + " as session " + identity.sessionName()
                + (identity.externalId() == null ? "" : " with the external id") + ": " + reason(cause), cause);
        this.identity = identity;
    }

    /** The identity that could not be assumed. */
    public Identity identity() {
        return identity;
    }

    /** The refusal among {@code e} and its causes (the SDK wraps what a credentials provider throws), or null. */
    public static RoleAssumptionException in(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RoleAssumptionException r) return r;
        }
        return null;
    }

    private static String reason(RuntimeException cause) {
        if (cause instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
            return aws.awsErrorDetails().errorCode() + ": " + aws.awsErrorDetails().errorMessage();
        }
        return cause.getMessage();
    }
}

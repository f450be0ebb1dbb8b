package io.ecsbluegreen.aws;

import io.ecsbluegreen.model.BlueGreenService;

/**
 * Who acts in AWS for a service: the operator's own credentials ({@link #OPERATOR}), or a session of the
 * role the service names in {@code spec.roleArn}, named after the operator and the service.
 *
 * @param roleArn the role assumed; null for the operator's own credentials
 * @param externalId the external id passed to STS; null when none
 * @param sessionName the role session's name; null for the operator's own credentials
 */
public record Identity(String roleArn, String externalId, String sessionName) {
    /** The operator's own credentials. */
    public static final Identity OPERATOR = new Identity(null, null, null);

    /** What status and metrics call the operator's own credentials. */
    public static final String OPERATOR_NAME = "operator";

    /** The identity that acts for {@code service}. */
    public static Identity of(BlueGreenService service) {
        String role = service.spec().roleArn();
        if (role == null || role.isBlank()) return OPERATOR;
        return new Identity(role, service.spec().externalId(), AssumedRoles.sessionName(service.name()));
    }

    /** Whether a role is assumed. */
    public boolean assumed() {
        return roleArn != null;
    }

    /** The role's ARN, or {@value #OPERATOR_NAME}: what status and metrics show. The external id is never shown. */
    public String display() {
        return assumed() ? roleArn : OPERATOR_NAME;
    }

    /** Without the external id, which is a shared secret of sorts and stays out of logs. */
    @Override
    public String toString() {
        return assumed() ? roleArn + " (session " + sessionName + ")" : OPERATOR_NAME;
    }
}

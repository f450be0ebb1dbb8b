package io.ecsbluegreen.sim.ecs;

import io.ecsbluegreen.sim.protocol.AwsErrorException;

/** ECS's error codes, as the JSON protocol names them. */
final class EcsErrors {
    private EcsErrors() {}

    static AwsErrorException invalid(String message) {
        return new AwsErrorException(400, "InvalidParameterException", message);
    }

    static AwsErrorException client(String message) {
        return new AwsErrorException(400, "ClientException", message);
    }

    /** RunTask: a client token already used with another request. */
    static AwsErrorException conflict(String message) {
        return new AwsErrorException(400, "ConflictException", message);
    }

    static AwsErrorException clusterNotFound() {
        return new AwsErrorException(400, "ClusterNotFoundException", "Cluster not found.");
    }

    static AwsErrorException serviceNotFound() {
        return new AwsErrorException(400, "ServiceNotFoundException", "Service not found.");
    }

    static AwsErrorException serviceNotActive() {
        return new AwsErrorException(400, "ServiceNotActiveException", "Service was not ACTIVE.");
    }

    static AwsErrorException taskSetNotFound() {
        return new AwsErrorException(400, "TaskSetNotFoundException", "The specified task set does not exist.");
    }

    static AwsErrorException unsupported(String message) {
        return new AwsErrorException(400, "UnsupportedFeatureException", message);
    }
}

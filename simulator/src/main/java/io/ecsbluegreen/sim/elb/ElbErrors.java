package io.ecsbluegreen.sim.elb;

import io.ecsbluegreen.sim.protocol.AwsErrorException;

/**
 * The ELBv2 errors the simulator answers, with the codes of the API model (all {@code 400 Sender} except
 * where noted). Messages follow AWS's where they are known; see {@code docs/simulator-elbv2.md}.
 */
final class ElbErrors {

    private ElbErrors() {}

    static AwsErrorException validation(String message) {
        return error("ValidationError", message);
    }

    static AwsErrorException loadBalancerNotFound(String message) {
        return error("LoadBalancerNotFound", message);
    }

    static AwsErrorException targetGroupNotFound(String message) {
        return error("TargetGroupNotFound", message);
    }

    static AwsErrorException listenerNotFound(String message) {
        return error("ListenerNotFound", message);
    }

    static AwsErrorException ruleNotFound(String message) {
        return error("RuleNotFound", message);
    }

    static AwsErrorException invalidConfiguration(String message) {
        return error("InvalidConfigurationRequest", message);
    }

    static AwsErrorException operationNotPermitted(String message) {
        return error("OperationNotPermitted", message);
    }

    static AwsErrorException resourceInUse(String message) {
        return error("ResourceInUse", message);
    }

    static AwsErrorException invalidTarget(String message) {
        return error("InvalidTarget", message);
    }

    static AwsErrorException error(String code, String message) {
        return new AwsErrorException(400, code, message);
    }
}

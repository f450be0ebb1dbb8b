package io.ecsbluegreen.conformance;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * Where the conformance checks run: the project's simulator (the default, so that {@code ./mvnw verify}
 * runs them) or a real AWS account ({@code -Dconformance.aws=true}). The checks see nothing else of the
 * difference: the same SDK clients, the same calls, the same assertions.
 */
interface Account extends AutoCloseable {

    /** The system property that selects a real AWS account. */
    String AWS = "conformance.aws";

    /** The simulator, unless {@value #AWS} is true; an AWS account without credentials fails here, at once. */
    static Account open() {
        return Boolean.getBoolean(AWS) ? AwsAccount.fromEnvironment() : SimulatedAccount.start();
    }

    EcsClient ecs();

    ElasticLoadBalancingV2Client elb();

    CloudWatchClient cloudWatch();

    LambdaClient lambda();

    /** The region every resource is made in (and the specs name). */
    String region();

    /** Where the load balancer and the tasks go. */
    Network network();

    /** The account's time: the simulator's virtual clock, or the system clock. */
    Clock clock();

    boolean simulated();

    /**
     * Returns once {@code condition} holds, evaluating it every {@code step} of the account's time; fails
     * after {@code max}. On the simulator, time moves only here (by {@code step} between evaluations).
     */
    void waitFor(String what, Duration max, Duration step, BooleanSupplier condition);

    /** A public image that serves HTTP 200 on {@link #PORT} at {@code /}. */
    String healthyImage();

    /** An image whose tasks never pass the target group's health check (nothing listens on {@link #PORT}). */
    String brokenImage();

    /** Closes the clients (and stops the simulator); deletes nothing: {@link Fixture} does. */
    @Override
    void close();

    /** The container port of both images and of every target group. */
    int PORT = 80;

    /**
     * @param vpcId the VPC of the subnets (target groups need it)
     * @param subnets at least two, in different availability zones (an ALB needs two)
     * @param securityGroups of the ALB and the tasks; one group that admits itself lets health checks through
     * @param assignPublicIp whether the tasks need a public IP to pull their image
     */
    record Network(String vpcId, List<String> subnets, List<String> securityGroups, boolean assignPublicIp) {}
}

package io.ecsbluegreen.sim.protocol;

import java.util.Set;

/**
 * One simulated AWS service. The core routes a request to a handler, asks it which API action the
 * request is (for statistics, throttling and fault injection), then lets it answer.
 *
 * <p>Handlers are called concurrently from the server's threads and must be thread-safe. They report
 * AWS errors by throwing {@link AwsErrorException}; the core renders them with {@link #renderError}.
 */
public interface ServiceHandler {

    /**
     * The SigV4 signing name that identifies the service in a credential scope: {@code s3}, {@code sts},
     * {@code ecs}, {@code elasticloadbalancing}, {@code lambda}, {@code monitoring}. Also the service
     * part of {@link io.ecsbluegreen.sim.ApiAction}.
     */
    String signingName();

    /** The wire protocol, which decides how errors and request ids are written. */
    Protocol protocol();

    /** The XML namespace of response and error documents, or null (JSON protocols, S3 errors). */
    default String xmlNamespace() {
        return null;
    }

    /**
     * {@code X-Amz-Target} prefixes (up to and including the dot) that identify this service when a
     * request carries no credential scope, e.g. {@code AmazonEC2ContainerServiceV20141113.}.
     */
    default Set<String> targetPrefixes() {
        return Set.of();
    }

    /** Query-protocol {@code Action} names that identify this service when a request carries no scope. */
    default Set<String> queryActions() {
        return Set.of();
    }

    /**
     * Smithy service shape names ({@code GraniteServiceVersion20100801}) that identify this service in the
     * path of an RPC v2 CBOR request ({@code /service/NAME/operation/...}) that carries no scope.
     */
    default Set<String> rpcV2ServiceNames() {
        return Set.of();
    }

    /**
     * Names the API action of a request ({@code PutObject}, {@code AssumeRole}), before any state is
     * touched.
     *
     * @throws AwsErrorException when the request is no action this handler supports
     */
    String resolveAction(SimRequest request);

    /**
     * Performs {@code action} (as returned by {@link #resolveAction}) and returns the response.
     *
     * @throws AwsErrorException for AWS errors such as {@code NoSuchKey}
     */
    SimResponse handle(String action, SimRequest request);

    /** The error this service answers when its throttling bucket is empty. */
    default AwsErrorException throttlingError() {
        return protocol().throttlingError();
    }

    /** The error this service answers for an injected fault with the given 5xx status. */
    default AwsErrorException serverError(int status) {
        return protocol().serverError(status);
    }

    /** Renders an error as this service does; the default follows {@link #protocol()}. */
    default SimResponse renderError(AwsErrorException error, SimRequest request) {
        return protocol().renderError(error, request.requestId(), xmlNamespace());
    }
}
